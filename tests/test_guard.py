"""Fields nobody writes from outside (dv.guard.mixin): every model of the
addon is guarded, and its forms never offer to edit what the API refuses."""

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import DvCommon

# Models that hold case data or decide who reads it are guarded. Not so:
# configuration (agency types, instruments, retention rules, an office's
# registered senders, code tables), which belongs to managers
# and coordinators; the SQL views (overview, deadlines, triage list,
# caseload), which nobody writes; the logs (the sign-in log too) and the
# original e-mails of referrals, written by the addon only (users read them);
# agencies and their members, which have their own rules.
UNGUARDED = {
    "dv.access.log",
    "dv.agency",
    "dv.agency.member",
    "dv.agency.type",
    "dv.break.glass",
    "dv.case.flag.type",
    "dv.case.merge",
    "dv.caseload",
    "dv.closure.reason",
    "dv.consent.purpose",
    "dv.contact.channel",
    "dv.dashboard",
    "dv.deadline",
    "dv.disclosure",
    "dv.erasure.log",
    "dv.intake.sender",
    "dv.land.profile",
    "dv.membership.log",
    "dv.offence.group",
    "dv.perpetrator.measure.type",
    "dv.referral.original",
    "dv.retention.rule",
    "dv.risk.band",
    "dv.risk.instrument",
    "dv.risk.item",
    "dv.safety.step.type",
    "dv.service",
    "dv.signin.log",
    "dv.triage",
    "dv.turnaway.reason",
    "dv.waiting.reason",
}
TRUE = {"1", "True", "true"}


@tagged("post_install", "-at_install")
class TestGuard(TransactionCase):
    def _models(self):
        return [
            model
            for name, model in self.env.items()
            if name.startswith("dv.") and not model._abstract and not model._transient
        ]

    def test_every_model_is_guarded_or_listed(self):
        for model in self._models():
            with self.subTest(model=model._name):
                self.assertEqual(
                    hasattr(model, "_dv_prepare_create"),
                    model._name not in UNGUARDED,
                )

    def test_forms_never_offer_what_the_api_refuses(self):
        views = self.env["ir.ui.view"].search(
            [("model", "like", "dv.%"), ("type", "in", ("form", "list"))]
        )
        self.problems = []
        for view in views:
            model = self.env[view.model]
            arch = etree.fromstring(model.get_view(view.id, view.type)["arch"])
            if arch.tag == "list" and not arch.get("editable"):
                continue
            self._check(model, arch, view.xml_id or view.name)
        self.assertFalse(self.problems, "\n".join(self.problems))

    def _check(self, model, node, view_name, readonly_parent=False):
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "list" and not child.get("editable"):
                # Lines open in their own form, which is checked itself.
                continue
            if child.tag == "field" and child.get("name") in model._fields:
                field = model._fields[child.get("name")]
                readonly = child.get("readonly", "")
                if hasattr(model, "_dv_prepare_create"):
                    self._check_field(
                        model, field, readonly, view_name, readonly_parent
                    )
                if field.type in ("one2many", "many2many") and len(child):
                    comodel = self.env[field.comodel_name]
                    self._check(
                        comodel,
                        child,
                        view_name,
                        readonly_parent or readonly in TRUE,
                    )
                continue
            self._check(model, child, view_name, readonly_parent)

    def _check_field(self, model, field, readonly, view_name, readonly_parent):
        if readonly_parent or readonly in TRUE:
            return
        if field.name in model._dv_guarded_field_names():
            if field.name in model._dv_inverse_field_names():
                return
            if field.readonly and readonly not in ("0", "False", "false"):
                # Read-only in the model: the client never sends it.
                return
            self.problems.append(
                f"{view_name}: {model._name}.{field.name} is set by the application "
                "only, but the view lets the user edit it"
            )
        if (
            field.name in model._dv_immutable_fields
            and not field.readonly
            and "id" not in readonly
        ):
            self.problems.append(
                f"{view_name}: {model._name}.{field.name} cannot change after "
                "creation, but the view lets the user edit it on a saved record"
            )


class TestGuardedFields(DvCommon):
    """The findings of the hostile-insider review, one test each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._create_case()
        cls.foreign = cls._create_case(
            user=cls.caseworker_b,
            lead_agency_id=cls.agency_b.id,
            company_id=cls.company_b.id,
        )
        cls.other_victim = cls.foreign.victim_id

    def _refused(self, record, values):
        with self.assertRaises(UserError):
            record.write(values)

    def test_victim_of_a_case_cannot_be_pointed_elsewhere(self):
        case = self.case.with_user(self.caseworker)
        self._refused(case, {"victim_id": self.other_victim.id})
        self.assertEqual(self.case.victim_id.name, "Vera Victim")
        with self.assertRaises(AccessError):
            self.other_victim.with_user(self.caseworker).read(["name"])

    def test_protected_details_cannot_be_borrowed(self):
        person = self.case.victim_id.with_user(self.caseworker)
        other = self.other_victim.protected_id
        self._refused(person, {"protected_id": other.id})
        with self.assertRaises(UserError):
            self.env["dv.person"].with_user(self.caseworker).create(
                {
                    "case_id": self.case.id,
                    "name": "Borrower",
                    "protected_id": other.id,
                }
            )
        self.assertEqual(self.other_victim.protected_id, other)
        # Erasing one's own case leaves the other victim's details alone.
        self.case._erase("request", "test")
        self.assertTrue(other.exists())

    def test_records_do_not_move_between_cases(self):
        own_other = self._create_case()
        incident = self.env["dv.incident"].create(
            {"case_id": self.case.id, "date": fields.Datetime.now()}
        )
        for record, values in (
            (self.case.victim_id, {"case_id": own_other.id}),
            (incident, {"case_id": own_other.id}),
            (self.case, {"lead_agency_id": self.agency_shared.id}),
            (self.case, {"company_id": self.company_b.id}),
        ):
            with self.subTest(model=record._name, values=values):
                self._refused(record.with_user(self.caseworker), values)

    def test_links_point_into_the_own_case(self):
        Session = self.env["dv.session"].with_user(self.caseworker)
        with self.assertRaises(UserError):
            Session.create(
                {
                    "case_id": self.case.id,
                    "person_id": self.other_victim.id,
                    "agency_id": self.agency_a.id,
                }
            )

    def test_state_is_written_by_the_buttons_only(self):
        case = self.case.with_user(self.caseworker).with_context(lang="de_DE")
        self.env["res.lang"]._activate_lang("de_DE")
        with self.assertRaises(UserError) as caught:
            case.write({"state": "closed"})
        self.assertIn("Schaltflächen", str(caught.exception))
        self.assertEqual(self.case.state, "new")
        case.action_start()
        self.assertEqual(self.case.state, "in_progress")

    def test_consent_is_a_record(self):
        consent = self.env["dv.consent"].create(
            {
                "person_id": self.case.victim_id.id,
                "agency_ids": [Command.set(self.agency_shared.ids)],
                "purpose_ids": [
                    Command.set(
                        self.env.ref("dv_case_management.consent_purpose_referral").ids
                    )
                ],
                "given_on": "2026-01-01",
            }
        )
        for values in (
            {"agency_ids": [Command.link(self.agency_b.id)]},
            {"valid_until": "2099-12-31"},
            {"person_id": self.case.person_ids[-1].id},
            {"withdrawn_on": False},
        ):
            with self.subTest(values=values):
                self._refused(consent.with_user(self.caseworker), values)
