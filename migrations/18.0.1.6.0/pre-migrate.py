"""18.0.1.6.0, before the update: ``dv.conference.case`` is called what it is,
``dv.conference.agenda.item``; its table, model record, external ids and every
record naming the model are renamed so that the agenda items keep their ids
and values. Then the fields named ``kind`` (and the referral's ``case_kind``)
take names that say what they are; their columns, field records, external
ids, saved filters and export lists are renamed so that every record keeps its
value (see models/dv_field_rename.py)."""

from odoo.addons.dv_case_management.models.dv_field_rename import (
    MODEL_RENAMES_1_6,
    RENAMES_1_6,
    rename_fields,
    rename_models,
)


def migrate(cr, version):
    if not version:
        return
    rename_models(cr, MODEL_RENAMES_1_6)
    rename_fields(cr, RENAMES_1_6)
