from odoo import http
from odoo.http import request

from odoo.addons.web.controllers.dataset import DataSet


class DvDataSet(DataSet):
    """No method of the addon's models is called for a user whose role asks
    for two-factor sign-in that she has not set up after the grace period,
    not even one that touches no record (the ORM refuses those that do,
    ``base._check_access``)."""

    @http.route()
    def call_kw(self, model, method, args, kwargs, path=None):
        self._dv_check_signin(model)
        return super().call_kw(model, method, args, kwargs, path=path)

    @http.route()
    def call_button(self, model, method, args, kwargs, path=None):
        self._dv_check_signin(model)
        return super().call_button(model, method, args, kwargs, path=path)

    def _dv_check_signin(self, model):
        if model.startswith("dv."):
            refusal = request.env["res.users"]._dv_signin_refusal()
            if refusal:
                raise refusal()
