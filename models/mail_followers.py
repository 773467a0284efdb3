from collections import defaultdict

from odoo import models


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
        for res_id in res_ids:
            pids = tuple(pid for pid in partner_ids if pid in allowed.get(res_id, ()))
            if pids:
                res_ids_by_partners[pids].append(res_id)
        for pids, ids in res_ids_by_partners.items():
            super()._insert_followers(
                res_model,
                ids,
                list(pids),
                subtypes=subtypes,
                customer_ids=customer_ids,
                check_existing=check_existing,
                existing_policy=existing_policy,
            )
        return None
