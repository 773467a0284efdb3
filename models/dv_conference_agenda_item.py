from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

AGENDA_REASONS = [
    ("open_actions", "Open Actions"),
    ("new", "New Case"),
    ("review", "12-Month Review"),
    ("other", "Other"),
]
# The order of practice: open actions, new cases with children, new cases
# with adults only, reviews.
AGENDA_ORDER = {"open_actions": 1, "new_children": 2, "new": 3, "review": 4, "other": 5}

RELEASE_BASES = [
    ("none", "Anonymous"),
    ("release", "Release from Confidentiality"),
    ("legal_basis", "Legal Basis"),
]


class DvConferenceAgendaItem(models.Model):
    """A case on the agenda of a conference. Participants without access to
    the case see only its pseudonym and the facts the coordinator chose to
    show; the case itself stays behind its own access rules."""

    _name = "dv.conference.agenda.item"
    _inherit = ["dv.guard.mixin", "dv.erasable.mixin"]
    _description = "Agenda Item"
    _dv_immutable_fields = ("conference_id",)
    _order = "conference_id, agenda_rank, sequence, id"

    conference_id = fields.Many2one(
        "dv.conference", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="conference_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    # The case, readable here only by administrators; everybody else goes
    # through case_id, which is empty without access to the case.
    case_ref_id = fields.Many2one(
        "dv.case",
        required=True,
        index=True,
        ondelete="cascade",
        groups="base.group_system",
    )
    case_id = fields.Many2one(
        "dv.case",
        compute="_compute_case_id",
        inverse="_inverse_case_id",
        search="_search_case_id",
    )
    case_visible = fields.Boolean(compute="_compute_case_id")
    reason = fields.Selection(AGENDA_REASONS, default="new", required=True)
    agenda_rank = fields.Integer(compute="_compute_agenda_rank", store=True)
    pseudonym = fields.Char(readonly=True, copy=False)
    release_basis = fields.Selection(
        RELEASE_BASES,
        string="Discussed",
        default="none",
        required=True,
        help="By name only with the victim's release from confidentiality or a "
        "legal basis; otherwise anonymously.",
    )
    release_date = fields.Date(string="Release Given On")
    legal_norm = fields.Char()
    label = fields.Char(
        string="Case on the Agenda",
        compute="_compute_label",
        help="The pseudonym, or reference and name when discussed by name.",
    )
    facts = fields.Text(
        string="Facts Shown",
        help="What participants without access to the case learn about it.",
    )
    has_children = fields.Boolean(compute="_compute_agenda_rank", store=True)
    decisions = fields.Text()
    lead_agency_id = fields.Many2one(
        "dv.agency", string="Lead Institution", help="Agreed lead for the case."
    )
    contribution_ids = fields.One2many(
        "dv.conference.contribution", "line_id", string="Contributions"
    )
    action_ids = fields.One2many("dv.conference.action", "line_id", string="Actions")
    # Information returns and whether the victim was told (counted for all
    # participants: they carry no content).
    return_overdue_count = fields.Integer(
        string="Overdue Returns", compute="_compute_return_overdue_count"
    )
    victim_notice_ids = fields.One2many(
        "dv.conference.victim.notice", "line_id", string="Victim Informed"
    )
    victim_informed_before = fields.Boolean(
        string="Victim Told Beforehand",
        compute="_compute_victim_informed",
        help="Recorded whether the victim was told that her case is discussed.",
    )
    victim_informed_after = fields.Boolean(
        string="Victim Told the Result",
        compute="_compute_victim_informed",
        help="Recorded whether the victim was told the result of the conference.",
    )
    can_end_high_risk = fields.Boolean(
        compute="_compute_can_end_high_risk",
        help="The current user works the case, it is high risk, the conference "
        "was held and no request of the case awaits approval.",
    )

    _sql_constraints = [
        (
            "case_once_per_conference",
            "unique(conference_id, case_ref_id)",
            "The case is already on the agenda of this conference.",
        ),
    ]

    @api.depends_context("uid")
    def _compute_case_id(self):
        cases = self.sudo().case_ref_id.with_env(self.env)
        readable = cases._filtered_access("read") if cases else cases
        for line in self:
            case = line.sudo().case_ref_id.with_env(self.env)
            line.case_id = case if case in readable else False
            line.case_visible = case in readable

    def _inverse_case_id(self):
        for line in self:
            if line.case_id:
                line.case_id.check_access("read")
                line.sudo().case_ref_id = line.case_id

    def _search_case_id(self, operator, value):
        if operator not in ("=", "in") or value is False:
            raise UserError(self.env._("Unsupported search on the agenda's cases."))
        cases = self.env["dv.case"].search(
            [("id", "in", value if isinstance(value, list) else [value])]
        )
        return [
            ("id", "in", self.sudo().search([("case_ref_id", "in", cases.ids)]).ids)
        ]

    @api.depends("contribution_ids.state")
    def _compute_return_overdue_count(self):
        for line in self:
            line.return_overdue_count = len(
                line.sudo().contribution_ids.filtered(lambda c: c.state == "overdue")
            )

    @api.depends("victim_notice_ids.stage")
    def _compute_victim_informed(self):
        for line in self:
            stages = line.sudo().victim_notice_ids.mapped("stage")
            line.victim_informed_before = "before" in stages
            line.victim_informed_after = "after" in stages

    @api.depends_context("uid")
    def _compute_can_end_high_risk(self):
        for line in self:
            case = line.case_id
            line.can_end_high_risk = bool(
                case
                and case.can_edit
                and case.is_high_risk
                and case.state != "closed"
                and not case.pending_approval_id
                and line.conference_id.state in ("held", "approved")
            )

    @api.depends("reason", "case_ref_id.has_children")
    def _compute_agenda_rank(self):
        for line in self:
            children = line.sudo().case_ref_id.has_children
            line.has_children = children
            line.agenda_rank = self._agenda_rank(line.reason, children)

    @api.model
    def _agenda_rank(self, reason, has_children):
        key = "new_children" if reason == "new" and has_children else reason
        return AGENDA_ORDER[key]

    @api.depends_context("uid")
    @api.depends("pseudonym", "release_basis", "case_ref_id")
    def _compute_label(self):
        """The pseudonym always comes first (the agenda is shown on a
        projector); the reference and the name follow only for a case
        discussed by name, and only for who may read the case or is allowed
        the name by the release."""
        for line in self:
            if line.release_basis == "none":
                line.label = line.pseudonym
            else:
                line.label = f"{line.pseudonym}: {line._named_label()}"

    def _named_label(self):
        case = self.sudo().case_ref_id
        victim = case.victim_id.name
        return f"{case.name} ({victim})" if victim else case.name

    def _public_label(self):
        """What every participant may read: the name only with a release or a
        legal basis, else the pseudonym."""
        if self.release_basis != "none":
            return self._named_label()
        return self.pseudonym

    @api.constrains("release_basis", "release_date", "legal_norm")
    def _check_release(self):
        for line in self:
            if line.release_basis == "release" and not line.release_date:
                raise ValidationError(
                    self.env._(
                        "A case is discussed by name only with the date of the "
                        "victim's release from confidentiality."
                    )
                )
            if line.release_basis == "legal_basis" and not line.legal_norm:
                raise ValidationError(
                    self.env._("Name the legal basis for discussing the case by name.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        # Putting a case on the agenda needs the right to change the
        # conference and to read the case; the line is then written as the
        # superuser because its case field is closed to everybody else.
        self.check_access("create")
        for vals in vals_list:
            case = self.env["dv.case"].browse(
                vals.pop("case_id", False) or vals.get("case_ref_id")
            )
            case.check_access("read")
            vals["case_ref_id"] = case.id
            self.env["dv.conference"].browse(vals["conference_id"]).check_access(
                "write"
            )
        lines = (
            super(DvConferenceAgendaItem, self.sudo())
            .create(vals_list)
            .with_env(self.env)
        )
        for line in lines:
            if not line.pseudonym:
                # The next letter no other case of the conference bears, also
                # when several cases are added at once.
                taken = set(line.conference_id.sudo().line_ids.mapped("pseudonym"))
                number = len(taken - {False}) + 1
                while (
                    label := self.env._("Case %(letter)s", letter=_letters(number))
                ) in taken:
                    number += 1
                line.sudo().pseudonym = label
        return lines

    def write(self, vals):
        result = super().write(vals)
        if "lead_agency_id" in vals:
            self._apply_lead_institution()
            # The former lead reads whether the victim was told no more, on a
            # replica neither.
            self.env["dv.replica"]._dv_access_withdrawn()
        return result

    def _apply_lead_institution(self):
        """The lead institution agreed at a held conference becomes the
        case's, when that conference is the case's latest."""
        for line in self.sudo():
            conference = line.conference_id
            case = line.case_ref_id
            if (
                conference.state not in ("held", "approved")
                or not line.lead_agency_id
                or line.lead_agency_id.company_id
                not in (
                    case.company_id,
                    case.company_id.browse(),
                )
                or (
                    case.last_conference_date
                    and conference.held_on
                    and conference.held_on < case.last_conference_date
                )
            ):
                continue
            if case.lead_institution_id != line.lead_agency_id:
                case.lead_institution_id = line.lead_agency_id

    def action_end_high_risk(self):
        """Ask for the end of the case's high-risk status, as decided at
        this conference: a coordinator approves it (four eyes)."""
        self.ensure_one()
        if not self.case_visible:
            raise UserError(self.env._("You have no access to this case."))
        self.case_id.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("End High-risk Status"),
            "res_model": "dv.case.approval.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": self.id, "default_mode": "end_high_risk"},
        }

    def action_open_case(self):
        self.ensure_one()
        if not self.case_visible:
            raise UserError(self.env._("You have no access to this case."))
        return self.case_id.get_formview_action()

    def action_record_victim_notice(self):
        """Record that (or why not) the victim was told: beforehand that her
        case is discussed, after the conference its result."""
        self.ensure_one()
        held = self.conference_id.state in ("held", "approved", "closed")
        return {
            "type": "ir.actions.act_window",
            "res_model": "dv.conference.victim.notice",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_line_id": self.id,
                "default_stage": "after" if held else "before",
            },
        }

    def _prompt_victim_result(self):
        """After the conference the case's responsible person (of its lead
        agency) is asked to tell the victim the result."""
        for line in self.sudo().filtered(lambda x: not x.victim_informed_after):
            conference = line.conference_id
            line.case_ref_id._dv_prompt(
                line._victim_result_key(),
                lambda env, ref=conference.name: env._(
                    "Tell her the result of case conference %(ref)s", ref=ref
                ),
                "dv_case_management.mail_activity_type_victim_informed",
                deadline=conference.minutes_due,
            )

    def _victim_result_key(self):
        self.ensure_one()
        return f"victim_result_{self.id}"

    # Erasure

    @api.model
    def _dv_erasable_domain(self, cases):
        return [("case_ref_id", "in", cases.ids)]

    def _dv_erase(self):
        """Conference, reason and lead agency stay; facts and decisions go
        (also when the minutes expire, see dv.conference._erase_minutes)."""
        self.write({"facts": False, "decisions": False})


def _letters(number):
    """1 -> A, 26 -> Z, 27 -> AA."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
