from collections import defaultdict

from psycopg2 import errorcodes, errors

from odoo import models

# Odoo's key on (res_model, res_id, partner_id) of mail_followers.
FOLLOWER_KEY = "mail_followers_mail_followers_res_partner_res_model_id_uniq"


class FollowerRace(errors.SerializationFailure):
    """Two requests added the same follower at once: the later one failed on
    the unique key, which Odoo does not retry. Raised as a serialization
    failure, the request is retried whole on a fresh snapshot, which sees
    the follower already there."""

    pgcode = errorcodes.SERIALIZATION_FAILURE


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    def _insert_followers(
        self,
        res_model,
        res_ids,
        partner_ids,
        subtypes=None,
        customer_ids=None,
        check_existing=True,
        existing_policy="skip",
    ):
        """Records of the addon are followed only by who may read them
        (see dv.thread.mixin): every way of adding followers (subscribing,
        the author of a message, the assignee of an activity, a responsible
        person) ends here."""
        records = self.env[res_model].browse(res_ids) if res_model in self.env else None
        if (
            not partner_ids
            or not res_ids
            or not hasattr(records, "_dv_partners_allowed")
        ):
            return super()._insert_followers(
                res_model,
                res_ids,
                partner_ids,
                subtypes=subtypes,
                customer_ids=customer_ids,
                check_existing=check_existing,
                existing_policy=existing_policy,
            )
        allowed = records.browse(res_ids)._dv_partners_allowed(
            partner_ids, following=True
        )
        res_ids_by_partners = defaultdict(list)
        # Each record once: a record named twice (a client may send
        # ``[id, id]``) would make Odoo insert its followers twice, a
        # violation of the key that is no race and must not be retried.
        for res_id in dict.fromkeys(res_ids):
            pids = tuple(pid for pid in partner_ids if pid in allowed.get(res_id, ()))
            if pids:
                res_ids_by_partners[pids].append(res_id)
        for pids, ids in res_ids_by_partners.items():
            try:
                super()._insert_followers(
                    res_model,
                    ids,
                    list(pids),
                    subtypes=subtypes,
                    customer_ids=customer_ids,
                    check_existing=check_existing,
                    existing_policy=existing_policy,
                )
            except errors.UniqueViolation as exc:
                if exc.diag.constraint_name != FOLLOWER_KEY:
                    raise
                raise FollowerRace(str(exc)) from exc
        return None
