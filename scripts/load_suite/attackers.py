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
from functools import partial

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


def answered(_result):
    """A write, a creation or a button: any answer but a refusal is a leak."""
    return True


def exported(result):
    return bool(result and result.get("datas"))


def probe(call, name, judge, model, method, *args, **kwargs):
    """(name, call, judge): ``call()`` makes the request ``model.method(...)``,
    ``judge(result)`` says whether its answer gave anything away."""
    return (name, lambda: call(model, method, *args, **kwargs), judge)


def transfer(case, agency, marker):
    """A transfer of ``case`` to ``agency``, as its lead agency sends one."""
    return {
        "case_id": case,
        "to_agency_id": agency,
        "share_type": "transfer",
        "legal_basis": "statute",
        "legal_norm": "§ 8a SGB VIII",
        "reason": marker,
    }


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
        p = partial(probe, self.rpc.call)
        # fmt: off
        return [
            p("redirect share", answered,
              "dv.share", "write", [pending], {"to_agency_id": self.own_agency}),
            p("accept share of another agency", answered,
              "dv.share", "action_accept", [pending]),
            p("reject share of another agency", answered,
              "dv.share", "action_reject", [pending], reason="other", note=marker),
            p("transfer case not led", answered,
              "dv.share", "create", transfer(case, self.own_agency, marker)),
        ]
        # fmt: on

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
        referral = {
            "source_type": "police",
            "from_agency_id": police,
            "to_agency_id": office,
            "company_id": self.company_a,
            "received_at": odoo_dt(utcnow()),
            "police_reference": marker,
            "legal_basis": "consent",
            "consent_date": str(utcnow().date()),
            "victim_name": f"Testperson {marker}",
        }
        sender = {"office_id": office, "email": address, "police_agency_id": police}
        p = partial(probe, self.rpc.call)
        # fmt: off
        return [
            p("enter referral for the office", answered,
              "dv.referral", "create", referral),
            p("join the proposed case", answered,
              "dv.referral", "action_join_case", [pending]),
            p("open a case for the repeat", answered,
              "dv.referral", "action_new_case", [pending]),
            p("read the repeat", bool,
              "dv.referral", "read", [pending], ["victim_name", "proposed_case_id"]),
            p("original e-mails", bool,
              "dv.referral.original", "search_read", [],
              fields=["email_from", "body"]),
            p("join the office", answered,
              "dv.agency.member", "create", {"agency_id": office, "user_id": self.uid}),
            p("register a sender", answered,
              "dv.intake.sender", "create", sender),
            p("police unit's address", answered,
              "dv.agency", "write", [police], {"email": address}),
            p("police contact's address", answered,
              "res.partner", "write", [setup["police_partner"]], {"email": address}),
        ]
        # fmt: on

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
        of_cases = [("case_id", "in", cases)]
        attempt = {
            "referral_id": referral,
            "channel_id": self.setup["channel_phone"],
            "outcome": "reached",
            "note": marker,
            "attempted_at": odoo_dt(utcnow()),
        }
        attachments = [
            ("res_model", "in", ("dv.case", "dv.referral")),
            ("res_id", "in", cases + referrals),
        ]

        def counted(groups):
            return any(group.get("__count") for group in groups or [])

        def protected_found(rows):
            return any(r["id"] in protected or r.get("phone") for r in rows or [])

        p = partial(probe, self.rpc.call)
        # fmt: off
        return [
            p("read case", bool, "dv.case", "read", [case], ["name", "safety_plan"]),
            p("web_read case", bool, "dv.case", "web_read", [case],
              specification={"name": {}, "person_ids": {"fields": {"name": {}}}}),
            p("search_read cases", bool,
              "dv.case", "search_read", [("id", "in", cases)], fields=["name"]),
            p("search_count office", bool,
              "dv.case", "search_count", [("lead_agency_id", "=", self.office)]),
            p("name_search case", bool, "dv.case", "name_search", "HG-", limit=50),
            p("read_group cases", counted, "dv.case", "read_group",
              [("id", "in", cases)], ["case_type"], ["case_type"], lazy=False),
            p("export cases", exported,
              "dv.case", "export_data", cases[:20], ["name", "person_ids/name"]),
            p("read person", bool,
              "dv.person", "read", [person], ["name", "phone", "street"]),
            p("search persons", bool, "dv.person", "search_read",
              [("id", "in", persons)], fields=["name", "phone"]),
            p("export persons", exported, "dv.person", "export_data",
              persons[:20], ["name", "phone", "birth_date"]),
            p("protected details", protected_found,
              "dv.person.protected", "search_read", [], fields=["phone", "street"]),
            p("read referral", bool, "dv.referral", "read", [referral],
              ["name", "victim_name", "police_reference"]),
            p("search attempts", bool, "dv.contact.attempt", "search_read",
              [("referral_id", "in", referrals)], fields=["note"]),
            p("search assessments", bool,
              "dv.risk.assessment", "search_read", of_cases, fields=["note"]),
            p("search incidents", bool,
              "dv.incident", "search_read", of_cases, fields=["description"]),
            p("attachments", bool, "ir.attachment", "search_read", attachments,
              fields=["name", "datas"]),
            p("chatter", bool, "mail.message", "search_read",
              [("model", "=", "dv.case"), ("res_id", "in", cases)], fields=["body"]),
            p("write case", answered,
              "dv.case", "write", [case], {"safety_plan": f"<p>{marker}</p>"}),
            p("write person", answered,
              "dv.person", "write", [person], {"phone": marker, "name": marker}),
            p("add person", answered, "dv.person", "create",
              {"case_id": case, "name": marker, "role": "other"}),
            p("log attempt", answered, "dv.contact.attempt", "create", attempt),
            p("post note", answered, "dv.case", "message_post", [case], body=marker,
              message_type="comment", subtype_xmlid="mail.mt_note"),
            p("archive case", answered, "dv.case", "action_archive", [case]),
            p("read shares", bool, "dv.share", "search_read", of_cases,
              fields=["name", "reason", "to_agency_id"]),
            *self.share_probes(case, marker),
            *self.intake_probes(marker),
            p("forged company", bool, "dv.case", "search_read", [("id", "in", cases)],
              fields=["name"], context={"allowed_company_ids": [self.company_a]}),
        ]
        # fmt: on

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
        marker = self.marker("X")
        of_shared = [("case_id", "=", shared)]
        other_case = self.rng.choice(self.ctx.targets("cases"))

        def protected_values(rows):
            return any(row.get(field) for row in rows or [] for field in PROTECTED)

        def exported_protected(result):
            return any(
                any(cell for cell in row[1:]) for row in (result or {}).get("datas", [])
            )

        def victim_phone(rows):
            return any(row.get("victim_phone") for row in rows or [])

        p = partial(probe, self.rpc.call)
        # fmt: off
        own = [
            p("read shared people", protected_values,
              "dv.person", "read", people, ["name", *PROTECTED]),
            p("search shared people", protected_values, "dv.person", "search_read",
              of_shared, fields=["name", "phone", "street", "email"]),
            p("web_read shared people", protected_values, "dv.person", "web_read",
              people, specification={field: {} for field in ("name", *PROTECTED)}),
            p("export shared people", exported_protected, "dv.person", "export_data",
              people, ["name", "phone", "street", "confidential_notes"]),
            p("protected of shared", bool,
              "dv.person.protected", "search_read", of_shared, fields=["phone"]),
            p("victim's phone on the referral", victim_phone, "dv.referral",
              "search_read", of_shared, fields=["victim_name", "victim_phone"]),
            p("move the share to another case", answered,
              "dv.share", "write", [share], {"case_id": other_case}),
            p("extend the share", answered,
              "dv.share", "write", [share], {"valid_until": "2099-12-31"}),
            p("revoke the share", answered, "dv.share", "action_revoke", [share]),
            *[
                attempt
                for attempt in self.share_probes(shared, marker)
                if attempt[0] != "transfer case not led"
            ],
            *self.intake_probes(marker),
            p("transfer the shared case", answered,
              "dv.share", "create", transfer(shared, self.own_agency, marker)),
        ]
        # fmt: on
        # The shared case itself is readable: that is no leak and no attempt.
        self.read("dv.case", "read", [shared], ["name", "state"])
        return own + [
            attempt
            for attempt in super().probes()
            if attempt[0]
            in (
                "read case",
                "read person",
                "protected details",
                "write person",
                "export persons",
            )
        ]
