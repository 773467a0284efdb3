import time

from odoo import api, models
from odoo.http import request, root

from .res_users import SESSION_ACTIVITY

# Requests the web client makes without anyone at the keyboard: they do not
# count as activity.
PASSIVE_PATHS = ("/websocket", "/calendar/notify", "/bus/")
# Activity is written into the session at most once a minute.
ACTIVITY_STEP = 60


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _match(cls, path_info):
        # Still on the primary, before the request's own transaction.
        request.env["dv.replica"]._dv_note_primary_generation()
        return super()._match(path_info)

    @classmethod
    def _pre_dispatch(cls, rule, args):
        # A read-only transaction on a replica that lags behind a withdrawn
        # access or the user's own last write goes to the primary instead.
        request.env["dv.replica"]._dv_check_replica()
        return super()._pre_dispatch(rule, args)

    @classmethod
    def _post_dispatch(cls, response):
        result = super()._post_dispatch(response)
        request.env["dv.replica"]._dv_remember_write()
        return result

    @classmethod
    def _authenticate(cls, endpoint):
        if request.session.uid:
            cls._dv_end_idle_session()
        result = super()._authenticate(endpoint)
        # The user this request runs for (a session's, or an API key's).
        request._dv_signin_uid = request.env.uid
        return result

    @classmethod
    def _dv_end_idle_session(cls):
        """Sessions of users asked for two-factor sign-in end after the idle
        time of the sign-in settings: the first request after it is not
        served (a route for signed-in users answers "session expired"), and
        the session is signed out for good."""
        session = request.session
        env = request.env(user=session.uid, su=True)
        user = env["res.users"].browse(session.uid).exists()
        if not user or not user._dv_signin_required():
            return
        now = time.time()
        last = session.get(SESSION_ACTIVITY)
        idle = user._dv_signin_param("idle_minutes")
        if last and idle > 0 and now - last > idle * 60:
            session.logout(keep_db=True)
            root.session_store.save(session)
            request.env = api.Environment(request.env.cr, None, session.context)
            return
        path = request.httprequest.path
        if not last or (
            now - last >= ACTIVITY_STEP and not path.startswith(PASSIVE_PATHS)
        ):
            session[SESSION_ACTIVITY] = now

    def session_info(self):
        info = super().session_info()
        user = self.env.user
        if request and request.session.uid and user._is_internal():
            notice = user._dv_signin_notice(request.session)
            if notice:
                info["dv_signin"] = notice
        return info
