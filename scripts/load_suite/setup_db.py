"""Database setup of the load suite, fed to ``odoo-bin shell`` by scripts/load
(``env`` is the shell's superuser environment).

Makes two companies, the agencies of a small network, one user per load
client (German, Berlin time) and helpers, the registered senders of the
intake alias, the cases the clients and the attackers work on (their
referrals joined by a case worker, one left awaiting the decision), the
shares the attackers go for, closed cases due for erasure and the fixtures
of the bad-input table; writes their ids as JSON to $DV_LOAD_OUT. Synthetic
names only.
"""
# ruff: noqa: F821  (env comes from odoo-bin shell)

import json
import os
import sys
from datetime import date, datetime, timedelta

sys.path.insert(0, os.environ["DV_LOAD_DIR"])

import plan

from odoo import Command, fields

CLIENTS = int(os.environ["DV_LOAD_CLIENTS"])
DUE_CASES = int(os.environ["DV_LOAD_DUE"])
TARGET_CASES = 6

env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
ref = env.ref
roles = plan.roles_for(CLIENTS)

de = env["res.lang"]._activate_lang("de_DE")
env["res.users"].browse(2).write({"lang": "de_DE"})

# Companies and the alias domain of the city.
alias_domain = env["mail.alias.domain"].create({"name": plan.ALIAS_DOMAIN})
company_a = env["res.company"].create(
    {
        "name": "Stadt Lastdorf",
        "dv_land_profile_id": ref("dv_case_management.land_profile_ni").id,
        "alias_domain_id": alias_domain.id,
    }
)
company_b = env["res.company"].create({"name": "Landkreis Lastland"})
env["res.users"].browse(2).write(
    {"company_ids": [Command.link(company_a.id), Command.link(company_b.id)]}
)

calendar = env["resource.calendar"].create(
    {
        "name": "Interventionsstelle Lastdorf",
        "tz": "Europe/Berlin",
        "company_id": company_a.id,
    }
)
calendar._dv_load_public_holidays(
    "NI", [date.today().year - 1, date.today().year, date.today().year + 1]
)

Agency = env["dv.agency"]
agencies = {
    "office": Agency.create(
        {
            "name": "Interventionsstelle Lastdorf",
            "short_name": "BISS-L",
            "agency_type_id": ref("dv_case_management.agency_type_intake_office").id,
            "company_id": company_a.id,
            "resource_calendar_id": calendar.id,
            "first_contact_deadline": 3,
            "first_contact_deadline_unit": "working_days",
        }
    ),
    "police": Agency.create(
        {
            "name": "Polizeiinspektion Lastdorf",
            "short_name": "PI-L",
            "agency_type_id": ref("dv_case_management.agency_type_police").id,
            "company_id": False,
            "email": plan.POLICE_EMAIL,
        }
    ),
    "counselling": Agency.create(
        {
            "name": "Frauenberatung Lastdorf",
            "agency_type_id": ref("dv_case_management.agency_type_counselling").id,
            "company_id": company_a.id,
        }
    ),
    "neighbour": Agency.create(
        {
            "name": "Beratungsstelle Nachbarort",
            "agency_type_id": ref("dv_case_management.agency_type_counselling").id,
            "company_id": company_a.id,
        }
    ),
    # Receives a transfer that stays unanswered: no client works for it, so
    # whoever answers it is an attacker.
    "shelter": Agency.create(
        {
            "name": "Frauenhaus Lastdorf",
            "agency_type_id": ref("dv_case_management.agency_type_shelter").id,
            "company_id": company_a.id,
        }
    ),
    "county": Agency.create(
        {
            "name": "Jugendamt Lastland",
            "agency_type_id": ref("dv_case_management.agency_type_youth_welfare").id,
            "company_id": company_b.id,
        }
    ),
    # The police of the other company: no registered sender of the city's
    # intake office.
    "police_b": Agency.create(
        {
            "name": "Polizeidirektion Lastland",
            "short_name": "PD-LL",
            "agency_type_id": ref("dv_case_management.agency_type_police").id,
            "company_id": company_b.id,
            "email": plan.OTHER_POLICE_EMAIL,
        }
    ),
}
agencies["office"].write(
    {"alias_name": plan.ALIAS_NAME, "alias_domain_id": alias_domain.id}
)
companies = {"a": company_a, "b": company_b}


def make_user(login, group, agency_key, company_key, extra_groups=()):
    company = companies[company_key]
    user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": f"Mitarbeitende {login}",
                "login": login,
                "password": plan.password_for(login),
                "email": f"{login}@lastdorf.example",
                "lang": "de_DE",
                "tz": "Europe/Berlin",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.link(ref("base.group_user").id),
                    Command.link(ref(f"dv_case_management.group_dv_{group}").id),
                    # Offices allow their staff to export lists.
                    Command.link(ref("base.group_allow_export").id),
                ]
                + [Command.link(ref(xmlid).id) for xmlid in extra_groups],
            }
        )
    )
    if agency_key:
        env["dv.agency.member"].create(
            {"agency_id": agencies[agency_key].id, "user_id": user.id}
        )
    return user


users = {}
for index, role in enumerate(roles):
    group, agency_key, company_key = plan.ROLES[role]
    login = plan.login_for(index, role)
    extra = ("base.group_system",) if role in plan.SYSTEM_ROLES else ()
    users[index] = make_user(login, group, agency_key, company_key, extra)
helpers = {
    key: make_user(
        key,
        group,
        agency_key,
        company_key,
        ("base.group_system",) if key in plan.SYSTEM_ROLES else (),
    )
    for key, (group, agency_key, company_key) in plan.HELPERS.items()
}
worker = helpers["helper_caseworker"]
office = agencies["office"]
police = agencies["police"]

# The office's own list of registered senders, kept by its coordinator: an
# address of the police unit besides the one on its agency.
env["dv.intake.sender"].with_user(helpers["helper_coordinator"]).create(
    {"office_id": office.id, "email": plan.LISTED_EMAIL, "police_agency_id": police.id}
)
# A manager raises the city's minimum suppression threshold of the statistics.
env["dv.statistics.settings"].with_user(helpers["helper_manager"]).create(
    {"company_id": company_a.id, "suppression_minimum": plan.SUPPRESSION_MINIMUM}
).action_apply()

phone = ref("dv_case_management.contact_channel_phone")
instrument = ref("dv_case_management.risk_instrument_screening")
now = fields.Datetime.now()
serial = iter(range(1, 1_000_000))


def new_case(user=worker, state="new", **values):
    """A case of the intake office with a victim (protected details) and a
    perpetrator, created as ``user``."""
    number = next(serial)
    vals = {
        "case_type": "partner",
        "lead_agency_id": office.id,
        "company_id": company_a.id,
        "user_id": user.id,
        "person_ids": [
            Command.create(
                {
                    "role": "victim",
                    "name": f"Testperson Lastdorf {number:05d}",
                    "gender": "female",
                    "birth_date": "1990-04-01",
                    "street": f"Teststraße {number}",
                    "phone": f"+49 170 {number:07d}",
                    "safe_to_call": True,
                }
            ),
            Command.create(
                {
                    "role": "perpetrator",
                    "name": f"Testbeschuldigter Lastdorf {number:05d}",
                    "gender": "male",
                    "relationship": "partner",
                }
            ),
        ],
    }
    vals.update(values)
    case = env["dv.case"].with_user(user).with_company(company_a).create(vals).sudo()
    if state == "in_progress":
        case.action_start()
    return case


def new_referral(case=None, user=worker, join=True, **values):
    """A police referral received by the intake office. With ``case`` it
    names that case's victim: the case is proposed as a repeat, and the case
    worker joins it (only the addon links a referral to a case), unless
    ``join`` is false: then it awaits the decision."""
    number = next(serial)
    vals = {
        "source_type": "police",
        "from_agency_id": police.id,
        "to_agency_id": office.id,
        "company_id": company_a.id,
        "received_at": now - timedelta(hours=2),
        "police_reference": f"SETUP-{number:05d}",
        "legal_basis": "consent",
        "consent_date": (now - timedelta(hours=2)).date(),
    }
    if case:
        vals["victim_name"] = case.victim_id.name
        vals["victim_birth_date"] = case.victim_id.birth_date
    else:
        vals["victim_name"] = f"Testperson Meldung {number:05d}"
    vals.update(values)
    referral = env["dv.referral"].with_user(user).create(vals)
    if case:
        if referral.sudo().proposed_case_id != case or referral.sudo().case_id:
            raise RuntimeError(f"referral {referral.id}: case {case.id} not proposed")
        if join:
            referral.action_join_case()
    return referral.sudo()


# The cases two people edit at once.
pair_cases = {}
for index_a, _index_b in plan.pairs(roles):
    pair_cases[index_a] = new_case(users[index_a], state="in_progress").id

# The cases the attackers go for: everything a case can hold.
targets = {
    key: []
    for key in (
        "cases",
        "persons",
        "protected",
        "referrals",
        "attempts",
        "assessments",
        "incidents",
        "attachments",
    )
}
for _i in range(TARGET_CASES):
    case = new_case(state="in_progress")
    referral = new_referral(case)
    attempt = (
        env["dv.contact.attempt"]
        .with_user(worker)
        .create(
            {
                "referral_id": referral.id,
                "channel_id": phone.id,
                "outcome": "no_answer",
                "attempted_at": now - timedelta(hours=1),
                "note": "Zielversuch",
            }
        )
    )
    incident = (
        env["dv.incident"]
        .with_user(worker)
        .create(
            {
                "case_id": case.id,
                "date": now - timedelta(days=3),
                "police_reference": "Z-1",
                "description": "Zielvorfall",
            }
        )
    )
    assessment = (
        env["dv.risk.assessment"]
        .with_user(worker)
        .create(
            {
                "case_id": case.id,
                "instrument_id": instrument.id,
                "note": "Zieleinschätzung",
            }
        )
    )
    attachment = env["ir.attachment"].create(
        {
            "name": "vermerk.txt",
            "raw": b"Zielvermerk",
            "res_model": "dv.case",
            "res_id": case.id,
        }
    )
    case.message_post(body="Zielnotiz")
    targets["cases"].append(case.id)
    targets["persons"] += case.person_ids.ids
    targets["protected"] += case.person_ids.protected_id.ids
    targets["referrals"].append(referral.id)
    targets["attempts"].append(attempt.id)
    targets["incidents"].append(incident.id)
    targets["assessments"].append(assessment.id)
    targets["attachments"].append(attachment.id)


def new_share(case, to_agency, user=worker, **values):
    """A share (or transfer) of ``case``, sent by a case worker of its lead
    agency; the addon sets its sender, company and state."""
    vals = {
        "share_type": "share",
        "case_id": case.id,
        "to_agency_id": to_agency.id,
        "legal_basis": "statute",
        "legal_norm": "§ 8a SGB VIII",
        "reason": "Beratung",
    }
    vals.update(values)
    return env["dv.share"].with_user(user).create(vals).sudo()


# A case shared with the counselling centre, accepted by one of its partners:
# they read the case but never the protected details.
shared_case = new_case(state="in_progress")
share = new_share(shared_case, agencies["counselling"])
share.with_user(helpers["helper_partner"]).action_accept()
# A transfer to the shelter nobody answers: the attackers try to accept,
# reject and redirect it.
pending_share = new_share(
    env["dv.case"].browse(targets["cases"][0]),
    agencies["shelter"],
    share_type="transfer",
    legal_basis="acute_danger",
    legal_norm=False,
    justification="Akute Gefahr",
    reason="Schutzplatz",
)

# A repeat nobody decided on yet: the attackers try to decide it.
pending_referral = new_referral(
    env["dv.case"].browse(targets["cases"][1]), join=False, police_reference="OFFEN-1"
)

# Closed cases whose retention period is over.
completed = ref("dv_case_management.closure_reason_completed")
due_cases = []
due_markers = {}
for _i in range(DUE_CASES):
    case = new_case(opened_on="2019-06-03")
    env["dv.incident"].create(
        {
            "case_id": case.id,
            "date": datetime(2019, 6, 1, 22, 15),
            "police_reference": f"ALT-{case.id}",
            "description": "Altvorfall",
        }
    )
    case.safety_plan = "<p>Sicherheitsplan</p>"
    case.message_post(body="Altnotiz")
    case._close(completed, "Abgeschlossen")
    case.closed_on = "2020-01-15"
    due_cases.append(case.id)
    due_markers[case.id] = case.victim_id.name

# Fixtures of the bad-input table: a new case and a conference to put it on.
fixture_case_new = new_case()
fixture_conference = (
    env["dv.conference"]
    .with_user(helpers["helper_manager"])
    .with_context(dv_no_agenda_proposal=True)
    .create(
        {
            "conference_type": "adhoc",
            "start": now + timedelta(days=7),
            "organizer_agency_id": office.id,
            "company_id": company_a.id,
        }
    )
    .sudo()
)

env.cr.commit()

result = {
    "companies": {"a": company_a.id, "b": company_b.id},
    "agencies": {key: agency.id for key, agency in agencies.items()},
    "alias_email": f"{plan.ALIAS_NAME}@{plan.ALIAS_DOMAIN}",
    "users": {
        str(index): {
            "login": user.login,
            "password": plan.password_for(user.login),
            "uid": user.id,
            "role": roles[index],
        }
        for index, user in users.items()
    },
    "helpers": {
        key: {
            "login": user.login,
            "password": plan.password_for(user.login),
            "uid": user.id,
        }
        for key, user in helpers.items()
    },
    "channel_phone": phone.id,
    "police_email": plan.POLICE_EMAIL,
    "listed_email": plan.LISTED_EMAIL,
    "police_partner": police.partner_id.id,
    "suppression_minimum": company_a.dv_suppression_minimum,
    "agency_type_counselling": ref("dv_case_management.agency_type_counselling").id,
    "instrument": instrument.id,
    "pair_cases": {str(k): v for k, v in pair_cases.items()},
    "targets": targets,
    "shared_case": shared_case.id,
    "shared_persons": shared_case.person_ids.ids,
    "share": share.id,
    "pending_share": pending_share.id,
    # The repeat awaiting a decision: it stays so (proof.py checks).
    "pending_referral": {
        "id": pending_referral.id,
        "case_id": pending_referral.proposed_case_id.id,
    },
    # What the attackers must not change: the routing and state of every
    # share they go for (proof.py compares).
    "shares": {
        str(record.id): {
            "case_id": record.case_id.id,
            "to_agency_id": record.to_agency_id.id,
            "from_agency_id": record.from_agency_id.id,
            "share_type": record.share_type,
            "state": record.state,
        }
        for record in share | pending_share
    },
    "due_cases": due_cases,
    "due_markers": {str(k): v for k, v in due_markers.items()},
    "retention_cron": ref("dv_case_management.ir_cron_retention").id,
    "fixtures": {
        "case_new": fixture_case_new.id,
        "conference": fixture_conference.id,
    },
}
with open(os.environ["DV_LOAD_OUT"], "w", encoding="utf-8") as out:
    json.dump(result, out, indent=1)
