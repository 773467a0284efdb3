"""18.0.1.7.0: the federal state profiles take the values and notes checked
for this version against the wording of the police laws (Schleswig-Holstein's
§ 201a LVwG as amended in 2025: an application under the Gewaltschutzgesetz
extends the measures by a week until the court decides, and the police pass
the data under its Abs. 6; and what the third search found for the values
still marked *ungeprüft*). A profile a
manager changed keeps its values."""

from odoo import SUPERUSER_ID, api

from odoo.addons.dv_case_management.models.dv_land_profile import (
    update_shipped_profiles,
)


def migrate(cr, version):
    if not version:
        return
    update_shipped_profiles(api.Environment(cr, SUPERUSER_ID, {}))
