"""18.0.1.6.0, before the update: the fields named ``kind`` (and the
referral's ``case_kind``) take names that say what they are; their columns,
field records, external ids, saved filters and export lists are renamed so
that every record keeps its value (see models/dv_field_rename.py)."""

from odoo.addons.dv_case_management.models.dv_field_rename import (
    RENAMES_1_6,
    rename_fields,
)


def migrate(cr, version):
    if not version:
        return
    rename_fields(cr, RENAMES_1_6)
