"""Who the simulated clients are: one Odoo user per client, each with a role.

Shared by the database setup (run inside ``odoo-bin shell``) and the driver.
Every name here is synthetic.
"""

# The roles of an office on a Monday morning, in the order clients are given
# them (client 0 gets the first, ...). A pair edits one case at once.
ROLE_CYCLE = (
    "intake",
    "mailgate",
    "attacker_agency",
    "assessor",
    "pair_a",
    "pair_b",
    "intake",
    "coordinator",
    "attacker_company",
    "statistics",
    "intake",
    "network",
    "assessor",
    "mailgate",
    "pair_a",
    "pair_b",
    "intake",
    "attacker_agency",
    "coordinator",
    "intake",
)

# Role -> (group suffix of dv_case_management.group_dv_*, agency key, company key).
ROLES = {
    "intake": ("caseworker", "office", "a"),
    "mailgate": ("caseworker", "office", "a"),
    "assessor": ("caseworker", "office", "a"),
    "pair_a": ("caseworker", "office", "a"),
    "pair_b": ("caseworker", "office", "a"),
    "coordinator": ("coordinator", "office", "a"),
    "statistics": ("statistics", None, "a"),
    "network": ("network", "counselling", "a"),
    "attacker_agency": ("caseworker", "neighbour", "a"),
    "attacker_company": ("caseworker", "county", "b"),
}

ATTACKER_ROLES = ("attacker_agency", "attacker_company", "network")

# Helpers that are no load client: they answer bad inputs that need a role
# no client has, keep the office's registered senders and accept the
# counselling centre's shares in the setup (as its partners do).
HELPERS = {
    "helper_manager": ("manager", "office", "a"),
    "helper_coordinator": ("coordinator", "office", "a"),
    "helper_caseworker": ("caseworker", "office", "a"),
    "helper_partner": ("network", "counselling", "a"),
}
# Odoo's mail gateway marks the alias as working: its user needs the
# Settings right besides membership in the intake office.
SYSTEM_ROLES = ("mailgate",)

ALIAS_NAME = "meldungen-lastdorf"
ALIAS_DOMAIN = "lastdorf.example"
# Registered senders of the intake office: the e-mail address of the police
# unit (a police agency shared by both companies) and an address the office
# listed itself for that unit.
POLICE_EMAIL = "leitstelle@polizei-lastdorf.example"
LISTED_EMAIL = "einsatz@polizei-lastdorf.example"
# Not registered for the office: the police unit of the other company, and
# an address that only looks like the police's.
OTHER_POLICE_EMAIL = "lagezentrum@polizei-lastland.example"
LOOKALIKE_EMAIL = "leitstelle@polizei-lastdorf.example.net"
# Every referral e-mail gives this birth date: with the victim's name it
# makes a repeat (names are unique to each e-mail otherwise).
BIRTH_DATE = "01.04.1985"
# The lowest suppression threshold of the statistics in the city's company
# (set by a manager; the workbook may raise it, never lower it).
SUPPRESSION_MINIMUM = 5
PASSWORD_SUFFIX = "-Pw-2026"

# A police referral e-mail as it reaches the mail gateway; ``victim`` names
# the victim and the alleged perpetrator (the marker of the first e-mail
# about them, for a repeat).
MAIL = """From: Leitstelle Polizei <{sender}>
To: {to}
Subject: Meldung nach Polizeieinsatz
Message-ID: <{marker}@polizei-lastdorf.example>
Date: {date}
Content-Type: text/plain; charset="utf-8"

Sehr geehrte Damen und Herren,
anbei die Meldung nach dem Einsatz.

Aktenzeichen: {marker}
Tatzeit: {incident}
Name: Testperson {victim}
Geburtsdatum: {birth_date}
Einwilligung: ja
Maßnahmen: Wohnungsverweisung
Tatverdächtiger: Testbeschuldigter {victim}

Mit freundlichen Grüßen
Ihre Polizeiinspektion
"""


def mail(sender, to, marker, date, incident, victim=None):
    """The text of a referral e-mail (``victim`` defaults to the marker)."""
    return MAIL.format(
        sender=sender,
        to=to,
        marker=marker,
        date=date,
        incident=incident,
        victim=victim or marker,
        birth_date=BIRTH_DATE,
    )


def roles_for(clients):
    """The role of each of ``clients`` clients, cycling through ROLE_CYCLE."""
    return [ROLE_CYCLE[index % len(ROLE_CYCLE)] for index in range(clients)]


def login_for(index, role):
    return f"load{index:02d}_{role}"


def password_for(login):
    return login + PASSWORD_SUFFIX


def pairs(roles):
    """Client indexes that edit one case together: each pair_a with the
    pair_b right after it."""
    return [
        (index, index + 1)
        for index, role in enumerate(roles)
        if role == "pair_a" and index + 1 < len(roles) and roles[index + 1] == "pair_b"
    ]
