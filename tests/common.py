import json

from odoo import Command, fields
from odoo.tests import TransactionCase, freeze_time, new_test_user
from odoo.tests.common import JsonRpcException

GROUP = "dv_case_management.group_dv_%s"


class DvCommon(TransactionCase):
    """Two companies (a city and a county), agencies in each and one shared,
    and a user for every role, all made here: tests never rely on demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.profile_nw = cls.env.ref("dv_case_management.land_profile_nw")
        cls.company_a = cls.env["res.company"].create(
            {"name": "Test City A", "dv_land_profile_id": cls.profile_nw.id}
        )
        cls.company_b = cls.env["res.company"].create({"name": "Test County B"})
        cls.type_intake = cls.env.ref("dv_case_management.agency_type_intake_office")
        cls.type_counselling = cls.env.ref("dv_case_management.agency_type_counselling")
        cls.type_police = cls.env.ref("dv_case_management.agency_type_police")

        cls.agency_a = cls.env["dv.agency"].create(
            {
                "name": "Test Counselling A",
                "agency_type_id": cls.type_counselling.id,
                "company_id": cls.company_a.id,
                "city": "A-Stadt",
            }
        )
        cls.agency_b = cls._new_agency("Test Counselling B", company=cls.company_b)
        cls.agency_shared = cls.env["dv.agency"].create(
            {
                "name": "Test Police Shared",
                "agency_type_id": cls.type_police.id,
                "company_id": False,
            }
        )

        def user(login, role, company=cls.company_a):
            return new_test_user(
                cls.env,
                login=login,
                groups=GROUP % role if role else "base.group_user",
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )

        cls.manager = user("dv_test_manager", "manager")
        cls.coordinator = user("dv_test_coordinator", "coordinator")
        cls.caseworker = user("dv_test_caseworker", "caseworker")
        cls.network = user("dv_test_network", "network")
        cls.statistics = user("dv_test_statistics", "statistics")
        cls.employee = user("dv_test_employee", None)
        cls.coordinator_b = user("dv_test_coordinator_b", "coordinator", cls.company_b)
        cls.caseworker_b = user("dv_test_caseworker_b", "caseworker", cls.company_b)

        cls.env["dv.agency.member"].create(
            [
                {"agency_id": cls.agency_a.id, "user_id": cls.caseworker.id},
                {"agency_id": cls.agency_a.id, "user_id": cls.coordinator.id},
                {"agency_id": cls.agency_b.id, "user_id": cls.caseworker_b.id},
            ]
        )
        cls._signin_for_tests()

    @classmethod
    def _signin_for_tests(cls):
        """The strong sign-in of the roles that read personal data
        (tests/test_signin.py) is on in every test: the demo data's switch
        that turns it off is off, tests never rely on it. Its users sign in
        with a second factor after a grace period that starts when they get
        the role: the users the tests make get it now, and this starts it now
        for those already in the database (the administrator, the demo
        users), so that the tests of every other rule run as users the sign-in
        lets through, as it lets a new colleague through, whatever the age of
        the database and the time a test is frozen at. Their passwords need
        the lowest length the settings allow (Odoo's ``new_test_user`` gives
        each user her login as password); tests/test_signin.py checks the
        default length."""
        ICP = cls.env["ir.config_parameter"]
        ICP.set_param("dv_case_management.signin_demo_without_2fa", False)
        ICP.set_param("dv_case_management.signin_password_minlength", 8)
        users = (
            cls.env["res.users"]
            .with_context(active_test=False)
            .search([("dv_signin_since", "!=", False)])
        )
        users.write({"dv_signin_since": fields.Datetime.now()})

    @classmethod
    def _new_agency(cls, name, agency_type=None, company=None, **values):
        """An agency of company A (or ``company``); ``agency_type`` is the
        end of an agency type's XML id or a type record, counselling by
        default."""
        if isinstance(agency_type, str):
            agency_type = cls.env.ref(f"dv_case_management.agency_type_{agency_type}")
        return cls.env["dv.agency"].create(
            {
                "name": name,
                "agency_type_id": (agency_type or cls.type_counselling).id,
                "company_id": (company or cls.company_a).id,
                **values,
            }
        )

    @classmethod
    def _new_member(cls, login, role, agency, company=None):
        """A user of ``role`` who is a member of ``agency``."""
        company = company or agency.company_id or cls.company_a
        user = new_test_user(
            cls.env,
            login=login,
            groups=GROUP % role,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls.env["dv.agency.member"].create({"agency_id": agency.id, "user_id": user.id})
        return user

    @classmethod
    def _create_case(cls, user=None, **values):
        """A case led by agency A (or as given), created by ``user`` (the
        agency's case worker by default), with a victim."""
        user = user or cls.caseworker
        vals = {
            "case_type": "partner",
            "lead_agency_id": cls.agency_a.id,
            "company_id": cls.company_a.id,
            "user_id": user.id,
            "person_ids": [
                Command.create(
                    {
                        "role": "victim",
                        "name": "Vera Victim",
                        "gender": "female",
                        "street": "Safe Street 1",
                        "phone": "+49 170 1234567",
                        "safe_to_call": True,
                    }
                )
            ],
        }
        vals.update(values)
        return (
            cls.env["dv.case"]
            .with_user(user)
            .with_company(vals["company_id"])
            .create(vals)
            .with_user(cls.env.user)
        )

    def _conference(self, members=(), user=None, **values):
        """A conference of agency A on Wed 10 June 2026 with ``members``
        ((agency, user) pairs, confidentiality signed) as participants,
        created by and for ``user`` (the test's user without one)."""
        vals = {
            "conference_type": "scheduled",
            "start": "2026-06-10 08:00:00",
            "duration": 2,
            "place": "Town hall, room 3",
            "organizer_agency_id": self.agency_a.id,
            "company_id": self.company_a.id,
            "participant_ids": [
                Command.create(
                    {
                        "agency_id": agency.id,
                        "user_id": member.id,
                        "confidentiality_signed_on": "2026-05-01",
                    }
                )
                for agency, member in members
            ],
        }
        vals.update(values)
        Conference = self.env["dv.conference"]
        if user:
            Conference = Conference.with_user(user)
        return Conference.create(vals)


class ReferralCommon(DvCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Office", "tz": "Europe/Berlin", "company_id": cls.company_a.id}
        )
        cls.calendar._dv_load_public_holidays("NW", [2026])
        cls.office = cls.env["dv.agency"].create(
            {
                "name": "Test Intervention Office",
                "agency_type_id": cls.type_intake.id,
                "company_id": cls.company_a.id,
                "resource_calendar_id": cls.calendar.id,
                "first_contact_deadline": 3,
                "first_contact_deadline_unit": "working_days",
            }
        )
        cls.police = cls.agency_shared
        cls.office_worker = cls._new_member(
            "dv_test_office_worker", "caseworker", cls.office
        )
        cls.police_officer = cls._new_member(
            "dv_test_police", "network", cls.police, cls.company_a
        )
        cls.phone = cls.env.ref("dv_case_management.contact_channel_phone")

    def _inbound(self, user=None, **values):
        vals = {
            "source_type": "police",
            "from_agency_id": self.police.id,
            "to_agency_id": self.office.id,
            "company_id": self.company_a.id,
            "received_at": "2026-12-18 17:00:00",
            "police_reference": "PR-1",
            "legal_basis": "consent",
            "consent_date": "2026-12-18",
            "victim_name": "Vera Referred",
            "victim_phone": "+49 170 5550000",
        }
        vals.update(values)
        return (
            self.env["dv.referral"]
            .with_user(user or self.office_worker)
            .create(vals)
            .with_user(self.env.user)
        )

    def _attempt(self, referral, when, outcome, user=None):
        return (
            self.env["dv.contact.attempt"]
            .with_user(user or self.office_worker)
            .create(
                {
                    "referral_id": referral.id,
                    "attempted_at": when,
                    "channel_id": self.phone.id,
                    "outcome": outcome,
                }
            )
        )


@freeze_time("2026-06-01 08:00:00")
class PrivacyCommon(DvCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shelter = cls._new_agency("Privacy Shelter", "shelter")
        cls.shelter_worker = cls._new_member(
            "dv_test_privacy_shelter", "caseworker", cls.shelter
        )
        cls.other_coordinator = cls._new_member(
            "dv_test_privacy_other_coord",
            "coordinator",
            cls._new_agency("Other Office"),
        )
        cls.lead_coordinator = cls._new_member(
            "dv_test_privacy_lead_coord", "coordinator", cls.agency_a
        )
        cls.dpo = new_test_user(
            cls.env,
            login="dv_test_dpo",
            groups="dv_case_management.group_dv_dpo",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.case = cls._create_case()
        cls.purpose_referral = cls.env.ref(
            "dv_case_management.consent_purpose_referral"
        )

    def _consent(self, **values):
        vals = {
            "person_id": self.case.victim_id.id,
            "agency_ids": [Command.set(self.shelter.ids)],
            "purpose_ids": [Command.set(self.purpose_referral.ids)],
            "given_on": "2026-05-30",
        }
        vals.update(values)
        return self.env["dv.consent"].with_user(self.caseworker).create(vals)

    def _share(self, consent):
        share = (
            self.env["dv.share"]
            .with_user(self.caseworker)
            .create(
                {
                    "share_type": "share",
                    "case_id": self.case.id,
                    "to_agency_id": self.shelter.id,
                    "legal_basis": "consent",
                    "consent_id": consent.id,
                }
            )
        )
        share.with_user(self.shelter_worker).action_accept()
        return share


@freeze_time("2026-06-01 08:00:00")
class ConferenceCommon(DvCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coordinator_a = cls._new_member(
            "dv_test_conf_coordinator", "coordinator", cls.agency_a
        )
        cls.shelter = cls._new_agency("Conference Shelter", "shelter")
        cls.shelter_worker = cls._new_member(
            "dv_test_conf_shelter", "caseworker", cls.shelter
        )
        cls.outsider = cls._new_member(
            "dv_test_conf_outsider",
            "caseworker",
            cls._new_agency("Not Invited"),
        )
        cls.case = cls._create_case()
        cls.case.victim_id.name = "Vera Secret"
        cls.env["dv.person"].create(
            {"case_id": cls.case.id, "role": "child", "name": "Kid", "age_estimate": 5}
        )
        cls.adult_case = cls._create_case()

    def _conference(self, members=None, user=None, **values):
        """As ``DvCommon._conference``, by agency A's coordinator, who chairs
        it, with agency A and the shelter unless ``members`` are given."""
        if members is None:
            members = (
                (self.agency_a, self.coordinator_a),
                (self.shelter, self.shelter_worker),
            )
        values.setdefault("chair_id", self.coordinator_a.id)
        return super()._conference(members, user or self.coordinator_a, **values)

    def _held(self, conference):
        """Mark ``conference`` as held on its day."""
        with freeze_time(conference.start):
            conference.action_held()

    def _line(self, conference, case, **values):
        return (
            self.env["dv.conference.agenda.item"]
            .with_user(self.coordinator_a)
            .create(
                dict({"conference_id": conference.id, "case_id": case.id}, **values)
            )
        )

    def _contribute(self, line, text):
        """The shelter's return on ``line``, contributed unasked by its
        worker."""
        return (
            self.env["dv.conference.contribution"]
            .with_user(self.shelter_worker)
            .create({"line_id": line.id, "agency_id": self.shelter.id, "text": text})
        )


class JsonRpcMixin:
    """Calls of an HttpCase's session as the web client makes them: through
    /web/dataset/call_kw, in German unless ``lang`` says otherwise."""

    def _rpc_response(self, model, method, args, kwargs=None, lang="de_DE"):
        """The JSON-RPC answer to ``model.method``: ``result`` or ``error``."""
        kwargs = dict(kwargs or {})
        if lang:
            kwargs["context"] = {"lang": lang}
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        return response.json()

    def _rpc(self, model, method, args, kwargs=None, lang="de_DE"):
        """The result; an error raises JsonRpcException named after the
        error's class."""
        response = self._rpc_response(model, method, args, kwargs, lang)
        if "error" in response:
            raise JsonRpcException(
                code=response["error"]["code"],
                message=response["error"]["data"]["name"],
            )
        return response["result"]

    def _rpc_or_message(self, model, method, args, kwargs=None, lang="de_DE"):
        """``(result, None)``, or ``(None, the error's message as the user
        reads it)``."""
        response = self._rpc_response(model, method, args, kwargs, lang)
        if "error" in response:
            return None, response["error"]["data"]["message"]
        return response["result"], None
