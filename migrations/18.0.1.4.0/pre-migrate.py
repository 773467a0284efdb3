"""18.0.1.4.0, before the update: the federal state profiles keep their
durations in new fields (renamed columns) and are updated from the data
file once, with the sixteen Länder and the norm of each value."""

from odoo.tools.sql import column_exists, rename_column


def migrate(cr, version):
    for old, new in (
        ("eviction_max_days", "eviction_max"),
        ("contact_ban_max_days", "contact_ban_max"),
        ("extension_max_days", "extension_max"),
        ("legal_basis", "eviction_norm"),
    ):
        if column_exists(cr, "dv_land_profile", old) and not column_exists(
            cr, "dv_land_profile", new
        ):
            rename_column(cr, "dv_land_profile", old, new)
    # The shipped profiles take the researched values of this version.
    cr.execute(
        "UPDATE ir_model_data SET noupdate = false "
        "WHERE module = 'dv_case_management' AND model = 'dv.land.profile'"
    )
