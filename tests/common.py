from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

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
        cls.agency_b = cls.env["dv.agency"].create(
            {
                "name": "Test Counselling B",
                "agency_type_id": cls.type_counselling.id,
                "company_id": cls.company_b.id,
            }
        )
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
            "kind": "partner",
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
