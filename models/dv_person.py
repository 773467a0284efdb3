import re
import unicodedata

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

PERSON_ROLES = [
    ("victim", "Victim"),
    ("perpetrator", "Alleged Perpetrator"),
    ("child", "Child"),
    ("other", "Other"),
]

GENDERS = [
    ("female", "Female"),
    ("male", "Male"),
    ("diverse", "Diverse"),
    ("unknown", "Unknown"),
]

# Relationship of the alleged perpetrator to the victim, in the categories of
# the federal Lagebild Häusliche Gewalt.
RELATIONSHIPS = [
    ("spouse", "Spouse or Registered Partner"),
    ("partner", "Partner (not married)"),
    ("former_partner", "Former Spouse or Partner"),
    ("parent", "Parent"),
    ("child", "Child"),
    ("sibling", "Sibling"),
    ("other_relative", "Other Relative"),
    ("acquaintance", "Acquaintance"),
    ("stranger", "No Prior Relationship"),
]

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")]

# Longest name and list of other names a person may have: enough for any
# real name, short enough for lists, exports and the repeat matching.
NAME_MAX_LENGTH = {"name": 200, "aliases": 1000}

# Fields kept in dv.person.protected: only the lead agency's case workers
# read them; everybody else sees them empty.
PROTECTED_FIELDS = (
    "street",
    "zip",
    "city",
    "phone",
    "email",
    "safe_to_call",
    "safe_to_write",
    "safe_times",
    "forbidden_channel_ids",
    "school",
    "confidential_notes",
)


def normalize_name(name):
    """Lower-case, umlauts folded (ä → ae, ß → ss), accents dropped, other
    characters turned into single spaces: the key repeats are matched on."""
    if not name:
        return ""
    text = name.lower()
    for source, target in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(source, target)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


class DvPerson(models.Model):
    _name = "dv.person"
    _inherit = ["dv.guard.mixin", "dv.access.logged.mixin", "dv.erasable.mixin"]
    _dv_immutable_fields = ("case_id",)
    _description = "Person Involved"
    _order = "case_id, role_sequence, id"

    case_id = fields.Many2one(
        "dv.case", required=True, ondelete="cascade", index=True, auto_join=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    role = fields.Selection(PERSON_ROLES, required=True, default="victim", index=True)
    role_sequence = fields.Integer(compute="_compute_role_sequence", store=True)
    name = fields.Char(required=True)
    aliases = fields.Char(
        help="Other names, maiden names or spellings, comma-separated."
    )
    normalized_name = fields.Char(
        compute="_compute_normalized_name", store=True, index="trigram"
    )
    normalized_aliases = fields.Char(
        compute="_compute_normalized_name", store=True, index="trigram"
    )
    birth_date = fields.Date()
    age_estimate = fields.Integer(
        string="Estimated Age", help="When the birth date is not known."
    )
    age = fields.Integer(compute="_compute_age")
    age_at_opening = fields.Integer(
        compute="_compute_age_at_opening",
        store=True,
        help="Age when the case was opened; kept for statistics when the birth "
        "date is erased.",
    )
    age_known = fields.Boolean(
        compute="_compute_age_at_opening",
        store=True,
        help="Whether the age at opening is known (an age of 0 is a baby).",
    )
    gender = fields.Selection(GENDERS, default="unknown", required=True)
    lang_id = fields.Many2one(
        "res.lang", string="Language", context={"active_test": False}
    )
    interpreter_needed = fields.Boolean()
    disability = fields.Boolean()
    disability_note = fields.Char(string="Disability Details")
    migration_background = fields.Selection(
        YES_NO_UNKNOWN,
        help="Optional, only for statistics.",
    )
    # Alleged perpetrator
    relationship = fields.Selection(
        RELATIONSHIPS,
        string="Relationship to the Victim",
        help="Relationship of the alleged perpetrator to the victim (Lagebild).",
    )
    shared_household = fields.Boolean(
        help="The alleged perpetrator and the victim live in one household."
    )
    consent_ids = fields.One2many("dv.consent", "person_id", string="Consents")
    # Protected details, stored apart
    protected_id = fields.Many2one(
        "dv.person.protected", readonly=True, copy=False, index=True
    )
    protected_visible = fields.Boolean(compute="_compute_protected")
    street = fields.Char(compute="_compute_protected", inverse="_inverse_protected")
    zip = fields.Char(compute="_compute_protected", inverse="_inverse_protected")
    city = fields.Char(compute="_compute_protected", inverse="_inverse_protected")
    phone = fields.Char(compute="_compute_protected", inverse="_inverse_protected")
    email = fields.Char(compute="_compute_protected", inverse="_inverse_protected")
    safe_to_call = fields.Boolean(
        compute="_compute_protected", inverse="_inverse_protected"
    )
    safe_to_write = fields.Boolean(
        compute="_compute_protected", inverse="_inverse_protected"
    )
    safe_times = fields.Char(
        string="Safe Contact Times",
        compute="_compute_protected",
        inverse="_inverse_protected",
    )
    forbidden_channel_ids = fields.Many2many(
        "dv.contact.channel",
        string="Channels Not to Use",
        compute="_compute_protected",
        inverse="_inverse_protected",
    )
    school = fields.Char(
        string="School or Day Care",
        compute="_compute_protected",
        inverse="_inverse_protected",
    )
    confidential_notes = fields.Text(
        compute="_compute_protected", inverse="_inverse_protected"
    )

    @api.depends("role")
    def _compute_role_sequence(self):
        order = {key: index for index, (key, _label) in enumerate(PERSON_ROLES)}
        for person in self:
            person.role_sequence = order.get(person.role, len(order))

    @api.depends("name", "aliases")
    def _compute_normalized_name(self):
        for person in self:
            person.normalized_name = normalize_name(person.name)
            aliases = (
                normalize_name(alias) for alias in (person.aliases or "").split(",")
            )
            person.normalized_aliases = "|".join(alias for alias in aliases if alias)

    @api.depends("birth_date", "age_estimate")
    @api.depends_context("uid")
    def _compute_age(self):
        today = fields.Date.context_today(self)
        for person in self:
            if person.birth_date:
                born = person.birth_date
                person.age = (
                    today.year
                    - born.year
                    - ((today.month, today.day) < (born.month, born.day))
                )
            else:
                person.age = person.age_estimate

    @api.depends("birth_date", "age_estimate", "case_id.opened_on")
    def _compute_age_at_opening(self):
        for person in self:
            born = person.birth_date
            opened = person.case_id.opened_on
            if born and opened:
                person.age_at_opening = (
                    opened.year
                    - born.year
                    - ((opened.month, opened.day) < (born.month, born.day))
                )
                person.age_known = True
            elif person.age_estimate:
                person.age_at_opening = person.age_estimate
                person.age_known = True
            else:
                # Erased or unknown: keep what was known.
                person.age_at_opening = person.age_at_opening
                person.age_known = person.age_known

    def _readable_protected(self):
        """The protected records of ``self`` the current user may read."""
        Protected = self.env["dv.person.protected"]
        records = self.protected_id
        if not records or not Protected.has_access("read"):
            return Protected
        return records._filtered_access("read")

    @api.depends("protected_id")
    @api.depends_context("uid")
    def _compute_protected(self):
        readable = self._readable_protected()
        for person in self:
            protected = person.protected_id if person.protected_id in readable else None
            person.protected_visible = bool(protected) or not person.protected_id
            for fname in PROTECTED_FIELDS:
                if protected is not None:
                    person[fname] = protected[fname]
                elif fname == "forbidden_channel_ids":
                    person[fname] = self.env["dv.contact.channel"]
                else:
                    person[fname] = False

    def _inverse_protected(self):
        for person in self:
            values = {}
            for fname in PROTECTED_FIELDS:
                # Only what was written: while a write runs, the other
                # fields of this compute read as empty and must not be
                # copied over the stored details.
                if not self.env.cache.contains(person, self._fields[fname]):
                    continue
                value = person[fname]
                if fname == "forbidden_channel_ids":
                    value = [fields.Command.set(value.ids)]
                values[fname] = value
            if person.protected_id:
                person.protected_id.write(values)
            elif any(v for k, v in values.items() if k != "forbidden_channel_ids") or (
                person.forbidden_channel_ids
            ):
                protected = self.env["dv.person.protected"].create(
                    dict(values, person_id=person.id)
                )
                person.sudo().protected_id = protected

    def _check_contact_channel(self, channel_code):
        """Refuse a contact the victim must not receive: on a channel she
        excluded, by writing when writing is not safe, or by phone or text
        when calling is not safe."""
        self.ensure_one()
        protected = self.sudo().protected_id
        if channel_code in protected.forbidden_channel_ids.mapped("code"):
            raise UserError(
                self.env._("This person must not be contacted on this channel.")
            )
        if channel_code in ("email", "letter") and not protected.safe_to_write:
            raise UserError(self.env._("Writing to this person is not marked as safe."))
        if channel_code in ("phone", "sms") and not protected.safe_to_call:
            raise UserError(
                self.env._("Calling or texting this person is not marked as safe.")
            )

    def action_open_mail_wizard(self):
        self.ensure_one()
        self._check_contact_channel("email")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write an E-mail"),
            "res_model": "dv.person.mail.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_person_id": self.id},
        }

    @api.constrains("birth_date", "age_estimate")
    def _check_birth_date(self):
        today = fields.Date.context_today(self)
        for person in self:
            if person.birth_date and person.birth_date > today:
                raise ValidationError(
                    self.env._("A birth date cannot lie in the future.")
                )
            if not 0 <= person.age_estimate <= 120:
                raise ValidationError(
                    self.env._("An estimated age must lie between 0 and 120.")
                )

    @api.constrains("name", "aliases")
    def _check_name_length(self):
        for person in self:
            for fname, limit in NAME_MAX_LENGTH.items():
                if len(person[fname] or "") > limit:
                    raise ValidationError(
                        self.env._(
                            "%(field)s has at most %(max)s characters.",
                            field=self._fields[fname]._description_string(self.env),
                            max=limit,
                        )
                    )

    # CRUD: a child in the case brings the youth welfare office's step.

    @api.model_create_multi
    def create(self, vals_list):
        people = super().create(vals_list)
        people.filtered(lambda p: p.role == "child").case_id._prompt_youth_office()
        return people

    def write(self, vals):
        result = super().write(vals)
        if vals.get("role") == "child":
            self.case_id._prompt_youth_office()
        return result

    # Erasure

    def _dv_erase(self):
        """Names and what identifies the person go; role, sex, relationship
        and the age at opening stay for the statistics."""
        self.write(
            {
                "name": self.env._("Erased"),
                "aliases": False,
                "birth_date": False,
                "age_estimate": 0,
                "disability_note": False,
            }
        )
