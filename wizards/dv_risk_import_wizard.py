import base64

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools.risk_instrument_io import (
    InstrumentFileError,
    parse_instrument,
    read_rows,
)


class DvRiskImportWizard(models.TransientModel):
    _name = "dv.risk.import.wizard"
    _description = "Import Risk Instrument"

    file = fields.Binary(required=True)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        try:
            definition = parse_instrument(
                read_rows(base64.b64decode(self.file or b""), self.filename)
            )
        except InstrumentFileError as error:
            raise UserError(self._describe_errors(error.errors)) from error
        Instrument = self.env["dv.risk.instrument"].with_context(active_test=False)
        existing = Instrument.search([("code", "=", definition["code"])])
        if any(old.version >= definition["version"] for old in existing):
            raise UserError(
                self.env._(
                    "Version %(version)s of instrument %(code)s or a later one "
                    "already exists; give the file a higher version.",
                    version=definition["version"],
                    code=definition["code"],
                )
            )
        instrument = Instrument.create(
            {
                "code": definition["code"],
                "name": definition["name"],
                "version": definition["version"],
                "instrument_type": definition["instrument_type"],
                "reassessment_days": definition["reassessment_days"],
                "description": definition["description"],
                "item_ids": [
                    fields.Command.create(item) for item in definition["items"]
                ],
                "band_ids": [
                    fields.Command.create(band) for band in definition["bands"]
                ],
            }
        )
        existing.write({"active": False})
        return {
            "type": "ir.actions.act_window",
            "res_model": "dv.risk.instrument",
            "res_id": instrument.id,
            "view_mode": "form",
        }

    def _describe_errors(self, errors):
        reasons = {
            "unreadable": self.env._("The file cannot be read as a spreadsheet."),
            "encoding": self.env._("The file is not UTF-8 text."),
            "file_type": self.env._("Only .csv and .xlsx files can be imported."),
            "empty": self.env._("The file is empty."),
            "columns": self.env._("A column is missing:"),
            "number": self.env._("Not a valid number (or negative) in column"),
            "too_long": self.env._("Text too long in column"),
            "second_instrument": self.env._("Only one instrument row is allowed."),
            "required": self.env._("A value is required in column"),
            "choice": self.env._("Not one of the allowed values in column"),
            "yes_no": self.env._("Write yes or no in column"),
            "type": self.env._("Unknown row type:"),
            "no_instrument": self.env._("The file has no instrument row."),
            "no_items": self.env._("The instrument has no items."),
            "no_zero_band": self.env._("No band starts at score 0."),
            "duplicate_band": self.env._("Two bands start at the same score."),
        }
        lines = [self.env._("The file was not imported; nothing was created.")]
        for row, key, detail in errors[:50]:
            reason = f"{reasons.get(key, key)} {detail}".strip()
            lines.append(
                self.env._("Row %(row)s: %(reason)s", row=row, reason=reason)
                if row
                else reason
            )
        return "\n".join(lines)
