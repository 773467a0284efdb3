from odoo import models


class Base(models.AbstractModel):
    _inherit = "base"

    def _check_access(self, operation):
        """Every access to a model of the addon (reading, searching,
        grouping, writing, creating, deleting, and so every method that
        touches its records) is refused to the request's user while her role
        asks for two-factor sign-in that she has not set up after the grace
        period (``res.users._dv_signin_refusal``)."""
        result = super()._check_access(operation)
        if result is None and self._name.startswith("dv."):
            refusal = self.env["res.users"]._dv_signin_refusal()
            if refusal:
                return self, refusal
        return result
