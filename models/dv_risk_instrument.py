from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.risk_instrument_io import instrument_rows, rows_to_csv, rows_to_xlsx

RISK_LEVELS = [
    ("standard", "Standard"),
    ("medium", "Medium"),
    ("high", "High"),
]
LEVEL_RANK = {"standard": 1, "medium": 2, "high": 3}

INSTRUMENT_TYPES = [
    ("checklist", "Checklist (count of yes answers)"),
    ("weighted", "Weighted score"),
    ("external", "External result"),
]

# What may not change on an instrument that has been used.
STRUCTURE_FIELDS = {"instrument_type", "item_ids", "band_ids", "version", "code"}
ITEM_STRUCTURE_FIELDS = {"weight", "red_flag", "instrument_id", "code"}


def max_level(*levels):
    """The highest of the given levels (False ignored)."""
    present = [level for level in levels if level]
    return max(present, key=LEVEL_RANK.get) if present else False


class DvRiskInstrument(models.Model):
    _name = "dv.risk.instrument"
    _description = "Risk Instrument"
    _order = "name, version desc"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, help="Stable key of the instrument; versions share it."
    )
    version = fields.Integer(required=True, default=1)
    instrument_type = fields.Selection(
        INSTRUMENT_TYPES, required=True, default="checklist"
    )
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    licence_note = fields.Char(
        string="Licence", help="Who holds the licence for this instrument, if any."
    )
    reassessment_days = fields.Integer(
        string="Reassess After (Days)",
        default=90,
        help="A new assessment falls due this many days after one is completed; "
        "0 for none.",
    )
    item_ids = fields.One2many(
        "dv.risk.item", "instrument_id", string="Items", copy=True
    )
    band_ids = fields.One2many(
        "dv.risk.band", "instrument_id", string="Bands", copy=True
    )
    item_count = fields.Integer(compute="_compute_item_count")
    is_used = fields.Boolean(
        string="Used", compute="_compute_is_used", help="Assessments were made with it."
    )

    _sql_constraints = [
        (
            "code_version_unique",
            "unique(code, version)",
            "This version of the instrument already exists.",
        ),
    ]

    @api.depends("item_ids")
    def _compute_item_count(self):
        for instrument in self:
            instrument.item_count = len(instrument.item_ids)

    def _compute_is_used(self):
        used = {
            instrument.id
            for [instrument] in self.env["dv.risk.assessment"]
            .sudo()
            ._read_group([("instrument_id", "in", self.ids)], ["instrument_id"])
        }
        for instrument in self:
            instrument.is_used = instrument.id in used

    def _compute_display_name(self):
        for instrument in self:
            instrument.display_name = self.env._(
                "%(name)s (version %(version)s)",
                name=instrument.name,
                version=instrument.version,
            )

    @api.constrains("band_ids")
    def _check_bands(self):
        for instrument in self:
            scores = instrument.band_ids.mapped("min_score")
            if len(scores) != len(set(scores)):
                raise ValidationError(
                    self.env._(
                        "Two bands of instrument %(name)s start at the same score.",
                        name=instrument.name,
                    )
                )

    def _check_complete(self):
        """An instrument is used only once it has items and a band from 0."""
        for instrument in self:
            if instrument.instrument_type == "external":
                continue
            if not instrument.item_ids:
                raise ValidationError(
                    self.env._(
                        "Instrument %(name)s needs at least one item.",
                        name=instrument.name,
                    )
                )
            if not instrument.band_ids.filtered(lambda b: b.min_score <= 0):
                raise ValidationError(
                    self.env._(
                        "Instrument %(name)s needs a band starting at score 0.",
                        name=instrument.name,
                    )
                )

    @api.constrains("reassessment_days", "version")
    def _check_numbers(self):
        for instrument in self:
            if instrument.reassessment_days < 0 or instrument.version < 1:
                raise ValidationError(
                    self.env._(
                        "The version must be at least 1 and the reassessment "
                        "interval cannot be negative."
                    )
                )

    def write(self, vals):
        if STRUCTURE_FIELDS & set(vals):
            self._refuse_if_used()
        return super().write(vals)

    def _refuse_if_used(self):
        used = self.filtered("is_used")
        if used:
            raise UserError(
                self.env._(
                    "%(name)s has been used for assessments and cannot change; "
                    "create a new version instead.",
                    name=used[0].display_name,
                )
            )

    def action_new_version(self):
        """Copy the instrument as its next version; the old version is
        archived and its assessments keep it."""
        self.ensure_one()
        latest = self.with_context(active_test=False).search(
            [("code", "=", self.code)], order="version desc", limit=1
        )
        new = self.copy({"version": latest.version + 1, "name": self.name})
        self.with_context(active_test=False).search(
            [("code", "=", self.code), ("id", "!=", new.id)]
        ).write({"active": False})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    def action_export_xlsx(self):
        return self._export("xlsx")

    def action_export_csv(self):
        return self._export("csv")

    def _export(self, file_type):
        """Download the instrument's definition in the import layout."""
        self.ensure_one()
        rows = instrument_rows(
            {
                "code": self.code,
                "name": self.name,
                "version": self.version,
                "instrument_type": self.instrument_type,
                "reassessment_days": self.reassessment_days,
                "description": self.description,
                "items": [
                    {
                        "code": item.code,
                        "section": item.section,
                        "text": item.text,
                        "help": item.help,
                        "weight": item.weight,
                        "red_flag": item.red_flag,
                    }
                    for item in self.item_ids
                ],
                "bands": [
                    {"min_score": band.min_score, "level": band.level}
                    for band in self.band_ids
                ],
            }
        )
        content = rows_to_xlsx(rows) if file_type == "xlsx" else rows_to_csv(rows)
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self.code}-v{self.version}.{file_type}",
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _level_for_score(self, score):
        """The level of the band a score falls into."""
        self.ensure_one()
        bands = self.band_ids.filtered(lambda b: b.min_score <= score)
        return bands.sorted("min_score")[-1:].level or False
