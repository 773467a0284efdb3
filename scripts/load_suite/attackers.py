"""Security under load: users of another agency (same city) and of another
company keep trying to read, search, export and change the intake office's
cases and the protected details of its people, and to take its shares: to
redirect a share, answer a transfer addressed to another agency, and
transfer a case they do not lead to themselves; and to get at the intake:
enter referrals for the office, decide on a repeat awaiting the office's
decision, read the original e-mails, make themselves members of the office,
register a sender of their own or give the police unit their address. A
network partner with a share tries to get at the protected details of the
shared case, to change or revoke the share and to transfer the case, and
the same on the intake.

Each try is one attempt; the expected outcome is a refusal (AccessError or
another error of the application) or an empty answer. Anything else is a
leak and fails the run.
"""

import time

import plan
from clients import LoadClient, odoo_dt, utcnow
from rpc import RpcError

PROTECTED = (
    "street",
    "zip",
    "city",
    "phone",
    "email",
    "safe_times",
    "school",
    "confidential_notes",
)


def _non_empty_rows(rows):
    return [row for row in rows or [] if row]


class AttackerClient(LoadClient):
    """A case worker of another agency or company."""

    @property
    def own_agency(self):
        """The agency the attacker works for."""
        return self.setup["agencies"][plan.ROLES[self.role][1]]

    def share_probes(self, case, marker):
        """Tries on the shares: the transfer to the shelter nobody answers is
        addressed to another agency; the case is not the attacker's to pass
        on. Every answer but a refusal is a leak."""
        pending = self.setup["pending_share"]
        call = self.rpc.call
        return [
            (
                "redirect share",
                lambda: call(
                    "dv.share", "write", [pending], {"to_agency_id": self.own_agency}
                ),
                lambda r: True,
            ),
            (
                "accept share of another agency",
                lambda: call("dv.share", "action_accept", [pending]),
                lambda r: True,
            ),
            (
                "reject share of another agency",
                lambda: call(
                    "dv.share", "action_reject", [pending], reason="other", note=marker
                ),
                lambda r: True,
            ),
            (
                "transfer case not led",
                lambda: call(
                    "dv.share",
                    "create",
                    {
                        "case_id": case,
                        "to_agency_id": self.own_agency,
                        "kind": "transfer",
                        "legal_basis": "statute",
                        "legal_norm": "§ 8a SGB VIII",
                        "reason": marker,
                    },
                ),
                lambda r: True,
            ),
        ]

    def intake_probes(self, marker):
        """Tries on the intake office: its referrals, the repeat awaiting its
        decision, the original e-mails, its members, its registered senders
        and the police unit's address (which would make the attacker a
        registered sender). Every answer but a refusal or nothing is a leak."""
        setup = self.setup
        pending = setup["pending_referral"]["id"]
        office = self.office
        police = setup["agencies"]["police"]
        address = f"{marker.lower()}@fremd.example"
        call = self.rpc.call
        return [
            (
                "enter referral for the office",
                lambda: call(
                    "dv.referral",
                    "create",
                    {
                        "source_type": "police",
                        "from_agency_id": police,
                        "to_agency_id": office,
                        "company_id": self.company_a,
                        "received_at": odoo_dt(utcnow()),
                        "police_reference": marker,
                        "legal_basis": "consent",
                        "consent_date": str(utcnow().date()),
                        "victim_name": f"Testperson {marker}",
                    },
                ),
                lambda r: True,
            ),
            (
                "join the proposed case",
                lambda: call("dv.referral", "action_join_case", [pending]),
                lambda r: True,
            ),
            (
                "open a case for the repeat",
                lambda: call("dv.referral", "action_new_case", [pending]),
                lambda r: True,
            ),
            (
                "read the repeat",
                lambda: call(
                    "dv.referral",
                    "read",
                    [pending],
                    ["victim_name", "proposed_case_id"],
                ),
                bool,
            ),
            (
                "original e-mails",
                lambda: call(
                    "dv.referral.original",
                    "search_read",
                    [],
                    fields=["email_from", "body"],
                ),
                bool,
            ),
            (
                "join the office",
                lambda: call(
                    "dv.agency.member",
                    "create",
                    {"agency_id": office, "user_id": self.uid},
                ),
                lambda r: True,
            ),
            (
                "register a sender",
                lambda: call(
                    "dv.intake.sender",
                    "create",
                    {
                        "office_id": office,
                        "email": address,
                        "police_agency_id": police,
                    },
                ),
                lambda r: True,
            ),
            (
                "police unit's address",
                lambda: call("dv.agency", "write", [police], {"email": address}),
                lambda r: True,
            ),
            (
                "police contact's address",
                lambda: call(
                    "res.partner",
                    "write",
                    [setup["police_partner"]],
                    {"email": address},
                ),
                lambda r: True,
            ),
        ]

    def probes(self):
        """(name, call, judge): ``call()`` makes the request, ``judge(result)``
        says whether the answer gave anything away."""
        cases = self.ctx.targets("cases")
        persons = self.ctx.targets("persons")
        referrals = self.ctx.targets("referrals")
        protected = self.ctx.targets("protected")
        rng = self.rng
        case = rng.choice(cases)
        person = rng.choice(persons)
        referral = rng.choice(referrals)
        marker = self.marker("X")
        call = self.rpc.call
        returned = bool
        company_a = self.company_a
        return [
            (
                "read case",
                lambda: call("dv.case", "read", [case], ["name", "safety_plan"]),
                returned,
            ),
            (
                "web_read case",
                lambda: call(
                    "dv.case",
                    "web_read",
                    [case],
                    specification={"name": {}, "person_ids": {"fields": {"name": {}}}},
                ),
                returned,
            ),
            (
                "search_read cases",
                lambda: call(
                    "dv.case", "search_read", [("id", "in", cases)], fields=["name"]
                ),
                returned,
            ),
            (
                "search_count office",
                lambda: call(
                    "dv.case", "search_count", [("lead_agency_id", "=", self.office)]
                ),
                returned,
            ),
            (
                "name_search case",
                lambda: call("dv.case", "name_search", "HG-", limit=50),
                returned,
            ),
            (
                "read_group cases",
                lambda: call(
                    "dv.case",
                    "read_group",
                    [("id", "in", cases)],
                    ["kind"],
                    ["kind"],
                    lazy=False,
                ),
                lambda groups: any(group.get("__count") for group in groups or []),
            ),
            (
                "export cases",
                lambda: call(
                    "dv.case", "export_data", cases[:20], ["name", "person_ids/name"]
                ),
                lambda r: bool(r and r.get("datas")),
            ),
            (
                "read person",
                lambda: call(
                    "dv.person", "read", [person], ["name", "phone", "street"]
                ),
                returned,
            ),
            (
                "search persons",
                lambda: call(
                    "dv.person",
                    "search_read",
                    [("id", "in", persons)],
                    fields=["name", "phone"],
                ),
                returned,
            ),
            (
                "export persons",
                lambda: call(
                    "dv.person",
                    "export_data",
                    persons[:20],
                    ["name", "phone", "birth_date"],
                ),
                lambda r: bool(r and r.get("datas")),
            ),
            (
                "protected details",
                lambda: call(
                    "dv.person.protected", "search_read", [], fields=["phone", "street"]
                ),
                lambda rows: any(
                    r["id"] in protected or r.get("phone") for r in rows or []
                ),
            ),
            (
                "read referral",
                lambda: call(
                    "dv.referral",
                    "read",
                    [referral],
                    ["name", "victim_name", "police_reference"],
                ),
                returned,
            ),
            (
                "search attempts",
                lambda: call(
                    "dv.contact.attempt",
                    "search_read",
                    [("referral_id", "in", referrals)],
                    fields=["note"],
                ),
                returned,
            ),
            (
                "search assessments",
                lambda: call(
                    "dv.risk.assessment",
                    "search_read",
                    [("case_id", "in", cases)],
                    fields=["note"],
                ),
                returned,
            ),
            (
                "search incidents",
                lambda: call(
                    "dv.incident",
                    "search_read",
                    [("case_id", "in", cases)],
                    fields=["description"],
                ),
                returned,
            ),
            (
                "attachments",
                lambda: call(
                    "ir.attachment",
                    "search_read",
                    [
                        ("res_model", "in", ("dv.case", "dv.referral")),
                        ("res_id", "in", cases + referrals),
                    ],
                    fields=["name", "datas"],
                ),
                returned,
            ),
            (
                "chatter",
                lambda: call(
                    "mail.message",
                    "search_read",
                    [("model", "=", "dv.case"), ("res_id", "in", cases)],
                    fields=["body"],
                ),
                returned,
            ),
            (
                "write case",
                lambda: call(
                    "dv.case", "write", [case], {"safety_plan": f"<p>{marker}</p>"}
                ),
                lambda r: True,
            ),
            (
                "write person",
                lambda: call(
                    "dv.person", "write", [person], {"phone": marker, "name": marker}
                ),
                lambda r: True,
            ),
            (
                "add person",
                lambda: call(
                    "dv.person",
                    "create",
                    {"case_id": case, "name": marker, "role": "other"},
                ),
                lambda r: True,
            ),
            (
                "log attempt",
                lambda: call(
                    "dv.contact.attempt",
                    "create",
                    {
                        "referral_id": referral,
                        "channel_id": self.setup["channel_phone"],
                        "outcome": "reached",
                        "note": marker,
                        "attempted_at": odoo_dt(utcnow()),
                    },
                ),
                lambda r: True,
            ),
            (
                "post note",
                lambda: call(
                    "dv.case",
                    "message_post",
                    [case],
                    body=marker,
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                ),
                lambda r: True,
            ),
            (
                "archive case",
                lambda: call("dv.case", "action_archive", [case]),
                lambda r: True,
            ),
            (
                "read shares",
                lambda: call(
                    "dv.share",
                    "search_read",
                    [("case_id", "in", cases)],
                    fields=["name", "reason", "to_agency_id"],
                ),
                returned,
            ),
            *self.share_probes(case, marker),
            *self.intake_probes(marker),
            (
                "forged company",
                lambda: call(
                    "dv.case",
                    "search_read",
                    [("id", "in", cases)],
                    fields=["name"],
                    context={"allowed_company_ids": [company_a]},
                ),
                returned,
            ),
        ]

    def step(self):
        for name, call, leaked in self.probes():
            if self.ctx.stop.is_set():
                return
            self.ctx.tally.add("leak_attempts")
            try:
                result = call()
            except RpcError as exc:
                if exc.kind == "refused":
                    self.ctx.tally.add("leak_refused")
                    continue
                if exc.kind == "unclear":
                    self.ctx.tally.note(
                        f"probe {name}: {exc.name}: {exc.message[:120]}"
                    )
                # Transient: the probe told nothing either way.
                self.ctx.tally.add("leak_attempts", -1)
                time.sleep(self._pause(2))
                continue
            if leaked(result):
                self.ctx.tally.add("leaks")
                self.ctx.tally.note(f"LEAK {self.role} {name}")
            else:
                self.ctx.tally.add("leak_refused")


class NetworkClient(AttackerClient):
    """A network partner of the counselling centre: reads the case shared
    with it (allowed) and must never see a protected detail; the other
    cases of the office stay closed to it as to any attacker."""

    def probes(self):
        shared = self.setup["shared_case"]
        share = self.setup["share"]
        people = self.setup["shared_persons"]
        call = self.rpc.call
        marker = self.marker("X")

        def protected_values(rows):
            return any(row.get(field) for row in rows or [] for field in PROTECTED)

        own = [
            (
                "read shared people",
                lambda: call("dv.person", "read", people, ["name", *PROTECTED]),
                protected_values,
            ),
            (
                "search shared people",
                lambda: call(
                    "dv.person",
                    "search_read",
                    [("case_id", "=", shared)],
                    fields=["name", "phone", "street", "email"],
                ),
                protected_values,
            ),
            (
                "web_read shared people",
                lambda: call(
                    "dv.person",
                    "web_read",
                    people,
                    specification={field: {} for field in ("name", *PROTECTED)},
                ),
                protected_values,
            ),
            (
                "export shared people",
                lambda: call(
                    "dv.person",
                    "export_data",
                    people,
                    ["name", "phone", "street", "confidential_notes"],
                ),
                lambda r: any(
                    any(cell for cell in row[1:]) for row in (r or {}).get("datas", [])
                ),
            ),
            (
                "protected of shared",
                lambda: call(
                    "dv.person.protected",
                    "search_read",
                    [("case_id", "=", shared)],
                    fields=["phone"],
                ),
                bool,
            ),
            (
                "victim's phone on the referral",
                lambda: call(
                    "dv.referral",
                    "search_read",
                    [("case_id", "=", shared)],
                    fields=["victim_name", "victim_phone"],
                ),
                lambda rows: any(row.get("victim_phone") for row in rows or []),
            ),
            (
                "move the share to another case",
                lambda: call(
                    "dv.share",
                    "write",
                    [share],
                    {"case_id": self.rng.choice(self.ctx.targets("cases"))},
                ),
                lambda r: True,
            ),
            (
                "extend the share",
                lambda: call(
                    "dv.share", "write", [share], {"valid_until": "2099-12-31"}
                ),
                lambda r: True,
            ),
            (
                "revoke the share",
                lambda: call("dv.share", "action_revoke", [share]),
                lambda r: True,
            ),
            *[
                probe
                for probe in self.share_probes(shared, marker)
                if probe[0] != "transfer case not led"
            ],
            *self.intake_probes(marker),
            (
                "transfer the shared case",
                lambda: call(
                    "dv.share",
                    "create",
                    {
                        "case_id": shared,
                        "to_agency_id": self.own_agency,
                        "kind": "transfer",
                        "legal_basis": "statute",
                        "legal_norm": "§ 8a SGB VIII",
                        "reason": marker,
                    },
                ),
                lambda r: True,
            ),
        ]
        # The shared case itself is readable: that is no leak and no attempt.
        self.read("dv.case", "read", [shared], ["name", "state"])
        return own + [
            probe
            for probe in super().probes()
            if probe[0]
            in (
                "read case",
                "read person",
                "protected details",
                "write person",
                "export persons",
            )
        ]
