from odoo import api, fields, models


class DvRiskInstrumentPart(models.AbstractModel):
    """A part of an instrument (item or band): it cannot be added, changed in
    its structure or removed once the instrument has been used."""

    _name = "dv.risk.instrument.part"
    _description = "Part of a Risk Instrument"
    # Fields whose change alters the instrument's results; None: all fields.
    _structure_fields = None

    instrument_id = fields.Many2one(
        "dv.risk.instrument", required=True, ondelete="cascade", index=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        instruments = self.env["dv.risk.instrument"].browse(
            [vals["instrument_id"] for vals in vals_list if vals.get("instrument_id")]
        )
        instruments._refuse_if_used()
        return super().create(vals_list)

    def write(self, vals):
        if self._structure_fields is None or self._structure_fields & set(vals):
            self.instrument_id._refuse_if_used()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_unused(self):
        self.instrument_id._refuse_if_used()
