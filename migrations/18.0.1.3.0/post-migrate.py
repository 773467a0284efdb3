"""18.0.1.3.0: the menu follows the work (intake, cases, conferences, ...)
and several labels changed. Odoo keeps a record's earlier translations when
its English source changes; load the addon's translations anew, so that
an updated database reads the same German as a new one."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["ir.module.module"].search(
        [("name", "=", "dv_case_management")]
    )._update_translations(overwrite=True)
