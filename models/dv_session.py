from odoo import api, fields, models
from odoo.exceptions import ValidationError

SESSION_MODES = [
    ("in_person", "In Person"),
    ("phone", "By Phone"),
    ("video", "By Video"),
    ("written", "In Writing"),
]


class DvSession(models.Model):
    """A counselling session with a person of a case: what the funders count
    (persons counselled, sessions by phone and in person, sessions per
    person)."""

    _name = "dv.session"
    _inherit = ["dv.guard.mixin", "dv.erasable.mixin"]
    _description = "Counselling Session"
    _dv_immutable_fields = ("case_id",)
    _order = "date desc, id desc"
    _check_company_auto = True

    case_id = fields.Many2one(
        "dv.case", required=True, ondelete="cascade", index=True, auto_join=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    person_id = fields.Many2one(
        "dv.person",
        string="Person Counselled",
        required=True,
        ondelete="cascade",
        index=True,
        domain="[('case_id', '=', case_id)]",
        default=lambda self: self._default_person_id(),
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    mode = fields.Selection(SESSION_MODES, required=True, default="in_person")
    duration = fields.Integer(string="Duration (Minutes)")
    agency_id = fields.Many2one(
        "dv.agency",
        string="Counselling Agency",
        required=True,
        default=lambda self: self._default_agency_id(),
        check_company=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Counsellor", default=lambda self: self.env.user
    )
    note = fields.Text()

    @api.model
    def _default_case(self):
        return self.env["dv.case"].browse(self.env.context.get("default_case_id"))

    @api.model
    def _default_person_id(self):
        case = self._default_case()
        return case.victim_id.id if case.exists() else False

    @api.model
    def _default_agency_id(self):
        case = self._default_case()
        return case.lead_agency_id.id if case.exists() else False

    @api.depends("case_id", "date", "mode")
    def _compute_display_name(self):
        modes = dict(self._fields["mode"]._description_selection(self.env))
        for session in self:
            session.display_name = " · ".join(
                part
                for part in (
                    session.case_id.name,
                    fields.Date.to_string(session.date) if session.date else "",
                    modes.get(session.mode, ""),
                )
                if part
            )

    @api.constrains("person_id", "case_id")
    def _check_person_case(self):
        for session in self:
            if session.person_id.case_id != session.case_id:
                raise ValidationError(
                    self.env._("The person counselled must belong to the same case.")
                )

    @api.constrains("date", "duration")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for session in self:
            if session.date > today:
                raise ValidationError(
                    self.env._("A counselling session cannot lie in the future.")
                )
            if session.duration < 0:
                raise ValidationError(
                    self.env._("The duration of a session cannot be negative.")
                )

    # Erasure

    def _dv_erase(self):
        """Date, mode and duration stay for the statistics; the note goes."""
        self.write({"note": False})
