"""Reads served by a hot-standby replica (Odoo's ``--db_replica_host``).

Odoo serves the routes and methods marked read-only (``search``,
``read_group``, reports, ...) from a replica, which may lag behind the
primary. Two things must never be served stale:

- access that was withdrawn: every change that takes access away (a share
  revoked, a consent withdrawn, a membership ended, a case handed to
  another agency, a user deactivated) raises the *grant generation*, one
  row written in the same transaction. A request goes to the replica only
  if the replica's snapshot holds the generation the primary had when the
  request began: then it also holds every withdrawal committed before;
- what the user wrote herself (a wizard she just created and now prints):
  after a request that wrote, her session remembers the primary's WAL
  position; the replica serves her only once it has replayed that far.

Otherwise the request is answered by the primary: Odoo's own retry of a
read-only request that cannot be served read-only (``ReadOnlySqlTransaction``
in ``odoo.http.Request._transactioning``). The check runs in the request's
own transaction, so the snapshot it tests is the snapshot the request
reads.
"""

import logging

import psycopg2.errors

from odoo import api, models
from odoo.http import request, root
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# The session key of the primary's WAL position after the user's last write.
SESSION_LSN = "dv_primary_lsn"


def _replica_possible():
    """Whether read-only requests may run elsewhere than on the primary: a
    replica is configured (or the tests stand one in)."""
    registry = request.registry
    return registry._db_readonly is not None or registry.in_test_mode()


class DvNeedsPrimary(psycopg2.errors.ReadOnlySqlTransaction):
    """A read-only request that the primary must answer: Odoo rolls the
    read-only transaction back and serves the request again read/write."""


class _QuietRetry(logging.Filter):
    """Odoo logs each retry of a read-only request as a warning with its
    traceback; a replica that has not caught up yet is expected and only
    worth a line at info level."""

    def filter(self, record):
        exc = record.exc_info and record.exc_info[1]
        if isinstance(exc, DvNeedsPrimary):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
            return logging.getLogger("odoo.http").isEnabledFor(logging.INFO)
        return True


if not any(isinstance(f, _QuietRetry) for f in logging.getLogger("odoo.http").filters):
    logging.getLogger("odoo.http").addFilter(_QuietRetry())


class DvReplica(models.AbstractModel):
    _name = "dv.replica"
    _description = "Replica Consistency"

    def init(self):
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS dv_grant_generation (
                id integer PRIMARY KEY CHECK (id = 1),
                generation bigint NOT NULL DEFAULT 0
            );
            INSERT INTO dv_grant_generation (id) VALUES (1) ON CONFLICT DO NOTHING;
            """
        )

    @api.model
    def _dv_access_withdrawn(self):
        """Access may have been taken away in this transaction: from its
        commit on, no request goes to a replica that has not replayed it."""
        self.env.cr.execute(
            "UPDATE dv_grant_generation SET generation = generation + 1 WHERE id = 1"
        )

    @api.model
    def _dv_generation(self):
        self.env.cr.execute("SELECT generation FROM dv_grant_generation WHERE id = 1")
        row = self.env.cr.fetchone()
        return row[0] if row else 0

    # Requests (called by ir.http)

    @api.model
    def _dv_note_primary_generation(self):
        """On the primary, before the request's transaction: the generation
        the replica must hold to serve it."""
        if not _replica_possible():
            return
        request._dv_generation = self._dv_generation()

    @api.model
    def _dv_check_replica(self):
        """In a read-only transaction: refuse it (Odoo then serves the
        request from the primary) unless its snapshot is recent enough."""
        cr = self.env.cr
        if not cr.readonly:
            return
        needed = getattr(request, "_dv_generation", None)
        lsn = request.session.get(SESSION_LSN) or "0/0"
        generation, standby, replayed = self._dv_replica_state(lsn)
        if needed is not None and (generation or 0) < needed:
            raise DvNeedsPrimary("The replica lags behind a withdrawn access")
        if standby and not replayed:
            raise DvNeedsPrimary("The replica lags behind the user's last write")

    @api.model
    def _dv_replica_state(self, lsn):
        """In the read-only transaction: its grant generation, whether it
        runs on a standby, and whether that has replayed the WAL up to
        ``lsn``."""
        self.env.cr.execute(
            SQL(
                "SELECT (SELECT generation FROM dv_grant_generation WHERE id = 1), "
                "pg_is_in_recovery(), "
                "COALESCE(pg_last_wal_replay_lsn() >= %s::pg_lsn, TRUE)",
                lsn,
            )
        )
        return self.env.cr.fetchone()

    @api.model
    def _dv_remember_write(self):
        """At the end of a read/write request: if it wrote, the session
        keeps the primary's WAL position after the commit."""
        cr = self.env.cr
        if cr.readonly or not _replica_possible():
            return
        if not request.session.uid:
            return
        cr.execute("SELECT pg_current_xact_id_if_assigned() IS NOT NULL")
        if not cr.fetchone()[0]:
            return
        session = request.session

        @cr.postcommit.add
        def remember():
            cr.execute("SELECT pg_current_wal_lsn()::text")
            session[SESSION_LSN] = cr.fetchone()[0]
            root.session_store.save(session)
