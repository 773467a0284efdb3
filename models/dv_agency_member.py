from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .dv_guard import is_system_write


class DvAgencyMember(models.Model):
    """A user's membership of an agency: it decides which cases she reads.
    Managers change the members of every agency, coordinators only those of
    their own agencies; every change is logged for the data protection
    officer, noted in the agency's chatter and told to the agency's
    coordinators."""

    _name = "dv.agency.member"
    _inherit = ["dv.grant.mixin"]
    _description = "Agency Member"
    _dv_grant_fields = ("agency_id", "user_id")
    _order = "agency_id, sequence, id"
    _rec_name = "user_id"

    agency_id = fields.Many2one(
        "dv.agency", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one(
        "res.users",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("share", "=", False)],
    )
    sequence = fields.Integer(default=10)
    function = fields.Char(help="The member's function in the agency, e.g. counsellor.")
    company_id = fields.Many2one(related="agency_id.company_id", store=True, index=True)
    email = fields.Char(related="user_id.email")
    phone = fields.Char(related="user_id.phone")

    _sql_constraints = [
        (
            "agency_user_unique",
            "unique(agency_id, user_id)",
            "This user is already a member of the agency.",
        ),
    ]

    @api.constrains("user_id", "agency_id")
    def _check_user(self):
        for member in self:
            user = member.user_id
            if user.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is a portal or public user and cannot be a member "
                        "of an agency.",
                        user=user.display_name,
                    )
                )
            company = member.agency_id.company_id
            if company and company not in user.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s has no access to the company %(company)s of the "
                        "agency %(agency)s.",
                        user=user.display_name,
                        company=company.display_name,
                        agency=member.agency_id.display_name,
                    )
                )

    # CRUD: a membership decides what a user may see. Each change is checked
    # against the agencies the user may manage as they were before it, is
    # logged and told, and refreshes the cached record rules (dv.grant.mixin).

    @api.model_create_multi
    def create(self, vals_list):
        default_agency = self.env.context.get("default_agency_id")
        agency_ids = {vals.get("agency_id") or default_agency for vals in vals_list}
        self._dv_check_manageable(
            self.env["dv.agency"].browse(agency_ids - {False, None}),
            self._dv_manageable_agencies(),
        )
        members = super().create(vals_list)
        for member in members.sudo():
            self._dv_record_change("added", member.agency_id, member.user_id)
        return members

    def write(self, vals):
        agencies = self.sudo().agency_id
        if vals.get("agency_id"):
            agencies |= self.env["dv.agency"].browse(vals["agency_id"])
        self._dv_check_manageable(agencies, self._dv_manageable_agencies())
        before = {
            member.id: (member.agency_id, member.user_id) for member in self.sudo()
        }
        result = super().write(vals)
        if {"agency_id", "user_id"} & set(vals):
            for member in self.sudo():
                agency, user = before[member.id]
                if (agency, user) != (member.agency_id, member.user_id):
                    self._dv_record_change(
                        "changed",
                        member.agency_id,
                        member.user_id,
                        previous_agency=agency,
                        previous_user=user,
                    )
                    self._dv_after_leaving(agency, user)
        return result

    def unlink(self):
        self._dv_check_manageable(self.sudo().agency_id, self._dv_manageable_agencies())
        removed = [(member.agency_id, member.user_id) for member in self.sudo()]
        result = super().unlink()
        for agency, user in removed:
            self._dv_record_change("removed", agency, user)
            self._dv_after_leaving(agency, user)
        return result

    # Who may change which members

    @api.model
    def _dv_manageable_agencies(self):
        """The agencies whose members the current user may change, or None
        for all of them (managers, the addon itself)."""
        if is_system_write(self.env):
            return None
        user = self.env.user
        if user.has_group("dv_case_management.group_dv_manager"):
            return None
        if user.has_group("dv_case_management.group_dv_coordinator"):
            return self.sudo().search([("user_id", "=", user.id)]).agency_id
        return self.env["dv.agency"]

    @api.model
    def _dv_check_manageable(self, agencies, manageable):
        if manageable is None:
            return
        refused = agencies.sudo() - manageable
        if not refused:
            return
        agency = refused[:1].with_env(self.env)
        if agency.has_access("read"):
            raise AccessError(
                self.env._(
                    "Only managers and the coordinators of %(agency)s can change "
                    "its members.",
                    agency=agency.display_name,
                )
            )
        raise AccessError(
            self.env._(
                "Only managers and the coordinators of an agency can change its "
                "members."
            )
        )

    # What follows a change

    @api.model
    def _dv_record_change(
        self, change, agency, user, previous_agency=None, previous_user=None
    ):
        """Log the change, note it in the agencies' chatter and give their
        coordinators (but the one who made it) an activity. Nothing of any
        case is in it."""
        agency, user = agency.sudo(), user.sudo()
        author = self.env.user
        self.env["dv.membership.log"].sudo().create(
            {
                "changed_by_id": author.id,
                "change": change,
                "agency_id": agency.id,
                "agency_name": agency.display_name,
                "user_id": user.id,
                "user_name": user.name,
                "previous_agency_id": previous_agency and previous_agency.id,
                "previous_user_id": previous_user and previous_user.id,
                "company_id": agency.company_id.id,
            }
        )
        # What each agency is told: (added or removed, user).
        notes = {}
        if change == "changed":
            notes.setdefault(previous_agency.sudo(), []).append(
                ("removed", previous_user.sudo())
            )
            notes.setdefault(agency, []).append(("added", user))
        else:
            notes[agency] = [(change, user)]
        for each, entries in notes.items():
            each.message_post(
                body=each._dv_membership_note(entries, author),
                author_id=author.partner_id.id,
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
            each._dv_schedule_for_role(
                "coordinator",
                each,
                "mail.mail_activity_data_todo",
                lambda env: env._("Check a change of members"),
                note=lambda env, each=each, entries=entries: each.with_env(
                    env
                )._dv_membership_note(entries, author),
                exclude=author,
            )

    @api.model
    def _dv_after_leaving(self, agency, user):
        """``user`` is no longer a member of ``agency``: she stops following
        what she can no longer read, and the agency's cases she was
        responsible for have no responsible person until someone takes them
        on; their reminders go where those of such cases go (see
        dv.case._reminder_user)."""
        agency, user = agency.sudo(), user.sudo()
        if not agency or not user or user in agency.member_ids.user_id:
            return
        cases = (
            self.env["dv.case"]
            .sudo()
            .with_context(active_test=False)
            .search([("lead_agency_id", "=", agency.id), ("user_id", "=", user.id)])
        )
        if cases:
            cases.write({"user_id": False})
            for case in cases:
                case.activity_ids.filtered(lambda a: a.user_id == user).write(
                    {"user_id": case._reminder_user().id}
                )
        self.env["dv.thread.mixin"]._dv_drop_follows_of(user.partner_id)
