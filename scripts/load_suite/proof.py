"""The proof, straight from the database (SQL, no Odoo in between): every
write a client saw acknowledged is there exactly once (an e-mailed referral
with its registered sender's police unit as source, a repeat proposed for
its victim's case or joined to it), no reference number is used twice, no
contact attempt is logged twice, no attacker's marker got anywhere, the
shares and the undecided repeat the attackers went for are as the setup
left them, no attacker became a member of the office, and no case is half
erased."""

import plan

REFERRAL_COUNT = "SELECT count(*) FROM dv_referral WHERE police_reference = %(marker)s"
# An e-mailed referral: its source is the police unit of the registered
# sender, whatever the message says.
MAIL_REFERRAL_COUNT = (
    "SELECT count(*) FROM dv_referral WHERE police_reference = %(marker)s "
    "AND received_by_email AND from_agency_id = %(source)s"
)
# For each kind of acknowledged write: how to count its marker.
MARKER_COUNTS = {
    "referral": REFERRAL_COUNT,
    "mail_referral": MAIL_REFERRAL_COUNT,
    # A repeat by e-mail: its victim's case is proposed (and nothing of it
    # is in the case yet), or a case worker joined it.
    "mail_repeat": MAIL_REFERRAL_COUNT
    + " AND ((proposed_case_id = %(case_id)s AND case_id IS NULL)"
    " OR (case_id = %(case_id)s AND is_repeat AND proposed_case_id IS NULL))",
    # Joined: the referral is in the case, which still has one victim and
    # the alleged perpetrator the first e-mail named once.
    "repeat_join": "SELECT count(*) FROM dv_referral r "
    "WHERE r.police_reference = %(marker)s AND r.case_id = %(case_id)s "
    "AND r.is_repeat AND r.proposed_case_id IS NULL AND r.pending_values IS NULL "
    "AND (SELECT count(*) FROM dv_person p WHERE p.case_id = r.case_id "
    "AND p.role = 'victim') = 1 "
    "AND (SELECT count(*) FROM dv_person p WHERE p.case_id = r.case_id "
    "AND p.role = 'perpetrator' AND p.name = 'Testbeschuldigter ' || %(first)s) = 1",
    "attempt": "SELECT count(*) FROM dv_contact_attempt WHERE note = %(marker)s",
    "incident": "SELECT count(*) FROM dv_incident WHERE description = %(marker)s",
    "assessment": "SELECT count(*) FROM dv_risk_assessment WHERE note = %(marker)s",
    "assessment_done": "SELECT count(*) FROM dv_risk_assessment "
    "WHERE note = %(marker)s AND state = 'done'",
    "note": "SELECT count(*) FROM mail_message WHERE model = 'dv.case' "
    "AND res_id = %(case_id)s AND body LIKE '%%' || %(marker)s || '%%'",
    "conference": "SELECT count(*) FROM dv_conference WHERE place = %(marker)s",
    "agenda": "SELECT count(*) FROM dv_conference WHERE place = %(marker)s",
    "minutes": "SELECT count(*) FROM dv_conference_agenda_item "
    "WHERE decisions = %(marker)s",
    "action": "SELECT count(*) FROM dv_conference_action WHERE name = %(marker)s",
    "held": "SELECT count(*) FROM dv_conference WHERE place = %(marker)s "
    "AND state IN ('held', 'approved', 'closed')",
    "approved": "SELECT count(*) FROM dv_conference WHERE place = %(marker)s "
    "AND state IN ('approved', 'closed')",
}
# A write whose outcome a client never learnt is counted by its marker alone.
DOUBT_COUNTS = dict(
    MARKER_COUNTS,
    mail_referral=REFERRAL_COUNT,
    mail_repeat=REFERRAL_COUNT,
    repeat_join=REFERRAL_COUNT,
)
MAIL_KINDS = ("mail_referral", "mail_repeat")
# Besides its record, a referral from the mail gateway keeps the message once.
MAIL_MESSAGE_COUNT = (
    "SELECT count(*) FROM mail_message WHERE message_id = '<' || %(marker)s || "
    "'@polizei-lastdorf.example>'"
)

DUPLICATE_REFERENCES = """
    SELECT 'dv_case', company_id, name, count(*) FROM dv_case GROUP BY 2, 3
        HAVING count(*) > 1
    UNION ALL
    SELECT 'dv_referral', company_id, name, count(*) FROM dv_referral GROUP BY 2, 3
        HAVING count(*) > 1
    UNION ALL
    SELECT 'dv_share', company_id, name, count(*) FROM dv_share GROUP BY 2, 3
        HAVING count(*) > 1
    UNION ALL
    SELECT 'dv_conference', company_id, name, count(*) FROM dv_conference GROUP BY 2, 3
        HAVING count(*) > 1
"""
DUPLICATE_POLICE_REFERENCES = """
    SELECT COALESCE(from_agency_id, 0), police_reference, count(*) FROM dv_referral
    WHERE police_reference IS NOT NULL
    GROUP BY 1, 2 HAVING count(*) > 1
"""
DUPLICATE_ATTEMPTS = """
    SELECT referral_id, attempted_at, channel_id, count(*) FROM dv_contact_attempt
    GROUP BY 1, 2, 3 HAVING count(*) > 1
    UNION ALL
    SELECT referral_id, min(attempted_at), min(channel_id), count(*)
    FROM dv_contact_attempt WHERE note LIKE %(prefix)s
    GROUP BY referral_id, note HAVING count(*) > 1
"""
# Where an attacker's marker (tag X) would show if a write had got through.
ATTACKER_TRACES = """
    SELECT
      (SELECT count(*) FROM dv_case WHERE safety_plan LIKE %(pattern)s)
    + (SELECT count(*) FROM dv_person WHERE name LIKE %(pattern)s)
    + (SELECT count(*) FROM dv_person_protected WHERE phone LIKE %(pattern)s)
    + (SELECT count(*) FROM dv_contact_attempt WHERE note LIKE %(pattern)s)
    + (SELECT count(*) FROM dv_share WHERE reason LIKE %(pattern)s
         OR rejection_note LIKE %(pattern)s)
    + (SELECT count(*) FROM mail_message WHERE model = 'dv.case'
         AND body LIKE %(pattern)s)
    + (SELECT count(*) FROM dv_referral WHERE police_reference LIKE %(pattern)s)
    + (SELECT count(*) FROM dv_intake_sender WHERE email ILIKE %(pattern)s)
    + (SELECT count(*) FROM res_partner WHERE email ILIKE %(pattern)s)
"""
# Attackers who became members of the intake office.
ATTACKER_MEMBERS = """
    SELECT count(*) FROM dv_agency_member
    WHERE agency_id = %(office)s AND user_id = ANY(%(users)s)
"""
# The repeat awaiting a decision that the attackers try to decide.
PENDING_REFERRAL = """
    SELECT proposed_case_id, case_id FROM dv_referral WHERE id = %(id)s
"""
# The routing and state of the shares the attackers go for.
SHARE_FIELDS = (
    "case_id",
    "to_agency_id",
    "from_agency_id",
    "share_type",
    "state",
)
SHARES = """
    SELECT id, case_id, to_agency_id, from_agency_id, share_type, state
    FROM dv_share WHERE id = ANY(%(ids)s)
"""
# One row per case of the erasure test: what tells an erased case.
ERASURE_STATE = """
    SELECT c.id,
           c.erased_on IS NOT NULL,
           (SELECT count(*) FROM dv_erasure_log l WHERE l.case_id = c.id),
           (SELECT count(*) FROM dv_person p WHERE p.case_id = c.id
              AND p.name = %(marker)s),
           (SELECT count(*) FROM dv_person p WHERE p.case_id = c.id
              AND (p.birth_date IS NOT NULL OR p.protected_id IS NOT NULL)),
           (SELECT count(*) FROM dv_person_protected pp WHERE pp.case_id = c.id),
           (SELECT count(*) FROM dv_incident i WHERE i.case_id = c.id
              AND (i.police_reference IS NOT NULL OR i.description IS NOT NULL)),
           (SELECT count(*) FROM mail_message m WHERE m.model = 'dv.case'
              AND m.res_id = c.id),
           c.safety_plan IS NOT NULL OR c.outcome IS NOT NULL,
           EXTRACT(day FROM c.opened_on) = 1
    FROM dv_case c WHERE c.id = %(case_id)s
"""


def _count(cr, sql, params):
    cr.execute(sql, params)
    return cr.fetchone()[0]


def erasure_verdict(row):
    """'erased', 'kept' or 'half' for one row of ERASURE_STATE: erased means
    marked, logged once and nothing identifying left; kept means not marked,
    not logged and everything still in place; anything else is half erased."""
    (
        _case_id,
        marked,
        logged,
        named,
        personal,
        protected,
        incident_data,
        messages,
        free_text,
        month_only,
    ) = row
    if marked and logged == 1 and not (named or personal or protected or incident_data):
        if not (messages or free_text) and month_only:
            return "erased"
        return "half"
    if not marked and not logged and named and personal and protected and incident_data:
        if messages and free_text:
            return "kept"
    return "half"


def written(cr, entry):
    """How often the acknowledged write ``entry`` of a client's ledger is in
    the database (once is right)."""
    params = {
        "marker": entry["marker"],
        "case_id": entry.get("case_id"),
        "source": entry.get("source"),
        "first": entry.get("first"),
    }
    count = _count(cr, MARKER_COUNTS[entry["kind"]], params)
    if entry["kind"] in MAIL_KINDS:
        messages = _count(cr, MAIL_MESSAGE_COUNT, params)
        count = max(count, messages) if count and messages else 0
    return count


def changed_shares(cr, setup):
    """The shares of the setup whose routing or state is no longer what the
    setup left (no client changes them; an attacker would)."""
    expected = setup.get("shares", {})
    cr.execute(SHARES, {"ids": [int(share_id) for share_id in expected]})
    found = {
        row[0]: dict(zip(SHARE_FIELDS, row[1:], strict=True)) for row in cr.fetchall()
    }
    changed = []
    for share_id, values in sorted(expected.items()):
        now = found.get(int(share_id))
        if now != values:
            fields = sorted(k for k in values if not now or now[k] != values[k])
            changed.append(f"share {share_id} changed: {', '.join(fields)}")
    return changed


def attacker_members(cr, setup):
    """How many attackers became members of the intake office."""
    users = [
        user["uid"]
        for user in setup["users"].values()
        if user["role"] in plan.ATTACKER_ROLES
    ]
    return _count(
        cr, ATTACKER_MEMBERS, {"office": setup["agencies"]["office"], "users": users}
    )


def changed_pending(cr, setup):
    """The undecided repeat of the setup, if it no longer awaits the decision
    on the case proposed for it (no client decides it; an attacker would)."""
    pending = setup.get("pending_referral")
    if not pending:
        return []
    cr.execute(PENDING_REFERRAL, {"id": pending["id"]})
    row = cr.fetchone()
    if row != (pending["case_id"], None):
        return [f"referral {pending['id']} awaiting a decision changed"]
    return []


def half_erased(cr, setup):
    """How many of the cases due for erasure are neither erased nor kept."""
    half = 0
    for case_id in setup["due_cases"]:
        cr.execute(
            ERASURE_STATE,
            {"case_id": case_id, "marker": setup["due_markers"][str(case_id)]},
        )
        half += erasure_verdict(cr.fetchone()) == "half"
    return half


def prove(cr, clients, setup, run):
    """Check the database against the clients' ledgers; returns the figures
    and a list of findings (markers and ids only)."""
    findings = []
    lost = duplicates = 0
    for client in clients:
        for entry in client.acked:
            count = written(cr, entry)
            if count == 0:
                lost += 1
                findings.append(f"lost: {entry['kind']} {entry['marker']}")
            elif count > 1:
                duplicates += 1
                findings.append(f"twice: {entry['kind']} {entry['marker']} ({count})")
        for entry in client.in_doubt:
            count = _count(
                cr,
                DOUBT_COUNTS[entry["kind"]],
                {"marker": entry["marker"], "case_id": None},
            )
            if count > 1:
                duplicates += 1
                findings.append(f"twice (in doubt): {entry['kind']} {entry['marker']}")
        lost += _check_history(cr, client, findings)

    cr.execute(DUPLICATE_REFERENCES)
    for table, company, name, count in cr.fetchall():
        duplicates += 1
        findings.append(
            f"reference used {count} times: {table} {name} (company {company})"
        )
    cr.execute(DUPLICATE_POLICE_REFERENCES)
    for _source, reference, count in cr.fetchall():
        duplicates += 1
        findings.append(f"police reference {reference} {count} times")
    cr.execute(DUPLICATE_ATTEMPTS, {"prefix": f"LT{run}-%"})
    for referral, _at, _channel, count in cr.fetchall():
        duplicates += 1
        findings.append(f"contact attempt of referral {referral} logged {count} times")

    traces = _count(cr, ATTACKER_TRACES, {"pattern": f"%LT{run}-__X%"})
    if traces:
        findings.append(f"attackers' markers found in {traces} places")
    shares = changed_shares(cr, setup) + changed_pending(cr, setup)
    traces += len(shares)
    findings += shares
    members = attacker_members(cr, setup)
    if members:
        findings.append(f"attackers became members of the office {members} times")
    traces += members

    half = erased = 0
    for case_id in setup["due_cases"]:
        cr.execute(
            ERASURE_STATE,
            {"case_id": case_id, "marker": setup["due_markers"][str(case_id)]},
        )
        verdict = erasure_verdict(cr.fetchone())
        if verdict == "half":
            half += 1
            findings.append(f"half erased: case {case_id}")
        erased += verdict == "erased"
    if erased != len(setup["due_cases"]):
        findings.append(
            f"retention: {erased} of {len(setup['due_cases'])} due cases erased "
            "after the rerun"
        )
    return {
        "lost": lost,
        "duplicates": duplicates,
        "attacker_traces": traces,
        "half_erased": half,
        "erased": erased,
        "not_erased": len(setup["due_cases"]) - erased,
    }, findings


def _check_history(cr, client, findings):
    """A field written by one client only ends with the last value it saw
    acknowledged, or with a later value whose outcome it never learnt."""
    lost = 0
    by_field = {}
    for model, record_id, field, value, acked in client.history:
        by_field.setdefault((model, record_id, field), []).append((value, acked))
    for (model, record_id, field), writes in by_field.items():
        last = max((i for i, (_v, acked) in enumerate(writes) if acked), default=None)
        if last is None:
            continue
        allowed = {writes[last][0]} | {
            v for v, acked in writes[last + 1 :] if acked is False
        }
        table = model.replace(".", "_")
        cr.execute(f'SELECT "{field}" FROM "{table}" WHERE id = %s', [record_id])
        value = cr.fetchone()[0]
        if field == "safety_plan" and value:
            value = str(value)
        if value not in allowed:
            lost += 1
            findings.append(f"lost write: {model} {record_id} {field}")
    return lost
