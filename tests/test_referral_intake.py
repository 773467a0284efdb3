import logging
from contextlib import contextmanager
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from ..models.dv_referral_original import migrate_referral_originals
from .common import ReferralCommon

MAIL = """From: {sender}
To: {to}
Subject: {subject}
Message-ID: <{msgid}@police.example.org>
Date: Sun, 22 Nov 2026 08:00:00 +0000
Content-Type: text/plain; charset="utf-8"

{body}
"""

MAIL_WITH_ATTACHMENT = """From: {sender}
To: {to}
Subject: {subject}
Message-ID: <{msgid}@police.example.org>
Date: Sun, 22 Nov 2026 08:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XYZ"

--XYZ
Content-Type: text/plain; charset="utf-8"

{body}
--XYZ
Content-Type: text/plain; charset="utf-8"
Content-Disposition: attachment; filename="formular.txt"

Formular: Maria Mustermann, Telefon 0170 1234567
--XYZ--
"""

COMPLETE = """Aktenzeichen: PR-2026-4711
Tatzeit: 20.11.2026 23:10
Name: Maria Mustermann
Geburtsdatum: 01.02.1985
Telefon: 0170 1234567
Einwilligung: ja
Massnahmen: Wohnungsverweisung
Tatverdaechtiger: Max Mustermann
"""

ALIAS = "meldungen@example.org"
LOGGER = "odoo.addons.dv_case_management"


@contextmanager
def captured_logs(name=LOGGER):
    """Every record logged under ``name`` (and Odoo's mail gateway)."""
    records = []
    handler = logging.Handler(level=logging.DEBUG)
    handler.emit = records.append
    loggers = [logging.getLogger(name), logging.getLogger("odoo.addons.mail")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        yield records
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


class IntakeCommon(ReferralCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.police.email = "wache@police.example.org"
        domain = cls.env["mail.alias.domain"].create({"name": "example.org"})
        cls.office.write({"alias_name": "meldungen", "alias_domain_id": domain.id})

    def _deliver(self, body, msgid, sender="wache@police.example.org", **kwargs):
        """Hand a message to Odoo's mail gateway as an incoming mail server
        does; returns the referral made of it (or none)."""
        template = MAIL_WITH_ATTACHMENT if kwargs.pop("attachment", False) else MAIL
        message = template.format(
            sender=sender,
            to=kwargs.pop("to", ALIAS),
            subject=kwargs.pop("subject", "Meldung"),
            msgid=msgid,
            body=body,
        )
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            referral_id = self.env["mail.thread"].message_process(
                "dv.referral", message.encode(), **kwargs
            )
        return self.env["dv.referral"].browse(referral_id or ())

    def _originals(self, referral):
        return self.env["dv.referral.original"].search(
            [("referral_id", "=", referral.id)]
        )


@freeze_time("2026-11-22 09:00:00")
class TestReferralIntake(IntakeCommon):
    def test_alias_routes_to_referrals(self):
        alias = self.office.alias_id
        self.assertEqual(alias.alias_model_id.model, "dv.referral")
        self.assertIn(str(self.office.id), alias.alias_defaults)
        self.assertEqual(alias.alias_full_name, ALIAS)

    def test_complete_message(self):
        referral = self._deliver(COMPLETE, "complete")
        self.assertFalse(referral.needs_completion)
        self.assertRegex(referral.name, r"^VM-")
        self.assertTrue(referral.received_by_email)
        self.assertEqual(referral.from_agency_id, self.police)
        self.assertEqual(referral.police_reference, "PR-2026-4711")
        self.assertEqual(referral.legal_basis, "consent")
        case = referral.case_id
        self.assertEqual(case.lead_agency_id, self.office)
        self.assertEqual(case.victim_id.name, "Maria Mustermann")
        self.assertEqual(str(case.victim_id.birth_date), "1985-02-01")
        self.assertEqual(case.victim_id.protected_id.phone, "+491701234567")
        self.assertEqual(case.measure_ids.measure_type, "eviction")
        self.assertEqual(
            case.person_ids.filtered(lambda p: p.role == "perpetrator").name,
            "Max Mustermann",
        )
        self.assertEqual(len(case.incident_ids), 1)
        self.assertTrue(referral.first_contact_deadline)
        # The message is kept apart; the chatter only notes its arrival.
        original = self._originals(referral)
        self.assertEqual(len(original), 1)
        self.assertIn("0170 1234567", original.body)
        self.assertEqual(original.email_from, "wache@police.example.org")
        messages = self.env["mail.message"].search(
            [("model", "=", "dv.referral"), ("res_id", "=", referral.id)]
        )
        self.assertTrue(messages)
        for message in messages:
            self.assertNotIn("1234567", message.body)
            self.assertNotIn("Mustermann", message.body)
            self.assertFalse(message.attachment_ids)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "dv.referral"), ("res_id", "=", referral.id)]
            )
        )

    def test_same_message_twice_is_processed_once(self):
        first = self._deliver(COMPLETE, "once")
        self.assertTrue(first)
        self.assertFalse(self._deliver(COMPLETE, "once"))
        self.assertEqual(
            self.env["dv.referral"].search_count(
                [("police_reference", "=", "PR-2026-4711")]
            ),
            1,
        )

    def test_partial_message_is_kept_for_completion(self):
        referral = self._deliver(
            "Name: Eva Beispiel\nTelefon: 0171 7654321\n", "partial"
        )
        self.assertTrue(referral.needs_completion)
        # No consent stated: NRW obliges the police only to offer the
        # transfer, which needs consent, so the legal basis is to complete.
        self.assertFalse(referral.legal_basis)
        self.assertEqual(referral.case_id.victim_id.name, "Eva Beispiel")
        # Where a statute allows the transfer without consent, it applies.
        mv = self.env.ref("dv_case_management.land_profile_mv")
        self.company_a.dv_land_profile_id = mv
        referral = self._deliver("Name: Ella Beispiel\n", "partial-mv")
        self.assertEqual(referral.legal_basis, "statute")
        self.assertEqual(referral.legal_norm, "§ 52 Abs. 3 SOG M-V")

    def test_garbage_message_still_becomes_a_referral(self):
        referral = self._deliver("Bitte rufen Sie zurück!!! <<<>>>", "garbage")
        self.assertTrue(referral.needs_completion)
        self.assertFalse(referral.case_id)
        self.assertEqual(referral.to_agency_id, self.office)
        self.assertIn("Bitte rufen Sie", self._originals(referral).body)

    def test_duplicate_is_marked(self):
        first = self._deliver(COMPLETE, "first")
        second = self._deliver(COMPLETE, "second")
        self.assertFalse(first.needs_completion)
        self.assertTrue(second.needs_completion, "sent twice")
        self.assertFalse(second.police_reference)

    def test_unregistered_sender_creates_nothing(self):
        referrals = self.env["dv.referral"].search_count([])
        originals = self.env["dv.referral.original"].search_count([])
        bounces = []
        thread_class = type(self.env["mail.thread"])
        with (
            patch.object(
                thread_class,
                "_routing_create_bounce_email",
                lambda _self, email_from, body, message, **values: bounces.append(
                    (email_from, str(body), values)
                ),
            ),
            captured_logs() as records,
        ):
            self.assertFalse(
                self._deliver(
                    COMPLETE.replace("PR-2026-4711", "PR-9"),
                    "stranger",
                    "Maria Mustermann <x@unknown.example>",
                    subject="Meldung Maria Mustermann",
                )
            )
        self.assertEqual(self.env["dv.referral"].search_count([]), referrals)
        self.assertEqual(self.env["dv.referral.original"].search_count([]), originals)
        self.assertFalse(
            self.env["mail.message"].search(
                [("message_id", "=", "<stranger@police.example.org>")]
            )
        )
        self.assertFalse(
            self.env["dv.person"].search([("name", "=", "Maria Mustermann")])
        )
        # The sender learns that the message was refused, and nothing of it
        # is quoted back; the alias's creator gets no copy.
        self.assertEqual(len(bounces), 1)
        email_from, body, values = bounces[0]
        self.assertIn("x@unknown.example", email_from)
        for secret in ("Maria", "Mustermann", "1234567", "PR-9"):
            self.assertNotIn(secret, body)
            self.assertNotIn(secret, values["subject"])
        self.assertNotIn("recipient_ids", values)
        self.assertEqual(self.office.alias_id.alias_status, "not_tested")
        text = "\n".join(record.getMessage() for record in records)
        self.assertIn("not registered", text)
        for secret in ("Maria", "Mustermann", "1234567", "PR-9"):
            self.assertNotIn(secret, text)

    def test_unregistered_sender_outside_the_alias_creates_nothing(self):
        """Routed to the model directly (no alias), the message is refused
        as well."""
        with self.assertRaises(ValueError):
            self._deliver(
                COMPLETE,
                "direct",
                "x@unknown.example",
                to="someone@elsewhere.example",
                custom_values={"to_agency_id": self.office.id},
            )
        self.assertFalse(
            self.env["dv.person"].search([("name", "=", "Maria Mustermann")])
        )

    def test_source_is_the_sender_never_the_body(self):
        other_police = self.env["dv.agency"].create(
            {
                "name": "Polizeirevier Mitte",
                "short_name": "PR Mitte",
                "agency_type_id": self.type_police.id,
            }
        )
        naming_other = "Dienststelle: Polizeirevier Mitte\n" + COMPLETE
        referral = self._deliver(naming_other, "named")
        self.assertEqual(referral.from_agency_id, self.police)
        # A listed address: its police unit is the source; without a unit
        # there is none, and a case worker completes it.
        self.office.intake_sender_ids = [
            Command.create(
                {
                    "email": "Lagedienst@Polizei.example",
                    "police_agency_id": other_police.id,
                }
            ),
            Command.create({"email": "kripo@polizei.example"}),
        ]
        listed = self._deliver(
            naming_other.replace("PR-2026-4711", "PR-L"),
            "listed",
            "Lagedienst <lagedienst@polizei.example>",
        )
        self.assertEqual(listed.from_agency_id, other_police)
        unit_less = self._deliver(
            naming_other.replace("PR-2026-4711", "PR-K"),
            "kripo",
            "kripo@polizei.example",
        )
        self.assertFalse(unit_less.from_agency_id)
        self.assertTrue(unit_less.needs_completion)
        # The source of an e-mailed referral is not changed afterwards; an
        # empty one is completed.
        as_worker = unit_less.with_user(self.office_worker)
        as_worker.from_agency_id = other_police
        with self.assertRaises(ValidationError):
            listed.with_user(self.office_worker).from_agency_id = self.police
        # Naming a police unit does not make an unknown sender one.
        self.assertFalse(
            self._deliver(
                naming_other.replace("PR-2026-4711", "PR-X"),
                "forged",
                "polizeirevier-mitte@unknown.example",
            )
        )

    def test_police_agency_of_another_company_is_no_sender(self):
        county_police = self.env["dv.agency"].create(
            {
                "name": "County Police",
                "agency_type_id": self.type_police.id,
                "company_id": self.company_b.id,
                "email": "county@police.example",
            }
        )
        self.assertTrue(county_police.is_police)
        self.assertFalse(self.office._intake_sender("county@police.example")[0])
        self.assertTrue(self.office._intake_sender("WACHE@police.example.org")[0])

    def test_raw_message_is_for_the_office_case_workers_only(self):
        referral = self._deliver(COMPLETE, "raw", attachment=True)
        original = self._originals(referral)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "dv.referral.original"), ("res_id", "=", original.id)]
        )
        self.assertEqual(attachment.name, "formular.txt")
        # The office's case worker reads the message and its attachment.
        mine = original.with_user(self.office_worker)
        self.assertIn("0170 1234567", mine.body)
        self.assertEqual(mine.attachment_ids, attachment)
        self.assertIn(b"1234567", attachment.with_user(self.office_worker).raw)
        self.assertEqual(referral.with_user(self.office_worker).original_ids, original)
        # Network partners of the office, the police unit that reads the
        # referral and the other agencies and companies do not.
        office_partner = self._new_member(
            "dv_test_office_network", "network", self.office
        )
        police_worker = self._new_member(
            "dv_test_police_worker", "caseworker", self.police, self.company_a
        )
        self.assertTrue(referral.with_user(self.police_officer).name)
        for user in (
            office_partner,
            self.police_officer,
            police_worker,
            self.caseworker,
            self.caseworker_b,
            self.coordinator,
        ):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    original.with_user(user).read(["body"])
                with self.assertRaises(AccessError):
                    attachment.with_user(user).read(["raw"])
                self.assertFalse(
                    self.env["ir.attachment"]
                    .with_user(user)
                    .search([("id", "=", attachment.id)])
                )
                messages = (
                    self.env["mail.message"]
                    .with_user(user)
                    .search(
                        [("model", "=", "dv.referral"), ("res_id", "=", referral.id)]
                    )
                )
                for message in messages:
                    self.assertNotIn("1234567", message.body)
                    self.assertFalse(message.attachment_ids)
        with self.assertRaises(AccessError):
            referral.with_user(self.police_officer).read(["original_ids"])
        self.assertFalse(referral.with_user(police_worker).original_ids)

    def test_replies_are_kept_apart_and_strangers_dropped(self):
        referral = self._deliver(COMPLETE, "thread")
        reply = (
            "From: {sender}\nTo: {to}\nSubject: Re: Meldung\n"
            "Message-ID: <{msgid}@police.example.org>\n"
            "In-Reply-To: <thread@police.example.org>\n"
            "References: <thread@police.example.org>\n"
            'Content-Type: text/plain; charset="utf-8"\n\nNachtrag: Telefon 0160 999\n'
        )
        gateway = self.env["mail.thread"]
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            # From a stranger, not to the alias: dropped.
            gateway.message_process(
                False,
                reply.format(
                    sender="x@unknown.example", to="other@else.example", msgid="r1"
                ).encode(),
            )
            # From the police unit: kept with the others.
            gateway.message_process(
                False,
                reply.format(
                    sender="wache@police.example.org", to=ALIAS, msgid="r2"
                ).encode(),
            )
        originals = self._originals(referral)
        self.assertEqual(len(originals), 2)
        self.assertEqual(len(originals.filtered(lambda o: "0160 999" in o.body)), 1)
        for message in self.env["mail.message"].search(
            [("model", "=", "dv.referral"), ("res_id", "=", referral.id)]
        ):
            self.assertNotIn("0160 999", message.body)

    def test_registered_senders_are_kept_by_the_office(self):
        office_coordinator = self._new_member(
            "dv_test_office_coord", "coordinator", self.office
        )
        Sender = self.env["dv.intake.sender"]
        sender = Sender.with_user(office_coordinator).create(
            {"office_id": self.office.id, "email": " Wache2@Police.Example.org "}
        )
        self.assertEqual(sender.email, "wache2@police.example.org")
        with self.assertRaises(ValidationError):
            Sender.with_user(office_coordinator).create(
                {"office_id": self.office.id, "email": "two@a.example, b@b.example"}
            )
        with self.assertRaises(ValidationError):
            Sender.create({"office_id": self.agency_a.id, "email": "x@a.example"})
        self.assertEqual(
            self.office.with_user(office_coordinator).intake_sender_ids, sender
        )
        # The managers keep them too.
        Sender.with_user(self.manager).create(
            {"office_id": self.office.id, "email": "third@police.example.org"}
        )
        # Coordinators of other agencies and companies neither read nor add
        # them; case workers and network partners do not see the list.
        for user in (self.coordinator, self.coordinator_b):
            with self.subTest(user=user.login):
                self.assertFalse(Sender.with_user(user).search([]))
                with self.assertRaises(AccessError):
                    sender.with_user(user).read(["email"])
                with self.assertRaises(AccessError):
                    Sender.with_user(user).create(
                        {"office_id": self.office.id, "email": "mine@evil.example"}
                    )
        self.assertFalse(self.office.with_user(self.coordinator).intake_sender_ids)
        for user in (self.office_worker, self.police_officer):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.office.with_user(user).read(["intake_sender_ids"])

    def test_police_address_changes_only_with_the_agency(self):
        clerk = new_test_user(
            self.env,
            login="dv_test_contacts_clerk",
            groups="base.group_user,base.group_partner_manager",
            company_id=self.company_a.id,
            company_ids=[Command.set(self.company_a.ids)],
        )
        with self.assertRaises(AccessError):
            self.police.partner_id.with_user(clerk).write({"email": "me@evil.example"})
        self.assertFalse(self.office._intake_sender("me@evil.example")[0])
        # Other contacts stay the clerk's to edit.
        contact = self.env["res.partner"].create({"name": "Some Contact"})
        contact.with_user(clerk).write({"email": "x@y.example"})
        # The police agency's contact changes with the agency, by a manager
        # (or a coordinator who is a member of it).
        self.police.with_user(self.manager).write({"email": "neu@police.example.org"})
        self.assertTrue(self.office._intake_sender("neu@police.example.org")[0])
        self.assertIn("neu@police.example.org", self.police.message_ids[:1].body)

    def test_erasure_takes_the_original_messages(self):
        referral = self._deliver(COMPLETE, "erase", attachment=True)
        original = self._originals(referral)
        attachments = original.attachment_ids
        self.assertTrue(attachments)
        referral.case_id._erase("request", "test")
        self.assertFalse(original.exists())
        self.assertFalse(attachments.exists())

    def test_messages_of_earlier_versions_move_to_the_originals(self):
        """Up to 18.0.1.1.0 the message was in the chatter and a text file
        among the referral's attachments."""
        referral = self._inbound(
            police_reference="OLD-1",
            received_at="2026-11-20 10:00:00",
            consent_date="2026-11-20",
        )
        message = referral.message_post(
            body="<p>Name: Maria Mustermann, Telefon 0170 1234567</p>",
            subject="Meldung Maria Mustermann",
            message_type="email",
            email_from="wache@police.example.org",
            attachments=[("formular.pdf", b"%PDF Maria")],
        )
        file = self.env["ir.attachment"].create(
            {
                "name": "original-message.txt",
                "res_model": "dv.referral",
                "res_id": referral.id,
                "raw": b"From: wache\n\nName: Maria Mustermann",
            }
        )
        moved_attachment = message.attachment_ids
        self.assertEqual(migrate_referral_originals(self.env), 1)
        original = self._originals(referral)
        self.assertIn("0170 1234567", original.body)
        self.assertEqual(original.subject, "Meldung Maria Mustermann")
        self.assertEqual(moved_attachment.res_model, "dv.referral.original")
        self.assertEqual(original.attachment_ids, moved_attachment)
        self.assertFalse(file.exists())
        self.assertNotIn("1234567", message.body)
        self.assertFalse(message.subject)
        self.assertFalse(message.attachment_ids)
        self.assertTrue(referral.received_by_email)
        self.assertEqual(migrate_referral_originals(self.env), 0)

    def test_forms_load_for_every_role(self):
        for user in (
            self.police_officer,
            self.office_worker,
            self.coordinator,
            self.statistics,
        ):
            with self.subTest(user=user.login):
                views = (
                    self.env["dv.agency"]
                    .with_user(user)
                    .get_views([(False, "form")])["views"]["form"]["arch"]
                )
                self.assertEqual(
                    "intake_sender_ids" in views,
                    user.has_group("dv_case_management.group_dv_coordinator"),
                )
        for user in (self.police_officer, self.office_worker):
            with self.subTest(user=user.login):
                arch = (
                    self.env["dv.referral"]
                    .with_user(user)
                    .get_views([(False, "form"), (False, "search")])["views"]["form"][
                        "arch"
                    ]
                )
                caseworker = user.has_group("dv_case_management.group_dv_caseworker")
                self.assertEqual("action_join_case" in arch, caseworker)
                self.assertEqual("original_ids" in arch, caseworker)

    def test_no_personal_data_in_log(self):
        with captured_logs() as records:
            self._deliver(COMPLETE, "logged")
        text = "\n".join(
            record.getMessage() for record in records if record.name.startswith(LOGGER)
        )
        self.assertIn("created from e-mail", text)
        for secret in ("Maria", "Mustermann", "1234567", "PR-2026-4711"):
            self.assertNotIn(secret, text)


@freeze_time("2026-12-28 09:00:00")
class TestRepeats(IntakeCommon):
    def _join(self, referral, user=None):
        referral.with_user(user or self.office_worker).action_join_case()

    def test_same_victim_within_twelve_months_is_proposed_then_joined(self):
        first = self._inbound(
            received_at="2026-03-01 10:00:00",
            consent_date="2026-03-01",
            police_reference="R-1",
            victim_birth_date="1985-02-01",
        )
        case = first.case_id
        second = self._inbound(
            received_at="2026-11-20 10:00:00",
            police_reference="R-2",
            victim_name="vera  REFERRED",
            victim_birth_date="1985-02-01",
            victim_phone="0151 2223334",
        )
        # Proposed only: the referral has no case yet, the case nothing new.
        self.assertEqual(second.proposed_case_id, case)
        self.assertFalse(second.case_id)
        self.assertFalse(second.is_repeat)
        self.assertFalse(case.is_repeat)
        self.assertEqual(case.referral_ids, first)
        self.assertEqual(case.victim_id.phone, "+49 170 5550000")
        # The office's case worker sees what the referral brought.
        mine = second.with_user(self.office_worker)
        self.assertEqual(mine.victim_name, "vera  REFERRED")
        self.assertEqual(mine.victim_phone, "0151 2223334")
        self.assertEqual(mine.proposed_case_id, case)
        # The police unit reading the referral sees neither.
        theirs = second.with_user(self.police_officer)
        self.assertFalse(theirs.victim_phone)
        self.assertFalse(theirs.victim_name)
        for fname in ("proposed_case_id", "pending_values"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                theirs.read([fname])
        with self.assertRaises(AccessError):
            mine.read(["pending_values"])
        self._join(second)
        self.assertEqual(second.case_id, case)
        self.assertTrue(second.is_repeat)
        self.assertFalse(second.proposed_case_id)
        self.assertFalse(second.sudo().pending_values)
        self.assertTrue(case.is_repeat)
        self.assertEqual(len(case.person_ids), 1, "no duplicate person")
        # What the case knew stays; the new phone does not replace it.
        self.assertEqual(case.victim_id.phone, "+49 170 5550000")
        with self.assertRaises(UserError):
            self._join(second)

    def test_match_by_alias_and_phone(self):
        first = self._inbound(
            police_reference="R-3",
            received_at="2026-10-01 10:00:00",
            consent_date="2026-10-01",
        )
        first.case_id.victim_id.aliases = "Vera Müller, V. M."
        second = self._inbound(
            police_reference="R-4",
            received_at="2026-11-01 10:00:00",
            consent_date="2026-11-01",
            victim_name="Vera Mueller",
            victim_phone="0170 5550000",
        )
        self.assertEqual(second.proposed_case_id, first.case_id)
        self._join(second)
        self.assertTrue(second.is_repeat)
        self.assertEqual(second.case_id, first.case_id)

    def test_older_than_twelve_months_is_a_new_case(self):
        first = self._inbound(
            received_at="2025-06-01 10:00:00",
            consent_date="2025-06-01",
            police_reference="R-5",
            victim_birth_date="1985-02-01",
        )
        second = self._inbound(
            received_at="2026-11-20 10:00:00",
            police_reference="R-6",
            victim_birth_date="1985-02-01",
        )
        self.assertFalse(second.is_repeat)
        self.assertFalse(second.proposed_case_id)
        self.assertNotEqual(second.case_id, first.case_id)

    def test_same_name_different_person_is_no_repeat(self):
        first = self._inbound(police_reference="R-7", victim_birth_date="1985-02-01")
        second = self._inbound(
            police_reference="R-8",
            victim_birth_date="1990-07-07",
            victim_phone="0151 000000",
        )
        self.assertFalse(second.is_repeat)
        self.assertFalse(second.proposed_case_id)
        self.assertNotEqual(second.case_id, first.case_id)

    def test_other_agencies_cases_are_not_matched(self):
        other_office = self.env["dv.agency"].create(
            {
                "name": "Other Office",
                "agency_type_id": self.type_intake.id,
                "company_id": self.company_a.id,
                "first_contact_deadline_unit": "hours",
            }
        )
        first = self._inbound(police_reference="R-9", victim_birth_date="1985-02-01")
        other_worker = self._new_member(
            "dv_test_other_office", "caseworker", other_office
        )
        second = self._inbound(
            user=other_worker,
            to_agency_id=other_office.id,
            police_reference="R-10",
            victim_birth_date="1985-02-01",
        )
        self.assertFalse(second.is_repeat)
        self.assertFalse(second.proposed_case_id)
        self.assertNotEqual(second.case_id, first.case_id)

    def test_separate_and_reopen(self):
        first = self._inbound(police_reference="R-11", victim_birth_date="1985-02-01")
        case = first.case_id
        case._close(self.env.ref("dv_case_management.closure_reason_completed"), "")
        second = self._inbound(police_reference="R-12", victim_birth_date="1985-02-01")
        self.assertEqual(second.proposed_case_id, case)
        self._join(second)
        self.assertEqual(second.case_id, case)
        second.with_user(self.office_worker).action_reopen_case()
        self.assertEqual(case.state, "in_progress")
        second.with_user(self.office_worker).action_separate_case()
        self.assertNotEqual(second.case_id, case)
        self.assertFalse(second.is_repeat)
        self.assertEqual(second.case_id.victim_id.name, "Vera Referred")
        self.assertEqual(case.referral_ids, first)

    def test_new_case_instead_of_the_proposed_one(self):
        first = self._inbound(police_reference="R-13", victim_birth_date="1985-02-01")
        second = self._inbound(
            police_reference="R-14",
            victim_birth_date="1985-02-01",
            victim_phone="0151 7770000",
        )
        self.assertEqual(second.proposed_case_id, first.case_id)
        second.with_user(self.office_worker).action_new_case()
        self.assertTrue(second.case_id)
        self.assertNotEqual(second.case_id, first.case_id)
        self.assertFalse(second.proposed_case_id)
        self.assertFalse(second.is_repeat)
        victim = second.case_id.victim_id
        self.assertEqual(victim.name, "Vera Referred")
        self.assertEqual(str(victim.birth_date), "1985-02-01")
        self.assertEqual(victim.with_user(self.office_worker).phone, "0151 7770000")
        self.assertEqual(first.case_id.referral_ids, first)

    def test_mailed_repeat_writes_nothing_into_the_case_until_joined(self):
        case = self._create_case(
            lead_agency_id=self.office.id,
            user=self.office_worker,
            person_ids=[
                Command.create(
                    {
                        "role": "victim",
                        "name": "Maria Mustermann",
                        "birth_date": "1985-02-01",
                    }
                )
            ],
        )
        self.env["dv.incident"].create(
            {"case_id": case.id, "date": "2026-10-01 22:00:00"}
        )
        messages = len(case.message_ids)
        referral = self._deliver(COMPLETE.replace("20.11.2026", "20.12.2026"), "rep")
        self.assertEqual(referral.proposed_case_id, case)
        self.assertFalse(referral.case_id)
        self.assertFalse(referral.needs_completion)
        self.assertFalse(case.victim_id.phone)
        self.assertEqual(case.person_ids.mapped("role"), ["victim"])
        self.assertFalse(case.measure_ids)
        self.assertEqual(len(case.incident_ids), 1)
        self.assertEqual(len(case.message_ids), messages)
        self.assertFalse(case.is_repeat)
        self._join(referral)
        self.assertEqual(referral.case_id, case)
        self.assertEqual(case.victim_id.protected_id.phone, "+491701234567")
        self.assertEqual(
            case.person_ids.filtered(lambda p: p.role == "perpetrator").name,
            "Max Mustermann",
        )
        self.assertEqual(case.measure_ids.measure_type, "eviction")
        self.assertEqual(case.measure_ids.agency_id, self.police)
        self.assertEqual(len(case.incident_ids), 2)
        self.assertTrue(case.is_repeat)
        # A second message about the same incident adds no duplicates.
        again = self._deliver(
            COMPLETE.replace("PR-2026-4711", "PR-2").replace(
                "20.11.2026", "20.12.2026"
            ),
            "rep2",
        )
        self._join(again)
        self.assertEqual(len(case.incident_ids), 2)
        self.assertEqual(len(case.person_ids), 2)

    def test_referral_not_taken_up_gets_a_case_of_its_own(self):
        first = self._inbound(police_reference="R-15", victim_birth_date="1985-02-01")
        second = self._inbound(police_reference="R-16", victim_birth_date="1985-02-01")
        self.assertEqual(second.proposed_case_id, first.case_id)
        self._attempt(second, "2026-12-21 10:00:00", "declined")
        self.assertEqual(second.state, "declined")
        self.assertTrue(second.case_id)
        self.assertNotEqual(second.case_id, first.case_id)
        self.assertFalse(second.proposed_case_id)
        self.assertEqual(first.case_id.referral_ids, first)

    def test_only_the_office_decides_and_only_through_the_buttons(self):
        first = self._inbound(police_reference="R-17", victim_birth_date="1985-02-01")
        second = self._inbound(police_reference="R-18", victim_birth_date="1985-02-01")
        for user in (self.police_officer, self.caseworker, self.caseworker_b):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    second.with_user(user).action_join_case()
                with self.assertRaises(AccessError):
                    second.with_user(user).action_new_case()
                with self.assertRaises(AccessError):
                    second.with_user(user).read(["proposed_case_id"])
                # Whether a referral awaits a decision is nobody else's business.
                with self.assertRaises(AccessError):
                    first.with_user(user).action_join_case()
        mine = second.with_user(self.office_worker)
        for values in (
            {"case_id": first.case_id.id},
            {"proposed_case_id": False},
            {"is_repeat": True},
            {"to_agency_id": self.agency_a.id},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                mine.write(values)
        with self.assertRaises(ValidationError):
            mine.write({"pending_values": {}})
        with self.assertRaises(ValidationError):
            self._inbound(police_reference="R-19", case_id=first.case_id.id)
        self.assertEqual(second.proposed_case_id, first.case_id)
        self.assertFalse(second.case_id)


@freeze_time("2026-12-28 09:00:00")
class TestNoVictimOracle(ReferralCommon):
    """Entering a victim on a referral tells nobody whether that person is
    a victim at an agency she does not work for."""

    def _attempt_for_office(self, user, name, reference):
        """Try to enter a referral for the office as ``user``: the error."""
        with self.assertRaises(AccessError) as error:
            self.env["dv.referral"].with_user(user).with_context(lang="de_DE").create(
                {
                    "source_type": "police",
                    "from_agency_id": self.police.id,
                    "to_agency_id": self.office.id,
                    "company_id": self.company_a.id,
                    "received_at": "2026-12-18 17:00:00",
                    "police_reference": reference,
                    "legal_basis": "consent",
                    "consent_date": "2026-12-18",
                    "victim_name": name,
                    "victim_birth_date": "1985-02-01",
                }
            )
        return str(error.exception)

    def test_no_referral_for_an_agency_of_which_one_is_no_member(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self._inbound(police_reference="O-1", victim_birth_date="1985-02-01")
        cases = self.env["dv.case"].search_count([])
        for user in (self.caseworker, self.caseworker_b, self.coordinator):
            with self.subTest(user=user.login):
                known = self._attempt_for_office(user, "Vera Referred", "O-2")
                unknown = self._attempt_for_office(user, "Nobody Known", "O-3")
                self.assertEqual(known, unknown)
                self.assertIn("Mitglied", known)
        self.assertEqual(self.env["dv.case"].search_count([]), cases)

    def test_match_runs_for_members_of_the_receiving_agency_only(self):
        first = self._inbound(police_reference="O-4", victim_birth_date="1985-02-01")
        referral = first.with_user(self.caseworker)
        values = {
            "name": "Vera Referred",
            "birth_date": first.case_id.victim_id.birth_date,
        }
        self.assertFalse(referral._find_repeat_case(**values))
        self.assertEqual(
            first.with_user(self.office_worker)._find_repeat_case(**values),
            first.case_id,
        )


@tagged("post_install", "-at_install")
class TestIntakeJsonRpc(HttpCase, IntakeCommon):
    """The police unit that reads an e-mailed referral, logged in for real,
    probes its raw message and its proposed case through JSON-RPC."""

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_police_unit_reads_neither_message_nor_proposal(self):
        self._inbound(
            police_reference="J-1",
            received_at="2026-11-01 10:00:00",
            consent_date="2026-11-01",
            victim_name="Maria Mustermann",
            victim_birth_date="1985-02-01",
        )
        referral = self._deliver(COMPLETE, "rpc", attachment=True)
        self.assertTrue(referral.proposed_case_id)
        original = self._originals(referral)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "dv.referral.original"), ("res_id", "=", original.id)]
        )
        self.authenticate("dv_test_police", "dv_test_police")
        rows = self._call("dv.referral", "read", [referral.ids, ["name", "state"]])
        self.assertEqual(rows[0]["state"], "received")
        for model, args in (
            ("dv.referral.original", [original.ids, ["body"]]),
            ("ir.attachment", [attachment.ids, ["raw", "datas"]]),
            ("dv.referral", [referral.ids, ["proposed_case_id"]]),
            ("dv.referral", [referral.ids, ["pending_values"]]),
            ("dv.referral", [referral.ids, ["original_ids"]]),
        ):
            with self.subTest(model=model, fields=args[1]):
                with self.assertRaises(JsonRpcException):
                    self._call(model, "read", args)
        with self.assertRaises(JsonRpcException):
            self._call(
                "dv.referral.original", "search_read", [[]], {"fields": ["body"]}
            )
        found = self._call(
            "ir.attachment",
            "search_read",
            [[("id", "=", attachment.id)]],
            {"fields": ["name"]},
        )
        self.assertFalse(found)
        response = self.url_open(f"/web/content/{attachment.id}?download=true")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(b"1234567", response.content)
        messages = self._call(
            "mail.message",
            "search_read",
            [[("model", "=", "dv.referral"), ("res_id", "=", referral.id)]],
            {"fields": ["body", "attachment_ids", "subject"]},
        )
        self.assertTrue(messages)
        for message in messages:
            self.assertNotIn("1234567", message["body"])
            self.assertFalse(message["attachment_ids"])
        rows = self._call("dv.referral", "read", [referral.ids, ["victim_phone"]])
        self.assertFalse(rows[0]["victim_phone"])
        # The office's case worker reads both.
        self.authenticate("dv_test_office_worker", "dv_test_office_worker")
        rows = self._call("dv.referral.original", "read", [original.ids, ["body"]])
        self.assertIn("0170 1234567", rows[0]["body"])
        response = self.url_open(f"/web/content/{attachment.id}?download=true")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"1234567", response.content)
