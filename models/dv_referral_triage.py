"""The referral's place on the intake office's triage list (see
dv_case_capacity.py for the points and the order)."""

from odoo import api, fields, models

from .dv_case_capacity import triage_score

# A referral not taken up counts its case as not served for this reason.
NOT_SERVED_CODES = {"unreachable": "unreachable", "declined": "declined"}


class DvReferral(models.Model):
    _inherit = "dv.referral"

    triage_score = fields.Integer(
        string="Triage Priority",
        compute="_compute_triage_score",
        store=True,
        index=True,
        help="Points for the order of the triage list: 4 when its case is high "
        "risk, 2 when children live in the household, 1 for a repeat or a "
        "possible repeat.",
    )

    @api.depends(
        "to_agency_id",
        "case_id.lead_agency_id",
        "case_id.risk_level",
        "case_id.has_children",
        "case_id.is_repeat",
        "is_repeat",
        "proposed_case_id",
    )
    def _compute_triage_score(self):
        for referral in self:
            case = referral.sudo().case_id
            # A case led elsewhere by now counts nothing at the office.
            if case.lead_agency_id != referral.to_agency_id:
                case = case.browse()
            referral.triage_score = triage_score(
                case.risk_level == "high",
                case.has_children,
                referral.is_repeat
                or case.is_repeat
                or bool(referral.sudo().proposed_case_id),
            )

    def _write_state(self, state):
        result = super()._write_state(state)
        code = NOT_SERVED_CODES.get(state)
        if code:
            # Only the office's own cases: a case led elsewhere by now is
            # that agency's request.
            own = self.sudo().filtered(
                lambda referral: (
                    referral.case_id.lead_agency_id == referral.to_agency_id
                )
            )
            own.case_id._dv_mark_not_served(code)
        return result
