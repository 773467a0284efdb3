"""18.0.1.5.0: the federal state profiles take the values checked for this
version (Lower Saxony's norm § 17a NPOG, no contact ban of its own in North
Rhine-Westphalia, Schleswig-Holstein's statute obliging the police to pass
the victim's data, and the source notes of all values still to check). A
profile a manager changed keeps its values."""

from odoo import SUPERUSER_ID, api

from odoo.addons.dv_case_management.models.dv_land_profile import (
    update_shipped_profiles,
)


def migrate(cr, version):
    update_shipped_profiles(api.Environment(cr, SUPERUSER_ID, {}))
