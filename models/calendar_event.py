from itertools import repeat

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .dv_thread import is_dv_model

PURPOSES = [
    ("counselling", "Counselling"),
    ("accompaniment", "Accompaniment"),
    ("court", "Court Date"),
    ("home_visit", "Home Visit"),
    ("other", "Appointment"),
]


class CalendarEvent(models.Model):
    _name = "calendar.event"
    _inherit = ["calendar.event", "dv.erasable.mixin"]

    dv_case_id = fields.Many2one(
        "dv.case", string="Case", index="btree_not_null", ondelete="set null"
    )
    dv_purpose = fields.Selection(PURPOSES, string="Purpose", default="other")

    # An appointment of a case is private in shared calendars and titled
    # with its purpose, never with a name. Who may read the case sees the
    # case's reference before the purpose (display_name: in the calendar);
    # who may not (an attendee of another agency, say) sees neither the case
    # nor its reference, not in the title, the invitation, a search or a
    # link. Only who may change the case adds, changes or deletes its
    # appointments.

    @api.model_create_multi
    def create(self, vals_list):
        default_case = self.env.context.get("default_dv_case_id")
        for vals in vals_list:
            if default_case and "dv_case_id" not in vals:
                vals["dv_case_id"] = default_case
            if vals.get("dv_case_id"):
                self._dv_check_writable(self.env["dv.case"].browse(vals["dv_case_id"]))
                vals.update(self._dv_case_event_values(vals))
        events = super().create(vals_list)
        events._dv_check_documents()
        return events

    def write(self, vals):
        self._dv_check_documents()
        if vals.get("dv_case_id"):
            self._dv_check_writable(self.env["dv.case"].browse(vals["dv_case_id"]))
        if "dv_case_id" in vals or "dv_purpose" in vals or "name" in vals:
            linked = self._dv_linked()
            for event in self:
                case_id = vals.get("dv_case_id", linked[event.id][0])
                if case_id:
                    merged = {
                        "dv_case_id": case_id,
                        "dv_purpose": vals.get("dv_purpose", event.sudo().dv_purpose),
                    }
                    super(CalendarEvent, event).write(
                        dict(vals, **self._dv_case_event_values(merged))
                    )
                else:
                    super(CalendarEvent, event).write(vals)
            result = True
        else:
            result = super().write(vals)
        if {"res_model_id", "res_id"} & set(vals):
            self._dv_check_documents()
        return result

    def unlink(self):
        self._dv_check_documents()
        return super().unlink()

    def _dv_case_event_values(self, vals):
        labels = dict(self._fields["dv_purpose"]._description_selection(self.env))
        return {
            "name": labels.get(vals.get("dv_purpose") or "other"),
            "privacy": "private",
        }

    @api.depends("dv_case_id", "dv_purpose")
    @api.depends_context("uid")
    def _compute_display_name(self):
        result = super()._compute_display_name()
        linked = self.filtered(
            lambda event: (
                event.dv_case_id and not event._check_private_event_conditions()
            )
        )
        # Whoever asks (also through a link shown as superuser) must read
        # the case.
        readable = linked.dv_case_id.sudo(False)._filtered_access("read")
        for event in linked:
            if event.dv_case_id in readable:
                event.display_name = (
                    f"{event.dv_case_id.sudo().name} - {event.display_name}"
                )
        return result

    @api.model
    def _dv_retitle_case_events(self):
        """Earlier versions put the case's reference into the stored title of
        its appointments: retitle them with their purpose, in the language of
        their organiser."""
        events = (
            self.sudo()
            .with_context(active_test=False)
            .search([("dv_case_id", "!=", False)])
        )
        for event in events:
            event.with_context(lang=event.user_id.lang or "en_US").write(
                {"dv_purpose": event.dv_purpose or "other"}
            )
        return len(events)

    # Access

    def _dv_linked(self):
        """{event id: (case id, document model, document id)} as stored,
        whatever the cache holds for the current user (see _fetch_query)."""
        if not self.ids:
            return {}
        self.flush_recordset(["dv_case_id", "res_model", "res_id"])
        self.env.cr.execute(
            SQL(
                "SELECT id, dv_case_id, res_model, res_id FROM calendar_event "
                "WHERE id IN %s",
                tuple(self.ids),
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def _dv_check_documents(self):
        """The case of these appointments, and the record of the addon they
        were scheduled from, must be the user's to change."""
        if self.env.su:
            return
        for case_id, res_model, res_id in self._dv_linked().values():
            if case_id:
                self._dv_check_writable(self.env["dv.case"].browse(case_id))
            if is_dv_model(res_model) and res_id and res_model in self.env:
                self._dv_check_writable(self.env[res_model].browse(res_id))

    def _dv_check_writable(self, record):
        if self.env.su:
            return
        if not record.exists() or not record.has_access("write"):
            # The message names no case: the user may not even read it.
            raise AccessError(
                self.env._(
                    "Only who may change a case can add, change or delete its "
                    "appointments."
                )
            )

    def _fetch_query(self, query, fields):
        """Who may not read an appointment's case gets it without the case
        (a link to a record shows its name, here the case's reference)."""
        if self.env.su or self._fields["dv_case_id"] not in fields:
            return super()._fetch_query(query, fields)
        events = super()._fetch_query(query, fields)
        linked = events.filtered("dv_case_id")
        readable = linked.dv_case_id._filtered_access("read")
        hidden = linked.filtered(lambda event: event.dv_case_id not in readable)
        self.env.cache.update(hidden, self._fields["dv_case_id"], repeat(None))
        return events

    # Erasure

    @api.model
    def _dv_erasable_domain(self, cases):
        return [("dv_case_id", "in", cases.ids)]

    def _dv_erase(self):
        """A case's appointments go whole."""
        self.unlink()
