"""18.0.1.2.0: the message of an e-mailed referral leaves the referral's
chatter and attachments for the original messages, which only the receiving
office's case workers read."""

from odoo import SUPERUSER_ID, api

from odoo.addons.dv_case_management.models.dv_referral_original import (
    migrate_referral_originals,
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    migrate_referral_originals(env)
