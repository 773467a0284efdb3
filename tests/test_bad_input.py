"""Bad inputs: states written past the workflow, over-long police references
and names, formulas in the Excel export of a list, and the table of bad inputs
the load run (scripts/load) sent through JSON-RPC that need no HTTP request
(TestBadInputs)."""

import io
import json
import logging
from datetime import timedelta
from unittest.mock import patch

import openpyxl

from odoo import Command, exceptions, fields, http
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from .common import DvCommon, ReferralCommon
from .test_referral_intake import ALIAS, COMPLETE, MAIL, IntakeCommon


class TestStatesOnlyThroughTheWorkflow(ReferralCommon):
    def test_case_state_written_directly(self):
        case = self._create_case().with_user(self.caseworker)
        with self.assertRaises(ValidationError):
            case.write({"state": "closed"})
        self.assertEqual(case.state, "new")
        case.action_start()
        with self.assertRaises(ValidationError):
            case.write({"state": "new"})
        case._close(self.env.ref("dv_case_management.closure_reason_completed"), "")
        with self.assertRaises(ValidationError):
            case.write({"closure_reason_id": False})
        case.action_reopen()
        self.assertEqual(case.state, "in_progress")

    @freeze_time("2026-12-28 09:00:00")
    def test_referral_state_written_directly(self):
        referral = self._inbound().with_user(self.office_worker)
        with self.assertRaises(ValidationError):
            referral.write({"state": "accepted"})
        referral.action_mark_declined()
        with self.assertRaises(ValidationError):
            referral.write({"state": "received"})
        self.assertEqual(referral.state, "declined")


@freeze_time("2026-12-28 09:00:00")
class TestOverlongText(ReferralCommon):
    def test_police_reference_is_short(self):
        with self.assertRaises(ValidationError) as error:
            self._inbound(police_reference="X" * 65)
        self.assertIn("64", str(error.exception))
        referral = self._inbound(police_reference="P" * 64)
        with self.assertRaises(ValidationError):
            self.env["dv.incident"].create(
                {"case_id": referral.case_id.id, "police_reference": "Z" * 3000}
            )

    def test_names_are_limited(self):
        case = self._create_case()
        with self.assertRaises(ValidationError):
            self.env["dv.person"].create(
                {"case_id": case.id, "role": "other", "name": "N" * 201}
            )
        with self.assertRaises(ValidationError):
            case.victim_id.write({"aliases": "A, " * 400})


@tagged("post_install", "-at_install")
class TestExportKeepsTextAsText(HttpCase, DvCommon):
    def test_formula_in_list_export_stays_text(self):
        formula = '=HYPERLINK("http://example.invalid/?x="&A1,"Klick")'
        agency = self.env["dv.agency"].create(
            {
                "name": formula,
                "agency_type_id": self.type_counselling.id,
                "company_id": False,
            }
        )
        self.authenticate("admin", "admin")
        params = {
            "model": "dv.agency",
            "fields": [{"name": "name", "label": "Name"}],
            "ids": agency.ids,
            "domain": [],
            "groupby": [],
            "import_compat": False,
        }
        response = self.url_open(
            "/web/export/xlsx",
            data={
                "data": json.dumps(params),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cell = sheet["A2"]
        self.assertEqual(cell.value, formula)
        self.assertEqual(cell.data_type, "s", "text, never a formula")

    def _export(self, model, ids, domain=None):
        params = {
            "model": model,
            "fields": [{"name": "name", "label": "Name"}],
            "ids": ids,
            "domain": domain or [],
            "groupby": [],
            "import_compat": False,
        }
        return self.url_open(
            "/web/export/xlsx",
            data={
                "data": json.dumps(params),
                "csrf_token": http.Request.csrf_token(self),
            },
        )

    def test_other_models_export_as_odoo_makes_it(self):
        """Nothing global: only this addon's exports are changed."""
        partner = self.env["res.partner"].create({"name": "=1+1"})
        self.authenticate("admin", "admin")
        response = self._export("res.partner", partner.ids)
        cell = openpyxl.load_workbook(io.BytesIO(response.content)).active["A2"]
        self.assertEqual(cell.data_type, "f", "Odoo's own behaviour, untouched")

    def test_exports_of_cases_log_no_search(self):
        """Odoo logs an export with its domain, which may hold a searched
        name; the addon's exports are logged without it."""
        case = self._create_case()
        seen = []

        class Collect(logging.Handler):
            def emit(self, record):
                seen.append(record.getMessage())

        handler = Collect(level=logging.INFO)
        web_logger = logging.getLogger("odoo.addons.web.controllers.export")
        web_logger.addHandler(handler)
        level = web_logger.level
        web_logger.setLevel(logging.INFO)
        try:
            self.authenticate("admin", "admin")
            self._export("dv.case", [], [("person_ids.name", "ilike", "Vera")])
            self._export("res.partner", [], [("name", "ilike", "Findme")])
        finally:
            web_logger.removeHandler(handler)
            web_logger.setLevel(level)
        self.assertFalse([line for line in seen if "Vera" in line], seen)
        self.assertTrue([line for line in seen if "Findme" in line], seen)
        self.assertTrue(case)


# The guard's German messages (dv.guard.mixin): a state or status written
# directly, and a field the application sets or fixes at creation.
BY_BUTTONS = "Der Status ändert sich nur über die Schaltflächen des Formulars"
BY_APPLICATION = "kann hier nicht geändert werden: die Anwendung setzt es"
SCRIPT = '<script>alert("dv")</script><img src="x" onerror="alert(1)">'
NOW = "2026-11-24 09:00:00"
# Tables besides the addon's own that show what a refused input left behind.
TRACES = tuple(
    "mail_message mail_mail mail_activity ir_attachment calendar_event mail_alias "
    "res_partner".split()
)


def d(days):
    """The date ``days`` after the frozen now, as the web client sends it."""
    return str(fields.Date.to_date(NOW[:10]) + timedelta(days=days))


def dt(**delta):
    return fields.Datetime.to_string(
        fields.Datetime.to_datetime(NOW) + timedelta(**delta)
    )


def cjk(length):
    """Characters of three bytes each in UTF-8."""
    return "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(length))


W, C, M = "caseworker", "coordinator", "manager"
V, U, A = "ValidationError", "UserError", "AccessError"

# The bad inputs the load run sent through JSON-RPC that an Odoo test sends
# the same way, as the same user: key: (user, target, what, error, German).
# A target "@name" is a fixture: ``what`` is the method called on it or the
# values written to it, and the record must stay as it was; else the target
# is the model ``what`` creates (on the model's usual values, see BASES).
# "@name" in values is the fixture's id.
# fmt: off
REFUSED = {
    # Dates in the future or out of order
    "case_opened_in_future":
        (W, "dv.case", {"opened_on": d(3)}, V, "in der Zukunft eröffnet"),
    "birth_date_in_future":
        (W, "dv.person", {"birth_date": d(3)}, V,
         "Geburtsdatum kann nicht in der Zukunft"),
    "age_estimate_150":
        (W, "dv.person", {"age_estimate": 150}, V, "zwischen 0 und 120"),
    "incident_in_future":
        (W, "dv.incident", {"case_id": "@case_progress", "date": dt(days=7)}, V,
         "Vorfall kann nicht in der Zukunft"),
    "referral_from_future":
        (W, "dv.referral", {"received_at": dt(days=1)}, V,
         "nicht in der Zukunft eingehen"),
    "consent_in_future":
        (W, "dv.referral", {"consent_date": d(3)}, V,
         "Einwilligung kann nicht in der Zukunft"),
    "attempt_in_future":
        (W, "dv.contact.attempt", {"attempted_at": dt(days=1)}, V,
         "Kontaktversuch kann nicht in der Zukunft"),
    "attempt_before_arrival":
        (W, "dv.contact.attempt", {"attempted_at": dt(days=-2)}, V,
         "nicht vor dem Eingang der Meldung"),
    "measure_ends_before_start":
        (W, "dv.police.measure", {"case_id": "@case_progress",
         "measure_type": "eviction", "date_start": d(0), "date_end": d(-2)}, V,
         "nicht vor ihrem Beginn enden"),
    "application_before_act":
        (W, "dv.protection.order", {"case_id": "@case_progress", "act_date": d(-5),
         "application_date": d(-9)}, V, "nicht vor der Tat"),
    "consent_ends_before_given":
        (W, "dv.consent", {"person_id": "@victim", "agency_ids": "@counselling",
         "given_on": d(-3), "valid_until": d(-10)}, V, "enden, bevor sie erteilt"),
    "statistics_period_reversed":
        (W, "dv.statistics.wizard", {"date_from": "2026-12-31",
         "date_to": "2026-01-01"}, V, "Zeitraum kann nicht enden"),
    # The suppression threshold: never below the company's minimum (5 here),
    # which a manager sets, to at least 1.
    "statistics_threshold_zero":
        (W, "dv.statistics.wizard", {"threshold": 0}, V, "kann nicht unter 5 liegen"),
    "statistics_threshold_below_minimum":
        (W, "dv.statistics.wizard", {"threshold": 4}, V, "kann nicht unter 5 liegen"),
    "statistics_minimum_by_caseworker":
        (W, "dv.statistics.settings", {"company_id": "@company",
         "suppression_minimum": 1}, A, "(dv.statistics.settings) zu erstellen"),
    "statistics_minimum_zero":
        (M, "dv.statistics.settings", {"company_id": "@company",
         "suppression_minimum": 0}, V, "mindestens 1"),
    "assessment_in_future":
        (W, "dv.risk.assessment", {"case_id": "@case_progress",
         "instrument_id": "@instrument", "date": d(3)}, V,
         "Einschätzung kann nicht in der Zukunft"),
    "confidentiality_signed_in_future":
        (M, "dv.conference.participant", {"conference_id": "@conference",
         "user_id": "@manager", "confidentiality_signed_on": d(3)}, V,
         "nicht in der Zukunft unterschrieben"),
    # Risk
    "override_lowers_level":
        (W, "@assessment_red_flag", {"override_level": "standard",
         "override_reason": "Begründung"}, V, "niemals senken"),
    "override_without_reasons":
        (W, "@assessment_red_flag", {"override_level": "high",
         "override_reason": "  "}, V, "schriftlich"),
    "complete_unanswered":
        (W, "@assessment_blank", "action_done", U, "Beantworten Sie die Fragen"),
    # Legal basis
    "referral_without_legal_basis":
        (W, "dv.referral", {"legal_basis": False, "consent_date": False}, V,
         "Rechtsgrundlage der Meldung"),
    "statute_without_norm":
        (W, "dv.referral", {"legal_basis": "statute", "consent_date": False}, V,
         "Rechtsnorm"),
    "acute_danger_without_reasons":
        (W, "dv.referral", {"legal_basis": "acute_danger", "consent_date": False,
         "justification": " "}, V, "schriftliche Begründung"),
    "consent_without_date":
        (W, "dv.referral", {"consent_date": False}, V,
         "Datum, an dem die Einwilligung"),
    "share_without_legal_basis":
        (W, "dv.share", {"legal_basis": False, "legal_norm": False}, V,
         "braucht eine Rechtsgrundlage"),
    "share_to_own_lead":
        (W, "dv.share", {"to_agency_id": "@office"}, V,
         "eigene federführende Einrichtung"),
    "share_consent_of_other_agency":
        (W, "dv.share", {"to_agency_id": "@neighbour", "legal_basis": "consent",
         "legal_norm": False, "consent_id": "@consent"}, V, "Einwilligung deckt"),
    # State transitions out of order
    "start_started_case":
        (W, "@case_progress", "action_start", U,
         "Das Beginnen der Bearbeitung ist nicht möglich"),
    "reopen_open_case":
        (W, "@case_new", "action_reopen", U, "Das Wiedereröffnen ist nicht möglich"),
    "close_by_writing_state":
        (W, "@case_new", {"state": "closed"}, V, BY_BUTTONS),
    "case_back_to_new":
        (W, "@case_progress", {"state": "new"}, V, BY_BUTTONS),
    "declined_back_to_received":
        (W, "@referral_declined", {"state": "received"}, V, BY_BUTTONS),
    "referral_state_written":
        (W, "@referral_open", {"state": "contacted"}, V, BY_BUTTONS),
    "share_state_written":
        (W, "@share", {"state": "accepted"}, V, BY_BUTTONS),
    "share_created_accepted":
        (W, "dv.share", {"state": "accepted"}, V, BY_BUTTONS),
    "share_accepted_by_sender":
        (W, "@share", "action_accept", A, "beantworten"),
    "action_status_written":
        (M, "@action", {"status": "done"}, V, BY_BUTTONS),
    "action_status_by_owner":
        (W, "@action", {"status": "done", "due_date": d(3)}, A, "meldet ihren Stand"),
    "contact_declined_referral":
        (W, "@referral_declined", "action_start_contacting", U,
         "Das Beginnen der Kontaktaufnahme ist nicht möglich"),
    "attempt_on_closed_referral":
        (W, "dv.contact.attempt", {"referral_id": "@referral_declined",
         "outcome": "reached", "attempted_at": NOW}, V,
         "keine weiteren Kontaktversuche"),
    "unreachable_without_attempts":
        (W, "@referral_open", "action_mark_unreachable", U,
         "Erfassen Sie die Kontaktversuche"),
    "approve_minutes_before_held":
        (M, "@conference", "action_approve_minutes", U,
         "Das Freigeben des Protokolls ist nicht möglich"),
    "delete_case":
        (W, "@case_new", "unlink", A, "zu löschen"),
    # Fields the application sets, and what is fixed at creation
    "share_case_changed":
        (W, "@share", {"case_id": "@case_new"}, V, BY_APPLICATION),
    "share_recipient_changed":
        (W, "@share", {"to_agency_id": "@neighbour"}, V, BY_APPLICATION),
    "share_consent_changed":
        (W, "@share", {"legal_basis": "consent", "consent_id": "@consent"}, V,
         BY_APPLICATION),
    "share_forged_sender":
        (W, "dv.share", {"from_agency_id": "@neighbour"}, V, BY_APPLICATION),
    "case_victim_changed":
        (W, "@case_progress", {"victim_id": "@perpetrator"}, V, BY_APPLICATION),
    "person_protected_changed":
        (W, "@victim", {"protected_id": "@protected_other"}, V, BY_APPLICATION),
    "attempt_moved":
        (W, "@attempt", {"referral_id": "@referral_open"}, V, BY_APPLICATION),
    # Other refusals
    "responsible_outside_agency":
        (W, "dv.case", {"user_id": "@outsider"}, V,
         "muss Mitglied der federführenden Einrichtung"),
    "retention_zero_days":
        (M, "dv.retention.rule", {"record_type": "closed_case", "days": 0}, V,
         "mindestens einen Tag"),
    "conference_zero_hours":
        (M, "dv.conference", {"conference_type": "adhoc", "start": dt(days=3),
         "duration": 0, "organizer_agency_id": "@office", "company_id": "@company"}, V,
         "zwischen wenigen Minuten und einem Tag"),
    "duplicate_police_reference":
        (W, "dv.referral", {"police_reference": "OFFEN"}, V, "gibt es bereits"),
    # Over-long text
    "overlong_police_reference":
        (W, "dv.referral", {"police_reference": cjk(10000)}, V,
         "höchstens 64 Zeichen"),
    "overlong_name":
        (W, "dv.person", {"name": "Testperson " * 9000}, V, "höchstens 200 Zeichen"),
    # Referrals: entered for one's own agency; linked to a case, and joined
    # to a proposed one, only by the application; the source of an e-mailed
    # one is its registered sender.
    "referral_for_other_agency":
        (W, "dv.referral", {"to_agency_id": "@neighbour"}, A,
         "deren Mitglied Sie sind"),
    "referral_case_written":
        (W, "@referral_open", {"case_id": "@case_new"}, V, BY_APPLICATION),
    "referral_office_changed":
        (W, "@referral_open", {"to_agency_id": "@neighbour"}, V, BY_APPLICATION),
    "mailed_referral_source_changed":
        (W, "@referral_mailed", {"from_agency_id": "@police_b"}, V,
         "eingetragene Absender ihrer E-Mail"),
    "join_without_proposal":
        (W, "@referral_open", "action_join_case", U, "steht keine Entscheidung"),
    # Members and agencies: changed by managers and the agency's own
    # coordinators; the registered senders by the office's coordinators.
    "member_added_by_caseworker":
        (W, "dv.agency.member", {"agency_id": "@neighbour", "user_id": "@caseworker"},
         A, "Mitglieder ändern"),
    "member_added_by_other_coordinator":
        (C, "dv.agency.member", {"agency_id": "@neighbour", "user_id": "@coordinator"},
         A, "Mitglieder ändern"),
    "member_removed_by_other_coordinator":
        (C, "@partner_member", "unlink", A, "Mitglieder ändern"),
    "agency_changed_by_other_coordinator":
        (C, "@neighbour", {"name": "Übernommen"}, A, "können sie ändern"),
    "police_email_changed_by_coordinator":
        (C, "@police", {"email": "fremd@unbekannt.example"}, A, "können sie ändern"),
    "police_contact_changed_in_address_book":
        (C, "@police_partner", {"email": "fremd@unbekannt.example"}, A,
         "können sie ändern"),
    "sender_registered_by_caseworker":
        (W, "dv.intake.sender", {"office_id": "@office",
         "email": "fremd@unbekannt.example"}, A, "(dv.intake.sender) zu erstellen"),
    "sender_not_an_address":
        (C, "dv.intake.sender", {"office_id": "@office",
         "email": "Leitstelle ohne Adresse"}, V, "gültige E-Mail-Adresse"),
    "sender_unit_not_police":
        (C, "dv.intake.sender", {"office_id": "@office",
         "email": "beratung@lastdorf.example", "police_agency_id": "@counselling"}, V,
         "Polizeidienststelle"),
}
# fmt: on
# The values a creation of these models starts from (TestBadInputs).
BASES = {
    "dv.case": "case_values",
    "dv.person": "person",
    "dv.referral": "inbound",
    "dv.contact.attempt": "attempt",
    "dv.share": "share",
    "dv.statistics.wizard": "workbook",
}


class TestBadInputs(IntakeCommon):
    """The bad inputs of the load run that need no HTTP request: each is
    refused as its user with the German message and leaves nothing behind
    (no table gains a row, the record it aimed at is unchanged), or is
    accepted and neutralised. scripts/load_suite/bad_inputs.py keeps those
    only the web client's RPC layer and the controllers show."""

    freeze_time = NOW

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("de_DE")
        cls.company_a.partner_id.lang = "de_DE"
        cls.neighbour = env["dv.agency"].create(
            {
                "name": "Test Neighbour",
                "agency_type_id": cls.type_counselling.id,
                "company_id": cls.company_a.id,
            }
        )
        cls.police_b = env["dv.agency"].create(
            {
                "name": "Test Police B",
                "agency_type_id": cls.type_police.id,
                "company_id": cls.company_b.id,
                "email": "lage@police-b.example",
            }
        )
        cls.users = {
            W: cls.office_worker,
            C: cls._new_member("dv_test_bad_coordinator", "coordinator", cls.office),
            M: cls._new_member("dv_test_bad_manager", "manager", cls.office),
        }
        partner = cls._new_member("dv_test_bad_partner", "network", cls.agency_a)
        env["dv.statistics.settings"].with_user(cls.users[M]).create(
            {"company_id": cls.company_a.id, "suppression_minimum": 5}
        ).action_apply()
        cls.instrument = env.ref("dv_case_management.risk_instrument_screening")
        worker = cls.office_worker
        fx = cls.fx = {}
        fx["case_new"] = cls._new_case()
        fx["case_progress"] = cls._new_case()
        fx["case_progress"].with_user(worker).action_start()
        fx["victim"] = fx["case_progress"].victim_id
        fx["perpetrator"] = fx["case_progress"].person_ids.filtered(
            lambda p: p.role == "perpetrator"
        )
        fx["protected_other"] = fx["case_new"].victim_id.protected_id
        assert fx["protected_other"], "the victim's protected details"
        Referral = env["dv.referral"].with_user(worker)
        fx["referral_open"] = Referral.create(cls.inbound(police_reference="OFFEN"))
        fx["referral_declined"] = Referral.create(cls.inbound())
        fx["referral_declined"].action_mark_declined()
        contacting = Referral.create(cls.inbound())
        fx["attempt"] = (
            env["dv.contact.attempt"]
            .with_user(worker)
            .create(cls.attempt(referral_id=contacting.id, attempted_at=dt(hours=-1)))
        )
        fx["share"] = env["dv.share"].with_user(worker).create(cls.share())
        fx["referral_mailed"] = cls._mail(COMPLETE, "mailed")
        assert fx["referral_mailed"].case_id, "the e-mailed referral opens a case"
        fx["consent"] = (
            env["dv.consent"]
            .with_user(worker)
            .create(
                {
                    "person_id": fx["victim"].id,
                    "agency_ids": [Command.set(cls.agency_a.ids)],
                    "purpose_ids": [
                        Command.set(
                            env.ref("dv_case_management.consent_purpose_referral").ids
                        )
                    ],
                    "given_on": d(0),
                }
            )
        )
        Assessment = env["dv.risk.assessment"].with_user(worker)
        assessment = {
            "case_id": fx["case_progress"].id,
            "instrument_id": cls.instrument.id,
        }
        fx["assessment_red_flag"] = Assessment.create(assessment)
        red_flag = cls.instrument.item_ids.filtered("red_flag")[:1]
        fx["assessment_red_flag"].answer_ids.filtered(
            lambda a: a.item_id == red_flag
        ).write({"answer": "yes", "source": "victim"})
        fx["assessment_blank"] = Assessment.create(assessment)
        manager = cls.users[M]
        fx["conference"] = (
            env["dv.conference"]
            .with_user(manager)
            .with_context(dv_no_agenda_proposal=True)
            .create(
                {
                    "conference_type": "adhoc",
                    "start": dt(days=7),
                    "organizer_agency_id": cls.office.id,
                    "company_id": cls.company_a.id,
                }
            )
        )
        line = (
            env["dv.conference.agenda.item"]
            .with_user(manager)
            .create(
                {
                    "conference_id": fx["conference"].id,
                    "case_id": fx["case_progress"].id,
                }
            )
        )
        fx["action"] = (
            env["dv.conference.action"]
            .with_user(manager)
            .create(
                {
                    "line_id": line.id,
                    "name": "Schutzplatz klären",
                    "owner_agency_id": cls.office.id,
                    "user_id": worker.id,
                    "due_date": d(14),
                }
            )
        )
        fx.update(
            partner_member=partner.dv_agency_member_ids,
            caseworker=worker,
            coordinator=cls.users[C],
            manager=manager,
            outsider=cls.caseworker,
            company=cls.company_a,
            office=cls.office,
            counselling=cls.agency_a,
            neighbour=cls.neighbour,
            police=cls.police,
            police_b=cls.police_b,
            police_partner=cls.police.partner_id,
            instrument=cls.instrument,
        )
        for name, record in fx.items():
            fx[name] = record.sudo().with_user(cls.env.user)

    # Values of the rows

    serial = 0

    @classmethod
    def _next(cls):
        cls.serial += 1
        return f"BAD-{cls.serial:03d}"

    @classmethod
    def _new_case(cls):
        """A case of the office with a victim and a perpetrator."""
        return cls._create_case(
            cls.office_worker,
            **cls.case_values(
                person_ids=[
                    Command.create(
                        {
                            "role": "victim",
                            "name": f"Testperson {cls._next()}",
                            "street": "Teststraße 1",
                        }
                    ),
                    Command.create(
                        {"role": "perpetrator", "name": f"Testtäter {cls._next()}"}
                    ),
                ]
            ),
        )

    @classmethod
    def case_values(cls, **values):
        return dict(
            {
                "case_type": "partner",
                "lead_agency_id": cls.office.id,
                "company_id": cls.company_a.id,
                "user_id": cls.office_worker.id,
            },
            **values,
        )

    @classmethod
    def inbound(cls, **values):
        return dict(
            {
                "source_type": "police",
                "from_agency_id": cls.police.id,
                "to_agency_id": cls.office.id,
                "company_id": cls.company_a.id,
                "received_at": dt(hours=-1),
                "police_reference": cls._next(),
                "legal_basis": "consent",
                "consent_date": d(0),
                "victim_name": f"Testperson {cls._next()}",
            },
            **values,
        )

    @classmethod
    def attempt(cls, **values):
        return dict(
            {
                "referral_id": cls.fx["referral_open"].id,
                "channel_id": cls.phone.id,
                "outcome": "no_answer",
            },
            **values,
        )

    @classmethod
    def share(cls, **values):
        """A share of the case in progress with agency A, as its lead
        agency's case worker sends it (the addon sets sender and state)."""
        return dict(
            {
                "share_type": "share",
                "case_id": cls.fx["case_progress"].id,
                "to_agency_id": cls.agency_a.id,
                "legal_basis": "statute",
                "legal_norm": "§ 8a SGB VIII",
                "reason": "Beratung",
            },
            **values,
        )

    @classmethod
    def person(cls, **values):
        return dict(
            {"case_id": cls.fx["case_new"].id, "name": "Testperson", "role": "other"},
            **values,
        )

    @classmethod
    def workbook(cls, **values):
        return dict({"company_ids": [Command.set(cls.company_a.ids)]}, **values)

    @classmethod
    def _mail(cls, body, msgid, sender="wache@police.example.org", to=ALIAS):
        """An e-mail to the intake alias, routed by its address alone as the
        mail server hands it over; returns the referral made of it."""
        message = MAIL.format(
            sender=sender, to=to, subject="Meldung", msgid=msgid, body=body
        )
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            referral = cls.env["mail.thread"].message_process(False, message.encode())
        return cls.env["dv.referral"].browse(referral or ())

    # What a row may leave behind

    def _counts(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
            "AND (table_name LIKE 'dv\\_%%' OR table_name IN %s)",
            [TRACES],
        )
        tables = sorted(row[0] for row in self.env.cr.fetchall())
        self.env.cr.execute(
            " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
        )
        return dict(self.env.cr.fetchall())

    def _snapshot(self, target):
        """The row of the fixture a row aims at (and of its contact)."""
        if not target.startswith("@"):
            return None
        record = self.fx[target[1:]]
        rows = []
        for watched in (record, record._fields.get("partner_id") and record.partner_id):
            if watched:
                self.env.cr.execute(
                    f'SELECT row_to_json(t)::text FROM "{watched._table}" t '
                    "WHERE id = %s",
                    [watched.id],
                )
                rows += self.env.cr.fetchall()
        return rows

    def _values(self, model, values):
        """The row's values with "@name" the fixture's id (ids of a
        many2many)."""
        fields_ = self.env[model]._fields

        def value(name, given):
            if not (isinstance(given, str) and given.startswith("@")):
                return given
            ids = self.fx[given[1:]].ids
            return [Command.set(ids)] if fields_[name].type == "many2many" else ids[0]

        return {name: value(name, given) for name, given in values.items()}

    def _send(self, env, target, what):
        """The call of the web client: a button or a write on a fixture, or
        a creation on the model's usual values."""
        if target.startswith("@"):
            record = self.fx[target[1:]].with_env(env)
            if isinstance(what, str):
                return getattr(record, what)()
            return record.write(self._values(record._name, what))
        base = BASES.get(target)
        values = getattr(self, base)() if base else {}
        return env[target].create(dict(values, **self._values(target, what)))

    def test_refused_in_german_and_nothing_left(self):
        for key, (user, target, what, error, german) in REFUSED.items():
            with self.subTest(key):
                env = self.env(user=self.users[user], context={"lang": "de_DE"})
                before, watched = self._counts(), self._snapshot(target)
                with self.assertRaises(getattr(exceptions, error)) as refusal:
                    self._send(env, target, what)
                    env.flush_all()
                self.env.invalidate_all()
                self.assertEqual(type(refusal.exception).__name__, error)
                self.assertIn(german, str(refusal.exception))
                self.assertEqual(self._counts(), before, "left rows behind")
                self.assertEqual(self._snapshot(target), watched, "changed")

    def test_accepted_and_neutralised(self):
        worker = self.env(user=self.office_worker, context={"lang": "de_DE"})
        manager = self.env(user=self.users[M], context={"lang": "de_DE"})
        # A workbook without a threshold gets the company's minimum.
        wizard = worker["dv.statistics.wizard"].create(self.workbook())
        self.assertEqual(wizard.threshold, 5)
        # Script and event handlers in HTML are sanitised, in a chatter note
        # escaped; the text itself stays.
        case = worker["dv.case"].browse(self.fx["case_progress"].id)
        case.safety_plan = f"<p>Plan</p>{SCRIPT}"
        conference = manager["dv.conference"].browse(self.fx["conference"].id)
        conference.note = f"<p>Notiz</p>{SCRIPT}"
        note = case.message_post(
            body=SCRIPT, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT c.safety_plan, f.note, m.body FROM dv_case c, dv_conference f, "
            "mail_message m WHERE c.id = %s AND f.id = %s AND m.id = %s",
            [case.id, conference.id, note.id],
        )
        plan, conference_note, body = self.env.cr.fetchone()
        for stored in (plan, conference_note):
            self.assertNotIn("<script", stored)
            self.assertNotIn("onerror", stored)
        self.assertNotIn("<script", body)
        self.assertIn("Plan", plan)
        self.assertIn("Notiz", conference_note)
        self.assertNotIn("<img", body)
        self.assertIn("&lt;script&gt;", body)

    def _people(self):
        return self.env["dv.person"].search_count([("name", "=", "Maria Mustermann")])

    def _not_taken(self, marker, sender, bounce=True):
        """An e-mail the alias does not take creates nothing and keeps no
        text of it; its sender gets a German notice quoting nothing of it."""
        notices, people = [], self._people()
        thread_class = type(self.env["mail.thread"])
        with patch.object(
            thread_class,
            "_routing_create_bounce_email",
            lambda _self, email_from, body, message, **values: notices.append(
                (email_from, str(body), values["subject"])
            ),
        ):
            referral = self._mail(
                COMPLETE.replace("PR-2026-4711", marker), marker, sender
            )
        self.assertFalse(referral)
        self.env.flush_all()
        pattern = f"%{marker}%"
        self.env.cr.execute(
            """SELECT (SELECT count(*) FROM dv_referral WHERE police_reference = %s)
                + (SELECT count(*) FROM dv_referral_original
                   WHERE body LIKE %s OR message_id LIKE %s)
                + (SELECT count(*) FROM mail_message
                   WHERE body LIKE %s OR subject LIKE %s OR message_id LIKE %s)
""",
            [marker, pattern, pattern, pattern, pattern, pattern],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0, f"traces of {marker}")
        self.assertEqual(self._people(), people, "a person of the e-mail kept")
        if bounce:
            self.assertEqual(len(notices), 1, notices)
        for email_from, body, subject in notices:
            self.assertIn(sender, email_from)
            self.assertIn("nicht angenommen", subject)
            self.assertIn("nicht eingetragen", body)
            for secret in (marker, "Maria", "Mustermann", "1234567"):
                self.assertNotIn(secret, body + subject)

    def test_mail_not_taken(self):
        self._not_taken("BAD-OTHERCO", "lage@police-b.example")
        self._not_taken("BAD-LOOKALIKE", "wache@police.example.org.net")
        self._not_taken("BAD-NOADDR", "Leitstelle ohne Adresse", bounce=False)
        # No alias, or no e-mail at all: Odoo's gateway finds no route.
        for marker, message in (
            ("BAD-ALIAS", {"to": "niemand@example.org"}),
            ("BAD-TEXT", None),
        ):
            with (
                self.subTest(marker),
                self.assertRaisesRegex(ValueError, "No possible route found"),
            ):
                if message:
                    self._mail(COMPLETE, marker, **message)
                else:
                    self.env["mail.thread"].message_process(
                        False, b"Bitte zur\xc3\xbcckrufen, dringend!"
                    )

    def test_mail_kept_for_completion(self):
        """An incident in 2099, a reference of 3,000 characters: the referral
        is made and marked for completion, neither is kept."""
        future = self._mail(
            COMPLETE.replace("20.11.2026", "01.01.2099").replace(
                "PR-2026-4711", "PR-FUTURE"
            ),
            "future",
        )
        cjk = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(3000))
        long = self._mail(COMPLETE.replace("PR-2026-4711", cjk), "long")
        for referral in (future, long):
            self.assertTrue(referral.needs_completion)
            self.assertLessEqual(len(referral.police_reference or ""), 64)
            self.assertFalse(
                referral.incident_date
                and referral.incident_date > fields.Date.to_date(d(0))
            )
