from datetime import timedelta

from psycopg2 import errors

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import db_connect
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tools import SQL

from .common import GROUP, DvCommon, JsonRpcMixin, PrivacyCommon


class ChatterCommon(PrivacyCommon):
    """The case of agency A, shared with the shelter on a consent."""

    def _follow(self, user, record=None):
        record = record or self.case
        record.with_user(user).message_subscribe(partner_ids=user.partner_id.ids)
        self.assertIn(user.partner_id, record.sudo().message_partner_ids)

    def _post(self, user=None, record=None, **values):
        record = record or self.case
        return (
            record.with_user(user or self.caseworker)
            .with_context(tracking_disable=False)
            .message_post(
                body="Next steps agreed.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                **values,
            )
        )

    def _reached(self, message):
        """The partners a message was notified to, in the inbox or by
        e-mail."""
        notifications = (
            self.env["mail.notification"]
            .sudo()
            .search([("mail_message_id", "=", message.id)])
        )
        mails = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
        return notifications.res_partner_id | mails.recipient_ids

    def _assert_cut_off(self, user, record=None):
        """``user`` no longer follows the record and gets nothing of it."""
        record = record or self.case
        self.assertNotIn(user.partner_id, record.sudo().message_partner_ids)
        self.assertNotIn(user.partner_id, self._reached(self._post()))


class TestFollowersLoseAccess(ChatterCommon):
    def test_revoked_share(self):
        """The shelter worker follows the shared case; the share is revoked:
        she follows no more and a new message does not reach her."""
        share = self._share(self._consent())
        self._follow(self.shelter_worker)
        self.assertIn(self.shelter_worker.partner_id, self._reached(self._post()))
        share.with_user(self.caseworker).action_revoke()
        self._assert_cut_off(self.shelter_worker)

    def test_own_messages_not_read_after_access_ends(self):
        """Odoo lets the author and the recipients of a message read it
        without the record; on a case they can no longer read, not here."""
        share = self._share(self._consent())
        canary = "Kanarienvogel der Frauenhaus-Notiz"
        self.case.message_post(
            body=canary,
            author_id=self.shelter_worker.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.case.message_post(
            body=f"{canary} an sie",
            partner_ids=self.shelter_worker.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        Message = self.env["mail.message"].with_user(self.shelter_worker)
        partner = self.shelter_worker.partner_id.id
        mine = Message.search(
            [("model", "=", "dv.case"), ("res_id", "=", self.case.id)]
        )
        self.assertEqual(len(mine.filtered(lambda m: canary in str(m.body))), 2)
        share.with_user(self.caseworker).action_revoke()
        for domain in (
            [("model", "=", "dv.case"), ("author_id", "=", partner)],
            [("model", "=", "dv.case"), ("partner_ids", "in", [partner])],
        ):
            found = Message.search_read(domain, ["body"])
            self.assertNotIn(canary, str(found))
        with self.assertRaises(AccessError):
            mine.with_user(self.shelter_worker).read(["body"])

    def test_completed_share_and_withdrawn_consent(self):
        for end in ("complete", "withdraw"):
            with self.subTest(end=end):
                consent = self._consent()
                share = self._share(consent)
                self._follow(self.shelter_worker)
                if end == "complete":
                    share.with_user(self.shelter_worker).action_complete()
                else:
                    consent.with_user(self.caseworker).action_withdraw()
                self._assert_cut_off(self.shelter_worker)

    def test_lead_transfer(self):
        self._follow(self.caseworker)
        self._follow(self.lead_coordinator)
        share = (
            self.env["dv.share"]
            .with_user(self.caseworker)
            .create(
                {
                    "share_type": "transfer",
                    "case_id": self.case.id,
                    "to_agency_id": self.shelter.id,
                    "legal_basis": "statute",
                    "legal_norm": "§ 4 KKG",
                }
            )
        )
        self._follow(self.caseworker, share)
        share.with_user(self.shelter_worker).action_accept()
        self.assertEqual(self.case.lead_agency_id, self.shelter)
        for user in (self.caseworker, self.lead_coordinator):
            self.assertNotIn(user.partner_id, self.case.sudo().message_partner_ids)
        message = self._post(user=self.shelter_worker)
        self.assertFalse(
            (self.caseworker | self.lead_coordinator).partner_id
            & self._reached(message)
        )
        # The share itself still tells its sender what became of it.
        self.assertIn(self.caseworker.partner_id, share.sudo().message_partner_ids)

    def test_leaving_the_agency_and_archived_agency(self):
        self._follow(self.lead_coordinator)
        self.lead_coordinator.dv_agency_member_ids.with_user(self.manager).unlink()
        self._assert_cut_off(self.lead_coordinator)
        self._follow(self.coordinator)
        self.agency_a.with_user(self.manager).action_archive()
        self.assertNotIn(
            self.coordinator.partner_id, self.case.sudo().message_partner_ids
        )

    def test_agency_leaves_a_conference(self):
        conference = (
            self.env["dv.conference"]
            .with_user(self.lead_coordinator)
            .with_context(dv_no_agenda_proposal=True)
            .create(
                {
                    "start": "2026-06-10 08:00:00",
                    "organizer_agency_id": self.agency_a.id,
                    "company_id": self.company_a.id,
                    "participant_ids": [
                        Command.create(
                            {
                                "agency_id": self.shelter.id,
                                "user_id": self.shelter_worker.id,
                            }
                        )
                    ],
                }
            )
        )
        self._follow(self.shelter_worker, conference)
        conference.participant_ids.with_user(self.lead_coordinator).unlink()
        self.assertNotIn(
            self.shelter_worker.partner_id, conference.sudo().message_partner_ids
        )
        message = self._post(user=self.lead_coordinator, record=conference)
        self.assertNotIn(self.shelter_worker.partner_id, self._reached(message))

    def test_emergency_access_lapses(self):
        self.env["dv.break.glass"].with_user(self.other_coordinator)._open(
            self.case.name, "Acute danger: police at the door, address needed now."
        )
        self._follow(self.other_coordinator)
        with freeze_time("2026-06-02 09:00:00"):
            # At once nothing reaches her; the hourly job unfollows her.
            self.assertNotIn(
                self.other_coordinator.partner_id, self._reached(self._post())
            )
            self.env["dv.case"]._cron_drop_lapsed_followers()
            self.assertNotIn(
                self.other_coordinator.partner_id,
                self.case.sudo().message_partner_ids,
            )

    def test_lapsed_share(self):
        consent = self._consent(valid_until="2026-06-05")
        self._share(consent)
        self._follow(self.shelter_worker)
        with freeze_time("2026-06-06 09:00:00"):
            self.env["dv.case"]._cron_drop_lapsed_followers()
            self.assertNotIn(
                self.shelter_worker.partner_id, self.case.sudo().message_partner_ids
            )


class TestFollowerRace(ChatterCommon):
    def test_a_follower_added_by_a_concurrent_request_makes_it_retry(self):
        """Another request subscribed the case worker and committed after
        this request's snapshot: the unique key refuses the second follower,
        and the error is one Odoo retries on a fresh snapshot (a
        serialization failure), not a message to the user."""
        case = self.case
        # A user whose partner the other connection can see: the
        # administrator, made a case worker of the lead agency here.
        admin = self.env.ref("base.user_admin")
        admin.write(
            {
                "groups_id": [Command.link(self.env.ref(GROUP % "caseworker").id)],
                "company_ids": [Command.link(self.company_a.id)],
            }
        )
        self.env["dv.agency.member"].create(
            {"agency_id": self.agency_a.id, "user_id": admin.id}
        )
        self.assertTrue(case.with_user(admin).has_access("read"))
        partner = admin.partner_id
        self.assertNotIn(partner, case.sudo().message_partner_ids)
        key = {"res_model": case._name, "res_id": case.id, "partner_id": partner.id}
        # The concurrent request: its own connection, committed.
        with db_connect(self.env.cr.dbname).cursor() as other:
            other.execute(
                SQL(
                    "INSERT INTO mail_followers (res_model, res_id, partner_id)"
                    " VALUES (%(res_model)s, %(res_id)s, %(partner_id)s)",
                    **key,
                )
            )
        try:
            with self.assertRaises(errors.SerializationFailure):
                case.with_user(admin).message_subscribe(partner_ids=partner.ids)
        finally:
            with db_connect(self.env.cr.dbname).cursor() as other:
                other.execute(
                    SQL(
                        "DELETE FROM mail_followers WHERE res_model = %(res_model)s"
                        " AND res_id = %(res_id)s AND partner_id = %(partner_id)s",
                        **key,
                    )
                )

    def test_a_record_named_twice_is_no_race(self):
        """A client may name a record twice (``[[id, id]]`` over JSON-RPC):
        Odoo then inserts the follower twice in one statement. That is no
        race: retried, it fails the same way five times over, keeping a
        worker busy for up to half a minute of back-off. The follower is
        added once instead."""
        user = self.lead_coordinator
        partner = user.partner_id
        self.assertNotIn(partner, self.case.sudo().message_partner_ids)
        twice = self.case.browse([self.case.id, self.case.id]).with_user(user)
        twice.message_subscribe(partner_ids=[partner.id, partner.id])
        self.assertEqual(
            self.env["mail.followers"].search_count(
                [
                    ("res_model", "=", "dv.case"),
                    ("res_id", "=", self.case.id),
                    ("partner_id", "=", partner.id),
                ]
            ),
            1,
        )


class TestRecipients(ChatterCommon):
    def test_only_readers_are_notified(self):
        # Followers and recipients however they got there: only readers get
        # the message.
        self.env["mail.followers"].sudo().create(
            {
                "res_model": "dv.case",
                "res_id": self.case.id,
                "partner_id": self.other_coordinator.partner_id.id,
            }
        )
        outsider = self.env["res.partner"].create(
            {"name": "Police Desk", "email": "desk@police.example"}
        )
        message = self._post(
            partner_ids=(outsider | self.shelter_worker.partner_id).ids
        )
        reached = self._reached(message)
        self.assertFalse(
            (
                outsider
                | self.other_coordinator.partner_id
                | self.shelter_worker.partner_id
            )
            & reached
        )
        self.assertFalse(message.partner_ids)
        message = self._post(partner_ids=self.lead_coordinator.partner_id.ids)
        self.assertIn(self.lead_coordinator.partner_id, self._reached(message))

    def test_update_cleans_followers_and_titles(self):
        """What earlier versions left: followers without access, appointments
        titled with the case's reference."""
        self.env["mail.followers"].sudo().create(
            {
                "res_model": "dv.case",
                "res_id": self.case.id,
                "partner_id": self.other_coordinator.partner_id.id,
            }
        )
        event = self.env["calendar.event"].create(
            {
                "dv_case_id": self.case.id,
                "dv_purpose": "court",
                "user_id": self.caseworker.id,
                "start": "2026-06-03 10:00:00",
                "stop": "2026-06-03 11:00:00",
            }
        )
        self.env.cr.execute(
            "UPDATE calendar_event SET name = %s WHERE id = %s",
            [f"{self.case.name} - Court Date", event.id],
        )
        self.env.invalidate_all()
        self.env["dv.case"]._dv_drop_all_followers_without_access()
        self.env["calendar.event"]._dv_retitle_case_events()
        self.assertNotIn(
            self.other_coordinator.partner_id, self.case.sudo().message_partner_ids
        )
        # In the organiser's language.
        self.assertIn(event.name, ("Court Date", "Gerichtstermin"))

    def test_who_cannot_read_cannot_follow(self):
        with self.assertRaisesRegex(UserError, "kann diesen Datensatz nicht lesen"):
            self.case.with_user(self.caseworker).with_context(
                lang="de_DE"
            ).message_subscribe(partner_ids=self.other_coordinator.partner_id.ids)
        # Odoo's own ways of adding followers leave them out silently.
        self.case._message_subscribe(partner_ids=self.other_coordinator.partner_id.ids)
        self.assertNotIn(
            self.other_coordinator.partner_id, self.case.sudo().message_partner_ids
        )
        self.case.with_user(self.caseworker).message_subscribe(
            partner_ids=self.lead_coordinator.partner_id.ids
        )
        self.assertIn(self.lead_coordinator.partner_id, self.case.message_partner_ids)


class TestChatterNeedsWriteAccess(ChatterCommon):
    def test_messages(self):
        self._share(self._consent())
        self._follow(self.shelter_worker)
        # Reading the case through a share is not writing in it, follower or
        # not.
        for user in (self.shelter_worker, self.employee, self.other_coordinator):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._post(user=user)
                with self.assertRaises(AccessError):
                    self.env["mail.message"].with_user(user).create(
                        {
                            "model": "dv.case",
                            "res_id": self.case.id,
                            "body": "Posted from outside",
                            "message_type": "comment",
                        }
                    )
        # Not as a reply to a message she was notified of either.
        notified = self._post()
        with self.assertRaises(AccessError):
            self.env["mail.message"].with_user(self.shelter_worker).create(
                {
                    "model": "dv.case",
                    "res_id": self.case.id,
                    "body": "Reply",
                    "message_type": "comment",
                    "parent_id": notified.id,
                }
            )
        own = self._post(user=self.caseworker)
        self.assertEqual(own.author_id, self.caseworker.partner_id)
        # What the lead agency writes, nobody else changes.
        with self.assertRaises(AccessError):
            own.with_user(self.shelter_worker).write({"body": "Changed"})

    def test_activities(self):
        self._share(self._consent())
        for user in (self.shelter_worker, self.employee, self.other_coordinator):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.case.with_user(user).activity_schedule(
                    "mail.mail_activity_data_todo", user_id=user.id
                )
        # The lead agency's case worker schedules, for someone who reads it.
        activity = self.case.with_user(self.caseworker).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.lead_coordinator.id
        )
        self.assertEqual(activity.user_id, self.lead_coordinator)
        with self.assertRaisesRegex(AccessError, "kann diesen Datensatz nicht lesen"):
            self.case.with_user(self.caseworker).with_context(
                lang="de_DE"
            ).activity_schedule(
                "mail.mail_activity_data_todo", user_id=self.other_coordinator.id
            )
        with self.assertRaises(AccessError):
            activity.with_user(self.caseworker).write(
                {"user_id": self.other_coordinator.id}
            )
        # Nor is an activity moved onto a case of another agency.
        other_case = self._create_case(
            user=self.shelter_worker, lead_agency_id=self.shelter.id
        )
        with self.assertRaises(AccessError):
            activity.with_user(self.caseworker).write({"res_id": other_case.id})
        # Whoever is assigned but can no longer read the case cannot mark it
        # done (which would post on the case).
        stale = (
            self.env["mail.activity"]
            .sudo()
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("dv.case"),
                    "res_id": self.case.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                    "user_id": self.other_coordinator.id,
                }
            )
        )
        with self.assertRaises(AccessError):
            stale.with_user(self.other_coordinator).action_feedback("done")
        self.assertTrue(stale.exists())
        activity.with_user(self.lead_coordinator).action_feedback("Done")
        self.assertFalse(activity.exists())

    def test_deadline_reminders_follow_their_record(self):
        """A deadline reminder is an activity of the record that owns the
        deadline (here a protection order), listed by its case: a user of
        another agency neither reads it nor schedules one on the order."""
        order = (
            self.env["dv.protection.order"]
            .with_user(self.caseworker)
            .create(
                {
                    "case_id": self.case.id,
                    "section": "s2",
                    "act_date": fields.Date.today() - timedelta(days=10),
                }
            )
        )
        reminder = self.env["mail.activity"].search(
            [
                ("res_model", "=", "dv.protection.order"),
                ("res_id", "=", order.id),
                ("dv_deadline_key", "=", "claim"),
            ]
        )
        self.assertEqual(len(reminder), 1)
        self.assertEqual(
            self.case.with_user(self.caseworker).deadline_activity_ids, reminder
        )
        self.assertEqual(
            order.with_user(self.caseworker).activity_ids.dv_deadline_key, "claim"
        )
        Activity = self.env["mail.activity"]
        for user in (self.shelter_worker, self.other_coordinator, self.caseworker_b):
            with self.subTest(user=user.login):
                self.env.invalidate_all()
                self.assertFalse(
                    Activity.with_user(user).search([("id", "=", reminder.id)])
                )
                with self.assertRaises(AccessError):
                    reminder.with_user(user).read(["summary"])
                with self.assertRaises(AccessError):
                    order.with_user(user).activity_schedule(
                        "mail.mail_activity_data_todo", user_id=user.id
                    )
                with self.assertRaises(AccessError):
                    Activity.with_user(user).create(
                        {
                            "res_model_id": self.env["ir.model"]._get_id(
                                "dv.protection.order"
                            ),
                            "res_id": order.id,
                            "activity_type_id": self.env.ref(
                                "mail.mail_activity_data_todo"
                            ).id,
                            "user_id": user.id,
                        }
                    )
                with self.assertRaises(AccessError):
                    reminder.with_user(user).action_feedback("done")
        self.assertTrue(reminder.exists())
        # Nor is it given to someone who cannot read the order.
        with self.assertRaises(AccessError):
            reminder.with_user(self.caseworker).write(
                {"user_id": self.other_coordinator.id}
            )

    def test_appointments(self):
        self._share(self._consent())
        Event = self.env["calendar.event"]
        values = {
            "dv_case_id": self.case.id,
            "dv_purpose": "counselling",
            "start": "2026-06-03 10:00:00",
            "stop": "2026-06-03 11:00:00",
        }
        for user in (self.employee, self.shelter_worker, self.other_coordinator):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Event.with_user(user).create(dict(values, name="x"))
                with self.assertRaises(AccessError):
                    Event.with_user(user).with_context(
                        default_dv_case_id=self.case.id
                    ).create(
                        {"name": "x", "start": values["start"], "stop": values["stop"]}
                    )
        outsider = new_test_user(
            self.env,
            login="dv_test_chatter_attendee",
            groups="base.group_user",
            company_id=self.company_a.id,
            company_ids=[Command.set(self.company_a.ids)],
        )
        event = Event.with_user(self.caseworker).create(
            dict(
                values,
                partner_ids=[Command.set((self.caseworker | outsider).partner_id.ids)],
            )
        )
        self.assertEqual(event.name, "Counselling")
        self.assertEqual(
            event.with_user(self.caseworker).display_name,
            f"{self.case.name} - Counselling",
        )
        self.env.invalidate_all()
        # The attendee who may not read the case sees neither it nor its
        # reference: not in the appointment, a link to it or a search.
        seen = event.with_user(outsider).read(["name", "display_name", "dv_case_id"])[0]
        self.assertEqual(seen["name"], "Counselling")
        self.assertEqual(seen["display_name"], "Counselling")
        self.assertFalse(seen["dv_case_id"])
        attendee = event.attendee_ids.filtered(
            lambda a: a.partner_id == outsider.partner_id
        )
        self.env.invalidate_all()
        self.assertEqual(
            attendee.with_user(outsider).read(["event_id"])[0]["event_id"][1],
            "Counselling",
        )
        Event = Event.with_user(outsider)
        self.assertFalse(Event.search([("name", "ilike", self.case.name)]))
        with self.assertRaises(AccessError):
            Event.search([("dv_case_id.name", "=", self.case.name)])
        self.env.invalidate_all()
        for user in (outsider, self.shelter_worker):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    event.with_user(user).write({"description": "changed"})
                with self.assertRaises(AccessError):
                    event.with_user(user).unlink()
        # An appointment of one's own does not move onto the case either.
        own = Event.with_user(outsider).create(
            {"name": "Mine", "start": values["start"], "stop": values["stop"]}
        )
        with self.assertRaises(AccessError):
            own.with_user(outsider).write({"dv_case_id": self.case.id})
        self.env.invalidate_all()
        self.assertEqual(
            event.with_user(self.caseworker).display_name,
            f"{self.case.name} - Counselling",
        )


@tagged("post_install", "-at_install")
class TestChatterJsonRpc(JsonRpcMixin, HttpCase, DvCommon):
    """Users logged in for real try the chatter of a case of agency A."""

    def _call(self, model, method, args, kwargs=None):
        """The result, or the error's message as the user reads it."""
        return self._rpc_or_message(model, method, args, kwargs, lang=None)

    def test_outsiders_write_nothing_into_a_case(self):
        case = self._create_case()
        self.network.write(
            {"dv_agency_member_ids": [Command.create({"agency_id": self.agency_a.id})]}
        )
        # The network partner of the lead agency reads the case and follows
        # it, but writes nothing into its chatter.
        case.sudo().message_subscribe(partner_ids=self.network.partner_id.ids)
        logins = ("dv_test_network", "dv_test_employee", "dv_test_caseworker_b")
        for login in logins:
            with self.subTest(login=login):
                self.authenticate(login, login)
                for model, method, args in (
                    (
                        "mail.message",
                        "create",
                        [
                            {
                                "model": "dv.case",
                                "res_id": case.id,
                                "body": "x",
                                "message_type": "comment",
                            }
                        ],
                    ),
                    ("dv.case", "message_post", [case.ids]),
                    (
                        "calendar.event",
                        "create",
                        [
                            {
                                "name": "x",
                                "dv_case_id": case.id,
                                "start": "2026-06-03 10:00:00",
                                "stop": "2026-06-03 11:00:00",
                            }
                        ],
                    ),
                    (
                        "mail.activity",
                        "create",
                        [
                            {
                                "res_model_id": self.env["ir.model"]._get_id("dv.case"),
                                "res_id": case.id,
                            }
                        ],
                    ),
                ):
                    with self.subTest(call=f"{model}.{method}"):
                        kwargs = {"body": "x"} if method == "message_post" else None
                        result, error = self._call(model, method, args, kwargs)
                        self.assertIsNone(result)
                        self.assertTrue(error)
        self.assertFalse(
            self.env["mail.message"]
            .search(
                [
                    ("model", "=", "dv.case"),
                    ("res_id", "=", case.id),
                    ("body", "ilike", "x"),
                ]
            )
            .filtered(lambda message: message.body == "<p>x</p>")
        )
        self.assertFalse(
            self.env["calendar.event"].search([("dv_case_id", "=", case.id)])
        )
