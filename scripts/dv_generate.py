"""Fill a database with synthetic cases for benchmarks and load tests.

Run through ``scripts/generate`` (which starts the project's PostgreSQL and
creates the database); called directly it needs Odoo's options::

    python3 scripts/dv_generate.py --cases 150000 -- <odoo options> -d DB

Everything is invented: names are drawn from short lists plus a number,
dates and figures from distributions like those that offices report (most
cases partner violence, most victims women between 25 and 45, three in
four cases referred by the police, about four in five reached, one in
five assessed as high risk).

A seed of up to ``--seed-cases`` cases is created through the ORM, so every
stored computation and constraint of the addon holds (tracking and e-mail
switched off); the ORM makes about ten cases a second here, too slow for a
Land's 150,000. Beyond the seed, the cases with everything that hangs on
them are copied in the database, table by table, with new ids, references
and police references: copies of consistent records stay consistent.
Meant for a fresh database (``scripts/generate`` makes one).
"""

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta

FIRST_NAMES = ["Anna", "Birgit", "Canan", "Daria", "Elena", "Fatma", "Gisela"]
MEN = ["Andreas", "Bernd", "Cem", "Dieter", "Emil", "Frank", "Goran"]
LAST_NAMES = ["Albers", "Brandt", "Celik", "Dietz", "Engel", "Franke", "Graf"]
CASE_TYPES = [("partner", 70), ("family", 22), ("stalking", 8)]
RELATIONSHIPS = {
    "partner": [("spouse", 40), ("partner", 25), ("former_partner", 35)],
    "family": [("child", 40), ("parent", 25), ("sibling", 15), ("other_relative", 20)],
    "stalking": [("former_partner", 60), ("acquaintance", 30), ("stranger", 10)],
}
GENDERS = [("female", 80), ("male", 18), ("diverse", 2)]
MIGRATION = [("yes", 30), ("no", 50), (False, 20)]
OUTCOMES = [("contacted", 80), ("unreachable", 12), ("declined", 8)]
LEVELS = [("standard", 50), ("medium", 32), ("high", 18)]
MODES = [("in_person", 50), ("phone", 40), ("video", 5), ("written", 5)]
OFFENCES = [
    ("bodily_harm", 60),
    ("threat_stalking_coercion", 25),
    ("sexual", 5),
    ("deprivation_of_liberty", 3),
    ("other", 7),
]
COMPANIES = 10
BATCH = 100
# Records copied beyond the seed: a case and everything that hangs on it.
CLONED = (
    "dv.case",
    "dv.person",
    "dv.incident",
    "dv.police.measure",
    "dv.referral",
    "dv.contact.attempt",
    "dv.session",
    "dv.risk.assessment",
)


def pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


class Generator:
    def __init__(self, env, cases, years, seed, seed_cases):
        self.env = env(
            context=dict(
                env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
                mail_auto_subscribe_no_notify=True,
                dv_generating=True,
            )
        )
        self.cases = cases
        self.seed_cases = min(seed_cases, cases)
        self.years = years
        self.rng = random.Random(seed)
        self.today = date.today()
        self.ref = lambda xmlid: self.env.ref(f"dv_case_management.{xmlid}")

    # The network

    def network(self):
        """Ten companies (cities and counties), each with an intake office,
        two police inspections, a counselling centre, a shelter and a youth
        welfare office, and a case worker per agency."""
        env = self.env
        Agency = env["dv.agency"]
        existing = env["res.company"].search([("name", "like", "Synthetic %")])
        if existing:
            return self._load_network(existing)
        calendar = env["resource.calendar"].create(
            {
                "name": "Synthetic office hours",
                "tz": "Europe/Berlin",
                "company_id": False,
            }
        )
        calendar._dv_load_public_holidays(
            "NW", list(range(self.today.year - self.years, self.today.year + 2))
        )
        types = {
            key: self.ref(f"agency_type_{key}")
            for key in ("intake_office", "police", "counselling", "shelter")
        }
        youth = self.ref("agency_type_youth_welfare")
        profile = self.ref("land_profile_nw")
        networks = []
        for number in range(1, COMPANIES + 1):
            company = env["res.company"].create(
                {"name": f"Synthetic {number:02d}", "dv_land_profile_id": profile.id}
            )

            def agency(name, agency_type, company=company, number=number, **values):
                return Agency.create(
                    dict(
                        {
                            "name": f"{name} {number:02d}",
                            "agency_type_id": agency_type.id,
                            "company_id": company.id,
                        },
                        **values,
                    )
                )

            intake = agency(
                "Interventionsstelle",
                types["intake_office"],
                resource_calendar_id=calendar.id,
                first_contact_deadline=3,
                first_contact_deadline_unit="working_days",
            )
            police = agency("Polizeiinspektion Nord", types["police"]) | agency(
                "Polizeiinspektion Süd", types["police"]
            )
            others = (
                agency("Frauenberatung", types["counselling"])
                | agency("Frauenhaus", types["shelter"])
                | agency("Jugendamt", youth)
            )
            users = env["res.users"]
            for office in intake | others:
                login = f"synthetic_{office.id}"
                user = env["res.users"].create(
                    {
                        "name": f"Fachkraft {office.name}",
                        "login": login,
                        "password": f"{login}-passwort",
                        "company_id": company.id,
                        "company_ids": [(6, 0, company.ids)],
                        "groups_id": [
                            (4, self.ref("group_dv_coordinator").id),
                        ],
                    }
                )
                env["dv.agency.member"].create(
                    {"agency_id": office.id, "user_id": user.id}
                )
                users |= user
            networks.append((company, intake, police, intake | others, users))
        env.cr.commit()
        return networks

    def _load_network(self, companies):
        Agency = self.env["dv.agency"]
        networks = []
        for company in companies:
            agencies = Agency.search([("company_id", "=", company.id)])
            intake = agencies.filtered("is_intake_office")
            police = agencies.filtered(
                lambda a: a.agency_type_id == self.ref("agency_type_police")
            )
            leads = agencies - police
            users = leads.member_ids.user_id
            networks.append((company, intake, police, leads, users))
        return networks

    # Cases

    def _person(self, role, gender, age, opened, relationship=None):
        rng = self.rng
        names = FIRST_NAMES if gender == "female" else MEN
        vals = {
            "role": role,
            "name": f"{rng.choice(names)} {rng.choice(LAST_NAMES)}"
            f"-{rng.randint(1, 99999)}",
            "gender": gender,
        }
        known = rng.random()
        if known < 0.7:
            vals["birth_date"] = opened - timedelta(days=int(age * 365.25) + 100)
        elif known < 0.9:
            vals["age_estimate"] = max(age, 1)
        if role == "victim":
            vals["migration_background"] = pick(rng, MIGRATION)
        if relationship:
            vals["relationship"] = relationship
            vals["shared_household"] = rng.random() < 0.55
        return (0, 0, vals)

    def _case_vals(self, network):
        rng = self.rng
        company, _intake, _police, leads, _users = network
        span = self.years * 365
        opened = self.today - timedelta(days=int(rng.random() ** 0.8 * span))
        case_type = pick(rng, CASE_TYPES)
        gender = pick(rng, GENDERS)
        age = max(16, min(90, int(rng.gauss(36, 12))))
        people = [self._person("victim", gender, age, opened)]
        perpetrator_gender = "male" if gender == "female" else pick(rng, GENDERS)
        people.append(
            self._person(
                "perpetrator",
                perpetrator_gender,
                max(16, age + rng.randint(-5, 8)),
                opened,
                pick(rng, RELATIONSHIPS[case_type]),
            )
        )
        if case_type != "stalking" and rng.random() < 0.45:
            for _child in range(rng.choice((1, 1, 2, 2, 3))):
                people.append(
                    self._person(
                        "child", pick(rng, GENDERS[:2]), rng.randint(0, 17), opened
                    )
                )
        lead = leads[rng.randrange(len(leads))] if rng.random() < 0.3 else leads[0]
        age_days = (self.today - opened).days
        state = "new"
        if age_days > 180 and rng.random() < 0.9:
            state = "closed"
        elif age_days > 7 and rng.random() < 0.8:
            state = "in_progress"
        return (
            opened,
            state,
            {
                "case_type": case_type,
                "company_id": company.id,
                "lead_agency_id": lead.id,
                "user_id": lead.member_ids.user_id[:1].id,
                "opened_on": opened,
                "person_ids": people,
            },
        )

    def _children(self, cases, opened_states, network):
        """Incidents, police referrals with contact attempts, sessions and
        assessments of a batch of new cases."""
        env, rng = self.env, self.rng
        _company, intake, police, _leads, users = network
        offences = {code: self.ref(f"offence_group_{code}") for code, _w in OFFENCES}
        channels = [
            self.ref("contact_channel_phone"),
            self.ref("contact_channel_letter"),
            self.ref("contact_channel_home_visit"),
        ]
        external = self.ref("risk_instrument_external")
        incidents, referrals, attempts, sessions, assessments, measures = (
            [],
            [],
            [],
            [],
            [],
            [],
        )
        now = datetime.now()
        for case, (opened, _state) in zip(cases, opened_states, strict=True):
            when = datetime.combine(opened, datetime.min.time()) - timedelta(
                hours=rng.randint(2, 72)
            )
            for _incident in range(rng.choice((1, 1, 1, 2, 3))):
                groups = [offences[pick(rng, OFFENCES)].id]
                incidents.append(
                    {
                        "case_id": case.id,
                        "date": min(when, now),
                        "offence_group_ids": [(6, 0, groups)],
                        "weapon": rng.random() < 0.1,
                        "online": rng.random() < 0.05,
                    }
                )
                when -= timedelta(days=rng.randint(10, 200))
            if rng.random() < 0.35:
                measures.append(
                    {
                        "case_id": case.id,
                        "measure_type": pick(
                            rng,
                            [("eviction", 70), ("contact_ban", 20), ("custody", 10)],
                        ),
                        "date_start": opened - timedelta(days=1),
                    }
                )
            if rng.random() < 0.75:
                received = datetime.combine(opened, datetime.min.time()) + timedelta(
                    hours=rng.randint(6, 20), minutes=rng.randint(0, 59)
                )
                referrals.append(
                    (
                        case,
                        received,
                        {
                            "source_type": "police",
                            "from_agency_id": police[rng.randrange(len(police))].id,
                            "to_agency_id": intake.id,
                            "company_id": case.company_id.id,
                            "case_id": case.id,
                            "received_at": min(received, now),
                            "police_reference": f"SYN-{case.id}",
                            "legal_basis": "consent",
                            "consent_date": opened,
                        },
                    )
                )
            for _session in range(rng.choice((0, 1, 1, 2, 3, 4, 6))):
                day = opened + timedelta(days=rng.randint(0, 120))
                if day <= self.today:
                    sessions.append(
                        {
                            "case_id": case.id,
                            "person_id": case.victim_id.id,
                            "agency_id": case.lead_agency_id.id,
                            "mode": pick(rng, MODES),
                            "date": day,
                            "user_id": users[rng.randrange(len(users))].id,
                        }
                    )
            if rng.random() < 0.6:
                assessments.append(
                    {
                        "case_id": case.id,
                        "instrument_id": external.id,
                        "external_tool": "other",
                        "external_level": pick(rng, LEVELS),
                        "date": min(
                            opened + timedelta(days=rng.randint(0, 20)), self.today
                        ),
                        "state": "done",
                    }
                )
        env["dv.incident"].create(incidents)
        env["dv.police.measure"].create(measures)
        env["dv.session"].create(sessions)
        env["dv.risk.assessment"].create(assessments)
        created = env["dv.referral"].create([vals for _c, _r, vals in referrals])
        for referral, (_case, received, _vals) in zip(created, referrals, strict=True):
            outcome = pick(rng, OUTCOMES)
            tries = 1 if outcome != "unreachable" else rng.randint(2, 4)
            at = received
            for number in range(tries):
                at += timedelta(hours=rng.choice((1, 4, 20, 30, 50, 80)))
                last = number == tries - 1
                attempts.append(
                    {
                        "referral_id": referral.id,
                        "attempted_at": min(at, now),
                        "channel_id": channels[
                            0 if number == 0 else rng.randrange(len(channels))
                        ].id,
                        "outcome": (
                            "reached"
                            if last and outcome == "contacted"
                            else "declined"
                            if last and outcome == "declined"
                            else "no_answer"
                        ),
                    }
                )
        env["dv.contact.attempt"].create(attempts)
        unreachable = created.filtered(
            lambda r: r.state == "contacting" and r.attempt_count > 1
        )
        unreachable.action_mark_unreachable()

    def _conferences(self, network, months):
        """A monthly conference per company with its high-risk cases and
        two actions each."""
        env, rng = self.env, self.rng
        company, intake, _police, leads, users = network
        coordinator = users[:1]
        high = env["dv.case"].search(
            [("company_id", "=", company.id), ("risk_level", "=", "high")],
            order="opened_on",
        )
        for month in range(months):
            start = datetime.combine(
                self.today.replace(day=1) - timedelta(days=30 * (months - month)),
                datetime.min.time(),
            ) + timedelta(hours=9)
            chunk = high[month * 6 : month * 6 + 6]
            if not chunk:
                continue
            conference = env["dv.conference"].create(
                {
                    "conference_type": "scheduled" if rng.random() < 0.8 else "adhoc",
                    "company_id": company.id,
                    "start": start,
                    "organizer_agency_id": intake.id,
                    "chair_id": coordinator.id,
                }
            )
            lines = conference.sudo().line_ids
            if not lines:
                lines = (
                    env["dv.conference.agenda.item"]
                    .sudo()
                    .create(
                        [
                            {"conference_id": conference.id, "case_ref_id": case.id}
                            for case in chunk
                        ]
                    )
                )
            actions = []
            for line in lines:
                for _action in range(2):
                    due = start.date() + timedelta(days=rng.randint(7, 60))
                    done = due < self.today and rng.random() < 0.75
                    actions.append(
                        {
                            "line_id": line.id,
                            "name": "Sicherheitsplan abstimmen",
                            "owner_agency_id": leads[rng.randrange(len(leads))].id,
                            "due_date": due,
                            "status": "done" if done else "open",
                            "reported_on": (
                                due + timedelta(days=rng.randint(-20, 5))
                                if done
                                else False
                            ),
                        }
                    )
            env["dv.conference.action"].create(actions)
            conference.write({"state": "held", "held_on": start.date()})

    def run(self):
        started = time.monotonic()
        networks = self.network()
        done = 0
        while done < self.seed_cases:
            size = min(BATCH, self.seed_cases - done)
            network = networks[(done // BATCH) % len(networks)]
            batch = [self._case_vals(network) for _n in range(size)]
            cases = self.env["dv.case"].create([vals for _o, _s, vals in batch])
            self._children(
                cases, [(opened, state) for opened, state, _v in batch], network
            )
            self._progress(cases, [state for _o, state, _v in batch])
            self.env.cr.commit()
            self.env.invalidate_all()
            done += size
            rate = done / (time.monotonic() - started)
            print(f"{done} cases through the ORM ({rate:.0f} per second)", flush=True)
        for network in networks:
            self._conferences(network, months=min(self.years * 12, 24))
        self.env.cr.commit()
        copies = -(-self.cases // self.seed_cases) - 1
        if copies:
            self._clone(copies, self.cases - self.seed_cases)
        self.env.cr.execute("ANALYZE")
        self.env.cr.commit()
        total = self.env["dv.case"].sudo().search_count([])
        print(
            f"done in {time.monotonic() - started:.0f} s; {total} cases in all",
            flush=True,
        )

    def _progress(self, cases, states):
        """Move the new cases on to their state, closing the old ones."""
        cases.browse(
            [
                case.id
                for case, state in zip(cases, states, strict=True)
                if state != "new"
            ]
        ).write({"state": "in_progress"})
        reason = self.ref("closure_reason_completed")
        for case, state in zip(cases, states, strict=True):
            if state == "closed":
                case.write(
                    {
                        "state": "closed",
                        "closed_on": min(
                            case.opened_on + timedelta(days=self.rng.randint(14, 170)),
                            self.today,
                        ),
                        "closure_reason_id": reason.id,
                    }
                )

    def _clone(self, copies, wanted):
        """Copy the seed's cases ``copies`` times (the last copy only in
        part, so that ``wanted`` cases are added), in SQL."""
        started = time.monotonic()
        cr = self.env.cr
        models = [self.env[name] for name in CLONED]
        tables = {model._name: model._table for model in models}
        span = {}
        for model in models:
            cr.execute(f'SELECT COALESCE(max(id), 0) FROM "{model._table}"')
            span[model._name] = cr.fetchone()[0]
        cr.execute("SELECT min(id) FROM dv_case")
        first_case = cr.fetchone()[0]
        for copy in range(1, copies + 1):
            limit = min(self.seed_cases, wanted - (copy - 1) * self.seed_cases)
            case_filter = (
                f"id < {first_case + limit}" if limit < self.seed_cases else "TRUE"
            )
            inserted, later = set(), []
            for model in models:
                columns, values = [], []
                for name, field in model._fields.items():
                    if not field.store or not field.column_type:
                        continue
                    columns.append(f'"{name}"')
                    if name == "id":
                        values.append(f'"id" + {copy * span[model._name]}')
                    elif field.type == "many2one" and field.comodel_name in tables:
                        shift = copy * span[field.comodel_name]
                        if field.comodel_name in inserted | {model._name}:
                            values.append(f'"{name}" + {shift}')
                        else:
                            # Not copied yet (the case's victim): set after.
                            values.append("NULL")
                            later.append((model, name, shift))
                    elif name == "police_reference":
                        values.append(f"\"{name}\" || '-{copy}'")
                    elif name == "name" and model._name in ("dv.case", "dv.referral"):
                        values.append(f"\"{name}\" || '~{copy}'")
                    elif name == "protected_id":
                        values.append("NULL")
                    else:
                        values.append(f'"{name}"')
                # Every copied record but the case has its case stored.
                where = (
                    case_filter
                    if model._name == "dv.case"
                    else f"case_id IN (SELECT id FROM dv_case WHERE {case_filter})"
                )
                cr.execute(
                    f'INSERT INTO "{model._table}" ({", ".join(columns)}) '
                    f'SELECT {", ".join(values)} FROM "{model._table}" '
                    f"WHERE id <= {span[model._name]} AND {where}"
                )
                inserted.add(model._name)
            for model, name, shift in later:
                cr.execute(
                    f'UPDATE "{model._table}" copied SET "{name}" = '
                    f'source."{name}" + {shift} FROM "{model._table}" source '
                    f"WHERE copied.id = source.id + {copy * span[model._name]} "
                    f"AND source.id <= {span[model._name]}"
                )
            groups = self.env["dv.incident"]._fields["offence_group_ids"]
            cr.execute(
                f'INSERT INTO "{groups.relation}" ("{groups.column1}", '
                f'"{groups.column2}") SELECT "{groups.column1}" + '
                f'{copy * span["dv.incident"]}, "{groups.column2}" '
                f'FROM "{groups.relation}" WHERE "{groups.column1}" IN '
                f"(SELECT id FROM dv_incident WHERE id <= {span['dv.incident']} "
                f"AND case_id IN (SELECT id FROM dv_case WHERE {case_filter}))"
            )
            print(f"copy {copy} of {copies}", flush=True)
        self._renumber()
        for model in models:
            cr.execute(
                f"SELECT setval('{model._table}_id_seq', "
                f'(SELECT max(id) FROM "{model._table}"))'
            )
        cr.commit()
        print(f"copied in {time.monotonic() - started:.0f} s", flush=True)

    def _renumber(self):
        """References per company and year again, the sequences after them."""
        cr = self.env.cr
        for model in (self.env["dv.case"], self.env["dv.referral"]):
            table = model._table
            cr.execute(
                f'UPDATE "{table}" t SET name = numbered.reference FROM ('
                f"SELECT id, regexp_replace(name, '-[0-9]+(~[0-9]+)?$', '') || '-' || "
                f"lpad((row_number() OVER (PARTITION BY company_id, "
                f"substring(name from '-([0-9]{{4}})-') ORDER BY id))::text, 5, '0') "
                f'AS reference FROM "{table}") AS numbered '
                f"WHERE t.id = numbered.id AND t.name != numbered.reference"
            )
            Sequence = self.env["ir.sequence"].sudo()
            for sequence in Sequence.search([("code", "=", model._reference_code)]):
                for date_range in sequence.date_range_ids:
                    year = date_range.date_from.year
                    prefix = f"{model._reference_prefix}-{year}-%"
                    cr.execute(
                        f'SELECT count(*) FROM "{table}" '
                        "WHERE company_id = %s AND name LIKE %s",
                        (sequence.company_id.id, prefix),
                    )
                    date_range.number_next_actual = cr.fetchone()[0] + 1


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--seed-cases",
        type=int,
        default=2000,
        help="cases made through the ORM; the rest are copies of them",
    )
    args, odoo_args = parser.parse_known_args(argv)
    if odoo_args and odoo_args[0] == "--":
        odoo_args = odoo_args[1:]
    import odoo  # noqa: PLC0415 (Odoo only when the script runs)
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(odoo_args)
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(config["db_name"])
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "de_DE"})
        Generator(env, args.cases, args.years, args.seed, args.seed_cases).run()


if __name__ == "__main__":
    main(sys.argv[1:])
