"""18.0.1.6.0: the federal state profiles take the values and notes checked
for this version: Saxony's contact ban and extension as § 19 SächsPVDG says
(an application under the Gewaltschutzgesetz extends the measures by ten
days until the court decides), and what a second search found for the
values still marked *ungeprüft*. A profile a manager changed keeps its
values."""

from odoo import SUPERUSER_ID, api

from odoo.addons.dv_case_management.models.dv_land_profile import (
    update_shipped_profiles,
)


def migrate(cr, version):
    if not version:
        return
    update_shipped_profiles(api.Environment(cr, SUPERUSER_ID, {}))
