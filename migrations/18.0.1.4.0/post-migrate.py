"""18.0.1.4.0: the shipped federal state profiles are protected from updates
again; the youth welfare office notification recorded on each child becomes
the case's youth welfare office step, and cases with children still to
decide get it; the deadline reminders of a case's records become
activities of those records."""

import io

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, file_open
from odoo.tools.convert import convert_xml_import
from odoo.tools.sql import column_exists

from odoo.addons.dv_case_management.models.mail_activity import (
    move_case_deadline_reminders,
)

LEGAL_BASES = (("8a", "sgb8_8a"), ("kkg", "kkg_4"), ("einwillig", "consent"))


def _legal_basis(text):
    lowered = (text or "").lower().replace(" ", "")
    for marker, key in LEGAL_BASES:
        if marker in lowered:
            return key, False
    return ("other", text) if text else ("other", "—")


def migrate_youth_office_notices(env):
    cr = env.cr
    columns = ("youth_office_notified", "youth_office_notified_on")
    if not all(column_exists(cr, "dv_person", column) for column in columns):
        return
    legal = column_exists(cr, "dv_person", "youth_office_legal_basis")
    basis = (
        SQL("string_agg(DISTINCT youth_office_legal_basis, ', ')")
        if legal
        else SQL("NULL")
    )
    cr.execute(
        SQL(
            "SELECT case_id, array_agg(id), min(youth_office_notified_on), %s "
            "FROM dv_person WHERE role = 'child' AND youth_office_notified "
            "GROUP BY case_id",
            basis,
        )
    )
    Notice = env["dv.youth.office.notice"].with_context(tracking_disable=True)
    for case_id, child_ids, notified_on, basis in cr.fetchall():
        key, norm = _legal_basis(basis)
        Notice.create(
            {
                "case_id": case_id,
                "child_ids": [(6, 0, child_ids)],
                "notified_on": notified_on or env["dv.case"].browse(case_id).opened_on,
                "legal_basis": key,
                "legal_norm": norm,
            }
        )
    for column in (*columns, "youth_office_legal_basis"):
        if column_exists(cr, "dv_person", column):
            cr.execute(
                SQL("ALTER TABLE dv_person DROP COLUMN %s", SQL.identifier(column))
            )


def update_land_profiles(env):
    """The shipped profiles take this version's values once (their data file
    leaves them alone on later updates)."""
    path = "dv_case_management/data/dv_land_profile_data.xml"
    with file_open(path, "rb") as handle:
        content = handle.read().replace(b'<odoo noupdate="1">', b"<odoo>")
    xmlfile = io.BytesIO(content)
    xmlfile.name = path
    convert_xml_import(
        env, "dv_case_management", xmlfile, mode="update", noupdate=False
    )


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    update_land_profiles(env)
    cr.execute(
        "UPDATE ir_model_data SET noupdate = true "
        "WHERE module = 'dv_case_management' AND model = 'dv.land.profile'"
    )
    migrate_youth_office_notices(env)
    cases = env["dv.case"].search(
        [("has_children", "=", True), ("state", "!=", "closed")]
    )
    cases._prompt_youth_office()
    move_case_deadline_reminders(env)
    # Labels changed: load the German anew, as a new database reads it.
    env["ir.module.module"].search(
        [("name", "=", "dv_case_management")]
    )._update_translations(overwrite=True)
