"""Protection planning: the sixteen federal state profiles and their
deadlines, safety plans with their steps and the victim's copy, measures on
the perpetrator's side and the weapons proposal, the youth welfare office's
step; who reads and changes them."""

from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time

from ..models.dv_agency import GERMAN_STATES
from ..models.dv_land_profile import add_duration, update_shipped_profiles
from .common import DvCommon

# Thursday 24 December 2026: Christmas Day and Boxing Day (public holidays
# everywhere) fall on Friday and Saturday, then comes a Sunday.
CHRISTMAS_EVE = date(2026, 12, 24)
# What an eviction ordered on that day at the longest ends with in each Land
# (None: the Land sets no maximum, the company's practice of 7 days applies),
# and its norm. Calendar days count weekends and holidays alike; Baden-
# Württemberg counts four working days (Monday to Saturday without holidays).
EVICTION_ENDS = {
    "BW": (date(2026, 12, 31), "§ 30a PolG BW"),
    "BY": (None, "Art. 16 Abs. 1 PAG"),
    "BE": (date(2027, 1, 7), "§ 29a Abs. 1, 5 ASOG Bln"),
    "BB": (date(2027, 1, 7), "§ 16a Abs. 5 Satz 1 BbgPolG"),
    "HB": (date(2027, 1, 3), "§ 12 Abs. 4 Satz 1 BremPolG"),
    "HH": (date(2027, 1, 3), "§ 12b Abs. 1 SOG"),
    "HE": (date(2027, 1, 7), "§ 31 Abs. 2 HSOG"),
    "MV": (date(2027, 1, 7), "§ 52 Abs. 2 SOG M-V"),
    "NI": (date(2027, 1, 7), "§ 17a Abs. 1 Satz 1 NPOG"),
    "NW": (date(2027, 1, 7), "§ 34a Abs. 5 Satz 1 PolG NRW"),
    "RP": (None, "§ 13 Abs. 2 POG"),
    "SL": (date(2027, 1, 3), "§ 12 Abs. 2 SPolG"),
    "SN": (date(2027, 1, 7), "§ 19 Abs. 1 SächsPVDG"),
    "ST": (date(2027, 1, 7), "§ 36 Abs. 3 SOG LSA"),
    "SH": (date(2027, 1, 21), "§ 201a Abs. 1 Satz 1 Nr. 1, Abs. 3 LVwG"),
    "TH": (date(2027, 1, 3), "§ 18 Abs. 2 PAG"),
}
# The same for a contact ban (None: no maximum of its own, the practice).
CONTACT_BAN_ENDS = {
    "BW": date(2026, 12, 31),
    "BE": date(2027, 1, 7),
    "BB": date(2027, 1, 7),
    "BY": date(2027, 3, 24),
    "HH": date(2027, 1, 3),
    "HE": date(2027, 1, 7),
    "SL": date(2027, 1, 3),
    "SN": date(2027, 1, 7),
    "SH": date(2027, 1, 21),
}
PRACTICE_DAYS = 7


class ProtectionCommon(DvCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.profiles = cls.env["dv.land.profile"].search([])
        cls.screening = cls.env.ref("dv_case_management.risk_instrument_screening")
        cls.case = cls._create_case(
            person_ids=[
                Command.create(
                    {
                        "role": "victim",
                        "name": "Vera Victim",
                        "gender": "female",
                        "street": "Geheimweg 7",
                        "zip": "49074",
                        "city": "Verborgenstadt",
                        "phone": "+49 170 1234567",
                        "safe_to_call": True,
                    }
                ),
                Command.create({"role": "perpetrator", "name": "Peter Perp"}),
            ]
        )
        cls.victim = cls.case.victim_id
        cls.perpetrator = cls.case.person_ids.filtered(
            lambda p: p.role == "perpetrator"
        )
        cls.weapons_type = cls.env.ref(
            "dv_case_management.perpetrator_measure_weapons_check"
        )

    def _profile(self, code):
        return self.profiles.filtered(lambda p: p.state_code == code)

    def _assess(self, case, yes=(), user=None):
        """A completed screening of ``case``, yes on the items with the
        given codes, no on all others."""
        user = user or self.caseworker
        assessment = (
            self.env["dv.risk.assessment"]
            .with_user(user)
            .create({"case_id": case.id, "instrument_id": self.screening.id})
        )
        for answer in assessment.answer_ids:
            answer.answer = "yes" if answer.item_id.code in yes else "no"
        assessment.action_done()
        return assessment

    def _reminder(self, record, key):
        """The deadline reminder ``key``: an activity of ``record`` itself."""
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("dv_deadline_key", "=", key),
            ]
        )

    def _prompts(self, case, key):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "dv.case"),
                ("res_id", "=", case.id),
                ("dv_deadline_key", "=", key),
            ]
        )


class TestLandProfiles(ProtectionCommon):
    def test_every_land_has_a_profile_with_norms_and_sources(self):
        self.assertEqual(
            sorted(self.profiles.mapped("state_code")),
            sorted(code for code, _label in GERMAN_STATES),
        )
        for profile in self.profiles:
            with self.subTest(land=profile.state_code):
                self.assertTrue(profile.eviction_norm)
                self.assertTrue(profile.checked_on)
                for measure in ("eviction", "contact_ban"):
                    self.assertTrue(profile[f"{measure}_source"])
                    self.assertTrue(
                        profile[f"{measure}_no_max"] or profile[f"{measure}_max"] > 0
                    )
                self.assertTrue(profile.extension_source)
                self.assertTrue(profile.transfer_source)
                if profile.transfer_basis in ("obliges", "allows", "offer"):
                    self.assertTrue(profile.proactive_statute)

    def test_saxony_and_lower_saxony(self):
        saxony = self._profile("SN")
        self.assertEqual(
            (saxony.eviction_max, saxony.eviction_unit, saxony.eviction_norm),
            (14, "days", "§ 19 Abs. 1 SächsPVDG"),
        )
        # § 19 Abs. 1 SächsPVDG: the contact ban comes with the eviction, for
        # at most 14 days too; an application under the Gewaltschutzgesetz
        # extends both by ten days, the court's decision ends them (Abs. 3).
        self.assertEqual(
            (
                saxony.contact_ban_no_max,
                saxony.contact_ban_max,
                saxony.contact_ban_unit,
            ),
            (False, 14, "days"),
        )
        self.assertEqual(
            (saxony.extension_kind, saxony.extension_max, saxony.extension_unit),
            ("until_decision", 10, "days"),
        )
        self.assertEqual(saxony.extension_norm, "§ 19 Abs. 3 SächsPVDG")
        # Leipzig: the police pass the contact data with the victim's consent;
        # no statute lets them do so without it.
        self.assertEqual(saxony.transfer_basis, "none")
        self.assertFalse(saxony._referral_statute())
        lower_saxony = self._profile("NI")
        self.assertEqual(
            (
                lower_saxony.eviction_max,
                lower_saxony.eviction_unit,
                lower_saxony.eviction_norm,
            ),
            (14, "days", "§ 17a Abs. 1 Satz 1 NPOG"),
        )
        # An application under the Gewaltschutzgesetz extends it by ten days
        # until the court decides (§ 17a Abs. 2 NPOG).
        self.assertEqual(
            (lower_saxony.extension_kind, lower_saxony.extension_max),
            ("until_decision", 10),
        )
        self.assertTrue(lower_saxony.contact_ban_no_max)
        # Osnabrück: the police may pass the victim's data to the BISS
        # without her consent where a danger requires it.
        self.assertEqual(lower_saxony.transfer_basis, "allows")
        self.assertEqual(lower_saxony._referral_statute(), "§ 17a Abs. 1 Satz 6 NPOG")
        # Mecklenburg-Western Pomerania lets the police pass the data.
        self.assertEqual(self._profile("MV")._referral_statute(), "§ 52 Abs. 3 SOG M-V")
        # North Rhine-Westphalia obliges them to offer it: consent is needed.
        self.assertFalse(self._profile("NW")._referral_statute())
        # Schleswig-Holstein obliges them to pass it (§ 201a Abs. 6 LVwG).
        schleswig_holstein = self._profile("SH")
        self.assertEqual(schleswig_holstein.transfer_basis, "obliges")
        self.assertEqual(schleswig_holstein._referral_statute(), "§ 201a Abs. 6 LVwG")

    def test_lower_saxony_counts_calendar_days_over_a_holiday_weekend(self):
        # Saturday 31 October 2026 is Reformation Day, a public holiday in
        # Lower Saxony: the fourteen days of § 17a NPOG run through it and
        # through both weekends and end on Saturday 14 November.
        self.company_a.dv_land_profile_id = self._profile("NI")
        eviction = (
            self.env["dv.police.measure"]
            .with_user(self.caseworker)
            .create(
                {
                    "case_id": self.case.id,
                    "measure_type": "eviction",
                    "date_start": date(2026, 10, 31),
                }
            )
        )
        self.assertEqual(eviction.date_end, date(2026, 11, 14))
        self.assertEqual(eviction.duration_days, 14)

    def test_saxony_over_its_holidays_and_an_application(self):
        # Leipzig: an eviction with a contact ban ordered on Saturday
        # 31 October 2026 (Reformation Day, a public holiday in Saxony) runs
        # fourteen calendar days through two weekends to Saturday 14 November.
        # The victim applies for a protection order on 10 November: ten days
        # more, through Buß- und Bettag (Wednesday 18 November, a holiday in
        # Saxony only), to Tuesday 24 November, unless the court decides first.
        self.company_a.dv_land_profile_id = self._profile("SN")
        Measure = self.env["dv.police.measure"].with_user(self.caseworker)
        Order = self.env["dv.protection.order"]
        start = date(2026, 10, 31)
        for decided, expected in (
            (None, date(2026, 11, 24)),
            (date(2026, 11, 18), date(2026, 11, 18)),
        ):
            with self.subTest(decided=decided):
                case = self._create_case()
                eviction, ban = (
                    Measure.create(
                        {
                            "case_id": case.id,
                            "measure_type": kind,
                            "date_start": start,
                        }
                    )
                    for kind in ("eviction", "contact_ban")
                )
                for measure in (eviction, ban):
                    self.assertEqual(measure.date_end, date(2026, 11, 14))
                    self.assertEqual(measure.duration_days, 14)
                Order.create(
                    {
                        "case_id": case.id,
                        "act_date": start,
                        "application_date": date(2026, 11, 10),
                        "decision_date": decided,
                        "decision": "granted" if decided else "pending",
                    }
                )
                self.assertEqual(eviction.effective_end, expected)

    def test_north_rhine_westphalia_knows_no_contact_ban_of_its_own(self):
        # § 34a PolG NRW: eviction and return ban only; a contact ban has no
        # statutory maximum, so the office's practice is proposed, and without
        # one nothing is.
        profile = self._profile("NW")
        self.assertTrue(profile.contact_ban_no_max)
        self.company_a.dv_land_profile_id = profile
        Measure = self.env["dv.police.measure"].with_user(self.caseworker)
        ban = Measure.create(
            {
                "case_id": self.case.id,
                "measure_type": "contact_ban",
                "date_start": CHRISTMAS_EVE,
            }
        )
        self.assertFalse(ban.date_end)
        self.company_a.dv_contact_ban_practice_days = PRACTICE_DAYS
        ban = Measure.create(
            {
                "case_id": self.case.id,
                "measure_type": "contact_ban",
                "date_start": CHRISTMAS_EVE,
            }
        )
        # Seven calendar days over Christmas and the weekend, not fourteen.
        self.assertEqual(ban.date_end, date(2026, 12, 31))
        eviction = Measure.create(
            {
                "case_id": self.case.id,
                "measure_type": "eviction",
                "date_start": CHRISTMAS_EVE,
            }
        )
        self.assertEqual(eviction.date_end, date(2027, 1, 7))

    def test_update_takes_the_new_values_where_nobody_changed_them(self):
        nw, ni, sn, th = (self._profile(code) for code in ("NW", "NI", "SN", "TH"))
        # The values 18.0.1.4.0 loaded (as the superuser) ...
        nw.write(
            {
                "contact_ban_no_max": False,
                "contact_ban_max": 10,
                "contact_ban_norm": "§ 34a PolG NRW",
            }
        )
        ni.eviction_norm = "§ 17 Abs. 2 Satz 2 NPOG"
        # ... and those of 18.0.1.5.0 (Brandenburg before its 2024 reform was
        # known: 10 days, no maximum of the contact ban).
        bb = self._profile("BB")
        bb.write({"eviction_max": 10, "contact_ban_no_max": True})
        # ... and those of 18.0.1.6.0 (Schleswig-Holstein before its wording
        # was read: no rule on an application).
        sh = self._profile("SH")
        sh.write({"extension_kind": "none", "proactive_statute": "§ 201a LVwG"})
        # ... Lower Saxony without § 17a's extension and transfer,
        # North Rhine-Westphalia's ten days before its 2025 law, and
        # Hamburg's contact ban without its maximum.
        ni.write(
            {
                "extension_kind": "ends_on_decision",
                "extension_max": 0,
                "transfer_basis": "none",
            }
        )
        nw.write({"eviction_max": 10, "extension_max": 10})
        hh = self._profile("HH")
        hh.write({"contact_ban_no_max": True, "contact_ban_max": 0})
        # ... a note a manager changed since, and a profile a manager replaced.
        sn.with_user(self.manager).contact_ban_source = "Am Gesetzestext geprüft."
        th.unlink()
        own = self.env["dv.land.profile"].create(
            {
                "name": "Thüringen",
                "state_code": "TH",
                "eviction_max": 14,
                "contact_ban_no_max": True,
            }
        )
        self.assertEqual(update_shipped_profiles(self.env), sn)
        self.assertTrue(nw.contact_ban_no_max)
        self.assertEqual(nw.contact_ban_max, 0)
        self.assertEqual(nw.contact_ban_norm, "§ 34a PolG NRW (kein Kontaktverbot)")
        self.assertEqual(ni.eviction_norm, "§ 17a Abs. 1 Satz 1 NPOG")
        self.assertEqual(
            (bb.eviction_max, bb.contact_ban_no_max, bb.contact_ban_max),
            (14, False, 14),
        )
        self.assertEqual(
            (sh.extension_kind, sh.extension_max, sh.proactive_statute),
            ("until_decision", 7, "§ 201a Abs. 6 LVwG"),
        )
        self.assertEqual(
            (ni.extension_kind, ni.extension_max, ni._referral_statute()),
            ("until_decision", 10, "§ 17a Abs. 1 Satz 6 NPOG"),
        )
        self.assertEqual((nw.eviction_max, nw.extension_max), (14, 14))
        self.assertEqual((hh.contact_ban_no_max, hh.contact_ban_max), (False, 10))
        self.assertEqual(sn.contact_ban_source, "Am Gesetzestext geprüft.")
        self.assertEqual(
            self.env["dv.land.profile"].search([("state_code", "=", "TH")]), own
        )
        # Later updates leave the shipped profiles alone again.
        data = self.env["ir.model.data"].search(
            [("module", "=", "dv_case_management"), ("model", "=", "dv.land.profile")]
        )
        self.assertEqual(len(data), 15)
        self.assertTrue(all(data.mapped("noupdate")))

    def test_eviction_ends_in_each_land_over_a_weekend_and_holidays(self):
        self.company_a.dv_eviction_practice_days = PRACTICE_DAYS
        Measure = self.env["dv.police.measure"]
        for code, (end, norm) in EVICTION_ENDS.items():
            with self.subTest(land=code):
                profile = self._profile(code)
                self.assertTrue(profile.eviction_norm.startswith(norm))
                self.company_a.dv_land_profile_id = profile
                measure = Measure.with_user(self.caseworker).create(
                    {
                        "case_id": self.case.id,
                        "measure_type": "eviction",
                        "date_start": CHRISTMAS_EVE,
                    }
                )
                expected = end or CHRISTMAS_EVE + timedelta(days=PRACTICE_DAYS)
                self.assertEqual(measure.date_end, expected)
                self.assertEqual(measure.effective_end, expected)
                self.assertEqual(measure.duration_days, (expected - CHRISTMAS_EVE).days)

    def test_contact_ban_ends_in_each_land(self):
        self.company_a.dv_contact_ban_practice_days = PRACTICE_DAYS
        Measure = self.env["dv.police.measure"]
        for code, _label in GERMAN_STATES:
            with self.subTest(land=code):
                self.company_a.dv_land_profile_id = self._profile(code)
                ban = Measure.with_user(self.caseworker).create(
                    {
                        "case_id": self.case.id,
                        "measure_type": "contact_ban",
                        "date_start": CHRISTMAS_EVE,
                    }
                )
                expected = CONTACT_BAN_ENDS.get(
                    code, CHRISTMAS_EVE + timedelta(days=PRACTICE_DAYS)
                )
                self.assertEqual(ban.date_end, expected)

    def test_working_days_skip_sundays_and_the_lands_holidays(self):
        # Baden-Württemberg: Epiphany (6 January) is a holiday there, the
        # Saturday counts, the Sunday does not.
        self.assertEqual(
            add_duration(date(2027, 1, 4), 4, "working_days", "BW"), date(2027, 1, 9)
        )
        # Berlin does not keep Epiphany.
        self.assertEqual(
            add_duration(date(2027, 1, 4), 4, "working_days", "BE"), date(2027, 1, 8)
        )
        # Without the holidays, Christmas would end the four days on Tuesday.
        self.assertEqual(
            add_duration(CHRISTMAS_EVE, 4, "working_days", "BW"), date(2026, 12, 31)
        )
        self.assertEqual(add_duration(CHRISTMAS_EVE, 3, "months"), date(2027, 3, 24))

    def test_contact_ban_of_bavaria_counts_months_and_no_maximum_uses_practice(self):
        self.company_a.dv_land_profile_id = self._profile("BY")
        Measure = self.env["dv.police.measure"].with_user(self.caseworker)
        ban = Measure.create(
            {
                "case_id": self.case.id,
                "measure_type": "contact_ban",
                "date_start": CHRISTMAS_EVE,
            }
        )
        self.assertEqual(ban.date_end, date(2027, 3, 24))
        # No maximum and no practice: nothing is proposed.
        eviction = Measure.create(
            {
                "case_id": self.case.id,
                "measure_type": "eviction",
                "date_start": CHRISTMAS_EVE,
            }
        )
        self.assertFalse(eviction.date_end)

    @freeze_time("2027-02-01 09:00:00")
    def test_protection_order_applied_for(self):
        Measure = self.env["dv.police.measure"]
        Order = self.env["dv.protection.order"]
        applied = CHRISTMAS_EVE + timedelta(days=3)
        for code, decided, expected in (
            # Until the court decides, at most fourteen days longer.
            ("NW", None, date(2027, 1, 21)),
            ("NW", date(2027, 1, 8), date(2027, 1, 8)),
            # Hamburg: at the latest twenty days after the order.
            ("HH", None, date(2027, 1, 13)),
            # Lower Saxony: ten days longer, the decision ends it (§ 17a
            # Abs. 2 NPOG).
            ("NI", date(2026, 12, 30), date(2026, 12, 30)),
            ("NI", None, date(2027, 1, 17)),
            # Saxony-Anhalt: until the decision, never longer (§ 36 Abs. 3
            # SOG LSA).
            ("ST", date(2027, 1, 2), date(2027, 1, 2)),
            ("ST", None, date(2027, 1, 7)),
            # Saxony: ten days longer, unless the court decides first.
            ("SN", None, date(2027, 1, 17)),
            ("SN", date(2027, 1, 4), date(2027, 1, 4)),
            # Hesse: the authority may extend it; nothing happens by itself.
            ("HE", None, date(2027, 1, 7)),
            # Schleswig-Holstein: a week longer, unless the court decides
            # first (§ 201a Abs. 3 LVwG).
            ("SH", None, date(2027, 1, 28)),
            ("SH", date(2027, 1, 4), date(2027, 1, 4)),
        ):
            with self.subTest(land=code, decided=decided):
                case = self._create_case()
                self.company_a.dv_land_profile_id = self._profile(code)
                measure = Measure.create(
                    {
                        "case_id": case.id,
                        "measure_type": "eviction",
                        "date_start": CHRISTMAS_EVE,
                    }
                )
                Order.create(
                    {
                        "case_id": case.id,
                        "act_date": CHRISTMAS_EVE,
                        "application_date": applied,
                        "decision_date": decided,
                        "decision": "granted" if decided else "pending",
                    }
                )
                self.assertEqual(measure.effective_end, expected)

    def test_profile_needs_a_maximum_or_says_there_is_none(self):
        profile = self._profile("NI")
        with self.assertRaises(ValidationError):
            profile.eviction_max = 0
        profile.write({"eviction_no_max": True, "eviction_max": 0})
        self.assertEqual(profile._measure_end("eviction", CHRISTMAS_EVE), False)

    def test_erasure_on_decline_needs_a_statute_that_passes_the_data(self):
        # North Rhine-Westphalia's police only offer the transfer: nothing
        # the office holds came without consent, so no erasure rule of its
        # own; Schleswig-Holstein's statute passes the data and has one.
        with self.assertRaises(ValidationError):
            self._profile("NW").erase_on_decline = True
        schleswig_holstein = self._profile("SH")
        self.assertTrue(schleswig_holstein.erase_on_decline)
        with self.assertRaises(ValidationError):
            schleswig_holstein.transfer_basis = "none"

    def test_a_change_of_a_profile_is_tracked(self):
        """The values decide deadlines and, with Erase When Declined, an
        erasure that cannot be undone: who changed what stays on record."""
        profile = (
            self._profile("SH")
            .with_user(self.manager)
            .with_context(tracking_disable=False)
        )
        profile.write({"eviction_max": 21, "erase_on_decline": False})
        self.env.flush_all()
        self.env.cr.precommit.run()
        message = profile.sudo().message_ids.filtered("tracking_value_ids")[:1]
        self.assertEqual(message.author_id, self.manager.partner_id)
        changes = {
            value.field_id.name: (value.old_value_integer, value.new_value_integer)
            for value in message.tracking_value_ids
        }
        self.assertEqual(
            changes, {"eviction_max": (28, 21), "erase_on_decline": (1, 0)}
        )
        # Posting on a profile's chatter needs the right to change it.
        with self.assertRaises(AccessError):
            self._profile("SH").with_user(self.caseworker).message_post(
                body="Looks wrong."
            )

    def test_only_managers_change_profiles_and_practice(self):
        profile = self._profile("SN")
        with self.assertRaises(AccessError):
            profile.with_user(self.coordinator).eviction_max = 10
        Settings = self.env["dv.protection.settings"]
        with self.assertRaises(AccessError):
            Settings.with_user(self.coordinator).create(
                {"eviction_practice_days": 3}
            ).action_apply()
        Settings.with_user(self.manager).create(
            {"eviction_practice_days": 5, "safety_plan_days": 3}
        ).action_apply()
        self.assertEqual(self.company_a.dv_eviction_practice_days, 5)
        self.assertEqual(self.company_a.dv_safety_plan_days, 3)
        with self.assertRaises(ValidationError):
            Settings.with_user(self.manager).create({"company_id": self.company_b.id})


class TestSafetyPlan(ProtectionCommon):
    def _plan(self, user=None):
        user = user or self.caseworker
        action = self.case.with_user(user).action_open_safety_plan()
        return self.env["dv.safety.plan"].with_user(user).browse(action["res_id"])

    def _step(self, plan, code, **values):
        return (
            self.env["dv.safety.plan.step"]
            .with_user(plan.env.user)
            .create(
                dict(
                    {
                        "plan_id": plan.id,
                        "step_type_id": self.env.ref(
                            f"dv_case_management.safety_step_{code}"
                        ).id,
                    },
                    **values,
                )
            )
        )

    def test_plan_steps_and_states(self):
        plan = self._plan()
        self.assertEqual(self._plan(), plan, "one plan per case")
        self.assertEqual(self.case.safety_plan_state, "draft")
        with self.assertRaises(UserError):
            plan.action_agree()
        step = self._step(plan, "emergency_numbers", due_date="2026-01-05")
        self.assertEqual(step.name, "Emergency numbers at hand")
        self.assertEqual(step.owner, "victim")
        with self.assertRaises(ValidationError):
            self._step(plan, "protection_order")  # an agency's step needs it
        self._step(plan, "protection_order", owner_agency_id=self.agency_a.id)
        with self.assertRaises(UserError):
            plan.action_agree()  # no review date
        plan.review_date = fields.Date.today() + timedelta(days=30)
        plan.action_agree()
        self.assertEqual(plan.state, "agreed")
        self.assertEqual(self.case.safety_plan_state, "agreed")
        with self.assertRaises(UserError):
            plan.write({"state": "closed"})
        with self.assertRaises(UserError):
            step.write({"status": "done"})
        step.action_mark_done()
        self.assertEqual(step.done_on, fields.Date.context_today(step))
        self.assertFalse(step.done_in_time, "due on 5 January 2026, done later")
        # The review is a deadline of the case.
        reminder = self._reminder(plan, "review")
        self.assertEqual(reminder.date_deadline, plan.review_date - timedelta(days=2))
        self.assertIn(reminder, self.case.deadline_activity_ids)
        plan.action_close()
        self.assertFalse(self._reminder(plan, "review"))
        with self.assertRaises(UserError):
            plan.action_agree()
        plan.action_reopen()
        self.assertEqual(plan.state, "draft")

    def test_steps_point_into_the_own_case(self):
        plan = self._plan()
        other = self._create_case()
        with self.assertRaises(UserError):
            self._step(
                plan, "code_word", owner="person", owner_person_id=other.victim_id.id
            )

    def test_high_risk_case_without_plan_raises_an_activity(self):
        self.company_a.dv_safety_plan_days = 5
        with freeze_time("2026-03-02 09:00:00"):
            self._assess(self.case, yes={"strangulation"})
            self.assertEqual(self.case.risk_level, "high")
        Case = self.env["dv.case"]
        with freeze_time("2026-03-06 09:00:00"):
            Case._cron_safety_plan_due()
            self.assertFalse(self._prompts(self.case, "safety_plan_due"))
        with freeze_time("2026-03-07 09:00:00"):
            Case._cron_safety_plan_due()
            Case._cron_safety_plan_due()
            prompt = self._prompts(self.case, "safety_plan_due")
            self.assertEqual(len(prompt), 1)
            self.assertEqual(prompt.user_id, self.caseworker)
            self.assertEqual(
                prompt.activity_type_id,
                self.env.ref("dv_case_management.mail_activity_type_safety_plan"),
            )
            self.assertNotIn("Vera", prompt.summary)
            self._plan()
            self.assertFalse(self._prompts(self.case, "safety_plan_due"))
            # A case with a plan is not raised again.
            Case._cron_safety_plan_due()
            self.assertFalse(self._prompts(self.case, "safety_plan_due"))
        # A case that is not high risk never is.
        medium = self._create_case()
        with freeze_time("2026-03-02 09:00:00"):
            self._assess(medium, yes={"escalation"})
        with freeze_time("2026-04-02 09:00:00"):
            Case._cron_safety_plan_due()
        self.assertFalse(self._prompts(medium, "safety_plan_due"))

    def test_victims_copy_names_no_address(self):
        plan = self._plan()
        self._step(plan, "emergency_numbers")
        self._step(plan, "safe_place", name="Zu Tante Geheimweg 7, Verborgenstadt")
        self._step(plan, "code_word", owner="person", owner_person_id=self.victim.id)
        self._step(
            plan, "protection_order", owner_agency_id=self.agency_a.id, note="intern"
        )
        plan.review_date = "2026-06-01"
        plan.action_agree()
        report = self.env.ref("dv_case_management.report_safety_plan_victim")
        html = (
            self.env["ir.actions.report"]
            .with_user(self.caseworker)
            ._render_qweb_html(report.report_name, plan.ids)[0]
            .decode()
        )
        for secret in ("Geheimweg", "Verborgenstadt", "49074", "1234567", "intern"):
            self.assertNotIn(secret, html)
        self.assertIn("116 016", html)
        self.assertIn("Emergency numbers at hand", html)
        self.assertIn(self.agency_a.name, html)
        # Her own step is "yours": the copy names her nowhere.
        self.assertNotIn("Vera", html)
        self.assertEqual(
            plan.with_user(self.caseworker).action_print_victim_copy()["report_name"],
            report.report_name,
        )
        # In tests Odoo renders HTML unless told otherwise.
        pdf, report_format = (
            report.with_user(self.caseworker)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report.report_name, plan.ids)
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))


class TestPerpetratorMeasures(ProtectionCommon):
    def test_weapons_yes_proposes_a_weapons_check(self):
        assessment = self._assess(self.case, yes={"weapon"})
        measure = self.case.perpetrator_measure_ids
        self.assertEqual(len(measure), 1)
        self.assertEqual(measure.type_id, self.weapons_type)
        self.assertEqual(measure.status, "proposed")
        self.assertEqual(measure.assessment_id, assessment)
        self.assertEqual(measure.person_id, self.perpetrator)
        prompt = self._prompts(self.case, "weapons_check")
        self.assertEqual(prompt.user_id, self.caseworker)
        # A second yes proposes nothing new while the first is pending.
        self._assess(self.case, yes={"weapon"})
        self.assertEqual(len(self.case.perpetrator_measure_ids), 1)
        measure.with_user(self.caseworker).action_agree()
        self.assertEqual(measure.status, "open")
        self.assertFalse(self._prompts(self.case, "weapons_check"))
        with self.assertRaises(UserError):
            measure.with_user(self.caseworker).action_mark_done()  # no outcome
        measure.with_user(self.caseworker).outcome = "weapons_withdrawn"
        measure.with_user(self.caseworker).action_mark_done()
        self.assertEqual(measure.status, "done")
        self.assertTrue(measure.done_in_time)

    def test_no_weapons_no_proposal(self):
        self._assess(self.case, yes={"strangulation", "threat_to_kill"})
        self.assertFalse(self.case.perpetrator_measure_ids)
        self.assertFalse(self._prompts(self.case, "weapons_check"))

    def test_status_only_through_the_buttons(self):
        Measure = self.env["dv.perpetrator.measure"].with_user(self.caseworker)
        with self.assertRaises(UserError):
            Measure.create(
                {
                    "case_id": self.case.id,
                    "type_id": self.weapons_type.id,
                    "status": "done",
                }
            )
        measure = Measure.create(
            {
                "case_id": self.case.id,
                "type_id": self.env.ref(
                    "dv_case_management.perpetrator_measure_warning_talk"
                ).id,
                "agency_id": self.agency_shared.id,
            }
        )
        self.assertEqual(measure.status, "open")
        with self.assertRaises(UserError):
            measure.action_agree()  # already agreed
        with self.assertRaises(ValidationError):
            measure.person_id = self.victim
        with self.assertRaises(UserError):
            measure.assessment_id = self._assess(self.case)

    def test_conference_action_on_the_perpetrators_side(self):
        conference = (
            self.env["dv.conference"]
            .with_user(self.coordinator)
            .with_context(dv_no_agenda_proposal=True)
            .create(
                {
                    "start": "2026-06-10 08:00:00",
                    "organizer_agency_id": self.agency_a.id,
                    "company_id": self.company_a.id,
                }
            )
        )
        line = (
            self.env["dv.conference.agenda.item"]
            .with_user(self.coordinator)
            .create({"conference_id": conference.id, "case_id": self.case.id})
        )
        talk = self.env.ref("dv_case_management.perpetrator_measure_warning_talk")
        action = (
            self.env["dv.conference.action"]
            .with_user(self.coordinator)
            .create(
                {
                    "line_id": line.id,
                    "name": "Gefährderansprache",
                    "owner_agency_id": self.agency_shared.id,
                    "due_date": "2026-06-17",
                    "perpetrator_measure_type_id": talk.id,
                }
            )
        )
        self.assertEqual(action.perpetrator_measure_type_id, talk)
        police = self._new_member(
            "dv_test_police_officer", "network", self.agency_shared
        )
        # The owner agency reports; what kind of measure it is stays the
        # organiser's.
        with self.assertRaises(AccessError):
            action.with_user(police).perpetrator_measure_type_id = self.weapons_type
        action.with_user(police).report = "Done on 12 June."


class TestYouthOffice(ProtectionCommon):
    def _add_child(self, case, name="Kim Kind"):
        return (
            self.env["dv.person"]
            .with_user(self.caseworker)
            .create({"case_id": case.id, "role": "child", "name": name})
        )

    def test_a_child_brings_the_youth_office_step(self):
        self.assertEqual(self.case.youth_office_state, "none")
        self.assertFalse(self._prompts(self.case, "youth_office"))
        child = self._add_child(self.case)
        self._add_child(self.case, "Kai Kind")
        notice = self.case.youth_office_notice_ids
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.state, "pending")
        self.assertEqual(len(notice.child_ids), 2)
        self.assertIn(child, notice.child_ids)
        self.assertEqual(self.case.youth_office_state, "pending")
        prompt = self._prompts(self.case, "youth_office")
        self.assertEqual(len(prompt), 1)
        self.assertEqual(prompt.user_id, self.caseworker)
        notice = notice.with_user(self.caseworker)
        with self.assertRaises(ValidationError):
            notice.notified_on = fields.Date.today()  # without a legal basis
        with self.assertRaises(ValidationError):
            notice.write(
                {
                    "notified_on": fields.Date.today() + timedelta(days=1),
                    "legal_basis": "sgb8_8a",
                }
            )
        notice.write(
            {
                "notified_on": fields.Date.today(),
                "notified_by_id": self.caseworker.id,
                "legal_basis": "kkg_4",
            }
        )
        self.assertEqual(self.case.youth_office_state, "notified")
        self.assertFalse(self._prompts(self.case, "youth_office"))
        with self.assertRaises(ValidationError):
            notice.reply_on = fields.Date.today() - timedelta(days=1)
        notice.write({"reply_on": fields.Date.today(), "reply": "Hausbesuch"})
        self.assertEqual(self.case.youth_office_state, "answered")
        with self.assertRaises(UserError):
            notice.state = "pending"

    def test_recorded_step_replaces_the_empty_one(self):
        self._add_child(self.case)
        Notice = self.env["dv.youth.office.notice"].with_user(self.caseworker)
        notice = Notice.create(
            {
                "case_id": self.case.id,
                "youth_office_id": self.agency_shared.id,
                "waived_reason": "Das Jugendamt ist bereits im Fall tätig.",
            }
        )
        self.assertEqual(self.case.youth_office_notice_ids, notice)
        self.assertEqual(self.case.youth_office_state, "waived")
        with self.assertRaises(ValidationError):
            Notice.create(
                {
                    "case_id": self.case.id,
                    "notified_on": fields.Date.today(),
                    "legal_basis": "other",
                }
            )

    def test_children_of_another_case_are_refused(self):
        self._add_child(self.case)
        other = self._create_case()
        stranger = self._add_child(other, "Fremdes Kind")
        notice = self.case.youth_office_notice_ids.with_user(self.caseworker)
        with self.assertRaises(ValidationError):
            notice.child_ids = [Command.link(stranger.id)]


class TestProtectionAccess(ProtectionCommon):
    """Another agency of the company, another company, a network partner of
    a shared agency and the statistics role, against the new records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_agency = cls._new_agency("Other Counselling A")
        cls.other_caseworker = cls._new_member(
            "dv_test_other_cw", "caseworker", cls.other_agency
        )
        cls.partner = cls._new_member("dv_test_partner", "network", cls.other_agency)
        plan = cls.env["dv.safety.plan"].create({"case_id": cls.case.id})
        cls.step = cls.env["dv.safety.plan.step"].create(
            {
                "plan_id": plan.id,
                "step_type_id": cls.env.ref(
                    "dv_case_management.safety_step_documents"
                ).id,
            }
        )
        cls.measure = cls.env["dv.perpetrator.measure"].create(
            {"case_id": cls.case.id, "type_id": cls.weapons_type.id}
        )
        cls.env["dv.person"].create(
            {"case_id": cls.case.id, "role": "child", "name": "Kim Kind"}
        )
        cls.records = [plan, cls.step, cls.measure, cls.case.youth_office_notice_ids]

    def _as(self, record, user):
        return record.with_user(user).with_context(
            allowed_company_ids=user.company_ids.ids
        )

    def _denied(self, user):
        for record in self.records:
            with self.subTest(model=record._name, user=user.login):
                record = self._as(record, user)
                with self.assertRaises(AccessError):
                    record.read(["id"])
                if record.has_access("read"):
                    self.assertFalse(record.search([("id", "=", record.id)]))
                with self.assertRaises(AccessError):
                    record.check_access("write")

    def test_lead_agency_reads_and_writes(self):
        for record in self.records:
            with self.subTest(model=record._name):
                record.with_user(self.caseworker).check_access("write")
                record.with_user(self.caseworker).read(["id"])

    def test_other_agency_and_other_company_see_nothing(self):
        for user in (self.other_caseworker, self.caseworker_b, self.statistics):
            self._denied(user)
        # Nor do they add records to the case.
        for user in (self.other_caseworker, self.caseworker_b):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["dv.perpetrator.measure"].with_user(user).create(
                    {"case_id": self.case.id, "type_id": self.weapons_type.id}
                )

    def test_shared_agency_reads_but_does_not_change(self):
        consent = self.env["dv.consent"].create(
            {
                "person_id": self.victim.id,
                "agency_ids": [Command.set(self.other_agency.ids)],
                "purpose_ids": [
                    Command.set(
                        self.env.ref("dv_case_management.consent_purpose_referral").ids
                    )
                ],
                "given_on": "2026-01-01",
            }
        )
        share = self.env["dv.share"].create(
            {
                "case_id": self.case.id,
                "to_agency_id": self.other_agency.id,
                "legal_basis": "consent",
                "consent_id": consent.id,
            }
        )
        share.with_user(self.other_caseworker).action_accept()
        self.env.registry.clear_cache()
        for record in self.records:
            with self.subTest(model=record._name):
                record.with_user(self.partner).read(["id"])
                with self.assertRaises(AccessError):
                    record.with_user(self.partner).check_access("write")
                record.with_user(self.other_caseworker).read(["id"])
                with self.assertRaises(AccessError):
                    record.with_user(self.other_caseworker).check_access("write")

    def test_erasure_clears_the_free_text(self):
        self.step.note = "Schlüssel bei Frau Nachbarin"
        self.measure.outcome_note = "Waffe bei Herrn Perp sichergestellt"
        self.case.youth_office_notice_ids.write(
            {"waived_reason": "Jugendamt kennt die Familie Perp"}
        )
        self.case.safety_plan_ids.note = "Code word: Apfelkuchen"
        self.case._erase("request", "test")
        self.assertFalse(self.step.note)
        self.assertEqual(self.step.name, "Documents and essentials packed")
        self.assertFalse(self.measure.outcome_note)
        self.assertFalse(self.case.safety_plan_ids.note)
        self.assertNotIn("Perp", self.case.youth_office_notice_ids.waived_reason)
