"""18.0.1.6.0: the federal state profiles take the source notes checked for
this version (what a second search found for the values still marked
*ungeprüft*: Brandenburg, Bremen, Hamburg, Saxony, Schleswig-Holstein, and
North Rhine-Westphalia's 2025 bill); no maximum changed. A profile a
manager changed keeps its values."""

from odoo import SUPERUSER_ID, api

from odoo.addons.dv_case_management.models.dv_land_profile import (
    update_shipped_profiles,
)


def migrate(cr, version):
    if not version:
        return
    update_shipped_profiles(api.Environment(cr, SUPERUSER_ID, {}))
