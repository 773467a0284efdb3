"""18.0.1.7.0, before the update: saved filters and window actions that reach
a field renamed in 18.0.1.6.0 through other fields (``case_id.kind`` in a
filter of the referrals) take its new name too; 18.0.1.6.0 renamed only the
fields of the filter's own model (see models/dv_field_rename.py)."""

from odoo.addons.dv_case_management.models.dv_field_rename import (
    RENAMES_1_6,
    rename_in_paths,
)


def migrate(cr, version):
    if not version:
        return
    rename_in_paths(cr, RENAMES_1_6)
