import logging
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import email_normalize

from odoo.addons.mail.tools.alias_error import AliasError

from .dv_constants import MAX_SEARCH_DAYS
from .dv_guard import is_system_write
from .dv_mixins import schedule_for_users
from .dv_time import working_day_after

_logger = logging.getLogger(__name__)

# Federal states of Germany, keyed as the ``holidays`` package names their
# subdivisions.
GERMAN_STATES = [
    ("BW", "Baden-Württemberg"),
    ("BY", "Bavaria"),
    ("BE", "Berlin"),
    ("BB", "Brandenburg"),
    ("HB", "Bremen"),
    ("HH", "Hamburg"),
    ("HE", "Hesse"),
    ("MV", "Mecklenburg-Western Pomerania"),
    ("NI", "Lower Saxony"),
    ("NW", "North Rhine-Westphalia"),
    ("RP", "Rhineland-Palatinate"),
    ("SL", "Saarland"),
    ("SN", "Saxony"),
    ("ST", "Saxony-Anhalt"),
    ("SH", "Schleswig-Holstein"),
    ("TH", "Thuringia"),
]

DEADLINE_UNITS = [
    ("hours", "Hours (around the clock)"),
    ("working_hours", "Hours on working days only"),
    ("working_days", "Working days"),
]


class DvAgency(models.Model):
    _name = "dv.agency"
    _description = "Agency"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "mail.alias.mixin.optional",
        "dv.grant.mixin",
    ]
    _inherits = {"res.partner": "partner_id"}
    # Membership of an archived agency grants nothing.
    _dv_grant_fields = ("active",)
    _dv_grant_on_create = False
    _order = "sequence, name, id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Address Book Entry",
        required=True,
        ondelete="restrict",
        index=True,
        help="The institution's entry in the contacts: address, phone and e-mail "
        "live there.",
    )
    active = fields.Boolean(default=True, tracking=True)
    sequence = fields.Integer(default=10)
    short_name = fields.Char(
        help="Abbreviation shown in lists and pseudonymised documents, e.g. BISS."
    )
    agency_type_id = fields.Many2one(
        "dv.agency.type",
        required=True,
        ondelete="restrict",
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        tracking=True,
        index=True,
        help="Leave empty to share the agency with every company of this database.",
    )
    member_ids = fields.One2many("dv.agency.member", "agency_id", string="Members")
    member_count = fields.Integer(compute="_compute_member_count")
    service_ids = fields.Many2many("dv.service", string="Services")
    language_ids = fields.Many2many(
        "res.lang",
        string="Languages",
        context={"active_test": False},
        help="Languages in which the agency can counsel without an interpreter.",
    )
    available_24_7 = fields.Boolean(
        string="Available 24/7",
        help="The agency can be reached at any hour, weekends and holidays included.",
    )
    reachability = fields.Char(help="Office hours or how to reach the agency.")
    notes = fields.Html(string="Internal Notes")
    is_police = fields.Boolean(related="agency_type_id.is_police")
    is_intake_office = fields.Boolean(
        string="Intake Office",
        compute="_compute_is_intake_office",
        store=True,
        readonly=False,
        help="Receives referrals and must contact victims within the first-contact "
        "deadline.",
    )
    first_contact_deadline = fields.Integer(
        default=3,
        tracking=True,
        help="How soon after a referral arrives the victim must be contacted.",
    )
    first_contact_deadline_unit = fields.Selection(
        DEADLINE_UNITS,
        string="Deadline Unit",
        default="working_days",
        required=True,
        tracking=True,
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Calendar",
        check_company=True,
        help="Working days and public holidays on which deadlines are counted.",
    )
    unreached_retention_days = fields.Integer(
        string="Keep Unreached Referrals (Days)",
        default=90,
        help="Referrals that were declined or never reached may have their "
        "personal data erased this many days later.",
    )
    holiday_state = fields.Selection(
        GERMAN_STATES,
        string="Federal State",
        help="Federal state whose public holidays are loaded into the working "
        "calendar.",
    )
    intake_sender_ids = fields.One2many(
        "dv.intake.sender",
        "office_id",
        string="Registered Senders",
        groups="dv_case_management.group_dv_coordinator",
        help="Addresses besides those of the police agencies from which the "
        "intake alias accepts referrals; kept by the office's coordinators and "
        "the managers.",
    )

    _sql_constraints = [
        (
            "partner_unique",
            "unique(partner_id)",
            "This contact is already bound to another agency.",
        ),
    ]

    @api.depends("member_ids")
    def _compute_member_count(self):
        for agency in self:
            agency.member_count = len(agency.member_ids)

    @api.depends("agency_type_id")
    def _compute_is_intake_office(self):
        for agency in self:
            agency.is_intake_office = agency.agency_type_id.is_intake_office

    # Constraints

    @api.constrains(
        "is_intake_office",
        "first_contact_deadline",
        "first_contact_deadline_unit",
        "resource_calendar_id",
    )
    def _check_first_contact_policy(self):
        for agency in self.filtered("is_intake_office"):
            if agency.first_contact_deadline <= 0:
                raise ValidationError(
                    self.env._(
                        "The first-contact deadline of %(agency)s must be greater "
                        "than zero.",
                        agency=agency.display_name,
                    )
                )
            if (
                agency.first_contact_deadline_unit != "hours"
                and not agency.resource_calendar_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(agency)s counts its first-contact deadline on working "
                        "days: choose a working calendar.",
                        agency=agency.display_name,
                    )
                )

    # CRUD: managers create and delete agencies; managers, and coordinators
    # who are members of an agency, change it. Its contact (address, e-mail:
    # the police units' e-mail addresses decide which senders the intake
    # trusts) changes only with it, see res.partner.

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")
        for vals in vals_list:
            if vals.get("partner_id"):
                self._dv_check_binding()
                continue
            # The contact is made with the agency: the right to create the
            # agency is the right to create its contact.
            partner_vals = self._dv_pop_partner_values(vals)
            partner_vals.setdefault("is_company", True)
            vals["partner_id"] = self.env["res.partner"].sudo().create(partner_vals).id
        agencies = super().create(vals_list)
        agencies._sync_partner_company()
        return agencies

    def write(self, vals):
        police = self.browse()
        if "email" in vals:
            police = self.filtered(
                lambda agency: agency.is_police and agency.email != vals["email"]
            )
        email = vals.get("email")
        self._dv_check_maintainer()
        if "partner_id" in vals:
            self._dv_check_binding()
        partner_vals = self._dv_pop_partner_values(vals)
        if partner_vals:
            # Checked above and by the record rules: the contact follows.
            self.check_access("write")
            self.partner_id.sudo().write(partner_vals)
        res = super().write(vals)
        police._dv_note_email_change(email)
        if "company_id" in vals or "partner_id" in vals:
            self._sync_partner_company()
        if "active" in vals:
            # Membership of archived agencies grants nothing: refresh the
            # users' agencies (the cached record rules follow, see
            # dv.grant.mixin).
            self.env["res.users"].invalidate_model(["dv_agency_ids"])
            if not vals["active"]:
                members = self.sudo().member_ids.user_id
                self.env["dv.thread.mixin"]._dv_drop_follows_of(members.partner_id)
        return res

    def unlink(self):
        # Its members leave first, each in the membership log.
        self.check_access("unlink")
        self.sudo().member_ids.unlink()
        return super().unlink()

    def _dv_pop_partner_values(self, vals):
        """Take the values of the contact's fields out of ``vals``."""
        return {
            name: vals.pop(name)
            for name in list(vals)
            if name in self._fields
            and self._fields[name].inherited
            and name != "partner_id"
        }

    def _dv_check_maintainer(self):
        """Managers change every agency (of their companies); coordinators
        only the agencies they are members of."""
        if is_system_write(self.env):
            return
        # Who has no right to change agencies at all gets Odoo's own error.
        self.browse().check_access("write")
        user = self.env.user
        if user.has_group("dv_case_management.group_dv_manager"):
            return
        if user.has_group("dv_case_management.group_dv_coordinator"):
            own = (
                self.env["dv.agency.member"]
                .sudo()
                .search([("user_id", "=", user.id)])
                .agency_id
            )
            refused = self.sudo() - own
        else:
            refused = self.sudo()
        if not refused:
            return
        agency = refused[:1].with_env(self.env)
        if agency.has_access("read"):
            raise AccessError(
                self.env._(
                    "Only managers and the coordinators of %(agency)s can change it.",
                    agency=agency.display_name,
                )
            )
        raise AccessError(
            self.env._("Only managers and the coordinators of an agency can change it.")
        )

    def _dv_check_binding(self):
        """Which contact an agency is bound to (and whose address and e-mail
        it therefore shows and changes) only managers decide."""
        if is_system_write(self.env) or self.env.user.has_group(
            "dv_case_management.group_dv_manager"
        ):
            return
        raise AccessError(
            self.env._("Only managers can bind an agency to another contact.")
        )

    def _dv_note_email_change(self, email):
        """A police agency's address decides whose e-mail becomes a referral:
        its history records every change."""
        for agency in self:
            agency.message_post(
                body=self.env._(
                    "E-mail address from which referrals are accepted changed to "
                    "%(email)s.",
                    email=email or "-",
                )
            )

    def _sync_partner_company(self):
        """Keep the contact as private as the agency: a contact of an agency
        of one company belongs to that company too."""
        for agency in self:
            if agency.partner_id.company_id != agency.company_id:
                agency.partner_id.sudo().company_id = agency.company_id

    def _alias_get_creation_values(self):
        """The intake alias turns e-mails into inbound referrals to this
        agency. Only registered senders may use it (see _alias_get_error)."""
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("dv.referral")
        values["alias_contact"] = "partners"
        if self.id:
            values["alias_defaults"] = repr({"to_agency_id": self.id})
            values["alias_parent_model_id"] = self.env["ir.model"]._get_id("dv.agency")
            values["alias_parent_thread_id"] = self.id
        return values

    # Intake by e-mail

    def _alias_get_error(self, message, message_dict, alias):
        """Odoo's mail gateway asks the alias's owner whether to accept a
        message: the intake alias accepts registered senders only."""
        if len(self) == 1 and self.alias_id and alias == self.alias_id:
            return self._dv_intake_alias_error(message_dict)
        return super()._alias_get_error(message, message_dict, alias)

    def _dv_intake_alias_error(self, message_dict):
        """Refuse a message whose sender is not registered for this intake
        office. The log line names the office, nothing of the message."""
        self.ensure_one()
        registered, _source = self._intake_sender(message_dict.get("email_from"))
        if registered:
            return False
        _logger.info(
            "Intake office %s: an e-mail from a sender not registered for it "
            "was refused",
            self.id,
        )
        return AliasError(
            "dv_sender_not_registered",
            self.env._("sender not registered for the intake office"),
        )

    def _intake_sender(self, email_from):
        """Whether ``email_from`` may send referrals to this intake office,
        and the police agency it speaks for: ``(registered, agency)``.

        Registered are the addresses the office listed (with the police unit
        each one writes for) and the e-mail addresses of the police agencies
        of the office's company or shared by all companies. An address of
        several police agencies is registered, but names no source."""
        self.ensure_one()
        Agency = self.env["dv.agency"]
        email = email_normalize(email_from or "")
        if not email:
            return False, Agency
        office = self.sudo()
        listed = office.intake_sender_ids.filtered(lambda s: s.email == email)[:1]
        if listed:
            return True, listed.police_agency_id.with_env(self.env)
        police = Agency.sudo().search(
            [
                ("is_police", "=", True),
                ("email_normalized", "=", email),
                ("company_id", "in", [False, *office.company_id.ids]),
            ]
        )
        if not police:
            return False, Agency
        return True, (police if len(police) == 1 else Agency).with_env(self.env)

    # Actions

    def action_open_members(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Members"),
            "res_model": "dv.agency.member",
            "view_mode": "list,form",
            "domain": [("agency_id", "=", self.id)],
            "context": {"default_agency_id": self.id},
        }

    def action_load_public_holidays(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Load Public Holidays"),
            "res_model": "dv.holiday.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_agency_id": self.id},
        }

    # Business methods

    def _dv_membership_note(self, entries, author):
        """The text telling of a change of members: ``entries`` are pairs
        (added or removed, user)."""
        lines = []
        for change, user in entries:
            if change == "added":
                lines.append(
                    self.env._(
                        "%(user)s was added to the members of %(agency)s by "
                        "%(author)s.",
                        user=user.name,
                        agency=self.name,
                        author=author.name,
                    )
                )
            else:
                lines.append(
                    self.env._(
                        "%(user)s was removed from the members of %(agency)s by "
                        "%(author)s.",
                        user=user.name,
                        agency=self.name,
                        author=author.name,
                    )
                )
        return Markup("<br/>").join(lines)

    def _members_in_role(self, role):
        """The members of these agencies who hold ``role`` (caseworker,
        coordinator, ...), e.g. to receive the agency's activities."""
        group = self.env.ref(f"dv_case_management.group_dv_{role}")
        return self.member_ids.user_id.filtered(lambda user: group in user.groups_id)

    def _dv_schedule_for_role(
        self, role, record, activity_type, summary, exclude=None, **kwargs
    ):
        """Give each member of these agencies who holds ``role`` an activity
        on ``record`` in her own language (see schedule_for_users), but not
        the users ``exclude`` (the author of a change, say)."""
        users = self._members_in_role(role)
        if exclude:
            users -= exclude
        schedule_for_users(record, users, activity_type, summary, **kwargs)

    def _get_first_contact_deadline(self, received):
        """Return the moment (naive UTC) by which a victim referred at
        ``received`` (naive UTC) must have been contacted, following the
        agency's first-contact policy.

        - ``hours``: clock hours, weekends and holidays included;
        - ``working_hours``: clock hours, counting only hours that fall on
          working days of the calendar (public holidays are leaves);
        - ``working_days``: the end of the n-th working day after the day the
          referral arrived.
        """
        self.ensure_one()
        amount = self.first_contact_deadline
        unit = self.first_contact_deadline_unit
        if unit == "hours":
            return received + timedelta(hours=amount)
        calendar = self.resource_calendar_id
        if not calendar:
            raise ValidationError(
                self.env._(
                    "%(agency)s has no working calendar to count its deadline on.",
                    agency=self.display_name,
                )
            )
        tz = pytz.timezone(calendar.tz or "UTC")
        local = pytz.utc.localize(received).astimezone(tz)
        if unit == "working_days":
            last_day = working_day_after(calendar, local.date(), amount)
            if not last_day:
                raise ValidationError(
                    self.env._(
                        "The working calendar of %(agency)s has too few working "
                        "days to compute a deadline.",
                        agency=self.display_name,
                    )
                )
            end = tz.localize(datetime.combine(last_day, time.max))
            return end.astimezone(pytz.utc).replace(tzinfo=None, microsecond=0)
        # working_hours: walk day by day and count the hours of working days.
        working_days = calendar._get_working_dates(
            local.date(), local.date() + timedelta(days=MAX_SEARCH_DAYS)
        )
        remaining = timedelta(hours=amount)
        cursor = local
        for _step in range(MAX_SEARCH_DAYS + 1):
            day_end = tz.localize(
                datetime.combine(cursor.date() + timedelta(days=1), time.min)
            )
            if cursor.date() in working_days:
                available = day_end - cursor
                if remaining <= available:
                    deadline = cursor + remaining
                    return deadline.astimezone(pytz.utc).replace(tzinfo=None)
                remaining -= available
            cursor = day_end
        raise ValidationError(
            self.env._(
                "The working calendar of %(agency)s has too few working days to "
                "compute a deadline.",
                agency=self.display_name,
            )
        )
