from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DvCaseMergeWizard(models.TransientModel):
    """Merge a duplicate case into the case kept (see models/dv_case_merge.py
    for what moves and what stays)."""

    _name = "dv.case.merge.wizard"
    _description = "Merge Duplicate Cases"

    case_id = fields.Many2one(
        "dv.case",
        string="Kept Case",
        required=True,
        domain="[('merged_into_id', '=', False)]",
    )
    duplicate_case_id = fields.Many2one(
        "dv.case",
        string="Duplicate to Merge",
        required=True,
        domain="[('id', '!=', case_id), ('merged_into_id', '=', False)]",
    )
    allowed = fields.Boolean(compute="_compute_comparison")
    victim_name = fields.Char(string="Victim", compute="_compute_comparison")
    duplicate_victim_name = fields.Char(
        string="Victim of the Duplicate", compute="_compute_comparison"
    )
    score = fields.Integer(compute="_compute_comparison")
    reasons = fields.Char(string="Findings", compute="_compute_comparison")
    reason = fields.Text(
        string="Reason for the Merge",
        help="Why both cases are one victim's, for the trail.",
    )

    def _writable(self, cases):
        """The cases the current user may edit (never the superuser's view:
        the wizard shows nothing of a case the user could not edit)."""
        cases = cases.exists()
        return cases._filtered_access("write") if cases else cases

    @api.depends("case_id", "duplicate_case_id")
    @api.depends_context("uid")
    def _compute_comparison(self):
        for wizard in self:
            kept, duplicate = wizard.case_id, wizard.duplicate_case_id
            ids = {kept.id, duplicate.id}
            shown = (
                bool(kept and duplicate)
                and kept != duplicate
                and all(isinstance(i, int) for i in ids)
                and len(self._writable(self.env["dv.case"].browse(ids))) == 2
            )
            wizard.allowed = shown
            if shown:
                first, second = kept.victim_id, duplicate.victim_id
                wizard.victim_name = first.name
                wizard.duplicate_victim_name = second.name
                if first and second:
                    wizard.score, wizard.reasons = self.env["dv.case"]._dv_score_people(
                        first, second
                    )
                else:
                    wizard.score, wizard.reasons = 0, False
            else:
                wizard.victim_name = wizard.duplicate_victim_name = False
                wizard.score, wizard.reasons = 0, False

    @api.constrains("case_id", "duplicate_case_id")
    def _check_cases(self):
        """Nobody points the wizard at a case she cannot edit (over JSON-RPC,
        say): it would show its victim's name."""
        for wizard in self:
            cases = wizard.case_id | wizard.duplicate_case_id
            if self.env.su:
                continue
            if self._writable(cases) != cases:
                raise ValidationError(
                    self.env._(
                        "Only a case worker of the office that leads both cases, "
                        "who may edit both, merges them; cases of different "
                        "offices or companies are never merged."
                    )
                )

    def action_swap(self):
        """Keep the other case."""
        self.ensure_one()
        self.write(
            {"case_id": self.duplicate_case_id.id, "duplicate_case_id": self.case_id.id}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge Duplicate Cases"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_merge(self):
        self.ensure_one()
        self._check_cases()
        self.case_id._dv_merge(self.duplicate_case_id, self.reason)
        return self.case_id.get_formview_action()
