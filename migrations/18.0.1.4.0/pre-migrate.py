"""18.0.1.4.0, before the update: the federal state profiles keep their
durations in new fields (renamed columns) and are updated from the data
file once, with the sixteen Länder and the norm of each value."""

from odoo.tools import SQL


def _has_column(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.fetchone())


def migrate(cr, version):
    for old, new in (
        ("eviction_max_days", "eviction_max"),
        ("contact_ban_max_days", "contact_ban_max"),
        ("extension_max_days", "extension_max"),
        ("legal_basis", "eviction_norm"),
    ):
        if _has_column(cr, "dv_land_profile", old) and not _has_column(
            cr, "dv_land_profile", new
        ):
            cr.execute(
                SQL(
                    "ALTER TABLE dv_land_profile RENAME COLUMN %s TO %s",
                    SQL.identifier(old),
                    SQL.identifier(new),
                )
            )
    # The shipped profiles take the researched values of this version.
    cr.execute(
        "UPDATE ir_model_data SET noupdate = false "
        "WHERE module = 'dv_case_management' AND model = 'dv.land.profile'"
    )
