"""A small Odoo JSON-RPC client, as a browser tab or a mail gateway talks to
Odoo: ``/web/session/authenticate`` and ``/web/dataset/call_kw`` with a
session cookie, or ``/jsonrpc`` with login and password.

Every answer is either a result or an :class:`RpcError` that says whether
the request was refused by the application (a clear error: the call must
not be repeated) or failed on the way (a transient error: the outcome is
unknown and the client may retry after checking what landed).
"""

import itertools
import time

import requests

# Exceptions with which Odoo refuses a request on purpose.
REFUSALS = (
    "odoo.exceptions.AccessError",
    "odoo.exceptions.AccessDenied",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.RedirectWarning",
    "builtins.ValueError",
    "builtins.TypeError",
    "builtins.KeyError",
    "werkzeug.exceptions.Forbidden",
    # Values of the wrong type, refused by PostgreSQL (the transaction is
    # rolled back).
    "psycopg2.errors.InvalidDatetimeFormat",
    "psycopg2.errors.InvalidTextRepresentation",
    "psycopg2.errors.DatetimeFieldOverflow",
    "psycopg2.errors.NumericValueOutOfRange",
)
# Database trouble that Odoo reports but did not cause: the request may be
# repeated once the database answers again.
TRANSIENT = (
    "psycopg2.OperationalError",
    "psycopg2.InterfaceError",
    "psycopg2.errors.AdminShutdown",
    "psycopg2.errors.SerializationFailure",
    "psycopg2.errors.DeadlockDetected",
    "psycopg2.errors.LockNotAvailable",
    "psycopg2.errors.QueryCanceled",
    "odoo.exceptions.ConcurrencyError",
    "odoo.http.SessionExpiredException",
    "odoo.service.model.ConcurrencyError",
)


class RpcError(Exception):
    """An RPC call that did not return a result.

    ``kind`` is "refused" (Odoo refused the request with an error of the
    application), "transient" (connection lost, server restarting, database
    unavailable: the outcome is unknown) or "unclear" (an answer that is
    neither: a bug to report).
    """

    def __init__(self, kind, name, message, status=None):
        super().__init__(f"{kind}: {name}: {message}")
        self.kind = kind
        self.name = name
        self.message = message
        self.status = status


def classify(error):
    """The kind of an Odoo JSON-RPC error object ({"code", "message", "data"})."""
    data = error.get("data") or {}
    name = data.get("name") or ""
    message = data.get("message") or error.get("message") or ""
    if name in REFUSALS or (
        name.startswith("psycopg2.errors.")
        and (
            "IntegrityError" in name
            or name.endswith(("UniqueViolation", "CheckViolation", "NotNullViolation"))
        )
    ):
        return RpcError("refused", name, message)
    if name in TRANSIENT or name.startswith(("psycopg2", "odoo.sql_db")):
        return RpcError("transient", name, message)
    if error.get("code") == 100:
        # Session expired: log in again.
        return RpcError("transient", name or "SessionExpired", message)
    return RpcError("unclear", name or "unknown", message)


class Client:
    """One logged-in user with its own HTTP session (cookie jar)."""

    _ids = itertools.count(1)

    def __init__(self, base_url, db, login, password, timeout=180, recorder=None):
        self.base_url = base_url.rstrip("/")
        self.db = db
        self.login = login
        self.password = password
        self.timeout = timeout
        self.recorder = recorder
        self.http = requests.Session()
        self.uid = None
        self.context = {}

    # Transport

    def _post(self, path, params, label=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(self._ids),
            "params": params,
        }
        started = time.monotonic()
        outcome = "ok"
        try:
            try:
                response = self.http.post(
                    self.base_url + path, json=payload, timeout=self.timeout
                )
            except requests.RequestException as exc:
                raise RpcError("transient", type(exc).__name__, str(exc)[:200]) from exc
            if response.status_code in (502, 503, 504) or (
                response.status_code == 404
                and "json" not in response.headers.get("Content-Type", "")
            ):
                # 404: while the database is unusable (PostgreSQL restarting),
                # Odoo serves the request without a database, where the RPC
                # routes do not exist.
                raise RpcError(
                    "transient",
                    f"HTTP {response.status_code}",
                    "",
                    response.status_code,
                )
            try:
                body = response.json()
            except ValueError as exc:
                raise RpcError(
                    "transient" if response.status_code >= 500 else "unclear",
                    f"HTTP {response.status_code}",
                    response.text[:200],
                    response.status_code,
                ) from exc
            if "error" in body:
                raise classify(body["error"])
            return body.get("result")
        except RpcError as exc:
            outcome = exc.kind
            raise
        finally:
            if self.recorder:
                self.recorder.record(time.monotonic() - started, outcome, label or path)

    def authenticate(self):
        result = self._post(
            "/web/session/authenticate",
            {"db": self.db, "login": self.login, "password": self.password},
        )
        self.uid = result["uid"]
        # As the web client: every call carries the user's language, time
        # zone and current company (without it Odoo answers in English).
        self.context = dict(result.get("user_context") or {})
        companies = result.get("user_companies") or {}
        if companies.get("current_company"):
            self.context["allowed_company_ids"] = [companies["current_company"]]
        return result

    def call(self, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` through /web/dataset/call_kw, as
        the web client calls it; logs in again when the session expired."""
        if self.uid is None:
            self.authenticate()
        kwargs["context"] = {**self.context, **kwargs.get("context", {})}
        params = {
            "model": model,
            "method": method,
            "args": list(args),
            "kwargs": kwargs,
        }
        try:
            return self._post(
                f"/web/dataset/call_kw/{model}/{method}", params, f"{model}.{method}"
            )
        except RpcError as exc:
            if (
                exc.name.endswith("SessionExpiredException")
                or exc.name == "SessionExpired"
            ):
                self.uid = None
            raise

    def execute_kw(self, model, method, args, kwargs=None):
        """The external API (``/jsonrpc``, service ``object``), as Odoo's mail
        gateway script uses it: login and password with every call."""
        if self.uid is None:
            self.uid = self._post(
                "/jsonrpc",
                {
                    "service": "common",
                    "method": "login",
                    "args": [self.db, self.login, self.password],
                },
            )
        return self._post(
            "/jsonrpc",
            {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    self.db,
                    self.uid,
                    self.password,
                    model,
                    method,
                    args,
                    kwargs or {},
                ],
            },
            f"{model}.{method}",
        )

    def download(self, path, params=None):
        """A GET of a file route (reports); returns (status, content type,
        bytes). Server errors and the answers of a server without its
        database are transient."""
        if self.uid is None:
            self.authenticate()
        started = time.monotonic()
        outcome = "ok"
        try:
            response = self.http.get(
                self.base_url + path, params=params, timeout=self.timeout
            )
            if response.status_code in (404, 500, 502, 503, 504):
                outcome = "transient"
                raise RpcError(
                    "transient",
                    f"HTTP {response.status_code}",
                    path,
                    response.status_code,
                )
        except requests.RequestException as exc:
            outcome = "transient"
            raise RpcError("transient", type(exc).__name__, str(exc)[:200]) from exc
        finally:
            if self.recorder:
                self.recorder.record(
                    time.monotonic() - started, outcome, path.rsplit("/", 1)[0]
                )
        return (
            response.status_code,
            response.headers.get("Content-Type", ""),
            response.content,
        )
