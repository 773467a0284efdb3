from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression

from .dv_thread import is_dv_model, readable_by


class MailActivity(models.Model):
    _inherit = "mail.activity"

    dv_deadline_key = fields.Char(
        string="Deadline Key",
        index="btree_not_null",
        help="Technical: which deadline of a case this reminder stands for, so "
        "that it moves when the deadline moves.",
    )
    dv_case_id = fields.Many2one(
        "dv.case",
        string="Case of the Deadline",
        index="btree_not_null",
        ondelete="cascade",
        help="Technical: the case whose record (a police measure, a protection "
        "order, ...) the deadline reminder is on; the case lists it.",
    )

    # Activities on the addon's records. Odoo already asks write access to
    # the record to create one (``_mail_post_access``); moreover:
    # - whoever it is assigned to must be able to read the record;
    # - the one assigned or who created it may change it or mark it done
    #   only while she can still read the record;
    # - it moves to another record only for who may write that record.

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if self.env.su or not self:
            return result
        # Refused like the records themselves to a user asked for two-factor
        # sign-in who has not set it up: Odoo lets the one assigned read an
        # activity without asking for its record.
        refusal = self.env["res.users"]._dv_signin_refusal()
        if refusal:
            refused = self.browse(
                activity.id
                for activity in self.sudo()
                if is_dv_model(activity.res_model)
            )
            if refused:
                return (refused | result[0] if result else refused), refusal
        if operation == "read":
            return result
        forbidden = result[0] if result else self.browse()
        documents = self._dv_documents(self - forbidden)
        if not documents:
            return result
        refused = self.browse()
        message = None
        for model, activity_ids in documents.items():
            records = self.env[model].browse(activity_ids)
            if operation == "create":
                for activity in self.browse(
                    [aid for ids in activity_ids.values() for aid in ids]
                ).sudo():
                    user = activity.user_id
                    record = self.env[model].browse(activity.res_id)
                    if user and not readable_by(record, user):
                        refused |= activity
                        message = message or self.env._(
                            "%(user)s cannot read this record, so the activity "
                            "cannot be assigned to them.",
                            user=user.display_name,
                        )
                continue
            readable = records._filtered_access("read")
            for res_id, ids in activity_ids.items():
                if res_id not in readable._ids:
                    refused |= self.browse(ids)
                    message = message or self.env._(
                        "You can no longer read the record of this activity."
                    )
        if not refused:
            return result
        refused = refused.with_env(self.env)
        if result:
            return (result[0] + refused, result[1])
        return (refused, lambda: AccessError(message))

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        """Nor are they found for her."""
        if not self.env.su and self.env["res.users"]._dv_signin_refusal():
            domain = expression.AND([domain, ["!", ("res_model", "=like", "dv.%")]])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _dv_documents(self, activities):
        """{model: {record id: activity ids}} of the activities on records
        of the addon."""
        documents = defaultdict(lambda: defaultdict(list))
        for activity in activities.sudo():
            if is_dv_model(activity.res_model) and activity.res_id:
                documents[activity.res_model][activity.res_id].append(activity.id)
        return documents

    def write(self, vals):
        if vals.get("user_id") and not self.env.su:
            user = self.env["res.users"].browse(vals["user_id"])
            for model, activity_ids in self._dv_documents(self).items():
                records = self.env[model].browse(activity_ids)
                if records - readable_by(records, user):
                    raise AccessError(
                        self.env._(
                            "%(user)s cannot read this record, so the activity "
                            "cannot be assigned to them.",
                            user=user.sudo().display_name,
                        )
                    )
        result = super().write(vals)
        if {"res_model_id", "res_model", "res_id"} & set(vals) and not self.env.su:
            # Moved: as if it were created on the new record.
            self.check_access("create")
        return result

    def _action_done(self, feedback=False, attachment_ids=None):
        # Done posts on the record: only while the user may still read it.
        self.check_access("write")
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)


# What a reminder of a record was called when it sat on the case with the
# key "model,id" alone (the other keys named it: "model,id:claim").
_DEFAULT_DEADLINE_KEYS = {
    "dv.police.measure": "end",
    "dv.perpetrator.measure": "due",
}


def move_case_deadline_reminders(env, cases=None):
    """Before 18.0.1.4.0 a deadline reminder of a case's record (a police
    measure, a protection order, an assessment, ...) was an activity of the
    case, its key naming the record ("dv.protection.order,42:claim"). Each
    becomes an activity of its record, listed by the case; one whose record
    is gone (or belongs to another case) is removed. Prompts of the case
    ("weapons_check", ...) stay. Only those of ``cases`` when given. Returns
    the number of reminders moved."""
    Activity = env["mail.activity"].sudo().with_context(active_test=False)
    domain = [("res_model", "=", "dv.case"), ("dv_deadline_key", "=like", "dv.%,%")]
    if cases is not None:
        domain.append(("res_id", "in", cases.ids))
    moved = 0
    for activity in Activity.search(domain):
        target, _colon, name = activity.dv_deadline_key.partition(":")
        model, _comma, res_id = target.partition(",")
        record = None
        if model in env and res_id.isdigit():
            record = env[model].sudo().browse(int(res_id)).exists()
        name = name or _DEFAULT_DEADLINE_KEYS.get(model)
        if (
            not record
            or not name
            or "case_id" not in record._fields
            or record.case_id.id != activity.res_id
        ):
            activity.unlink()
            continue
        activity.write(
            {
                "res_model_id": env["ir.model"]._get_id(model),
                "res_id": record.id,
                "dv_deadline_key": name,
                "dv_case_id": record.case_id.id,
            }
        )
        moved += 1
    return moved
