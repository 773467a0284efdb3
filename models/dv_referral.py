import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, html2plaintext

from ..tools.referral_parser import normalize_phone, parse_referral_text
from .dv_case import CASE_STATES, CASE_TYPES
from .dv_constants import REPEAT_WINDOW_DAYS
from .dv_guard import is_system_write, system_write
from .dv_person import normalize_name
from .dv_time import remaining_label

_logger = logging.getLogger(__name__)

SOURCE_TYPES = [
    ("police", "Police"),
    ("self", "Self-referral"),
    ("agency", "Another Agency"),
    ("other", "Other"),
]

LEGAL_BASES = [
    ("consent", "Written Consent"),
    ("statute", "Statute"),
    ("acute_danger", "Acute Danger (§ 34 StGB)"),
]

STATES = [
    ("received", "Received"),
    ("contacting", "Contacting"),
    ("contacted", "Contacted"),
    ("unreachable", "Unreachable"),
    ("declined", "Declined"),
    ("withdrawn", "Withdrawn"),
]
INBOUND_OPEN = ("received", "contacting")
# States in which the victim did not take the offer up.
NOT_TAKEN_UP = ("unreachable", "declined", "withdrawn")
VICTIM_FIELDS = {"victim_name", "victim_birth_date", "victim_phone"}
# The states a referral may go to from each state; the others are final.
TRANSITIONS = {
    "received": ("contacting", "contacted", "unreachable", "declined", "withdrawn"),
    "contacting": ("contacted", "unreachable", "declined", "withdrawn"),
}


class DvReferral(models.Model):
    _name = "dv.referral"
    _description = "Referral"
    _inherit = [
        "dv.guard.mixin",
        "dv.access.logged.mixin",
        "dv.reference.mixin",
        "dv.workflow.mixin",
        "dv.police.reference.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "dv.erasable.mixin",
    ]
    _state_transitions = TRANSITIONS
    # Two referrals with the same police reference from the same source to
    # the same agency are one referral twice. The police may send one call-out
    # to several agencies (the intervention office and the youth welfare
    # office); and whether another agency received it is not the receiver's
    # to learn.
    _police_reference_unique_by = ("from_agency_id", "to_agency_id")
    _order = "id desc"
    _check_company_auto = True
    _reference_code = "dv.referral"
    _reference_prefix = "VM"
    # The office that received the referral never changes (see dv.guard.mixin);
    # only the addon links a referral to a case.
    _dv_immutable_fields = ("to_agency_id",)
    _dv_guarded_fields = ("case_id",)

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True, tracking=True)
    state = fields.Selection(
        STATES,
        string="Status",
        required=True,
        default="received",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    # Found or opened by the addon (see _inverse_victim).
    case_id = fields.Many2one(
        "dv.case",
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
        readonly=True,
    )
    from_agency_id = fields.Many2one(
        "dv.agency",
        string="From",
        index=True,
        tracking=True,
        help="The referring police unit or agency.",
    )
    to_agency_id = fields.Many2one(
        "dv.agency",
        string="To",
        required=True,
        index=True,
        tracking=True,
        domain=lambda self: [("id", "in", self.env.user.dv_agency_ids.ids)],
        help="The intake office or agency that receives the referral.",
    )
    source_type = fields.Selection(SOURCE_TYPES, default="police")
    received_at = fields.Datetime(default=fields.Datetime.now, tracking=True)
    police_reference = fields.Char(index="btree_not_null", tracking=True)
    incident_date = fields.Date()
    first_contact_deadline = fields.Datetime(
        compute="_compute_first_contact_deadline", store=True, tracking=True
    )
    first_contact_due = fields.Char(
        string="Time Left",
        compute="_compute_first_contact_due",
        help="Time left until the first-contact deadline, or how long it is overdue.",
    )
    contact_attempt_ids = fields.One2many(
        "dv.contact.attempt", "referral_id", string="Contact Attempts"
    )
    attempt_count = fields.Integer(compute="_compute_first_contact", store=True)
    first_contact_at = fields.Datetime(compute="_compute_first_contact", store=True)
    first_contact_channel_id = fields.Many2one(
        "dv.contact.channel",
        string="First Contact By",
        compute="_compute_first_contact",
        store=True,
    )
    contacted_in_time = fields.Boolean(
        string="Contacted within Deadline", compute="_compute_first_contact", store=True
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Open inbound referral whose first-contact deadline has passed.",
    )
    overdue_notified = fields.Boolean(copy=False, readonly=True)
    erase_after = fields.Date(
        readonly=True,
        copy=False,
        help="Declined or never reached: the personal data may be erased after "
        "this date.",
    )
    declined_by_id = fields.Many2one(
        "res.users",
        string="Decline Recorded By",
        readonly=True,
        copy=False,
        help="Who recorded that the person declined: named in the erasure log "
        "when a statute has the referral erased for it.",
    )
    decline_erases = fields.Boolean(
        compute="_compute_decline_erases",
        help="The statute the referral rests on requires the data erased once "
        "the person declines: the Declined button asks first.",
    )
    erase_on_decline = fields.Boolean(
        string="Erased Because Declined",
        readonly=True,
        copy=False,
        help="Declined after a referral under a statute that requires the data "
        "to be erased without delay: the next run of the retention job erases "
        "it.",
    )
    # Legal basis and consent
    legal_basis = fields.Selection(LEGAL_BASES, tracking=True)
    legal_norm = fields.Char(help="The statute's norm, e.g. § 201a LVwG SH.")
    justification = fields.Text(
        help="Why the acute danger justifies passing the data without consent."
    )
    consent_date = fields.Date()
    consent_scope = fields.Char(help="For whom and for what the consent was given.")
    consent_attachment_ids = fields.Many2many(
        "ir.attachment", string="Consent Form", copy=False
    )
    # The case as far as the user may read it: the receiving office reads
    # its referrals even when the case has passed to another agency since.
    case_state = fields.Selection(
        CASE_STATES, string="Case Status", compute="_compute_case_fields"
    )
    case_type = fields.Selection(
        CASE_TYPES,
        compute="_compute_case_fields",
        inverse="_inverse_case_type",
    )
    case_visible = fields.Boolean(compute="_compute_case_fields")
    victim_name = fields.Char(compute="_compute_victim", inverse="_inverse_victim")
    victim_birth_date = fields.Date(
        compute="_compute_victim", inverse="_inverse_victim"
    )
    victim_phone = fields.Char(compute="_compute_victim", inverse="_inverse_victim")
    is_repeat = fields.Boolean(
        string="Repeat",
        readonly=True,
        copy=False,
        help="The victim already had a case with activity within the last "
        "twelve months; the referral joined that case.",
    )
    proposed_case_id = fields.Many2one(
        "dv.case",
        string="Possible Repeat Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="dv_case_management.group_dv_caseworker",
        help="A case of the receiving office whose victim may be this "
        "referral's victim. Nothing of the referral goes into it until a case "
        "worker joins it.",
    )
    pending_values = fields.Json(
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="The victim and the details of the referral while a case worker "
        "decides on the proposed case.",
    )
    received_by_email = fields.Boolean(
        readonly=True,
        copy=False,
        help="Arrived at the intake alias from a registered sender, who is its source.",
    )
    original_ids = fields.One2many(
        "dv.referral.original",
        "referral_id",
        string="Original Messages",
        groups="dv_case_management.group_dv_caseworker",
    )
    needs_completion = fields.Boolean(
        string="To Be Completed",
        copy=False,
        help="Created from a message that could not be read fully: check and "
        "complete it by hand.",
    )

    def _dv_reads_personal(self, fnames):
        # The victim's name, birth date and phone are the referral's
        # personal data; its reference, dates and state are not.
        return fnames is None or bool(set(fnames) & VICTIM_FIELDS)

    # Computes

    @api.depends(
        "received_at",
        "to_agency_id.first_contact_deadline",
        "to_agency_id.first_contact_deadline_unit",
        "to_agency_id.resource_calendar_id",
    )
    def _compute_first_contact_deadline(self):
        for referral in self:
            agency = referral.to_agency_id
            if referral.received_at and agency.is_intake_office:
                referral.first_contact_deadline = agency._get_first_contact_deadline(
                    referral.received_at
                )
            else:
                referral.first_contact_deadline = False

    @api.depends(
        "contact_attempt_ids.attempted_at",
        "contact_attempt_ids.outcome",
        "contact_attempt_ids.channel_id",
        "first_contact_deadline",
    )
    def _compute_first_contact(self):
        for referral in self:
            attempts = referral.contact_attempt_ids
            reached = attempts.filtered(lambda a: a.outcome in ("reached", "declined"))
            referral.attempt_count = len(attempts)
            first_attempt = reached.sorted(lambda a: (a.attempted_at, a.id))[:1]
            first = first_attempt.attempted_at
            referral.first_contact_at = first
            referral.first_contact_channel_id = first_attempt.channel_id
            referral.contacted_in_time = bool(
                first
                and referral.first_contact_deadline
                and first <= referral.first_contact_deadline
            )

    @api.depends("state", "first_contact_deadline")
    @api.depends_context("uid", "lang")
    def _compute_first_contact_due(self):
        now = fields.Datetime.now()
        for referral in self:
            referral.first_contact_due = (
                remaining_label(self.env, referral.first_contact_deadline, now)
                if referral.state in INBOUND_OPEN
                else False
            )

    @api.depends("state", "first_contact_deadline")
    @api.depends_context("uid")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for referral in self:
            referral.is_overdue = bool(
                referral.state in INBOUND_OPEN
                and referral.first_contact_deadline
                and referral.first_contact_deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue referrals."))
        domain = [
            ("state", "in", INBOUND_OPEN),
            ("first_contact_deadline", "<", fields.Datetime.now()),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    def _compute_display_name(self):
        for referral in self:
            referral.display_name = referral.name

    @api.depends("case_id.state", "case_id.case_type")
    @api.depends_context("uid")
    def _compute_case_fields(self):
        readable = self.case_id._filtered_access("read")
        for referral in self:
            case = referral.case_id if referral.case_id in readable else None
            referral.case_state = case.state if case else False
            referral.case_type = case.case_type if case else False
            referral.case_visible = bool(case)

    def _inverse_case_type(self):
        for referral in self:
            if referral.case_id and referral.case_type:
                # As the user: only who may change the case changes its type.
                referral.case_id.case_type = referral.case_type

    @api.depends("case_id.victim_id", "pending_values")
    @api.depends_context("uid")
    def _compute_victim(self):
        """The victim of the case, as far as the user may read the case;
        while a proposed case awaits a decision, the victim the referral
        brought, for the receiving office's case workers only."""
        readable = self.case_id._filtered_access("read")
        office = self._office_caseworker_referrals()
        for referral in self:
            values = {}
            if referral.case_id in readable:
                victim = referral.case_id.victim_id
                values = {
                    "name": victim.name,
                    "birth_date": victim.birth_date,
                    "phone": victim.phone,
                }
            elif referral in office and not referral.case_id:
                values = referral._pending_victim()
            referral.victim_name = values.get("name") or False
            referral.victim_birth_date = values.get("birth_date") or False
            referral.victim_phone = values.get("phone") or False

    def _inverse_victim(self):
        """An inbound referral brings its case: without one, the case is opened
        for the receiving agency with the victim as its first person. When
        the victim may be the victim of a case the office already has, that
        case is proposed instead and nothing goes into it (see
        action_join_case)."""
        for referral in self:
            values = {
                "name": referral.victim_name,
                "birth_date": referral.victim_birth_date,
                "phone": referral.victim_phone,
            }
            if not any(values.values()):
                continue
            if not values["name"]:
                raise ValidationError(self.env._("Give the name of the victim."))
            if referral._is_pending():
                referral._set_pending(victim=values)
                continue
            if not referral.case_id:
                repeat = referral._find_repeat_case(**values)
                if repeat:
                    referral._propose_case(repeat, values)
                    continue
                with system_write():
                    referral.case_id = referral._open_case()
            victim = referral.case_id.victim_id
            if victim:
                victim.write({k: v for k, v in values.items() if v})
            else:
                self.env["dv.person"].create(
                    dict(values, case_id=referral.case_id.id, role="victim")
                )

    def _find_repeat_case(self, name, birth_date=None, phone=None):
        """The most recent case of the receiving agency whose victim is this
        victim (same name or alias, and same birth date or phone number) and
        which saw activity within twelve months of this referral.

        Only for the receiving agency's own people: whoever is no member of
        it learns nothing about its victims, not even by the way a referral
        behaves. Checked before the search, which runs as the superuser."""
        self.ensure_one()
        agency = self.sudo().to_agency_id
        if not (self.env.su or agency in self.env.user.dv_agency_ids):
            return self.env["dv.case"]
        key = normalize_name(name)
        if not key:
            return self.env["dv.case"]
        Person = self.env["dv.person"].sudo().with_context(active_test=False)
        candidates = Person.search(
            [
                ("role", "=", "victim"),
                ("case_id.lead_agency_id", "=", self.to_agency_id.id),
                ("case_id.erased_on", "=", False),
                "|",
                ("normalized_name", "=", key),
                ("normalized_aliases", "ilike", key),
            ]
        )
        phone = normalize_phone(phone) if phone else None
        # A new referral for a victim whose case saw activity within the
        # window is a repeat: that case is proposed, and the referral joins
        # it once a case worker confirms.
        since = (self.received_at or fields.Datetime.now()) - timedelta(
            days=REPEAT_WINDOW_DAYS
        )
        matches = self.env["dv.case"]
        for person in candidates:
            if key != person.normalized_name and key not in (
                person.normalized_aliases or ""
            ).split("|"):
                continue
            same_birth = birth_date and person.birth_date == birth_date
            same_phone = phone and normalize_phone(person.protected_id.phone) == phone
            if (same_birth or same_phone) and person.case_id._last_activity() >= since:
                matches |= person.case_id
        return matches.sorted(lambda c: c._last_activity(), reverse=True)[:1].with_env(
            self.env
        )

    def action_separate_case(self):
        """Undo the joining of a repeat: the referral gets a case of its own."""
        self.ensure_one()
        if not (self.is_repeat and self.case_id):
            raise UserError(
                self.env._(
                    "Referral %(ref)s did not join an existing case.", ref=self.name
                )
            )
        victim = self.case_id.victim_id
        values = {
            "name": victim.name,
            "birth_date": victim.birth_date,
            "phone": victim.phone,
        }
        old_case = self.case_id
        new_case = self._open_case()
        self.env["dv.person"].create(dict(values, case_id=new_case.id, role="victim"))
        with system_write():
            self.write({"case_id": new_case.id, "is_repeat": False})
        old_case.message_post(
            body=self.env._(
                "Referral %(ref)s moved to case %(case)s.",
                ref=self.name,
                case=new_case.name,
            )
        )
        return new_case.get_formview_action()

    # Repeats: proposed, then joined or not

    def _office_caseworker_referrals(self):
        """The referrals whose receiving office the current user works for
        as a case worker (all of them for the superuser)."""
        if self.env.su:
            return self
        user = self.env.user
        if not user.has_group("dv_case_management.group_dv_caseworker"):
            return self.browse()
        return self.filtered(
            lambda referral: referral.to_agency_id in user.dv_agency_ids
        )

    def _is_pending(self):
        self.ensure_one()
        return bool(self.sudo().proposed_case_id)

    def _pending_victim(self):
        """The victim the referral brought while it awaits a decision."""
        self.ensure_one()
        victim = dict((self.sudo().pending_values or {}).get("victim") or {})
        if victim.get("birth_date"):
            victim["birth_date"] = fields.Date.to_date(victim["birth_date"])
        return victim

    def _set_pending(self, victim=None, details=None):
        """Keep the victim and the details (measures, alleged perpetrator,
        incident date) of a referral that awaits a decision on its proposed
        case: in a field nobody reads but the addon."""
        self.ensure_one()
        pending = dict(self.sudo().pending_values or {})
        if victim is not None:
            pending["victim"] = {
                "name": victim.get("name") or False,
                "birth_date": fields.Date.to_string(victim.get("birth_date")) or False,
                "phone": victim.get("phone") or False,
            }
        if details is not None:
            pending["details"] = {
                "measures": list(details.get("measures") or []),
                "perpetrator_name": details.get("perpetrator_name") or False,
                "incident_date": fields.Date.to_string(details.get("incident_date"))
                or False,
            }
        self.sudo().pending_values = pending

    def _propose_case(self, case, victim):
        """Propose ``case`` as the case this referral's victim already has.
        The referral stays without a case; nothing is written into ``case``."""
        self.ensure_one()
        self.sudo().proposed_case_id = case
        self._set_pending(victim=victim)

    def _check_decision(self):
        """Who decides on a proposed case: the receiving office's case workers,
        who may change the referral and the proposed case."""
        self.ensure_one()
        # Access first: nobody else learns whether a referral awaits anything.
        self.check_access("write")
        if not self._office_caseworker_referrals():
            raise AccessError(
                self.env._(
                    "Only the case workers of the receiving office decide on the "
                    "case of referral %(ref)s.",
                    ref=self.name,
                )
            )
        if not self._is_pending():
            raise UserError(
                self.env._(
                    "Referral %(ref)s awaits no decision on a case.", ref=self.name
                )
            )

    def action_join_case(self):
        """The case worker confirms the proposed case: the referral joins it
        as a repeat, and its victim's missing data and its details go into
        it."""
        self.ensure_one()
        self._check_decision()
        case = self.sudo().proposed_case_id.with_env(self.env)
        if case.erased_on or not case._filtered_access("write"):
            raise UserError(
                self.env._(
                    "Case %(case)s can no longer take referral %(ref)s in: open a "
                    "new case.",
                    case=case.sudo().name,
                    ref=self.name,
                )
            )
        pending = self.sudo().pending_values or {}
        victim_values = self._pending_victim()
        with system_write():
            self.sudo().write(
                {
                    "case_id": case.id,
                    "is_repeat": True,
                    "proposed_case_id": False,
                    "pending_values": False,
                }
            )
        # Keep what is known; fill what was missing.
        victim = case.victim_id
        if victim:
            victim.write(
                {
                    key: value
                    for key, value in victim_values.items()
                    if value and not victim[key]
                }
            )
        self._apply_details(case, pending.get("details") or {})
        case.message_post(
            body=self.env._("Repeat: referral %(ref)s joined this case.", ref=self.name)
        )
        return True

    def action_new_case(self):
        """The case worker rejects the proposed case: the referral opens a
        case of its own."""
        self.ensure_one()
        self._check_decision()
        self._open_pending_case()
        return True

    def _open_pending_case(self):
        """Open the case of a referral that awaited a decision, with the
        victim and details it brought."""
        self.ensure_one()
        pending = self.sudo().pending_values or {}
        victim_values = self._pending_victim()
        case = self._open_case()
        if victim_values.get("name"):
            self.env["dv.person"].create(
                {
                    "case_id": case.id,
                    "role": "victim",
                    **{key: value for key, value in victim_values.items() if value},
                }
            )
        with system_write():
            self.sudo().write(
                {
                    "case_id": case.id,
                    "is_repeat": False,
                    "proposed_case_id": False,
                    "pending_values": False,
                }
            )
        self._apply_details(case, pending.get("details") or {})
        return case

    def action_open_case(self):
        self.ensure_one()
        if not self.case_visible:
            raise UserError(
                self.env._("You have no access to the case of %(ref)s.", ref=self.name)
            )
        return self.case_id.get_formview_action()

    def action_reopen_case(self):
        self.ensure_one()
        self.case_id.action_reopen()

    def _open_case(self):
        self.ensure_one()
        agency = self.to_agency_id
        user = self.env.user
        return self.env["dv.case"].create(
            {
                "lead_agency_id": agency.id,
                "company_id": (agency.company_id or self.company_id).id,
                "user_id": user.id if agency in user.dv_agency_ids else False,
                "case_type": self.case_type
                or self.env.context.get("default_case_type")
                or "partner",
                "opened_on": fields.Date.context_today(self, self.received_at)
                if self.received_at
                else fields.Date.context_today(self),
            }
        )

    # Constraints

    @api.constrains("legal_basis", "legal_norm", "justification", "consent_date")
    def _check_legal_basis(self):
        for referral in self:
            basis = referral.legal_basis
            if not basis:
                if not referral.needs_completion:
                    raise ValidationError(
                        self.env._(
                            "Record the legal basis of referral %(ref)s.",
                            ref=referral.name,
                        )
                    )
            if basis == "statute" and not referral.legal_norm:
                raise ValidationError(
                    self.env._("Name the statute's norm the referral rests on.")
                )
            if basis == "acute_danger" and not (referral.justification or "").strip():
                raise ValidationError(
                    self.env._(
                        "Passing data on because of acute danger needs a written "
                        "justification."
                    )
                )
            if basis == "consent" and not referral.consent_date:
                raise ValidationError(
                    self.env._("Record the date on which consent was given.")
                )
            if (
                referral.consent_date
                and referral.consent_date > fields.Date.context_today(referral)
            ):
                raise ValidationError(
                    self.env._("Consent cannot be dated in the future.")
                )

    @api.constrains("from_agency_id", "to_agency_id")
    def _check_parties(self):
        for referral in self:
            if (
                referral.from_agency_id
                and referral.from_agency_id == referral.to_agency_id
            ):
                raise ValidationError(
                    self.env._("An agency cannot refer a victim to itself.")
                )

    @api.constrains("received_at")
    def _check_received_at(self):
        now = fields.Datetime.now() + timedelta(minutes=5)
        for referral in self:
            if referral.received_at and referral.received_at > now:
                raise ValidationError(
                    self.env._("A referral cannot arrive in the future.")
                )

    def init(self):
        # Two referrals with the same police reference from the same source
        # to the same agency are one referral twice, even when they arrive at
        # the same moment. (The index it replaces held the source only.)
        self.env.cr.execute(
            SQL("DROP INDEX IF EXISTS dv_referral_police_reference_unique")
        )
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS "
                "dv_referral_police_reference_receiver_unique "
                "ON dv_referral "
                "(COALESCE(from_agency_id, 0), to_agency_id, police_reference) "
                "WHERE police_reference IS NOT NULL"
            )
        )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self._check_receiving_agency(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if "from_agency_id" in vals and not is_system_write(self.env):
            for referral in self:
                if (
                    referral.received_by_email
                    and referral.from_agency_id
                    and referral.from_agency_id.id != vals["from_agency_id"]
                ):
                    raise ValidationError(
                        self.env._(
                            "The source of referral %(ref)s is the registered sender "
                            "of its e-mail and cannot be changed.",
                            ref=referral.name,
                        )
                    )
        return super().write(vals)

    @api.model
    def _check_receiving_agency(self, vals_list):
        """A referral is entered by the agency that received it. Nobody enters
        one for an agency she does not work for: it would also ask that
        agency's cases about the victim (see _find_repeat_case). Checked
        before anything else happens."""
        if is_system_write(self.env):
            return
        own = self.env.user.dv_agency_ids.ids
        for vals in vals_list:
            agency = vals.get("to_agency_id") or self.env.context.get(
                "default_to_agency_id"
            )
            if agency and agency not in own:
                raise AccessError(
                    self.env._(
                        "You can only enter referrals received by an agency you "
                        "are a member of."
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Referrals are archived, not deleted; withdraw or revoke them, and "
                "the retention rules erase their personal data."
            )
        )

    # Transitions

    def _erase_after_date(self):
        days = self.to_agency_id.unreached_retention_days
        return fields.Date.context_today(self) + timedelta(days=days)

    @api.depends("legal_basis", "to_agency_id", "company_id")
    def _compute_decline_erases(self):
        for referral in self:
            referral.decline_erases = referral._statute_erases_on_decline()

    def _statute_erases_on_decline(self):
        """Whether the statute the referral rests on requires the office to
        erase the data once the person declines (e.g. § 201a Abs. 6 LVwG
        SH): the Land profile of the receiving company says so."""
        self.ensure_one()
        if self.legal_basis != "statute":
            return False
        company = self.to_agency_id.company_id or self.company_id
        return bool(company.sudo().dv_land_profile_id.erase_on_decline)

    def _write_state(self, state):
        """Move to ``state`` (checked by the workflow); a referral that is
        not taken up and still awaits a decision on its proposed case gets a
        case of its own: its data never go into the proposed case unseen."""
        for referral in self:
            values = {"state": state}
            if state in NOT_TAKEN_UP:
                values["erase_after"] = referral._erase_after_date()
            if state == "declined":
                values["declined_by_id"] = self.env.user.id
                if referral._statute_erases_on_decline():
                    values["erase_on_decline"] = True
            with system_write():
                referral.write(values)
            if state in NOT_TAKEN_UP and referral._is_pending():
                referral._open_pending_case()

    def action_start_contacting(self):
        self._dv_check_move("contacting", self.env._("Starting contact"))
        self._write_state("contacting")

    def action_mark_unreachable(self):
        self._dv_check_move("unreachable", self.env._("Marking as unreachable"))
        for referral in self:
            if not referral.contact_attempt_ids:
                raise UserError(
                    self.env._(
                        "Log the contact attempts before marking referral %(ref)s "
                        "as unreachable.",
                        ref=referral.name,
                    )
                )
        self._write_state("unreachable")

    def action_mark_declined(self):
        self._dv_check_move("declined", self.env._("Marking as declined"))
        self._write_state("declined")

    def action_withdraw(self):
        self._dv_check_move("withdrawn", self.env._("Withdrawing"))
        self._write_state("withdrawn")

    def _on_attempt_logged(self):
        """Contact attempts move an open inbound referral along."""
        for referral in self.filtered(lambda r: r.state in INBOUND_OPEN):
            outcomes = referral.contact_attempt_ids.mapped("outcome")
            if "declined" in outcomes:
                referral._write_state("declined")
            elif "reached" in outcomes:
                referral._write_state("contacted")
                referral._start_case_on_contact()
            elif referral.state == "received":
                referral._write_state("contacting")

    def _start_case_on_contact(self):
        """The victim was reached: the work on her case begins. Who cannot
        start it is told why."""
        self.ensure_one()
        case = self.case_id
        if not case or case.state != "new":
            return
        if case.has_access("write"):
            case.action_start()
            return
        self.message_post(
            body=self.env._(
                "The victim was reached; the case stays new until a case worker "
                "of its lead agency starts it."
            )
        )

    # One click for the call the case worker just made

    def action_call_reached(self):
        return self._log_call("reached")

    def action_call_not_reached(self):
        return self._log_call("no_answer")

    def _log_call(self, outcome):
        """Log a phone call made now."""
        self.ensure_one()
        self._dv_check_state(INBOUND_OPEN, self.env._("Logging a call"))
        self.env["dv.contact.attempt"].create(
            {
                "referral_id": self.id,
                "attempted_at": fields.Datetime.now(),
                "channel_id": self.env.ref(
                    "dv_case_management.contact_channel_phone"
                ).id,
                "outcome": outcome,
            }
        )
        return True

    # Intake by e-mail

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A police referral e-mail to the intake office's alias becomes an
        inbound referral. The alias accepts registered senders only (see
        dv.agency._intake_sender), and the sender alone is the source:
        whatever the message says about its origin is not. Whatever cannot be
        read leaves the referral marked for completion by hand. Nothing of the
        message's content is logged."""
        # Only what the alias may set (aliases of earlier versions carried
        # more keys).
        defaults = {
            key: value
            for key, value in (custom_values or {}).items()
            if key in ("to_agency_id", "company_id")
        }
        agency = self.env["dv.agency"].browse(defaults.get("to_agency_id")).exists()
        if not agency:
            raise ValueError("A referral e-mail must arrive at an agency's alias.")
        registered, source = agency._intake_sender(msg_dict.get("email_from"))
        if not registered:
            # The alias refuses such a message before it gets here; a message
            # routed here otherwise is refused too, and kept nowhere.
            raise ValueError(
                "The sender of the e-mail is not registered for the intake office."
            )
        text = html2plaintext(msg_dict.get("body") or "")
        parsed, problems = parse_referral_text(
            text, today=fields.Date.context_today(self)
        )
        received = fields.Datetime.now()
        values = dict(
            defaults,
            source_type="police",
            to_agency_id=agency.id,
            company_id=(agency.company_id or self.env.company).id,
            from_agency_id=source.id,
            received_at=received,
            incident_date=parsed.get("incident_date"),
            police_reference=parsed.get("police_reference"),
            received_by_email=True,
        )
        if not source:
            problems.append("source")
        if values["police_reference"] and self._police_reference_taken(
            {"from_agency_id": source.id, "to_agency_id": agency.id},
            values["police_reference"],
        ):
            # Sent twice: keep the message, without claiming the reference.
            problems.append("duplicate")
            values["police_reference"] = False
        consent = parsed.get("consent")
        profile = (agency.company_id or self.env.company).dv_land_profile_id
        statute = profile and profile.sudo()._referral_statute()
        if consent:
            values.update(legal_basis="consent", consent_date=received.date())
        elif statute:
            values.update(legal_basis="statute", legal_norm=statute)
        victim = {
            "victim_name": parsed.get("victim_name"),
            "victim_birth_date": parsed.get("victim_birth_date"),
            "victim_phone": parsed.get("victim_phone"),
        }
        values["needs_completion"] = bool(problems) or not values.get("legal_basis")
        try:
            with self.env.cr.savepoint():
                referral = self.create(
                    dict(values, **{k: v for k, v in victim.items() if v})
                    if victim["victim_name"]
                    else values
                )
                referral._add_intake_details(parsed)
        except (ValidationError, UserError):
            values.update(needs_completion=True, police_reference=False)
            referral = self.create(values)
        self.env["dv.referral.original"]._keep(referral, msg_dict)
        _logger.info(
            "Referral %s created from e-mail (%d items to complete)",
            referral.name,
            len(problems),
        )
        return referral

    def _add_intake_details(self, parsed):
        """Police measures, the alleged perpetrator and the incident named in
        the message go into the case; while a proposed case awaits a
        decision, they wait with the referral."""
        self.ensure_one()
        if self.case_id:
            self._apply_details(self.case_id, parsed)
        elif self._is_pending():
            self._set_pending(details=parsed)

    def _apply_details(self, case, details):
        """Write the referral's details (``measures``, ``perpetrator_name``,
        ``incident_date``) into ``case``, leaving out what it already has: the
        alleged perpetrator of the same name, an incident of the same day."""
        self.ensure_one()
        incident_date = fields.Date.to_date(details.get("incident_date") or False)
        start = incident_date or self.received_at.date()
        for code in details.get("measures") or ():
            self.env["dv.police.measure"].create(
                {
                    "case_id": case.id,
                    "measure_type": code,
                    "date_start": start,
                    "agency_id": self.from_agency_id.id,
                    "police_reference": self.police_reference,
                }
            )
        perpetrator = details.get("perpetrator_name")
        known = {
            normalize_name(person.name)
            for person in case.person_ids
            if person.role == "perpetrator"
        }
        if perpetrator and normalize_name(perpetrator) not in known:
            self.env["dv.person"].create(
                {"case_id": case.id, "role": "perpetrator", "name": perpetrator}
            )
        if incident_date and not any(
            incident.date.date() == incident_date for incident in case.incident_ids
        ):
            self.env["dv.incident"].create(
                {
                    "case_id": case.id,
                    "date": fields.Datetime.to_datetime(incident_date),
                    "police_reference": self.police_reference,
                }
            )

    def message_post(self, **kwargs):
        """What the mail gateway posts on a referral (it alone runs as the
        superuser with ``from_alias``) goes to the original messages, which
        only the receiving office's case workers read; the chatter, read by
        everybody who reads the referral, notes the arrival only."""
        if self.env.context.get("from_alias") and self.env.su and len(self) == 1:
            kwargs = self._keep_incoming(kwargs)
            if kwargs is None:
                return self.env["mail.message"]
        return super().message_post(**kwargs)

    def _keep_incoming(self, values):
        """Keep an incoming message apart; return what the chatter gets
        instead (None: the message is dropped)."""
        self.ensure_one()
        email_from = values.get("email_from")
        if not self._incoming_sender_allowed(email_from, values.get("author_id")):
            _logger.info(
                "Referral %s: an e-mail from a sender not registered for its "
                "office was dropped",
                self.name,
            )
            return None
        self.env["dv.referral.original"]._keep(self, values)
        return {
            "body": Markup("<p>%s</p>")
            % self.env._(
                "E-mail received. The message and its attachments are kept for "
                "the case workers of the receiving office (tab Original Messages)."
            ),
            "author_id": values.get("author_id"),
            "email_from": email_from,
            "message_id": values.get("message_id"),
            "message_type": "notification",
            "subtype_xmlid": "mail.mt_note",
        }

    def _incoming_sender_allowed(self, email_from, author_id=None):
        """A message on a referral comes from a registered sender of its
        office, or from a member of the office answering a notification."""
        self.ensure_one()
        office = self.to_agency_id
        if office._intake_sender(email_from)[0]:
            return True
        author = self.env["res.partner"].browse(author_id or ()).exists()
        return bool(author.user_ids & office.sudo().member_ids.user_id)

    def _alias_get_error(self, message, message_dict, alias):
        """A reply to the intake alias about a referral: registered senders
        only, as for a new one."""
        if len(self) == 1 and alias == self.to_agency_id.alias_id:
            return self.to_agency_id._dv_intake_alias_error(message_dict)
        return super()._alias_get_error(message, message_dict, alias)

    # Scheduled jobs

    @api.model
    def _cron_notify_overdue(self):
        """Give the case workers of the receiving office an activity for each
        inbound referral whose first-contact deadline has passed."""
        overdue = self.search(
            [("is_overdue", "=", True), ("overdue_notified", "=", False)]
        )
        for referral in overdue:
            referral.to_agency_id._dv_schedule_for_role(
                "caseworker",
                referral,
                "dv_case_management.mail_activity_type_deadline",
                lambda env: env._("First contact overdue"),
            )
            referral.overdue_notified = True
        return len(overdue)

    # Erasure

    def _dv_erase(self):
        """Legal basis, dates and outcome of the first contact stay; what
        identifies the victim or the call-out goes. A justification is
        required for some legal bases: it is replaced, not emptied."""
        self.write(
            {
                "police_reference": False,
                "consent_scope": False,
                "consent_attachment_ids": [Command.clear()],
            }
        )
        self.filtered("justification").write({"justification": self.env._("Erased")})
