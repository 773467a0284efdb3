"""Reading a police referral sent by e-mail.

The police send their referral form as plain text, one ``Key: value`` pair
a line. Keys may be German or English and are matched without regard to
case, spaces or punctuation; unknown keys are ignored. The layout is
documented in the README ("Intake by e-mail").

This module is plain Python (no Odoo) so that it can be tested on its own.
"""

import re
from datetime import date, datetime

# Field of the parsed result -> accepted keys (normalised: lower case,
# letters and digits only).
KEYS = {
    "police_reference": {
        "aktenzeichen",
        "polizeilichesaktenzeichen",
        "vorgangsnummer",
        "vorgang",
        "policereference",
        "reference",
    },
    "incident_date": {"tatzeit", "tatdatum", "einsatzdatum", "incidentdate", "date"},
    "victim_name": {
        "name",
        "opfer",
        "betroffene",
        "geschaedigte",
        "victim",
        "victimname",
    },
    "victim_birth_date": {"geburtsdatum", "geboren", "birthdate", "dateofbirth"},
    "victim_phone": {"telefon", "telefonnummer", "handy", "mobil", "phone"},
    "consent": {"einwilligung", "einverstaendnis", "consent"},
    "measures": {"massnahmen", "massnahme", "polizeilichemassnahmen", "measures"},
    "police_unit": {"dienststelle", "polizeidienststelle", "policeunit", "unit"},
    "perpetrator_name": {
        "taeter",
        "tatverdaechtiger",
        "tatverdaechtige",
        "beschuldigter",
        "perpetrator",
    },
}
KEY_TO_FIELD = {key: field for field, keys in KEYS.items() for key in keys}

YES = {"ja", "yes", "j", "y", "x", "liegtvor", "erteilt", "true", "1"}
NO = {"nein", "no", "n", "keine", "nicht", "false", "0", "verweigert"}

MEASURE_WORDS = {
    "eviction": ("wohnungsverweis", "rueckkehrverbot", "eviction", "barring"),
    "contact_ban": ("kontaktverbot", "kontakt und naeherungsverbot", "contact ban"),
    "custody": ("gewahrsam", "custody"),
    "perpetrator_talk": ("gefaehrderansprache", "talk"),
}

MAX_VALUE_LENGTH = 200


def _fold(text):
    text = text.lower()
    for source, target in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(source, target)
    return text


def _key(text):
    return re.sub(r"[^a-z0-9]", "", _fold(text))


def parse_date(text):
    """A date written 31.12.2026, 31.12.26, 2026-12-31 or 31/12/2026; time
    of day after it is ignored. Returns None when it is no valid date."""
    text = text.strip()
    for pattern, order in (
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd"),
        (r"(\d{1,2})[./](\d{1,2})[./](\d{4})", "dmy"),
        (r"(\d{1,2})\.(\d{1,2})\.(\d{2})(?!\d)", "dmy2"),
    ):
        match = re.match(pattern, text)
        if not match:
            continue
        first, second, third = (int(part) for part in match.groups())
        if order == "ymd":
            year, month, day = first, second, third
        elif order == "dmy":
            day, month, year = first, second, third
        else:
            day, month = first, second
            year = 2000 + third if third <= datetime.now().year % 100 else 1900 + third
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def normalize_phone(text):
    """Digits of a phone number with a leading + kept; German national
    numbers (0...) become +49...; None when fewer than six digits."""
    digits = re.sub(r"[^\d+]", "", text or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+49" + digits[1:]
    if len(re.sub(r"\D", "", digits)) < 6:
        return None
    return digits


def parse_referral_text(text, today=None):
    """Read a referral. Returns ``(values, problems)``: ``values`` holds what
    could be read (see KEYS; ``consent`` is True, False or missing,
    ``measures`` a list of measure codes), ``problems`` names what is
    missing or could not be read, as short English keys the caller
    translates: ``no_data``, ``name``, ``police_reference``,
    ``incident_date``, ``birth_date``, ``phone``, ``consent``."""
    today = today or date.today()
    values = {}
    problems = []
    seen_any = False
    for raw_line in (text or "").splitlines():
        if ":" not in raw_line:
            continue
        raw_key, raw_value = raw_line.split(":", 1)
        field = KEY_TO_FIELD.get(_key(raw_key))
        if not field:
            continue
        seen_any = True
        value = " ".join(raw_value.split())[:MAX_VALUE_LENGTH]
        if not value or field in values:
            continue
        if field in ("incident_date", "victim_birth_date"):
            parsed = parse_date(value)
            if parsed is None or parsed > today:
                problems.append(
                    "incident_date" if field == "incident_date" else "birth_date"
                )
                continue
            values[field] = parsed
        elif field == "victim_phone":
            phone = normalize_phone(value)
            if not phone:
                problems.append("phone")
                continue
            values[field] = phone
        elif field == "consent":
            answer = _key(value)
            if answer in YES:
                values[field] = True
            elif answer in NO:
                values[field] = False
            else:
                problems.append("consent")
        elif field == "measures":
            folded = _fold(value).replace("-", " ")
            values[field] = [
                code
                for code, words in MEASURE_WORDS.items()
                if any(word in folded for word in words)
            ]
        else:
            values[field] = value
    if not seen_any:
        return {}, ["no_data"]
    for field, problem in (
        ("victim_name", "name"),
        ("police_reference", "police_reference"),
        ("consent", "consent"),
    ):
        if field not in values and problem not in problems:
            problems.append(problem)
    return values, problems
