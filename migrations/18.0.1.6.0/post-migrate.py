"""18.0.1.6.0, after the update:

- the renamed fields kept their records, and with them the German label of
  ``kind`` (*Art*). Load the addon's German anew, so that an updated database
  reads the same labels as a new one (*Fallart*, *Konferenzart*, *Art der
  Weitergabe*, ...);
- the federal state profiles take the values and notes checked for this
  version: Saxony's contact ban and extension as § 19 SächsPVDG says (an
  application under the Gewaltschutzgesetz extends the measures by ten days
  until the court decides), and what a second search found for the values
  still marked *ungeprüft*. A profile a manager changed keeps its values.
  Done after the translations, so that nothing reloaded overwrites them."""

from odoo import SUPERUSER_ID, api

from odoo.addons.dv_case_management.models.dv_land_profile import (
    update_shipped_profiles,
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["ir.module.module"].search(
        [("name", "=", "dv_case_management")]
    )._update_translations(overwrite=True)
    update_shipped_profiles(env)
