from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DvConferenceParticipant(models.Model):
    _name = "dv.conference.participant"
    _inherit = ["dv.guard.mixin"]
    _description = "Conference Participant"
    _dv_immutable_fields = ("conference_id",)
    _order = "conference_id, agency_id, id"

    conference_id = fields.Many2one(
        "dv.conference", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="conference_id.company_id", store=True)
    agency_id = fields.Many2one("dv.agency")
    user_id = fields.Many2one("res.users", string="Person")
    partner_id = fields.Many2one(
        "res.partner",
        string="External Participant",
        help="Someone without a user, e.g. from the family court.",
    )
    confidentiality_signed_on = fields.Date(
        string="Confidentiality Statement Signed On"
    )
    attended = fields.Boolean(default=True)
    invitation_state = fields.Selection(
        selection=lambda self: self.env["calendar.attendee"]._fields["state"].selection,
        string="Invitation",
        compute="_compute_invitation_state",
        help="The participant's answer to the calendar invitation.",
    )

    @api.depends("conference_id.event_id.attendee_ids.state", "user_id", "partner_id")
    def _compute_invitation_state(self):
        for participant in self:
            partner = participant.user_id.partner_id or participant.partner_id
            attendee = participant.conference_id.sudo().event_id.attendee_ids.filtered(
                lambda a, p=partner: a.partner_id == p
            )[:1]
            participant.invitation_state = (
                attendee.state
                if participant.conference_id.state != "planned"
                else False
            )

    @api.constrains("agency_id", "user_id", "partner_id")
    def _check_who(self):
        for participant in self:
            if not (participant.user_id or participant.partner_id):
                raise ValidationError(
                    self.env._("A participant is a user or an external contact.")
                )
            if (
                participant.user_id
                and participant.agency_id
                and participant.agency_id not in participant.user_id.dv_agency_ids
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a member of %(agency)s.",
                        user=participant.user_id.name,
                        agency=participant.agency_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        participants = super().create(vals_list)
        participants.conference_id._sync_event()
        return participants

    def write(self, vals):
        res = super().write(vals)
        if {"user_id", "partner_id"} & set(vals):
            self.conference_id._sync_event()
        if "agency_id" in vals:
            # The agency taken off the conference reads its agenda and
            # returns no more, on a replica neither.
            self.env["dv.replica"]._dv_access_withdrawn()
        return res

    def unlink(self):
        conferences = self.conference_id
        res = super().unlink()
        conferences._sync_event()
        self.env["dv.replica"]._dv_access_withdrawn()
        return res

    @api.constrains("confidentiality_signed_on")
    def _check_signed_on(self):
        today = fields.Date.context_today(self)
        for participant in self:
            if (
                participant.confidentiality_signed_on
                and participant.confidentiality_signed_on > today
            ):
                raise ValidationError(
                    self.env._("A statement cannot be signed in the future.")
                )

    def _compute_display_name(self):
        for participant in self:
            who = participant.user_id or participant.partner_id
            agency = participant.agency_id.short_name or participant.agency_id.name
            participant.display_name = f"{who.name} ({agency})" if agency else who.name
