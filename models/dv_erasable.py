from odoo import api, models


class DvErasableMixin(models.AbstractModel):
    """A model that holds personal data of a case's people erases its own
    records: ``_dv_erase`` blanks what identifies someone and keeps the
    statistical skeleton. The case's erasure (``dv.case._erase``, run by the
    retention engine and by *Erase Now*) finds every model inheriting this
    mixin in the registry and asks each for the records of the cases being
    erased, so a new model's data is erased once it inherits the mixin
    (``tests/test_retention.py`` fails for a model with personal fields that
    does not)."""

    _name = "dv.erasable.mixin"
    _description = "Record with Erasable Personal Data"

    @api.model
    def _dv_erasable_domain(self, cases):
        """The records of ``cases``; models not linked by ``case_id``
        override it."""
        return [("case_id", "in", cases.ids)]

    @api.model
    def _dv_erasable_records(self, cases):
        return self.search(self._dv_erasable_domain(cases))

    def _dv_erase(self):
        """Blank the identifying data of these records (or delete records
        that are nothing but identifying data) and keep the statistical
        skeleton. Called as superuser, without tracking, with archived
        records, and with ``dv_erasing`` in the context."""
        raise NotImplementedError(f"{self._name} does not say what it erases")

    def _dv_erase_traces(self):
        """The messages, activities and attachments of these records."""
        if not self:
            return
        domain = [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        self.env["mail.message"].sudo().search(
            [("model", "=", self._name), ("res_id", "in", self.ids)]
        ).unlink()
        self.env["mail.activity"].sudo().search(domain).unlink()
        self.env["ir.attachment"].sudo().search(domain).unlink()
