"""Duplicates in an office: the same victim in two cases, and their merge.

An *office* is the agency that leads cases (``dv.case.lead_agency_id``),
within its company: its case workers read and write its cases, and the
repeat matching of referrals (``dv.referral._find_repeat_case``) looks only
at its victims. Duplicates are searched and merged there and nowhere else.

What a merge does (the kept case A, the duplicate B, both of one office):

- the case's history moves from B to A: referrals (and with them their
  contact attempts), incidents, sessions, police measures, protection
  orders, risk assessments, safety plans, perpetrator-side measures, youth
  welfare office steps, handling instructions, follow-ups already answered,
  appointments and deadline reminders;
- B's victim is A's victim: her other names and what A lacks (birth date,
  contact details) go into A's victim; B's other people are found in A (same
  role and name) or entered in A anew; the moved records point at A's people;
- what grants or records access stays with B, whose data it was given for:
  consents, shares and transfers, emergency accesses, disclosures, access
  log, conference agenda items. So nothing given for one case comes to cover
  the other's data. A merge is refused while either case is shared,
  transferred or under an emergency access: the office ends these first and
  shares the merged case anew on a basis that covers it;
- B keeps its people and consents, is archived with a link to A
  (``merged_into_id``) and the trail (``dv.case.merge``) lists every record
  that moved, so nothing is lost and the merge can be traced back.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools.duplicate_score import score_pair
from ..tools.referral_parser import normalize_phone
from .dv_guard import is_system_write, same_case_deferred, system_write
from .dv_person import PROTECTED_FIELDS, normalize_name

# The models whose records of the duplicate move to the kept case, with the
# field that links them to a case.
MOVED_MODELS = {
    "dv.referral": "case_id",
    "dv.incident": "case_id",
    "dv.session": "case_id",
    "dv.police.measure": "case_id",
    "dv.protection.order": "case_id",
    "dv.risk.assessment": "case_id",
    "dv.safety.plan": "case_id",
    "dv.perpetrator.measure": "case_id",
    "dv.youth.office.notice": "case_id",
    "dv.case.flag": "case_id",
    "dv.case.followup": "case_id",
    "calendar.event": "dv_case_id",
    "mail.activity": "dv_case_id",
}
# The models whose records stay with the duplicate: they grant or record
# access for it (or are its people, whom its consents name).
KEPT_MODELS = frozenset(
    {
        "dv.person",
        "dv.consent",
        "dv.share",
        "dv.break.glass",
        "dv.disclosure",
        "dv.access.log",
        "dv.erasure.log",
        "dv.case.merge",
        # A request is about its own case; a merge waits for its decision.
        "dv.case.approval",
    }
)
# Fields of a person copied when the kept case lacks that person.
PERSON_COPIED_FIELDS = (
    "role",
    "name",
    "aliases",
    "birth_date",
    "age_estimate",
    "gender",
    "lang_id",
    "interpreter_needed",
    "disability",
    "disability_note",
    "migration_background",
    "relationship",
    "shared_household",
)


class DvCaseMerge(models.Model):
    """The trail of a merge: who merged which case into which, when, why,
    and which records moved."""

    _name = "dv.case.merge"
    _inherit = ["dv.append.only.mixin", "dv.erasable.mixin"]
    _description = "Merge of Two Cases"
    _order = "merged_on desc, id desc"

    case_id = fields.Many2one(
        "dv.case",
        string="Kept Case",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    merged_case_id = fields.Many2one(
        "dv.case",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    agency_id = fields.Many2one(
        "dv.agency", string="Office", required=True, readonly=True, index=True
    )
    user_id = fields.Many2one("res.users", string="Merged By", readonly=True)
    merged_on = fields.Datetime(required=True, readonly=True)
    reason = fields.Text(readonly=True)
    score = fields.Integer(readonly=True)
    reasons = fields.Char(string="Findings", readonly=True)
    moved_records = fields.Json(
        readonly=True,
        help="Technical: the records that moved to the kept case, by model.",
    )
    moved_summary = fields.Text(string="Moved", readonly=True)

    @api.model
    def _dv_erasable_domain(self, cases):
        return ["|", ("case_id", "in", cases.ids), ("merged_case_id", "in", cases.ids)]

    def _dv_erase(self):
        """The reason is free text; the rest names nobody."""
        self.write({"reason": False})


class DvCase(models.Model):
    _inherit = "dv.case"

    merged_into_id = fields.Many2one(
        "dv.case",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The case this duplicate was merged into; it is archived.",
    )
    merged_case_ids = fields.One2many(
        "dv.case",
        "merged_into_id",
        string="Merged Duplicates",
        readonly=True,
        context={"active_test": False},
    )
    merged_case_count = fields.Integer(compute="_compute_merged_case_count")

    @api.depends("merged_case_ids")
    def _compute_merged_case_count(self):
        for case in self:
            case.merged_case_count = len(case.merged_case_ids)

    # CRUD

    def write(self, vals):
        if vals.get("active") and not is_system_write(self.env):
            merged = self.filtered("merged_into_id")
            if merged:
                raise ValidationError(
                    self.env._(
                        "Case %(case)s was merged into case %(into)s and stays "
                        "archived; work on in that case.",
                        case=merged[:1].name,
                        into=merged[:1].merged_into_id.name,
                    )
                )
        return super().write(vals)

    # Erasure

    def _erase(self, ground, reason, user=None):
        """The duplicates merged into a case keep the victim's people and
        consents: they are her data as much as the case's, and go with it,
        on the same ground."""
        cases = todo = self.sudo()
        while todo:
            todo = todo.merged_case_ids - cases
            cases |= todo
        return super(DvCase, cases.with_env(self.env))._erase(ground, reason, user=user)

    # Actions

    def action_open_merge_wizard(self):
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge a Duplicate into This Case"),
            "res_model": "dv.case.merge.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def action_open_merged_cases(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merged Duplicates"),
            "res_model": "dv.case",
            "view_mode": "list,form",
            "domain": [("merged_into_id", "=", self.id)],
            "context": {"active_test": False, "create": False},
        }

    # Scoring

    @api.model
    def _dv_person_key(self, person):
        """What the duplicate score compares of a person (read as the
        superuser: the caller has checked access)."""
        person = person.sudo()
        return {
            "name": person.normalized_name or normalize_name(person.name),
            "aliases": [a for a in (person.normalized_aliases or "").split("|") if a],
            "birth_date": person.birth_date or None,
            "phone": normalize_phone(person.protected_id.phone)
            if person.protected_id.phone
            else None,
        }

    @api.model
    def _dv_score_people(self, first, second):
        """``(score, findings)`` of two people, the findings in words."""
        score, reasons = score_pair(
            self._dv_person_key(first), self._dv_person_key(second)
        )
        return score, self._dv_reason_text(reasons)

    @api.model
    def _dv_reason_text(self, reasons):
        labels = {
            "same_name": self.env._("Same name"),
            "same_name_reordered": self.env._("Same name, other order"),
            "alias": self.env._("Name matches another name"),
            "similar_name": self.env._("Similar name"),
            "same_birth_date": self.env._("Same birth date"),
            "other_birth_date": self.env._("Other birth date"),
            "same_phone": self.env._("Same phone number"),
        }
        return ", ".join(labels[reason] for reason in reasons)

    # The merge

    def _dv_check_mergeable(self, duplicate):
        """Refuse the merge of ``duplicate`` into ``self`` unless the current
        user is a case worker of the office that leads both and may write
        both, and nothing grants access to either: a German ValidationError
        that names nothing the user cannot read."""
        self.ensure_one()
        duplicate.ensure_one()
        refusal = ValidationError(
            self.env._(
                "Only a case worker of the office that leads both cases, who may "
                "edit both, merges them; cases of different offices or companies "
                "are never merged."
            )
        )
        user = self.env.user
        if not self.env.su and not user.has_group(
            "dv_case_management.group_dv_caseworker"
        ):
            raise refusal
        try:
            (self | duplicate).check_access("write")
        except AccessError as error:
            raise refusal from error
        kept, other = self.sudo(), duplicate.sudo()
        if (
            kept.lead_agency_id != other.lead_agency_id
            or kept.company_id != other.company_id
            or not (self.env.su or kept.lead_agency_id in user.dv_agency_ids)
        ):
            raise refusal
        if kept == other:
            raise ValidationError(self.env._("A case cannot be merged into itself."))
        for case in kept | other:
            if case.erased_on or case.merged_into_id or not case.active:
                raise ValidationError(
                    self.env._(
                        "Case %(case)s is archived, erased or already merged and "
                        "cannot be merged.",
                        case=case.name,
                    )
                )
            if case.share_ids.filtered(lambda s: s.state in ("sent", "accepted")):
                raise ValidationError(
                    self.env._(
                        "Case %(case)s is shared with or being transferred to "
                        "another agency. A share covers the data of its own case "
                        "only: end it before the merge, and share the merged case "
                        "anew on a basis that covers it.",
                        case=case.name,
                    )
                )
            if case.pending_approval_id:
                raise ValidationError(
                    self.env._(
                        "Case %(case)s awaits a four-eyes decision (closing or "
                        "ending its high-risk status); merge it once that is "
                        "decided or withdrawn.",
                        case=case.name,
                    )
                )
            if case.break_glass_ids.filtered("is_active"):
                raise ValidationError(
                    self.env._(
                        "Case %(case)s is open to an emergency access; merge it "
                        "once the access has ended.",
                        case=case.name,
                    )
                )
        if kept.state == "closed":
            raise ValidationError(
                self.env._(
                    "Case %(case)s is closed: reopen it before merging a duplicate "
                    "into it, or keep the other case.",
                    case=kept.name,
                )
            )
        if not (kept.victim_id and other.victim_id):
            raise ValidationError(
                self.env._("Both cases need a victim to be merged as hers.")
            )

    def _dv_merge(self, duplicate, reason):
        """Merge ``duplicate`` into this case (see the module's docstring);
        all or nothing. Returns the trail."""
        self._dv_check_mergeable(duplicate)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(self.env._("Give the reason for the merge."))
        score, findings = self._dv_score_people(self.victim_id, duplicate.victim_id)
        with self.env.cr.savepoint():
            merge = self.sudo()._dv_merge_records(duplicate.sudo())
            trail = (
                self.env["dv.case.merge"]
                .sudo()
                .create(
                    {
                        "case_id": self.id,
                        "merged_case_id": duplicate.id,
                        "company_id": self.sudo().company_id.id,
                        "agency_id": self.sudo().lead_agency_id.id,
                        "user_id": self.env.user.id,
                        "merged_on": fields.Datetime.now(),
                        "reason": reason,
                        "score": score,
                        "reasons": findings,
                        "moved_records": merge,
                        "moved_summary": self._dv_moved_summary(merge),
                    }
                )
            )
            summary = trail.moved_summary or self.env._("nothing")
            self.sudo().message_post(
                body=self.env._(
                    "Case %(case)s was merged into this case by %(user)s. Moved: "
                    "%(moved)s. Reason: %(reason)s",
                    case=duplicate.sudo().name,
                    user=self.env.user.name,
                    moved=summary,
                    reason=reason,
                )
            )
            duplicate.sudo().message_post(
                body=self.env._(
                    "This case was merged into case %(case)s by %(user)s and "
                    "archived; its people, consents and shares stay here. Moved: "
                    "%(moved)s. Reason: %(reason)s",
                    case=self.sudo().name,
                    user=self.env.user.name,
                    moved=summary,
                    reason=reason,
                )
            )
            self.env["dv.access.log"]._log_many(
                [self | duplicate, self.victim_id | duplicate.victim_id]
            )
        return trail

    def _dv_moved_summary(self, moved):
        labels = []
        for model_name, ids in moved.items():
            if ids and model_name in self.env:
                description = self.env["ir.model"]._get(model_name).name
                labels.append(f"{description}: {len(ids)}")
        return ", ".join(labels)

    def _dv_merge_records(self, duplicate):
        """Move the duplicate's records into this case (as the superuser,
        checked by the caller). Returns {model: [ids]} of what moved."""
        self.ensure_one()
        # A duplicate that is high risk leaves its status to the kept case:
        # only the network ends it (four eyes).
        duplicate_high = duplicate.is_high_risk
        people = self._dv_merge_people(duplicate)
        moved = {}
        touched = []
        with system_write(), same_case_deferred():
            for model_name, field_name in MOVED_MODELS.items():
                Model = self.env[model_name].sudo().with_context(active_test=False)
                records = Model.search([(field_name, "=", duplicate.id)])
                if model_name == "dv.case.followup":
                    # Those still to do are planned anew for the kept case.
                    open_ones = records.filtered(lambda f: not f.done_on)
                    open_ones._drop()
                    records -= open_ones
                if model_name == "dv.referral":
                    proposed = Model.search([("proposed_case_id", "=", duplicate.id)])
                    proposed.write({"proposed_case_id": self.id})
                    moved["dv.referral.proposed"] = proposed.ids
                if not records:
                    continue
                # The case and the people in one write, so that every check
                # of a record sees it whole; one write for the records that
                # take the same values.
                groups = {}
                for record in records:
                    values = dict(
                        self._dv_people_values(record, people), **{field_name: self.id}
                    )
                    key = repr(sorted(values.items()))
                    groups.setdefault(key, [values, Model])[1] |= record
                for values, group in groups.values():
                    group.write(values)
                moved[model_name] = records.ids
                touched.append(records)
            for records in touched:
                if hasattr(records, "_dv_check_same_case"):
                    records._dv_check_same_case()
            values = {"merged_into_id": self.id, "active": False}
            duplicate.write(values)
            if duplicate_high and not self.high_risk_held:
                self.write({"high_risk_held": True})
            dates = (self.last_conference_date, duplicate.last_conference_date)
            last = max(filter(None, dates), default=False)
            if last:
                self.last_conference_date = last
        # The duplicate's own to-dos (the prompts of its steps) end with it.
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", "dv.case"),
                ("res_id", "=", duplicate.id),
                ("dv_deadline_key", "!=", False),
            ]
        ).unlink()
        self._prompt_youth_office()
        # Which of the kept case's people each of the duplicate's is.
        moved["people"] = {str(other.id): mine.id for other, mine in people.items()}
        return moved

    def _dv_merge_people(self, duplicate):
        """{person of the duplicate: its person in this case}: her victim is
        this case's victim (her other names and what this case lacks go
        into it); the others are found by role and name, or entered anew."""
        victim, other_victim = self.victim_id, duplicate.victim_id
        mapping = {other_victim: victim}
        self._dv_fold_person(victim, other_victim)
        for person in duplicate.person_ids - other_victim:
            key = person.normalized_name
            match = self.person_ids.filtered(
                lambda p, person=person, key=key: (
                    p.role == person.role
                    and (
                        p.normalized_name == key
                        or key in (p.normalized_aliases or "").split("|")
                    )
                )
            )[:1]
            if match:
                self._dv_fold_person(match, person)
            else:
                values = {name: person[name] for name in PERSON_COPIED_FIELDS}
                values["lang_id"] = person.lang_id.id
                values.update(self._dv_protected_values(person))
                match = self.env["dv.person"].create(dict(values, case_id=self.id))
            mapping[person] = match
        return mapping

    @api.model
    def _dv_protected_values(self, person, only_missing_in=None):
        values = {}
        for fname in PROTECTED_FIELDS:
            value = person[fname]
            if only_missing_in is not None and only_missing_in[fname]:
                continue
            if fname == "forbidden_channel_ids":
                if value:
                    values[fname] = [fields.Command.set(value.ids)]
            elif value:
                values[fname] = value
        return values

    @api.model
    def _dv_fold_person(self, person, other):
        """What ``other`` knows and ``person`` lacks goes into ``person``; her
        names become other names of ``person``."""
        known = {person.normalized_name, *(person.normalized_aliases or "").split("|")}
        aliases = [a.strip() for a in (person.aliases or "").split(",") if a.strip()]
        for name in [other.name, *(other.aliases or "").split(",")]:
            name = (name or "").strip()
            key = normalize_name(name)
            if key and key not in known:
                aliases.append(name)
                known.add(key)
        values = {"aliases": ", ".join(aliases) or False}
        if not person.birth_date and other.birth_date:
            values["birth_date"] = other.birth_date
        if not person.age_estimate and other.age_estimate:
            values["age_estimate"] = other.age_estimate
        values.update(self._dv_protected_values(other, only_missing_in=person))
        person.write(values)

    @api.model
    def _dv_people_values(self, record, people):
        """The values that point ``record``'s links to the duplicate's people
        at their counterparts in the kept case."""
        values = {}
        for name, field in record._fields.items():
            if field.comodel_name != "dv.person" or not field.store:
                continue
            if field.type == "many2one" and record[name]:
                values[name] = people.get(record[name], record[name]).id
            elif field.type == "many2many" and record[name]:
                values[name] = [
                    fields.Command.set([people.get(p, p).id for p in record[name]])
                ]
        return values
