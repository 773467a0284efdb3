"""Federal state profiles: what each Land's police law says about evictions,
contact bans and passing a victim's data to the intake office, each value
with its norm and where it was checked."""

import io
import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import file_open
from odoo.tools.convert import convert_xml_import

from .dv_agency import GERMAN_STATES

_logger = logging.getLogger(__name__)

MODULE = "dv_case_management"
DATA_FILE = f"{MODULE}/data/dv_land_profile_data.xml"

DURATION_UNITS = [
    ("days", "Days"),
    ("working_days", "Working Days (Monday to Saturday)"),
    ("weeks", "Weeks"),
    ("months", "Months"),
]

# What an application under the Gewaltschutzgesetz, made while the police
# measure runs, does to its end.
EXTENSION_KINDS = [
    ("none", "Nothing: the measure ends as ordered"),
    ("ends_on_decision", "It ends with the court's decision, at the latest as ordered"),
    (
        "until_decision",
        "It lasts until the court decides, at most the extension longer",
    ),
    ("on_request", "The authority may extend it by at most the extension"),
]

# On what footing the police pass a victim's contact data to the intake
# office.
TRANSFER_BASES = [
    ("obliges", "The statute obliges the police to pass the data"),
    ("allows", "The statute allows the police to pass the data without consent"),
    ("offer", "The statute obliges the police to offer it; the transfer needs consent"),
    (
        "none",
        "No statute of its own: the basis (mostly consent) is recorded per referral",
    ),
]


def working_day_holidays(state_code, years):
    """The public holidays of a Land in the given years (``holidays``)."""
    import holidays  # noqa: PLC0415 (a heavy import, needed rarely)

    return holidays.country_holidays("DE", subdiv=state_code, years=sorted(years))


def add_duration(start, amount, unit, state_code=None):
    """``start`` plus ``amount`` units. Days, weeks and months are counted
    on the calendar (the day of the order does not count, § 187 BGB, so the
    measure ends at the end of the last day); working days are Monday to
    Saturday without the Land's public holidays (Werktage)."""
    if not start or not amount:
        return start
    if unit == "weeks":
        return start + timedelta(weeks=amount)
    if unit == "months":
        return start + relativedelta(months=amount)
    if unit != "working_days":
        return start + timedelta(days=amount)
    holidays = working_day_holidays(
        state_code, {start.year, start.year + 1, start.year + 2}
    )
    day = start
    counted = 0
    while counted < amount:
        day += timedelta(days=1)
        if day.weekday() != 6 and day not in holidays:
            counted += 1
    return day


def update_shipped_profiles(env):
    """The shipped profiles take the values of this version's data file,
    which updates leave alone (it is noupdate). A profile a user changed
    since it was loaded keeps its values: loading writes as the superuser,
    so any other last writer means a manager edited it. A shipped profile
    deleted by hand is not created anew. Returns the profiles left alone."""
    data = (
        env["ir.model.data"]
        .sudo()
        .search([("module", "=", MODULE), ("model", "=", "dv.land.profile")])
    )
    profiles = (
        env["dv.land.profile"]
        .sudo()
        .with_context(active_test=False)
        .browse(data.mapped("res_id"))
        .exists()
    )
    edited = profiles.filtered(lambda profile: profile.write_uid.id != SUPERUSER_ID)
    to_load = data.filtered(lambda xmlid: xmlid.res_id in (profiles - edited).ids)
    with file_open(DATA_FILE, "rb") as handle:
        root = etree.parse(handle).getroot()
    keep = set(to_load.mapped("name"))
    for record in root.findall("record"):
        if record.get("id") not in keep:
            root.remove(record)
    root.attrib.pop("noupdate", None)
    xmlfile = io.BytesIO(etree.tostring(root, encoding="utf-8"))
    xmlfile.name = DATA_FILE
    # The loader reads the flags with SQL: write them to the database first.
    to_load.write({"noupdate": False})
    to_load.flush_recordset(["noupdate"])
    convert_xml_import(env, MODULE, xmlfile, mode="update", noupdate=False)
    data.invalidate_recordset(["noupdate"])
    data.write({"noupdate": True})
    if edited:
        _logger.info(
            "Federal state profiles changed by hand keep their values: %s",
            ", ".join(edited.mapped("state_code")),
        )
    return edited


class DvLandProfile(models.Model):
    _name = "dv.land.profile"
    _description = "Federal State Profile"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, translate=True)
    state_code = fields.Selection(GERMAN_STATES, string="Federal State", required=True)
    active = fields.Boolean(default=True, tracking=True)
    checked_on = fields.Date(
        help="When the values were last checked against the law in force.",
        tracking=True,
    )
    # Eviction / barring order
    eviction_no_max = fields.Boolean(
        string="Eviction: No Statutory Maximum",
        help="The Land's police law sets no longest duration; the company's "
        "practice is proposed instead.",
        tracking=True,
    )
    eviction_max = fields.Integer(
        string="Eviction: Maximum",
        help="Longest duration of a police eviction / barring order.",
        tracking=True,
    )
    eviction_unit = fields.Selection(
        DURATION_UNITS,
        string="Eviction: Unit",
        default="days",
        required=True,
        tracking=True,
    )
    eviction_norm = fields.Char(
        string="Eviction: Norm", help="e.g. § 34a Abs. 5 PolG NRW"
    )
    eviction_source = fields.Text(
        string="Eviction: Source Note",
        help="Where the value was checked, and anything to know about it.",
    )
    # Contact ban
    contact_ban_no_max = fields.Boolean(
        string="Contact Ban: No Statutory Maximum",
        help="The Land's police law sets no longest duration, or knows no "
        "contact ban of its own; the company's practice is proposed instead.",
        tracking=True,
    )
    contact_ban_max = fields.Integer(string="Contact Ban: Maximum", tracking=True)
    contact_ban_unit = fields.Selection(
        DURATION_UNITS,
        string="Contact Ban: Unit",
        default="days",
        required=True,
        tracking=True,
    )
    contact_ban_norm = fields.Char(string="Contact Ban: Norm")
    contact_ban_source = fields.Text(string="Contact Ban: Source Note")
    # Application under the Gewaltschutzgesetz
    extension_kind = fields.Selection(
        EXTENSION_KINDS,
        string="Protection Order Applied For",
        default="none",
        required=True,
        help="What an application for a protection order under the "
        "Gewaltschutzgesetz, made while the police measure runs, does to it.",
        tracking=True,
    )
    extension_max = fields.Integer(string="Extension: Maximum", tracking=True)
    extension_unit = fields.Selection(
        DURATION_UNITS,
        string="Extension: Unit",
        default="days",
        required=True,
        tracking=True,
    )
    extension_norm = fields.Char(string="Extension: Norm")
    extension_source = fields.Text(string="Extension: Source Note")
    # Data to the intake office
    transfer_basis = fields.Selection(
        TRANSFER_BASES,
        string="Referral of the Victim's Data",
        default="none",
        required=True,
        tracking=True,
    )
    proactive_statute = fields.Char(
        string="Statute for Referrals",
        help="Norm under which the police pass (or offer to pass) a victim's "
        "data to the intake office; empty where only consent allows it.",
        tracking=True,
    )
    erase_on_decline = fields.Boolean(
        string="Erase When Declined",
        help="The statute requires the office to erase the data the police "
        "passed without delay once the person declines the counselling: a "
        "referral that rests on it and is declined is erased by the next "
        "run of the retention job, whatever the retention rules say.",
        tracking=True,
    )
    transfer_source = fields.Text(string="Referrals: Source Note")
    summary = fields.Char(compute="_compute_summary")

    _sql_constraints = [
        (
            "state_code_unique",
            "unique(state_code)",
            "Each federal state has one profile.",
        ),
    ]

    @api.depends(
        "eviction_no_max",
        "eviction_max",
        "eviction_unit",
        "contact_ban_no_max",
        "contact_ban_max",
        "contact_ban_unit",
    )
    def _compute_summary(self):
        for profile in self:
            profile.summary = ", ".join(
                (
                    profile._duration_label("eviction"),
                    profile._duration_label("contact_ban"),
                )
            )

    def _duration_label(self, measure):
        """``14 Days``, or ``no maximum``, in the user's language."""
        if self[f"{measure}_no_max"]:
            return self.env._("no maximum")
        units = dict(self._fields[f"{measure}_unit"]._description_selection(self.env))
        return f"{self[f'{measure}_max']} {units[self[f'{measure}_unit']]}"

    @api.constrains(
        "eviction_no_max",
        "eviction_max",
        "contact_ban_no_max",
        "contact_ban_max",
        "extension_kind",
        "extension_max",
    )
    def _check_durations(self):
        for profile in self:
            for measure in ("eviction", "contact_ban"):
                if not profile[f"{measure}_no_max"] and profile[f"{measure}_max"] <= 0:
                    raise ValidationError(
                        self.env._(
                            "Give the maximum durations of %(profile)s, or mark "
                            "that the Land sets none.",
                            profile=profile.display_name,
                        )
                    )
            if profile.extension_max < 0 or (
                profile.extension_kind in ("until_decision", "on_request")
                and not profile.extension_max
            ):
                raise ValidationError(
                    self.env._(
                        "An extension of %(profile)s needs its longest duration.",
                        profile=profile.display_name,
                    )
                )

    @api.constrains("erase_on_decline", "transfer_basis")
    def _check_erase_on_decline(self):
        for profile in self:
            if profile.erase_on_decline and profile.transfer_basis not in (
                "obliges",
                "allows",
            ):
                raise ValidationError(
                    self.env._(
                        "%(profile)s: only a statute that lets the police pass the "
                        "data can require them erased when the person declines.",
                        profile=profile.display_name,
                    )
                )

    def _referral_statute(self):
        """The norm a referral without consent rests on: only a statute that
        obliges or allows the police to pass the data."""
        self.ensure_one()
        if self.transfer_basis in ("obliges", "allows"):
            return self.proactive_statute or False
        return False

    # Deadlines

    def _measure_end(self, measure, start, company=None):
        """The end the Land's maximum (or, without one, the company's
        practice) gives a measure started on ``start``; False without
        either."""
        self.ensure_one()
        if self[f"{measure}_no_max"]:
            days = company and company[f"dv_{measure}_practice_days"]
            return add_duration(start, days, "days") if days else False
        return add_duration(
            start, self[f"{measure}_max"], self[f"{measure}_unit"], self.state_code
        )

    def _extended_end(self, end, applied, decided):
        """The end of a measure ending on ``end`` when a protection order was
        applied for (on ``applied``, within the measure) and decided on
        ``decided`` (or not yet)."""
        self.ensure_one()
        kind = self.extension_kind
        if not applied or kind in ("none", "on_request"):
            return end
        if kind == "ends_on_decision":
            return min(end, decided) if decided else end
        limit = add_duration(
            end, self.extension_max, self.extension_unit, self.state_code
        )
        return min(decided, limit) if decided else limit
