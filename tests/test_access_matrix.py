from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import DvCommon, PrivacyCommon


class _Rollback(Exception):
    """Undoes a probe."""


CASE_MODELS = (
    "dv.case",
    "dv.person",
    "dv.incident",
    "dv.session",
    "dv.police.measure",
    "dv.protection.order",
    "dv.risk.assessment",
    "dv.consent",
)


class TestAccessMatrix(PrivacyCommon):
    """Roles x models x read/write/delete on one case of agency A."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["dv.agency.member"].create(
            {"agency_id": cls.agency_a.id, "user_id": cls.network.id}
        )
        case = cls.case
        cls.records = {
            "dv.case": case,
            "dv.person": case.victim_id,
            "dv.incident": cls.env["dv.incident"].create(
                {"case_id": case.id, "date": "2026-01-01 10:00:00"}
            ),
            "dv.session": cls.env["dv.session"].create(
                {
                    "case_id": case.id,
                    "person_id": case.victim_id.id,
                    "agency_id": case.lead_agency_id.id,
                    "date": "2026-01-02",
                }
            ),
            "dv.police.measure": cls.env["dv.police.measure"].create(
                {
                    "case_id": case.id,
                    "measure_type": "custody",
                    "date_start": "2026-01-01",
                }
            ),
            "dv.protection.order": cls.env["dv.protection.order"].create(
                {"case_id": case.id, "act_date": "2026-01-01"}
            ),
            "dv.risk.assessment": cls.env["dv.risk.assessment"].create(
                {
                    "case_id": case.id,
                    "instrument_id": cls.env.ref(
                        "dv_case_management.risk_instrument_screening"
                    ).id,
                }
            ),
            "dv.consent": cls.env["dv.consent"].create(
                {
                    "person_id": case.victim_id.id,
                    "agency_ids": [Command.set(cls.shelter.ids)],
                    "purpose_ids": [Command.set(cls.purpose_referral.ids)],
                    "given_on": "2026-01-01",
                }
            ),
        }
        cls.note_field = {
            "dv.case": ("case_type", "stalking"),
            "dv.person": ("aliases", "X"),
            "dv.incident": ("weapon", True),
            "dv.session": ("note", "x"),
            "dv.police.measure": ("note", "x"),
            "dv.protection.order": ("note", "x"),
            "dv.risk.assessment": ("note", "x"),
            "dv.consent": ("attachment_ids", [Command.clear()]),
        }

    def _can(self, user, model, operation):
        """Whether ``user`` may do ``operation``; whatever it did is rolled
        back, so that every probe starts from the same data."""
        record = self.records[model].with_user(user)
        allowed = False
        try:
            with self.env.cr.savepoint():
                if operation == "read":
                    record.read(["display_name"])
                elif operation == "search":
                    allowed = bool(record.search([("id", "=", record.id)]))
                    raise _Rollback
                elif operation == "write":
                    field, value = self.note_field[model]
                    record.write({field: value})
                    record.env.flush_all()
                elif operation == "unlink":
                    record.unlink()
                    record.env.flush_all()
                allowed = True
                raise _Rollback
        except _Rollback:
            return allowed
        except (AccessError, UserError):
            allowed = False
        finally:
            self.env.invalidate_all()
        return allowed

    def test_matrix(self):
        expectations = {
            # user: (read, write, unlink of the case's children)
            "caseworker": (True, True, True),
            "network": (True, False, False),
            "other_coordinator": (False, False, False),
            "caseworker_b": (False, False, False),
            "statistics": (False, False, False),
            "dpo": (False, False, False),
            "manager": (False, False, False),
        }
        for name, (read, write, unlink) in expectations.items():
            user = getattr(self, name)
            for model in CASE_MODELS:
                with self.subTest(user=name, model=model):
                    self.assertEqual(self._can(user, model, "read"), read)
                    self.assertEqual(self._can(user, model, "search"), read)
                    self.assertEqual(self._can(user, model, "write"), write)
                    # Cases and completed records are never deleted; the
                    # rest only by the lead agency's case workers.
                    expected = unlink and model not in ("dv.case", "dv.consent")
                    self.assertEqual(self._can(user, model, "unlink"), expected)


class TestContactChannels(PrivacyCommon):
    def test_forbidden_channels_are_refused(self):
        victim = self.case.victim_id.with_user(self.caseworker)
        victim.write({"email": "vera@example.org", "safe_to_write": False})
        self.assertEqual(victim.protected_id.email, "vera@example.org")
        with self.assertRaises(UserError):
            victim.action_open_mail_wizard()
        victim.write({"safe_to_write": True})
        self.assertEqual(victim.protected_id.email, "vera@example.org")
        email = self.env.ref("dv_case_management.contact_channel_email")
        victim.write({"forbidden_channel_ids": [Command.set(email.ids)]})
        with self.assertRaises(UserError):
            victim.action_open_mail_wizard()
        victim.write({"forbidden_channel_ids": [Command.clear()]})
        self.assertEqual(victim.protected_id.email, "vera@example.org")
        action = victim.action_open_mail_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.caseworker)
            .with_context(**action["context"])
            .create({"subject": "Your appointment", "body": "<p>Tuesday 10:00</p>"})
        )
        wizard.action_send()
        # Sending read the protected address: it is in the access log.
        self.assertTrue(
            self.env["dv.access.log"].search(
                [
                    ("user_id", "=", self.caseworker.id),
                    ("res_model", "=", "dv.person"),
                    ("res_id", "=", victim.id),
                ]
            )
        )
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("email_to", "=", "vera@example.org")], limit=1)
        )
        self.assertTrue(
            mail
            or self.env["mail.message"].search_count(
                [("model", "=", "dv.case"), ("res_id", "=", self.case.id)]
            )
        )
        # Safe to call is not set: calls and texts are refused too.
        victim.write({"safe_to_call": False})
        for code in ("phone", "sms"):
            with self.subTest(code=code), self.assertRaises(UserError):
                victim._check_contact_channel(code)


@tagged("post_install", "-at_install")
class TestJsonRpcProbes(HttpCase, DvCommon):
    """Users of another agency and company, logged in for real, probe agency
    A's case through Odoo's JSON-RPC."""

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _rows_or_denied(self, model, args, fields):
        """search_read's rows, or none when access is denied outright."""
        try:
            return self._call(model, "search_read", args, {"fields": fields})
        except JsonRpcException:
            return []

    def test_other_agency_and_company_cannot_reach_the_case(self):
        case = self._create_case()
        person = case.victim_id
        for login in (
            "dv_test_caseworker_b",
            "dv_test_coordinator_b",
            "dv_test_statistics",
        ):
            with self.subTest(login=login):
                self.authenticate(login, login)
                found = self._rows_or_denied("dv.case", [[]], ["name"])
                self.assertNotIn(case.id, [row["id"] for row in found])
                for model, record in (("dv.case", case), ("dv.person", person)):
                    with self.assertRaises(JsonRpcException):
                        self._call(model, "read", [record.ids, ["name"]])
                    with self.assertRaises(JsonRpcException):
                        self._call(model, "write", [record.ids, {"name": "x"}])
                self.assertFalse(
                    self._rows_or_denied("dv.person.protected", [[]], ["phone"])
                )
        # The lead agency's case worker reads it, with the protected phone.
        self.authenticate("dv_test_caseworker", "dv_test_caseworker")
        rows = self._call("dv.person", "read", [person.ids, ["name", "phone"]])
        self.assertEqual(rows[0]["phone"], "+49 170 1234567")
