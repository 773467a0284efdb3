"""Hostile insiders, generated from the models' fields.

Users of a partner agency, its coordinator, a police officer and a case
worker of another company each hold records of their own of every kind.
For every model of the addon and every field a write can point somewhere
(many2one, many2many, selection, boolean, date), the test writes values
pointing at records of another agency and another company into their own
records, creates records carrying them, and calls every public method on
their own and on the others' records: through the ORM as that user and
through Odoo's JSON-RPC as that user logged in. Every attempt starts from a
cold rule cache. After each one, the cases, people, protected details,
messages and attachments of the other agencies that the user can read must
not have grown, and a refusal must be a clear error (Odoo's UserError family,
in German); over JSON-RPC a refused call leaves the record as it was.

A field added tomorrow is attacked by the same loops."""

import inspect
import logging
from datetime import date

import psycopg2

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import GROUP, ConferenceCommon, DvCommon, JsonRpcMixin

_logger = logging.getLogger(__name__)

# Fields whose values cannot reach other records or decide access.
SKIPPED_TYPES = {"char", "text", "html", "integer", "float", "monetary", "binary"}
MAGIC = {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name"}
# Methods that are no user actions (Odoo's own public API).
SKIPPED_METHODS = {"action_archive", "action_unarchive"}
# Models not under attack here: configuration is the manager's, the logs
# are append-only (tested in test_privacy), the overview is a database
# view.
SKIPPED_MODELS = {
    "dv.agency.type",
    "dv.service",
    "dv.land.profile",
    "dv.offence.group",
    "dv.closure.reason",
    "dv.contact.channel",
    "dv.consent.purpose",
    "dv.risk.instrument",
    "dv.risk.item",
    "dv.risk.band",
    "dv.safety.step.type",
    "dv.perpetrator.measure.type",
    "dv.case.flag.type",
    "dv.waiting.reason",
    "dv.turnaway.reason",
    "dv.retention.rule",
    "dv.dashboard",
    "dv.access.log",
    "dv.disclosure",
    "dv.erasure.log",
}


class _Rollback(Exception):
    pass


class AdversarialCommon(DvCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        env = cls.env
        agency_type = env.ref("dv_case_management.agency_type_shelter")
        referral_purpose = env.ref("dv_case_management.consent_purpose_referral")
        instrument = env.ref("dv_case_management.risk_instrument_screening")
        # The others: agency A leads cases (one of them shared with the
        # attackers' shelter), agency B in the other company.
        # Records that exist already (the demo's, in a demo database, and
        # those of the common set-up) are no one's here.
        existing = cls._snapshot(env)
        cls.lead_coordinator = cls._new_member(
            "dv_adv_lead_coord", "coordinator", cls.agency_a
        )
        cls.shelter = env["dv.agency"].create(
            {
                "name": "Adversarial Shelter",
                "agency_type_id": agency_type.id,
                "company_id": cls.company_a.id,
            }
        )
        cls.victims_case = cls._world(
            cls.caseworker, cls.agency_a, cls.company_a, "Alpha"
        )
        cls.other_company_case = cls._world(
            cls.caseworker_b, cls.agency_b, cls.company_b, "Bravo"
        )
        # A case of agency A shared with the shelter: the shelter reads it,
        # never its protected details.
        cls.shared_case = cls._world(
            cls.caseworker, cls.agency_a, cls.company_a, "Charlie"
        )
        # Text of the others that must never reach an attacker, however
        # indirectly (a display name, a related or computed field).
        cls.canaries = [
            f"{label} {kind}"
            for label in ("Alpha", "Bravo")
            for kind in (
                "Victim",
                "Child",
                "Perpetrator",
                "Street",
                "note",
                "file",
                "flag detail",
            )
        ] + ["Charlie Street", "Charlie note", "Charlie file"]
        # The shelter reads the shared case and so its handling instructions
        # ("Charlie flag detail"), on the case's banner too.
        consent = env["dv.consent"].create(
            {
                "person_id": cls.shared_case.victim_id.id,
                "agency_ids": [Command.set(cls.shelter.ids)],
                "purpose_ids": [Command.set(referral_purpose.ids)],
                "given_on": "2026-01-02",
            }
        )
        share = env["dv.share"].create(
            {
                "case_id": cls.shared_case.id,
                "to_agency_id": cls.shelter.id,
                "legal_basis": "consent",
                "consent_id": consent.id,
            }
        )
        share.action_accept()
        # A conference of agency A with the shelter: an action for the
        # shelter on the victim's case.
        conference = (
            env["dv.conference"]
            .with_context(dv_no_agenda_proposal=True)
            .create(
                {
                    "start": "2026-06-10 08:00:00",
                    "organizer_agency_id": cls.agency_a.id,
                    "chair_id": cls.lead_coordinator.id,
                    "company_id": cls.company_a.id,
                }
            )
        )
        line = env["dv.conference.agenda.item"].create(
            {"conference_id": conference.id, "case_ref_id": cls.victims_case.id}
        )
        env["dv.conference.action"].create(
            {
                "line_id": line.id,
                "name": "Check the weapons licence",
                "owner_agency_id": cls.shelter.id,
                "due_date": "2026-07-01",
            }
        )
        env["dv.conference.contribution"].create(
            {
                "line_id": line.id,
                "agency_id": cls.agency_a.id,
                "text": "Facts",
                "concerns": "Alpha note of the lead agency's concerns",
            }
        )
        # A return still asked of the police, and why the victim was not
        # told: the organiser's and the lead agency's only.
        env["dv.conference.contribution"].create(
            {
                "line_id": line.id,
                "agency_id": cls.agency_shared.id,
                "state": "requested",
                "due_date": "2026-06-05",
            }
        )
        env["dv.conference.victim.notice"].create(
            {
                "line_id": line.id,
                "user_id": cls.caseworker.id,
                "stage": "before",
                "outcome": "not_informed",
                "reason": "Alpha note why she was not told",
            }
        )
        env["dv.risk.assessment"].create(
            {"case_id": cls.victims_case.id, "instrument_id": instrument.id}
        )
        env["dv.break.glass"].create(
            {
                "case_id": cls.victims_case.id,
                "user_id": cls.lead_coordinator.id,
                "reason": "Emergency of the lead agency itself",
                "expires_at": "2026-01-01 00:00:00",
            }
        )
        # The staff hours of agency A; its new case is on agency A's
        # triage list and in its caseload.
        env["dv.capacity.period"].create(
            {
                "agency_id": cls.agency_a.id,
                "date_from": "2026-01-01",
                "date_to": "2026-03-31",
                "staff_hours": 480,
            }
        )
        # Everything so far belongs to the others.
        cls.foreign = {
            name: ids - existing[name] for name, ids in cls._snapshot(env).items()
        }
        # Agencies and users of the others are the common set-up's.
        cls.foreign["dv.agency"] = set((cls.agency_a | cls.agency_b).ids)
        others = (cls.agency_a | cls.agency_b).ids
        cls.assets = {
            # The others' triage lists, caseloads and staff hours.
            "dv.triage": env["dv.triage"].search([("agency_id", "in", others)]).ids,
            "dv.caseload": env["dv.caseload"].search([("agency_id", "in", others)]).ids,
            "dv.capacity.period": env["dv.capacity.period"]
            .search([("agency_id", "in", others)])
            .ids,
            "dv.case": (
                cls.victims_case | cls.other_company_case | cls.shared_case
            ).ids,
            "dv.person": (
                cls.victims_case | cls.other_company_case | cls.shared_case
            ).person_ids.ids,
            "dv.person.protected": (
                cls.victims_case | cls.other_company_case | cls.shared_case
            ).person_ids.protected_id.ids,
            "mail.message": env["mail.message"]
            .search(
                [
                    ("model", "=", "dv.case"),
                    ("res_id", "in", (cls.victims_case | cls.other_company_case).ids),
                ]
            )
            .ids,
            "ir.attachment": env["ir.attachment"]
            .search(
                [
                    ("res_model", "=", "dv.case"),
                    ("res_id", "in", (cls.victims_case | cls.other_company_case).ids),
                ]
            )
            .ids,
        }
        # The attackers: staff of the shelter, a police officer, a case
        # worker of the other company; each with a case and records of
        # their own.
        cls.attackers = {
            "shelter case worker": cls._attacker(
                "dv_adv_shelter_cw", "caseworker", cls.shelter
            ),
            "shelter coordinator": cls._attacker(
                "dv_adv_shelter_coord", "coordinator", cls.shelter
            ),
            "shelter network partner": cls._attacker(
                "dv_adv_shelter_np", "network", cls.shelter
            ),
            "police officer": cls._attacker(
                "dv_adv_police", "network", cls.agency_shared
            ),
            "other company's case worker": cls._attacker(
                "dv_adv_b_caseworker",
                "caseworker",
                env["dv.agency"].create(
                    {
                        "name": "Other Company's Counselling",
                        "agency_type_id": cls.type_counselling.id,
                        "company_id": cls.company_b.id,
                    }
                ),
                cls.company_b,
            ),
        }
        own_case = cls._world(
            cls.attackers["shelter case worker"], cls.shelter, cls.company_a, "Own"
        )
        cls.own_conference = (
            env["dv.conference"]
            .with_context(dv_no_agenda_proposal=True)
            .create(
                {
                    "start": "2026-06-11 08:00:00",
                    "organizer_agency_id": cls.shelter.id,
                    "chair_id": cls.attackers["shelter coordinator"].id,
                    "company_id": cls.company_a.id,
                }
            )
        )
        own_line = env["dv.conference.agenda.item"].create(
            {"conference_id": cls.own_conference.id, "case_ref_id": own_case.id}
        )
        env["dv.conference.action"].create(
            {
                "line_id": own_line.id,
                "name": "Safety plan",
                "owner_agency_id": cls.shelter.id,
                "due_date": "2026-07-01",
            }
        )
        env["dv.conference.contribution"].create(
            [
                {"line_id": own_line.id, "agency_id": cls.shelter.id, "text": "Facts"},
                {
                    "line_id": own_line.id,
                    "agency_id": cls.shelter.id,
                    "state": "requested",
                    "due_date": "2026-06-05",
                },
            ]
        )
        env["dv.conference.victim.notice"].create(
            {
                "line_id": own_line.id,
                "user_id": cls.attackers["shelter case worker"].id,
                "stage": "before",
                "outcome": "informed",
                "channel": "phone",
            }
        )
        env["dv.conference.participant"].create(
            {
                "conference_id": cls.own_conference.id,
                "agency_id": cls.shelter.id,
                "user_id": cls.attackers["shelter coordinator"].id,
            }
        )
        env["dv.risk.assessment"].create(
            {"case_id": own_case.id, "instrument_id": instrument.id}
        )
        cls.own_case = own_case

    @classmethod
    def _snapshot(cls, env):
        return {
            name: set(env[name].sudo().with_context(active_test=False).search([]).ids)
            for name in cls._attacked_models(env)
        }

    @classmethod
    def _attacked_models(cls, env):
        return [
            name
            for name, model in env.items()
            if name.startswith("dv.")
            and not model._abstract
            and not model._transient
            and name not in SKIPPED_MODELS
        ]

    @classmethod
    def _attacker(cls, login, role, agency, company=None):
        company = company or cls.company_a
        user = new_test_user(
            cls.env,
            login=login,
            groups=GROUP % role,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            lang="de_DE",
        )
        cls.env["dv.agency.member"].create({"agency_id": agency.id, "user_id": user.id})
        return user

    @classmethod
    def _world(cls, user, agency, company, label):
        """A case with every kind of record, as its lead agency has it."""
        env = cls.env
        case = env["dv.case"].create(
            {
                "lead_agency_id": agency.id,
                "company_id": company.id,
                "user_id": user.id,
                "person_ids": [
                    Command.create(
                        {
                            "role": "victim",
                            "name": f"{label} Victim",
                            "phone": "+49 170 5550000",
                            "street": f"{label} Street 1",
                            "safe_to_call": True,
                        }
                    ),
                    Command.create(
                        {"role": "child", "name": f"{label} Child", "age_estimate": 5}
                    ),
                    Command.create(
                        {"role": "perpetrator", "name": f"{label} Perpetrator"}
                    ),
                ],
            }
        )
        env["dv.incident"].create({"case_id": case.id, "date": "2026-01-03 10:00:00"})
        env["dv.session"].create(
            {"case_id": case.id, "person_id": case.victim_id.id, "agency_id": agency.id}
        )
        env["dv.police.measure"].create(
            {
                "case_id": case.id,
                "measure_type": "eviction",
                "date_start": "2026-01-03",
            }
        )
        env["dv.protection.order"].create(
            {"case_id": case.id, "section": "s1", "act_date": "2026-01-03"}
        )
        env["dv.consent"].create(
            {
                "person_id": case.victim_id.id,
                "agency_ids": [Command.set(agency.ids)],
                "purpose_ids": [
                    Command.set(
                        env.ref("dv_case_management.consent_purpose_counselling").ids
                    )
                ],
                "given_on": "2026-01-02",
            }
        )
        referral = env["dv.referral"].create(
            {
                "from_agency_id": cls.agency_shared.id
                if agency != cls.agency_shared
                else False,
                "to_agency_id": agency.id,
                "company_id": company.id,
                "legal_basis": "statute",
                "legal_norm": "§ 34a PolG NRW",
                "received_at": "2026-01-03 11:00:00",
            }
        )
        referral._dv_system_write({"case_id": case.id})
        env["dv.contact.attempt"].create(
            {
                "referral_id": referral.id,
                "attempted_at": "2026-01-03 12:00:00",
                "channel_id": env.ref("dv_case_management.contact_channel_phone").id,
                "outcome": "no_answer",
            }
        )
        plan = env["dv.safety.plan"].create(
            {"case_id": case.id, "note": f"{label} note of the safety plan"}
        )
        env["dv.safety.plan.step"].create(
            {
                "plan_id": plan.id,
                "step_type_id": env.ref("dv_case_management.safety_step_code_word").id,
                "owner": "person",
                "owner_person_id": case.victim_id.id,
                "note": f"{label} note of a step",
            }
        )
        env["dv.perpetrator.measure"].create(
            {
                "case_id": case.id,
                "type_id": env.ref(
                    "dv_case_management.perpetrator_measure_weapons_check"
                ).id,
                "person_id": case.person_ids.filtered(
                    lambda p: p.role == "perpetrator"
                ).id,
                "agency_id": cls.agency_shared.id,
                "outcome_note": f"{label} note of a measure",
            }
        )
        case.sudo().last_conference_date = "2026-01-05"
        env["dv.case.followup"]._plan_for_cases(case)
        case.followup_ids[:1].write({"note": f"{label} note of a follow-up"})
        env["dv.case.flag"].create(
            {
                "case_id": case.id,
                "type_id": env.ref("dv_case_management.case_flag_type_interpreter").id,
                "note": f"{label} flag detail",
            }
        )
        # A request awaiting the four-eyes approval (made as the request
        # method makes it).
        env["dv.case.approval"].sudo().create(
            {
                "case_id": case.id,
                "request_type": "close",
                "reason": f"{label} reason of a request",
                "closure_reason_id": env.ref(
                    "dv_case_management.closure_reason_completed"
                ).id,
                "outcome_abuse": "stopped",
                "outcome_safety": "better",
                "outcome": f"{label} outcome of a request",
                "requested_by_id": user.id,
                "requested_on": "2026-01-06 09:00:00",
            }
        )
        case.message_post(body=f"{label} note only the lead agency reads")
        env["ir.attachment"].create(
            {
                "name": f"{label} file.txt",
                "raw": b"statement",
                "res_model": "dv.case",
                "res_id": case.id,
            }
        )
        return case

    # Measuring

    def _cold(self):
        self.env.invalidate_all()
        self.env.registry.clear_cache()

    def _readable(self, user):
        """The others' assets ``user`` can read now."""
        readable = {}
        for model, ids in self.assets.items():
            Model = self.env[model].with_user(user).with_context(active_test=False)
            if not Model.has_access("read"):
                readable[model] = set()
                continue
            readable[model] = set(Model.search([("id", "in", ids)]).ids)
        return readable

    def _grown(self, user, baseline):
        now = self._readable(user)
        return {
            model: sorted(ids - baseline[model])
            for model, ids in now.items()
            if ids - baseline[model]
        }

    def _leaked(self, user, records):
        """The others' texts that reading ``records`` as ``user`` shows."""
        if not isinstance(records, models.BaseModel) or not records:
            return []
        records = records.with_user(user).with_context(active_test=False)
        try:
            text = str(records.read())
        except UserError:
            # Field by field: what the user may read of them.
            values = []
            for fname in records._fields:
                try:
                    values.append(records.read([fname]))
                except UserError:
                    continue
            text = str(values)
        return [canary for canary in self.canaries if canary in text]

    # The attempts, from the fields

    def _targets(self, user, comodel):
        """Records of ``comodel`` that belong to the others and that the user
        cannot read: what an attacker points a field at."""
        if comodel in self.foreign:
            ids = sorted(self.foreign[comodel])
        elif comodel == "res.company":
            ids = self.company_b.ids
        elif comodel == "res.users":
            ids = (self.caseworker | self.caseworker_b | self.lead_coordinator).ids
        elif comodel == "ir.attachment":
            ids = self.assets["ir.attachment"]
        else:
            return []
        records = self.env[comodel].browse(ids).with_user(user)
        unreadable = records - records._filtered_access("read")
        return unreadable.ids[:2] or ids[:1]

    def _attempts(self, user, model_name):
        """(label, function) pairs: writes and creations of the user's own
        records carrying the others' records, and the model's public
        methods on own and foreign records."""
        Model = self.env[model_name].with_user(user)
        own = (
            Model.with_context(active_test=False).search(
                [("id", "not in", sorted(self.foreign.get(model_name, ())))], limit=1
            )
            if Model.has_access("read")
            else Model
        )
        own = own._filtered_access("write") if own else own
        foreign_ids = sorted(self.foreign.get(model_name, ()))
        attempts = []
        for name, field in Model._fields.items():
            if name in MAGIC or field.type in SKIPPED_TYPES:
                continue
            if not (field.store or field.inverse):
                continue
            for value in self._values(user, field):
                if own:
                    attempts.append(
                        (
                            f"write {name}={value!r}",
                            lambda r=own, v={name: value}: r.write(v) and r,
                        )
                    )
                if own and Model.has_access("create"):
                    attempts.append(
                        (
                            f"create with {name}={value!r}",
                            lambda r=own, n=name, v=value: self._create_like(r, n, v),
                        )
                    )
        # The web client calls a button on one record.
        targets = [("own", own[:1])] + [
            (f"foreign {record_id}", Model.browse(record_id))
            for record_id in foreign_ids[:1] + foreign_ids[-1:]
        ]
        for method in self._public_methods(Model):
            for label, records in targets:
                if records:
                    attempts.append(
                        (
                            f"{method} on {label}",
                            lambda r=records, m=method: (getattr(r, m)(), r)[1],
                        )
                    )
        return attempts

    def _values(self, user, field):
        if field.type == "many2one":
            return self._targets(user, field.comodel_name)
        if field.type == "many2many":
            return [
                [Command.link(target)]
                for target in self._targets(user, field.comodel_name)
            ]
        if field.type == "one2many":
            return [
                [Command.link(target)]
                for target in self._targets(user, field.comodel_name)
            ][:1]
        if field.type == "selection":
            selection = field.selection
            if callable(selection) or isinstance(selection, str):
                return []
            return [key for key, _label in selection]
        if field.type == "boolean":
            return [True, False]
        if field.type == "date":
            return [date(2099, 12, 31)]
        if field.type == "datetime":
            return [fields.Datetime.to_datetime("2099-12-31 00:00:00")]
        return []

    def _create_like(self, record, name, value):
        """A new record like ``record`` (its copyable values) with ``name`` set
        to ``value``."""
        values = record.sudo().copy_data()[0]
        guarded = (
            record._dv_guarded_field_names()
            if hasattr(record, "_dv_guarded_field_names")
            else set()
        )
        values = {k: v for k, v in values.items() if k not in guarded}
        values[name] = value
        return record.browse().create(values)

    def _public_methods(self, Model):
        methods = []
        for name in dir(type(Model)):
            if not name.startswith("action_") or name in SKIPPED_METHODS:
                continue
            function = getattr(type(Model), name)
            if not callable(function):
                continue
            parameters = list(inspect.signature(function).parameters.values())[1:]
            if any(
                p.default is inspect.Parameter.empty
                and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                for p in parameters
            ):
                continue
            methods.append(name)
        return methods


@tagged("post_install", "-at_install")
class TestAdversarialOrm(AdversarialCommon):
    def test_writes_creations_and_methods_never_widen_reads(self):
        failures = []
        count = 0
        for who, user in self.attackers.items():
            self._cold()
            baseline = self._readable(user)
            self.assertFalse(
                baseline["dv.person.protected"],
                f"{who} reads protected details before any attempt",
            )
            for model_name in self._attacked_models(self.env):
                for label, attempt in self._attempts(user, model_name):
                    count += 1
                    problem = self._try(user, baseline, attempt)
                    if problem:
                        failures.append(f"{who}, {model_name}, {label}: {problem}")
        _logger.info("%d attempts through the ORM", count)
        self.assertGreater(count, 500)
        self.assertFalse(failures, "\n".join(failures))

    @mute_logger("odoo.sql_db", "odoo.models.unlink")
    def _try(self, user, baseline, attempt):
        """None, or what went wrong. A refused attempt is rolled back whole,
        as Odoo rolls back a request that fails; one that went through must
        not have widened what the user reads."""
        problem = None
        try:
            with self.env.cr.savepoint():
                self._cold()
                try:
                    touched = attempt()
                    self.env.flush_all()
                except UserError as error:
                    if not str(error):
                        problem = "refused without a message"
                    raise _Rollback from error
                self._cold()
                grown = self._grown(user, baseline)
                if grown:
                    problem = f"now reads {grown}"
                leaked = self._leaked(user, touched)
                if leaked:
                    problem = f"now reads {leaked} through the record"
                raise _Rollback
        except _Rollback:
            _logger.debug("attempt rolled back")
        except psycopg2.IntegrityError as error:
            # A database constraint (unique, not null); over JSON-RPC Odoo
            # answers it with a readable message (TestAdversarialJsonRpc).
            _logger.debug("refused by the database: %s", error.pgcode)
        except Exception as error:
            problem = f"unclear error {type(error).__name__}: {error}"
        self.env.invalidate_all(flush=False)
        self.env.transaction.clear()
        return problem


@tagged("post_install", "-at_install")
class TestAdversarialJsonRpc(JsonRpcMixin, HttpCase, AdversarialCommon):
    """The same writes and method calls through /web/dataset/call_kw, as the
    web client sends them."""

    def test_json_rpc_attacks(self):
        failures = []
        count = 0
        # The ORM test attacks with every role; over HTTP, one of each kind
        # of agency is enough to prove the path the same.
        for who in (
            "shelter case worker",
            "shelter network partner",
            "other company's case worker",
        ):
            user = self.attackers[who]
            self.authenticate(user.login, user.login)
            self._cold()
            baseline = self._readable(user)
            for model_name in self._attacked_models(self.env):
                for call in self._calls(user, model_name):
                    count += 1
                    problem = self._try_rpc(user, baseline, call)
                    if problem:
                        failures.append(f"{who}, {model_name}, {call[:3]}: {problem}")
        _logger.info("%d attempts over JSON-RPC", count)
        self.assertGreater(count, 150)
        self.assertFalse(failures, "\n".join(failures))

    def _calls(self, user, model_name):
        """(model, method, args, record) for writes pointing at the others'
        records and for the public methods on the others' records."""
        Model = self.env[model_name].with_user(user)
        own = (
            Model.with_context(active_test=False).search(
                [("id", "not in", sorted(self.foreign.get(model_name, ())))], limit=1
            )
            if Model.has_access("read")
            else Model
        )
        foreign = Model.browse(sorted(self.foreign.get(model_name, ()))[:1])
        calls = []
        for name, field in Model._fields.items():
            if name in MAGIC or field.type not in (
                "many2one",
                "many2many",
                "selection",
            ):
                continue
            if not (field.store or field.inverse):
                continue
            for value in self._values(user, field):
                for record in (own, foreign):
                    if record:
                        calls.append(
                            (model_name, "write", [record.ids, {name: value}], record)
                        )
        for method in self._public_methods(Model):
            if getattr(getattr(type(Model), method), "_api", None) == "model":
                # A model method takes no records.
                calls.append((model_name, method, [], foreign or own))
            elif foreign:
                calls.append((model_name, method, [foreign.ids], foreign))
        return calls

    def _try_rpc(self, user, baseline, call):
        model, method, args, record = call
        before = record.sudo().with_context(active_test=False).read()
        cr = self.env.cr
        cr.execute("SAVEPOINT dv_adversarial")
        problem = None
        try:
            self._cold()
            try:
                self._rpc(model, method, args)
            except JsonRpcException as error:
                name = error.args[0] if error.args else ""
                if not (
                    "odoo.exceptions" in str(name)
                    or ("psycopg2.errors" in str(name) and "Violation" in str(name))
                ):
                    problem = f"unclear error {name}"
                self.env.invalidate_all()
                after = record.sudo().with_context(active_test=False).read()
                if after != before:
                    problem = "half-saved after a refusal"
            self._cold()
            grown = self._grown(user, baseline)
            if grown:
                problem = f"now reads {grown}"
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT dv_adversarial")
            self.env.invalidate_all()
        return problem


@tagged("post_install", "-at_install")
class TestAdversarialDuplicates(JsonRpcMixin, HttpCase, AdversarialCommon):
    """The duplicate search and the merge: another agency and another
    company can neither see candidates of agency A, nor merge its cases, nor
    point the wizards at them, through the ORM and over JSON-RPC."""

    ATTACKERS = ("shelter case worker", "other company's case worker")

    def _own_case(self, user):
        agency = user.dv_agency_ids[:1]
        own = (
            self.env["dv.case"]
            .sudo()
            .search([("lead_agency_id", "=", agency.id)], limit=1)
        )
        return own or self._world(user, agency, agency.company_id, "Mine")

    def test_orm(self):
        # A's case worker has a finder with lines naming A's victims.
        twin = self._world(self.caseworker, self.agency_a, self.company_a, "Alpha")
        finder = (
            self.env["dv.duplicate.finder"]
            .with_user(self.caseworker)
            .create({"agency_id": self.agency_a.id})
        )
        finder.action_search()
        self.assertTrue(finder.line_ids, "agency A's case worker finds the twin")
        foreign = self.victims_case
        for who in self.ATTACKERS:
            user = self.attackers[who]
            own = self._own_case(user)
            with self.subTest(who=who):
                # No search in agency A, no candidates of A in her own search.
                with self.assertRaises(UserError):
                    self.env["dv.duplicate.finder"].with_user(user).create(
                        {"agency_id": self.agency_a.id}
                    )
                mine = (
                    self.env["dv.duplicate.finder"]
                    .with_user(user)
                    .create({"agency_id": user.dv_agency_ids[:1].id, "min_score": 0})
                )
                mine.action_search()
                with self.assertRaises(UserError):
                    mine.write({"agency_id": self.agency_a.id})
                with self.assertRaises(UserError):
                    mine.write(
                        {
                            "line_ids": [
                                Command.create(
                                    {
                                        "person_id": foreign.victim_id.id,
                                        "duplicate_person_id": twin.victim_id.id,
                                    }
                                )
                            ]
                        }
                    )
                seen = mine.line_ids.sudo().mapped(
                    lambda line: line.case_id | line.duplicate_case_id
                )
                self.assertFalse(seen & (foreign | twin | self.other_company_case))
                # Another's search and its lines stay hers.
                self.assertFalse(
                    self.env["dv.duplicate.finder.line"]
                    .with_user(user)
                    .search([("id", "in", finder.line_ids.ids)])
                )
                with self.assertRaises(UserError):
                    finder.line_ids.with_user(user).read(["person_id"])
                # No merge of A's cases, in either direction.
                for kept, duplicate in (
                    (own, foreign),
                    (foreign, own),
                    (foreign, twin),
                ):
                    with self.assertRaises(UserError):
                        kept.with_user(user)._dv_merge(duplicate.with_user(user), "x")
                    with self.assertRaises(UserError):
                        self.env["dv.case.merge.wizard"].with_user(user).create(
                            {
                                "case_id": kept.id,
                                "duplicate_case_id": duplicate.id,
                                "reason": "x",
                            }
                        )
                    new = (
                        self.env["dv.case.merge.wizard"]
                        .with_user(user)
                        .new({"case_id": kept.id, "duplicate_case_id": duplicate.id})
                    )
                    self.assertFalse(new.victim_name or new.duplicate_victim_name)
                    self.assertFalse(new.reasons)
                with self.assertRaises(UserError):
                    foreign.with_user(user).action_open_merge_wizard()
        self.assertTrue(foreign.active)
        self.assertFalse(foreign.merged_into_id)
        self.assertFalse(self.env["dv.case.merge"].search([]))

    def test_json_rpc(self):
        foreign = self.victims_case
        for who in self.ATTACKERS:
            user = self.attackers[who]
            own = self._own_case(user)
            self.authenticate(user.login, user.login)
            with self.subTest(who=who):
                calls = [
                    (
                        "dv.duplicate.finder",
                        "create",
                        [{"agency_id": self.agency_a.id}],
                    ),
                    (
                        "dv.case.merge.wizard",
                        "create",
                        [
                            {
                                "case_id": own.id,
                                "duplicate_case_id": foreign.id,
                                "reason": "x",
                            }
                        ],
                    ),
                    ("dv.case", "action_open_merge_wizard", [foreign.ids]),
                ]
                for model, method, args in calls:
                    with self.assertRaises(JsonRpcException) as caught:
                        self._rpc(model, method, args)
                    self.assertIn("odoo.exceptions", str(caught.exception.args[0]))
                # The form's onchange with the foreign case shows nothing of it.
                answer = self._rpc(
                    "dv.case.merge.wizard",
                    "onchange",
                    [
                        [],
                        {"case_id": own.id, "duplicate_case_id": foreign.id},
                        ["duplicate_case_id"],
                        {
                            "case_id": {"fields": {"display_name": {}}},
                            "duplicate_case_id": {},
                            "allowed": {},
                            "victim_name": {},
                            "duplicate_victim_name": {},
                            "score": {},
                            "reasons": {},
                        },
                    ],
                )
                text = str(answer)
                for canary in self.canaries:
                    self.assertNotIn(canary, text)
                self.assertNotIn("Alpha", text)
        self.assertTrue(foreign.active)
        self.assertFalse(self.env["dv.case.merge"].search([]))


@tagged("post_install", "-at_install")
class TestAdversarialConstraintOracles(JsonRpcMixin, HttpCase, ConferenceCommon):
    """Odoo checks the constraints of a new record before its record rules,
    and those of a write before the guard's check after it: a constraint
    that looks beyond the record (another office's periods, another
    conference's agencies) must not answer an outsider any differently from
    the access error she gets anyway. Found in review."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["dv.agency.member"].create(
            {"agency_id": cls.agency_b.id, "user_id": cls.coordinator_b.id}
        )

    def _answers(self, model, calls):
        """{method: {(the error's class, its message)}} of ``calls``, each
        refused."""
        answers = {}
        for method, args in calls:
            response = self._rpc_response(model, method, args)
            self.assertIn("error", response, f"{method} {args} was not refused")
            error = response["error"]["data"]
            answers.setdefault(method, set()).add((error["name"], error["message"]))
        return answers

    def _assert_one_access_error_each(self, answers):
        for method, errors in answers.items():
            with self.subTest(method=method):
                self.assertEqual(len(errors), 1, f"different answers: {errors}")
                self.assertEqual(
                    next(iter(errors))[0], "odoo.exceptions.AccessError", errors
                )

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_staff_hours_of_another_office_tell_nothing(self):
        """Another company's coordinator learns nothing of agency A's staff
        hours by creating or moving a period there: overlapping or not, the
        answer is the same access error."""
        Period = self.env["dv.capacity.period"]
        Period.with_user(self.coordinator).create(
            {
                "agency_id": self.agency_a.id,
                "date_from": "2026-12-01",
                "date_to": "2026-12-31",
                "staff_hours": 320,
            }
        )
        own = Period.with_user(self.coordinator_b).create(
            {
                "agency_id": self.agency_b.id,
                "date_from": "2026-01-01",
                "date_to": "2026-01-31",
                "staff_hours": 1,
            }
        )
        self.authenticate(self.coordinator_b.login, self.coordinator_b.login)
        calls = []
        for date_from, date_to in (
            ("2026-12-10", "2026-12-12"),  # A has a period then
            ("2027-03-01", "2027-03-02"),  # A has none
        ):
            values = {
                "agency_id": self.agency_a.id,
                "date_from": date_from,
                "date_to": date_to,
            }
            calls += [
                ("create", [dict(values, staff_hours=1)]),
                ("write", [[own.id], values]),
            ]
        self._assert_one_access_error_each(self._answers("dv.capacity.period", calls))
        self.env.invalidate_all()
        self.assertEqual(own.agency_id, self.agency_b)
        self.assertEqual(Period.search_count([("agency_id", "=", self.agency_a.id)]), 1)

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_victim_notices_of_another_conference_tell_nothing(self):
        """An outsider (an agency not invited, another company's case worker)
        learns nothing of agency A's conference by recording whether the
        victim was told on its agenda items: not which agencies take part or
        lead the case, not whether it was held, not whether a notice exists;
        every attempt gets the same access error."""
        conference = self._conference()
        line = conference.line_ids.filtered(
            lambda x: x.sudo().case_ref_id == self.case
        ) or self._line(conference, self.case)
        other_line = conference.line_ids.filtered(
            lambda x: x.sudo().case_ref_id == self.adult_case
        ) or self._line(conference, self.adult_case)
        self.env["dv.conference.victim.notice"].with_user(self.coordinator_a).create(
            {
                "line_id": line.id,
                "stage": "before",
                "outcome": "informed",
                "date": "2026-06-01",
                "channel": "phone",
                "agency_id": self.agency_a.id,
            }
        )
        for attacker in (self.outsider, self.caseworker_b):
            own_agency = attacker.dv_agency_ids[:1]
            calls = []
            for target, stage, agency in (
                (line, "before", self.shelter),  # takes part
                (line, "before", self.agency_a),  # organises, leads the case
                (line, "before", own_agency),  # neither
                (other_line, "before", own_agency),  # no notice there yet
                (line, "after", own_agency),  # not held yet
            ):
                calls.append(
                    (
                        "create",
                        [
                            {
                                "line_id": target.id,
                                "stage": stage,
                                "outcome": "informed",
                                "date": "2026-06-01",
                                "channel": "phone",
                                "agency_id": agency.id,
                            }
                        ],
                    )
                )
            with self.subTest(attacker=attacker.login):
                self.authenticate(attacker.login, attacker.login)
                self._assert_one_access_error_each(
                    self._answers("dv.conference.victim.notice", calls)
                )
        self.assertEqual(
            len(line.sudo().victim_notice_ids | other_line.sudo().victim_notice_ids),
            1,
        )

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_police_references_of_another_office_tell_nothing(self):
        """The same call-out may reach two offices (the intervention office and
        the youth welfare office, say): a police reference is one referral
        twice only at the office that received it twice. Another company's
        case worker who records a referral from the same police unit learns
        nothing of the referrals agency A's office received: whatever the
        reference, hers is recorded like any other."""
        offices = {}
        for company, user in (
            (self.company_a, self.caseworker),
            (self.company_b, self.caseworker_b),
        ):
            offices[company] = self._new_agency(
                f"Oracle Office {company.name}",
                "intake_office",
                company=company,
                first_contact_deadline=24,
                first_contact_deadline_unit="hours",
            )
            self.env["dv.agency.member"].create(
                {"agency_id": offices[company].id, "user_id": user.id}
            )

        def values(company, reference):
            return {
                "source_type": "police",
                "from_agency_id": self.agency_shared.id,
                "to_agency_id": offices[company].id,
                "company_id": company.id,
                "police_reference": reference,
                "legal_basis": "consent",
                "consent_date": "2026-06-01",
                "victim_name": "Vera Oracle",
            }

        Referral = self.env["dv.referral"]
        for reference in ("PR-TAKEN", "PR-TAKEN-W"):
            Referral.with_user(self.caseworker).create(
                values(self.company_a, reference)
            )
        own = Referral.with_user(self.caseworker_b).create(
            values(self.company_b, "PR-OWN")
        )
        self.authenticate(self.caseworker_b.login, self.caseworker_b.login)
        for reference in ("PR-TAKEN", "PR-FREE"):
            with self.subTest(reference=reference):
                response = self._rpc_response(
                    "dv.referral", "create", [values(self.company_b, reference)]
                )
                self.assertNotIn("error", response, response)
                response = self._rpc_response(
                    "dv.referral",
                    "write",
                    [[own.id], {"police_reference": f"{reference}-W"}],
                )
                self.assertNotIn("error", response, response)
        # Moving her own referral to agency A's office answers the access error
        # only, whether a referral with its reference arrived there or not.
        calls = [
            ("write", [[own.id], {"to_agency_id": offices[self.company_a].id}]),
            (
                "write",
                [
                    [own.id],
                    {
                        "to_agency_id": offices[self.company_a].id,
                        "police_reference": "PR-TAKEN",
                    },
                ],
            ),
        ]
        answers = self._answers("dv.referral", calls)
        self.assertEqual(len(answers["write"]), 1, answers)
        # Her office's own referrals stay unique.
        response = self._rpc_response(
            "dv.referral", "create", [values(self.company_b, "PR-TAKEN")]
        )
        self.assertIn("error", response)
        self.assertEqual(
            Referral.sudo().search_count([("police_reference", "=", "PR-TAKEN")]), 2
        )

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_unique_keys_of_others_tell_nothing(self):
        """The database checks its unique keys when the row is inserted,
        before the record rules: another company's case worker (or
        coordinator) who creates a safety plan for agency A's case, protected
        details for its people, a contact attempt on its office's referral
        or a registered sender of its office gets the same access error
        whether such a record exists there or not."""
        sudo = self.env(su=True)
        plan_case, bare_case = self.case, self.adult_case
        sudo["dv.safety.plan"].search([("case_id", "in", bare_case.ids)]).unlink()
        if not sudo["dv.safety.plan"].search_count([("case_id", "=", plan_case.id)]):
            sudo["dv.safety.plan"].create({"case_id": plan_case.id})
        person, bare_person = (plan_case | bare_case).sudo().person_ids[:2]
        sudo["dv.person.protected"].search(
            [("person_id", "=", bare_person.id)]
        ).unlink()
        if not person.sudo().protected_id:
            sudo["dv.person.protected"].create({"person_id": person.id})
        office = self._new_agency(
            "Oracle Office A",
            "intake_office",
            first_contact_deadline=24,
            first_contact_deadline_unit="hours",
        )
        referral = sudo["dv.referral"].create(
            {
                "source_type": "police",
                "to_agency_id": office.id,
                "company_id": self.company_a.id,
                "received_at": "2025-06-01 08:00:00",
                "legal_basis": "consent",
                "consent_date": "2025-06-01",
                "victim_name": "Vera Oracle",
            }
        )
        phone = self.env.ref("dv_case_management.contact_channel_phone")
        sudo["dv.contact.attempt"].create(
            {
                "referral_id": referral.id,
                "attempted_at": "2025-06-01 09:00:00",
                "channel_id": phone.id,
                "outcome": "no_answer",
            }
        )
        sudo["dv.intake.sender"].create(
            {"office_id": office.id, "email": "known@police.example"}
        )
        probes = {
            "dv.safety.plan": [{"case_id": case.id} for case in (plan_case, bare_case)],
            "dv.person.protected": [
                {"person_id": p.id, "city": "X"} for p in (person, bare_person)
            ],
            "dv.contact.attempt": [
                {
                    "referral_id": referral.id,
                    "attempted_at": at,
                    "channel_id": phone.id,
                    "outcome": "no_answer",
                }
                for at in ("2025-06-01 09:00:00", "2025-06-01 09:01:00")
            ],
        }
        self.authenticate(self.caseworker_b.login, self.caseworker_b.login)
        for model, values in probes.items():
            with self.subTest(model=model):
                self._assert_one_access_error_each(
                    self._answers(model, [("create", [vals]) for vals in values])
                )
        self.authenticate(self.coordinator_b.login, self.coordinator_b.login)
        self._assert_one_access_error_each(
            self._answers(
                "dv.intake.sender",
                [
                    ("create", [{"office_id": office.id, "email": email}])
                    for email in ("known@police.example", "other@police.example")
                ],
            )
        )
        self.assertEqual(
            sudo["dv.safety.plan"].search_count([("case_id", "=", bare_case.id)]), 0
        )

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_youth_office_notices_of_another_case_tell_nothing(self):
        """Another company's case worker who records a youth welfare office
        notice on agency A's case, naming people, learns nothing of who
        belongs to the case: the children of the case or others, the answer
        is the same access error."""
        children = self.case.sudo().person_ids.filtered(lambda p: p.role == "child")
        others = self.adult_case.sudo().person_ids[:1]
        self.assertTrue(children and others)
        self.authenticate(self.caseworker_b.login, self.caseworker_b.login)
        calls = [
            (
                "create",
                [
                    {
                        "case_id": self.case.id,
                        "child_ids": [Command.set(people.ids)],
                        "youth_office_id": self.agency_b.id,
                    }
                ],
            )
            for people in (children, others)
        ]
        self._assert_one_access_error_each(
            self._answers("dv.youth.office.notice", calls)
        )

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_participants_of_another_company_tell_nothing(self):
        """A coordinator who names a user of another company as participant
        of her conference for an agency of that company learns nothing of
        that company's memberships: member or not, one answer."""
        stranger = new_test_user(
            self.env,
            login="dv_test_stranger_b",
            groups=GROUP % "caseworker",
            company_id=self.company_b.id,
            company_ids=[Command.set(self.company_b.ids)],
        )
        conference = self._conference()
        self.authenticate(self.coordinator_a.login, self.coordinator_a.login)
        calls = [
            (
                "create",
                [
                    {
                        "conference_id": conference.id,
                        "agency_id": self.agency_b.id,
                        "user_id": user.id,
                    }
                ],
            )
            for user in (self.coordinator_b, stranger)
        ]
        answers = self._answers("dv.conference.participant", calls)
        self.assertEqual(len(answers["create"]), 1, answers)

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_same_case_checks_tell_nothing(self):
        """The checks that a person belongs to the record's case read her
        with the user's own rights: another company's case worker naming
        agency A's people on agency A's case learns nothing of who belongs
        to it, whether the person is of that case or of another."""
        people = (self.case | self.adult_case).sudo().victim_id
        self.assertEqual(len(people), 2)
        self.authenticate(self.caseworker_b.login, self.caseworker_b.login)
        calls = [
            (
                "create",
                [
                    {
                        "case_id": self.case.id,
                        "person_id": person.id,
                        "agency_id": self.agency_b.id,
                        "date": "2025-06-01",
                    }
                ],
            )
            for person in people
        ]
        self._assert_one_access_error_each(self._answers("dv.session", calls))


@tagged("post_install", "-at_install")
class TestAdversarialErasureOnDecline(JsonRpcMixin, HttpCase, DvCommon):
    """A referral declined under a statute that requires its data erased
    (Schleswig-Holstein) is erased by the next run of the retention job.
    Nobody but the addon marks a referral so, and nobody outside the office
    that received it declines it: over JSON-RPC, the office's own case
    worker cannot set the mark (create, write, web_save, copy, import), and
    the others (another company's case worker, the police unit that sent
    it, a coordinator and a case worker of another agency of the company)
    cannot decline it, log a declined call or move it. Only managers switch
    the profile's rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.dv_land_profile_id = cls.env.ref(
            "dv_case_management.land_profile_sh"
        )
        cls.office = cls._new_agency(
            "Erasure Office SH", "intake_office", first_contact_deadline_unit="hours"
        )
        cls.office_worker = cls._new_member(
            "dv_adv_erasure_office", "caseworker", cls.office
        )
        cls.police_officer = cls._new_member(
            "dv_adv_erasure_police", "network", cls.agency_shared, cls.company_a
        )
        cls.env["dv.agency.member"].create(
            {"agency_id": cls.agency_b.id, "user_id": cls.coordinator_b.id}
        )
        cls.values = {
            "to_agency_id": cls.office.id,
            "from_agency_id": cls.agency_shared.id,
            "company_id": cls.company_a.id,
            "legal_basis": "consent",
            "consent_date": "2026-05-20",
            "received_at": "2026-05-20 10:00:00",
        }
        cls.referral = (
            cls.env["dv.referral"]
            .with_user(cls.office_worker)
            .create(dict(cls.values, victim_name="Olga Office"))
        )
        cls.case = cls.referral.case_id.sudo()

    def _refused(self, model, method, args, kwargs=None):
        result, message = self._rpc_or_message(model, method, args, kwargs)
        self.assertIsNone(result, f"{model}.{method} {args} {kwargs} went through")
        self.assertTrue(message)

    def _assert_untouched(self):
        self.env.invalidate_all()
        referrals = self.env["dv.referral"].sudo().with_context(active_test=False)
        self.assertFalse(referrals.search([("erase_on_decline", "=", True)]))
        self.assertEqual(self.referral.sudo().state, "received")
        self.assertEqual(self.referral.sudo().legal_basis, "consent")
        self.assertNotIn(self.case, self.env["dv.retention"]._due_cases())

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_the_office_cannot_mark_a_referral_for_erasure(self):
        self.authenticate(self.office_worker.login, self.office_worker.login)
        statute = {"legal_basis": "statute", "legal_norm": "§ 201a Abs. 6 LVwG"}
        marked = dict(self.values, **statute, erase_on_decline=True)
        self._refused("dv.referral", "create", [marked])
        self._refused("dv.referral", "web_save", [[], marked], {"specification": {}})
        self._refused(
            "dv.referral",
            "write",
            [self.referral.ids, {"erase_on_decline": True}],
        )
        self._refused(
            "dv.referral",
            "web_save",
            [self.referral.ids, {"erase_on_decline": True}],
            {"specification": {}},
        )
        self._refused(
            "dv.referral",
            "copy",
            [self.referral.ids],
            {"default": {"erase_on_decline": True}},
        )
        result = self._rpc(
            "dv.referral",
            "load",
            [
                [
                    "to_agency_id/.id",
                    "company_id/.id",
                    "legal_basis",
                    "legal_norm",
                    "erase_on_decline",
                ],
                [
                    [
                        str(self.office.id),
                        str(self.company_a.id),
                        "statute",
                        "§ 201a Abs. 6 LVwG",
                        "1",
                    ]
                ],
            ],
        )
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])
        # A default in the context sets nothing either.
        created = self._rpc(
            "dv.referral",
            "create",
            [dict(self.values, **statute)],
            {"context": {"lang": "de_DE", "default_erase_on_decline": True}},
            lang=None,
        )
        self.assertFalse(self.env["dv.referral"].browse(created).erase_on_decline)
        self._assert_untouched()

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_nobody_names_who_declined(self):
        """Who recorded the decline is named in the erasure log: the office's
        case worker can neither put a colleague or another company's user
        there (a many2one whose display name she would read back), nor move
        the referral to declined by writing it."""
        self.authenticate(self.office_worker.login, self.office_worker.login)
        for values in (
            {"declined_by_id": self.caseworker_b.id},
            {"declined_by_id": self.coordinator.id},
            {"state": "declined"},
        ):
            with self.subTest(values=values):
                self._refused("dv.referral", "write", [self.referral.ids, values])
                self._refused(
                    "dv.referral",
                    "web_save",
                    [self.referral.ids, values],
                    {"specification": {"declined_by_id": {"fields": {}}}},
                )
        created = self._rpc(
            "dv.referral",
            "create",
            [dict(self.values, victim_name="Nina New")],
            {
                "context": {
                    "lang": "de_DE",
                    "default_declined_by_id": self.caseworker_b.id,
                }
            },
            lang=None,
        )
        self.assertFalse(self.env["dv.referral"].browse(created).declined_by_id)
        self.env.invalidate_all()
        self.assertFalse(self.referral.sudo().declined_by_id)
        self._assert_untouched()

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_nobody_outside_the_office_declines_its_referral(self):
        other_agency_worker = self._new_member(
            "dv_adv_erasure_other", "caseworker", self.agency_a
        )
        phone = self.env.ref("dv_case_management.contact_channel_phone")
        for user in (
            self.caseworker_b,
            self.coordinator_b,
            self.police_officer,
            self.coordinator,
            other_agency_worker,
        ):
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                for method in ("action_mark_declined", "action_start_contacting"):
                    self._refused("dv.referral", method, [self.referral.ids])
                self._refused(
                    "dv.referral",
                    "write",
                    [
                        self.referral.ids,
                        {"legal_basis": "statute", "legal_norm": "§ 201a LVwG"},
                    ],
                )
                self._refused(
                    "dv.contact.attempt",
                    "create",
                    [
                        {
                            "referral_id": self.referral.id,
                            "channel_id": phone.id,
                            "outcome": "declined",
                        }
                    ],
                )
                # Nor does a referral of her own reach the office's case.
                self._refused(
                    "dv.referral",
                    "create",
                    [
                        dict(
                            self.values,
                            legal_basis="statute",
                            legal_norm="§ 201a Abs. 6 LVwG",
                            case_id=self.case.id,
                        )
                    ],
                )
                self._assert_untouched()

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_only_managers_switch_the_profiles_rule(self):
        # Lower Saxony's police may pass the data without consent (§ 17a
        # Abs. 1 Satz 6 NPOG), and its statute names no erasure: a profile
        # that may take the rule.
        profile = self.env.ref("dv_case_management.land_profile_ni")
        for user in (
            self.office_worker,
            self.coordinator,
            self.coordinator_b,
            self.caseworker_b,
            self.police_officer,
        ):
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                self._refused(
                    "dv.land.profile",
                    "write",
                    [profile.ids, {"erase_on_decline": True}],
                )
                self.assertFalse(profile.erase_on_decline)
        self.authenticate(self.manager.login, self.manager.login)
        self._rpc("dv.land.profile", "write", [profile.ids, {"erase_on_decline": True}])
        self.assertTrue(profile.erase_on_decline)
