from odoo import api, fields, models


class DvErasurePreview(models.TransientModel):
    _name = "dv.erasure.preview"
    _description = "Erasure Preview"

    summary = fields.Text(readonly=True, default=lambda self: self._default_summary())

    @api.model
    def _default_summary(self):
        """References of what the next runs will erase (no names)."""
        retention = self.env["dv.retention"]
        cases = retention._due_cases()
        conferences = retention._due_conferences()
        lines = [
            self.env._(
                "%(count)s cases will lose their identifying data:", count=len(cases)
            )
        ]
        lines += [f"  {case.name}" for case in cases]
        lines.append(
            self.env._(
                "%(count)s conferences will lose the text of their minutes:",
                count=len(conferences),
            )
        )
        lines += [f"  {conference.name}" for conference in conferences]
        return "\n".join(lines)
