"""The fixtures of the replica probe, fed to ``odoo-bin shell`` by
``scripts/load --replica`` after setup_db.py: cases of the intake office,
each shared with the counselling centre and accepted by its partner, half
on a statute (the probe revokes the share), half on the victim's consent
(the probe withdraws the consent). Writes their ids as JSON to
$DV_LOAD_PROBE_OUT. Synthetic names only.
"""
# ruff: noqa: F821  (env comes from odoo-bin shell)

import json
import os

from odoo import Command, fields

PROBES = int(os.environ.get("DV_LOAD_PROBES", "16"))

env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
with open(os.environ["DV_LOAD_SETUP"], encoding="utf-8") as handle:
    setup = json.load(handle)
users = env["res.users"]
worker = users.browse(setup["helpers"]["helper_caseworker"]["uid"])
partner = users.browse(setup["helpers"]["helper_partner"]["uid"])
office = env["dv.agency"].browse(setup["agencies"]["office"])
counselling = env["dv.agency"].browse(setup["agencies"]["counselling"])
purpose = env.ref("dv_case_management.consent_purpose_referral")
today = fields.Date.context_today(env["dv.case"])

probes = []
for index in range(PROBES):
    case = (
        env["dv.case"]
        .with_user(worker)
        .with_company(office.company_id)
        .create(
            {
                "case_type": "partner",
                "lead_agency_id": office.id,
                "company_id": office.company_id.id,
                "user_id": worker.id,
                "person_ids": [
                    Command.create(
                        {
                            "role": "victim",
                            "name": f"Probe Person {index:02d}",
                            "gender": "female",
                        }
                    )
                ],
            }
        )
    )
    values = {
        "share_type": "share",
        "case_id": case.id,
        "to_agency_id": counselling.id,
        "reason": "Beratung",
    }
    consent = env["dv.consent"]
    if index % 2:
        consent = (
            env["dv.consent"]
            .with_user(worker)
            .create(
                {
                    "person_id": case.victim_id.id,
                    "agency_ids": [Command.set(counselling.ids)],
                    "purpose_ids": [Command.set(purpose.ids)],
                    "given_on": today,
                }
            )
        )
        values.update(legal_basis="consent", consent_id=consent.id)
    else:
        values.update(legal_basis="statute", legal_norm="§ 8a SGB VIII")
    share = env["dv.share"].with_user(worker).create(values)
    share.with_user(partner).action_accept()
    probes.append({"case": case.id, "share": share.id, "consent": consent.id or None})

env.cr.commit()
with open(os.environ["DV_LOAD_PROBE_OUT"], "w", encoding="utf-8") as out:
    json.dump({"probes": probes}, out, indent=1)
