"""18.0.1.6.0, after the update: the renamed fields kept their records, and
with them the German label of ``kind`` (*Art*). Load the addon's German
anew, so that an updated database reads the same labels as a new one
(*Fallart*, *Konferenzart*, *Art der Weitergabe*, ...)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["ir.module.module"].search(
        [("name", "=", "dv_case_management")]
    )._update_translations(overwrite=True)
