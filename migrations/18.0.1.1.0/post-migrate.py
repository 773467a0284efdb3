"""18.0.1.1.0: the referrals to other agencies (shares and transfers) leave
dv.referral for a model of their own, dv.share; appointments of a case no
longer carry its reference in their stored title; who cannot read a record
of the addon no longer follows it."""

from odoo import SUPERUSER_ID, api

from odoo.addons.dv_case_management.models.dv_share import (
    migrate_outbound_referrals,
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    migrate_outbound_referrals(env)
    env["calendar.event"]._dv_retitle_case_events()
    for model in env.registry.values():
        if model._name.startswith("dv.") and not model._abstract:
            records = env[model._name]
            if hasattr(records, "_dv_drop_all_followers_without_access"):
                records._dv_drop_all_followers_without_access()
