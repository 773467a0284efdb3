"""Need-to-know for the chatter of the addon's records.

Odoo's chatter lets followers post and read what is posted, notifies every
follower, and keeps followers when they lose access to the record. For the
records of this addon, who may read a record decides:

- only who may *read* a record follows it: followers who cannot (anymore)
  are never added, and are removed whenever access may have ended (a share
  ends, the lead passes on, a member leaves an agency, an agency is
  archived or leaves a conference, an emergency access, a share or a
  consent lapses);
- messages reach only partners whose user may read the record, whatever
  the followers and the explicit recipients are; contacts without a user
  get nothing (except where a model says otherwise, see
  ``_dv_extra_recipients``);
- posting a message or scheduling an activity needs write access to the
  record (``_mail_post_access``; ``mail.message`` and ``mail.activity``
  enforce it for every ``dv.*`` model, see their overrides).

The mixin is given to every model of the addon that has a chatter at the
end of this file, so that one file says which chatters follow these rules.
It comes first in their ``_inherit``: it extends ``mail.thread``, which the
models inherit already, and must come before it.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


def is_dv_model(model_name):
    """Whether ``model_name`` is a model of this addon."""
    return bool(model_name) and model_name.startswith("dv.")


def readable_by(records, user):
    """The records that ``user`` may read, in any of the user's companies."""
    companies = user.sudo().company_ids
    return (
        records.with_user(user)
        .with_context(allowed_company_ids=companies.ids)
        ._filtered_access("read")
    )


class DvThreadMixin(models.AbstractModel):
    _name = "dv.thread.mixin"
    _inherit = ["mail.thread"]
    _description = "Record with a Need-to-know Chatter"
    # Posting a message or an activity needs write access to the record.
    _mail_post_access = "write"

    def _creation_message(self):
        """Name the model in the language the message is written in: without
        a language in the context (the data loader, crons) ``_()`` falls back
        to the user's language while the model's name would be read in
        English ("Case erstellt")."""
        records = self if self.env.lang else self.with_context(lang=self.env.user.lang)
        return super(DvThreadMixin, records)._creation_message()

    # Who may read, follow and be notified

    def _dv_partners_allowed(self, partner_ids, following=False):
        """{record id: ids of the partners among ``partner_ids`` that may
        receive its messages}: partners of internal users who may read the
        record; when not ``following``, also the record's extra recipients."""
        result = {record_id: set() for record_id in self.ids}
        partner_ids = {pid for pid in partner_ids or () if isinstance(pid, int)}
        if not self or not partner_ids:
            return result
        users = (
            self.env["res.users"]
            .sudo()
            .search([("partner_id", "in", list(partner_ids)), ("share", "=", False)])
        )
        for user in users:
            for record_id in readable_by(self, user).ids:
                result[record_id].add(user.partner_id.id)
        if not following:
            for record_id, extra in self._dv_extra_recipients().items():
                result[record_id] |= extra & partner_ids
        return result

    def _dv_extra_recipients(self):
        """{record id: partner ids} of contacts without a user who may get
        the record's messages (never follow it). None by default."""
        return {}

    # Followers

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """Adding someone who cannot read the record is refused, so that
        whoever adds them knows."""
        others = set(partner_ids or ()) - {self.env.user.partner_id.id}
        if self and others and not self.env.su:
            partners = self.env["res.partner"].sudo().browse(others).exists()
            allowed = self._dv_partners_allowed(partners.ids, following=True)
            refused = partners.filtered(
                lambda partner: (
                    partner.active
                    and any(partner.id not in pids for pids in allowed.values())
                )
            )
            if refused:
                raise UserError(
                    self.env._(
                        "%(names)s cannot read this record and therefore cannot "
                        "follow it.",
                        names=", ".join(refused.mapped("display_name")),
                    )
                )
        return super().message_subscribe(partner_ids, subtype_ids)

    def _dv_drop_followers_without_access(self, partners=None):
        """Whoever can no longer read these records stops following them
        (all followers, or only ``partners``)."""
        if not self:
            return
        domain = [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        if partners is not None:
            domain.append(("partner_id", "in", partners.ids))
        followers = self.env["mail.followers"].sudo().search(domain)
        if not followers:
            return
        records = self.browse(set(followers.mapped("res_id")))
        allowed = records._dv_partners_allowed(followers.partner_id.ids, following=True)
        followers.filtered(
            lambda follower: (
                follower.partner_id.id not in allowed.get(follower.res_id, ())
            )
        ).unlink()

    @api.model
    def _dv_drop_all_followers_without_access(self, batch=1000):
        """Every record of this model loses the followers who cannot read it
        (for an update from a version that did not keep them apart)."""
        self.env.cr.execute(
            "SELECT DISTINCT res_id FROM mail_followers WHERE res_model = %s",
            [self._name],
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        for start in range(0, len(ids), batch):
            records = self.sudo().browse(ids[start : start + batch]).exists()
            records._dv_drop_followers_without_access()

    @api.model
    def _dv_drop_follows_of(self, partners):
        """Every record of the addon that ``partners`` follow and can no
        longer read loses them as followers."""
        if not partners:
            return
        followers = (
            self.env["mail.followers"]
            .sudo()
            .search(
                [("partner_id", "in", partners.ids), ("res_model", "=like", "dv.%")]
            )
        )
        res_ids = defaultdict(set)
        for follower in followers:
            res_ids[follower.res_model].add(follower.res_id)
        for model, ids in res_ids.items():
            records = self.env[model].sudo().browse(ids).exists()
            if hasattr(records, "_dv_drop_followers_without_access"):
                records._dv_drop_followers_without_access(partners)

    # Messages

    def _message_create(self, values_list):
        """Explicit recipients who may not read the record are left out (of
        the message and of its notifications)."""
        for values in values_list:
            partner_ids = values.get("partner_ids")
            if (
                partner_ids
                and values.get("model") == self._name
                and isinstance(values.get("res_id"), int)
                and all(isinstance(pid, int) for pid in partner_ids)
            ):
                record = self.browse(values["res_id"])
                allowed = record._dv_partners_allowed(partner_ids)[record.id]
                values["partner_ids"] = [pid for pid in partner_ids if pid in allowed]
        return super()._message_create(values_list)

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """Only partners whose user may read the record are notified."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if not self or not recipients:
            return recipients
        allowed = self._dv_partners_allowed({data["id"] for data in recipients})
        allowed_everywhere = set.intersection(*allowed.values())
        return [data for data in recipients if data["id"] in allowed_everywhere]


# The chatters of the addon


class DvAgency(models.Model):
    _name = "dv.agency"
    _inherit = ["dv.thread.mixin", "dv.agency"]


class DvLandProfile(models.Model):
    _name = "dv.land.profile"
    _inherit = ["dv.thread.mixin", "dv.land.profile"]


class DvCase(models.Model):
    _name = "dv.case"
    _inherit = ["dv.thread.mixin", "dv.case"]

    def write(self, vals):
        result = super().write(vals)
        if {"lead_agency_id", "company_id"} & set(vals):
            # The members of the former lead agency may have lost access.
            self._dv_drop_followers_without_access()
        return result

    def _dv_drop_followers_without_access(self, partners=None):
        """The records with a chatter that are read as their case go with
        it."""
        result = super()._dv_drop_followers_without_access(partners)
        cases = self.sudo().with_context(active_test=False)
        actions = (
            self.env["dv.conference.action"]
            .sudo()
            .search([("line_id.case_ref_id", "in", cases.ids)])
        )
        for records in (
            cases.share_ids,
            cases.referral_ids,
            cases.consent_ids,
            cases.assessment_ids,
            cases.measure_ids,
            cases.protection_order_ids,
            cases.safety_plan_ids,
            cases.perpetrator_measure_ids,
            actions,
        ):
            records._dv_drop_followers_without_access(partners)
        return result

    @api.model
    def _cron_drop_lapsed_followers(self):
        """Emergency accesses, shares and consents end by the clock: whoever
        they let read a case stops following it once they lapse (messages
        stopped reaching them at once). Looks two days back, so that a
        missed run is caught up."""
        now = fields.Datetime.now()
        today = now.date()
        since = today - timedelta(days=2)
        cases = (
            self.env["dv.break.glass"]
            .sudo()
            .search(
                [
                    ("expires_at", "<=", now),
                    ("expires_at", ">", now - timedelta(days=2)),
                ]
            )
            .case_id
        )
        Share = self.env["dv.share"].sudo().with_context(active_test=False)
        cases |= Share.search(
            [
                ("state", "=", "accepted"),
                ("valid_until", "<", today),
                ("valid_until", ">=", since),
            ]
        ).case_id
        cases |= Share.search(
            [
                ("state", "=", "accepted"),
                ("consent_id.valid_until", "<", today),
                ("consent_id.valid_until", ">=", since),
            ]
        ).case_id
        cases._dv_drop_followers_without_access()
        return len(cases)


class DvShare(models.Model):
    _name = "dv.share"
    _inherit = ["dv.thread.mixin", "dv.share"]

    def _set_state(self, values):
        """A share that ends ends its followers' reading of the case."""
        result = super()._set_state(values)
        self.sudo().case_id._dv_drop_followers_without_access()
        return result


class DvReferral(models.Model):
    _name = "dv.referral"
    _inherit = ["dv.thread.mixin", "dv.referral"]


class DvConsent(models.Model):
    _name = "dv.consent"
    _inherit = ["dv.thread.mixin", "dv.consent"]

    def write(self, vals):
        result = super().write(vals)
        if "valid_until" in vals:
            # A shorter consent may have ended a share already.
            self.sudo().case_id._dv_drop_followers_without_access()
        return result


class DvRiskAssessment(models.Model):
    _name = "dv.risk.assessment"
    _inherit = ["dv.thread.mixin", "dv.risk.assessment"]


# The records whose deadline reminders are their own activities (see
# dv.case.deadline.mixin): read as their case, like its assessments.


class DvPoliceMeasure(models.Model):
    _name = "dv.police.measure"
    _inherit = ["dv.thread.mixin", "dv.police.measure"]


class DvProtectionOrder(models.Model):
    _name = "dv.protection.order"
    _inherit = ["dv.thread.mixin", "dv.protection.order"]


class DvSafetyPlan(models.Model):
    _name = "dv.safety.plan"
    _inherit = ["dv.thread.mixin", "dv.safety.plan"]


class DvPerpetratorMeasure(models.Model):
    _name = "dv.perpetrator.measure"
    _inherit = ["dv.thread.mixin", "dv.perpetrator.measure"]


class DvConference(models.Model):
    _name = "dv.conference"
    _inherit = ["dv.thread.mixin", "dv.conference"]

    def write(self, vals):
        result = super().write(vals)
        if "organizer_agency_id" in vals:
            self._dv_drop_followers_without_access()
        return result

    def _dv_drop_followers_without_access(self, partners=None):
        """Its actions are read through it too."""
        result = super()._dv_drop_followers_without_access(partners)
        self.sudo().action_ids._dv_drop_followers_without_access(partners)
        return result

    def _dv_extra_recipients(self):
        """External participants (contacts without a user) are told of the
        conference by its messages, which name its reference only."""
        return {
            conference.id: set(
                conference.participant_ids.partner_id.filtered(
                    lambda partner: not partner.user_ids
                ).ids
            )
            for conference in self.sudo()
        }


class DvConferenceParticipant(models.Model):
    _inherit = "dv.conference.participant"

    # An agency that no longer takes part no longer reads the conference.

    def write(self, vals):
        conferences = self.sudo().conference_id
        result = super().write(vals)
        if {"agency_id", "conference_id"} & set(vals):
            conferences._dv_drop_followers_without_access()
        return result

    def unlink(self):
        conferences = self.sudo().conference_id
        result = super().unlink()
        conferences.exists()._dv_drop_followers_without_access()
        return result


class DvConferenceAction(models.Model):
    _name = "dv.conference.action"
    _inherit = ["dv.thread.mixin", "dv.conference.action"]
