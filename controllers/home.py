from odoo import http
from odoo.http import request

from odoo.addons.auth_totp.controllers.home import Home


class DvTotpHome(Home):
    @http.route()
    def web_totp(self, redirect=None, **kwargs):
        """A sign-in that skips the code on a trusted device (Odoo's
        "don't ask again on this device") is in the sign-in log too."""
        pre_uid = request.session.pre_uid
        is_get = request.httprequest.method == "GET"
        response = super().web_totp(redirect=redirect, **kwargs)
        if pre_uid and is_get and request.session.uid == pre_uid:
            user = request.env["res.users"].sudo().browse(pre_uid)
            user._dv_record_signin_here("device", "success")
        return response
