"""The e-mail referral reader, tested without Odoo."""

import importlib.util
import os
from datetime import date
from pathlib import Path

ROOT = Path(os.environ.get("DV_REPO_DIR") or Path(__file__).resolve().parents[2])
_spec = importlib.util.spec_from_file_location(
    "referral_parser", ROOT / "tools" / "referral_parser.py"
)
parser = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(parser)

TODAY = date(2026, 11, 22)

COMPLETE = """Sehr geehrte Damen und Herren,
anbei die Meldung.

Aktenzeichen: PR-2026-4711
Dienststelle: Polizeirevier Mitte
Tatzeit: 20.11.2026 23:10
Name: Maria Mustermann
Geburtsdatum: 01.02.1985
Telefon: 0170 / 123 45 67
Einwilligung: ja
Maßnahmen: Wohnungsverweisung, Kontaktverbot
Tatverdächtiger: Max Mustermann

Mit freundlichen Grüßen
"""


def test_complete_message():
    values, problems = parser.parse_referral_text(COMPLETE, today=TODAY)
    assert problems == []
    assert values == {
        "police_reference": "PR-2026-4711",
        "police_unit": "Polizeirevier Mitte",
        "incident_date": date(2026, 11, 20),
        "victim_name": "Maria Mustermann",
        "victim_birth_date": date(1985, 2, 1),
        "victim_phone": "+491701234567",
        "consent": True,
        "measures": ["eviction", "contact_ban"],
        "perpetrator_name": "Max Mustermann",
    }


def test_english_keys_and_iso_dates():
    text = "Police reference: X-1\nVictim: Ann Smith\nDate of birth: 1990-12-31\n"
    text += "Consent: no\nMeasures: custody\n"
    values, problems = parser.parse_referral_text(text, today=TODAY)
    assert values["victim_birth_date"] == date(1990, 12, 31)
    assert values["consent"] is False
    assert values["measures"] == ["custody"]
    assert problems == []


def test_partial_message_names_what_is_missing():
    text = "Name: Eva Beispiel\nGeburtsdatum: 31.02.1980\nTelefon: 12\n"
    text += "Einwilligung: vielleicht\nTatzeit: 01.01.2030\n"
    values, problems = parser.parse_referral_text(text, today=TODAY)
    assert values == {"victim_name": "Eva Beispiel"}
    assert set(problems) == {
        "birth_date",
        "phone",
        "consent",
        "incident_date",
        "police_reference",
    }


def test_garbage_is_no_data():
    for text in ("", "Hello, please call me back.", "\x00\x01 ::: ", "<b>Hi</b>"):
        values, problems = parser.parse_referral_text(text, today=TODAY)
        assert values == {}
        assert problems == ["no_data"]


def test_values_are_cut_and_first_value_wins():
    text = "Name: " + "A" * 500 + "\nName: Second\n"
    values, _problems = parser.parse_referral_text(text, today=TODAY)
    assert values["victim_name"] == "A" * parser.MAX_VALUE_LENGTH


def test_dates_and_phones():
    assert parser.parse_date("1.2.85") == date(1985, 2, 1)
    assert parser.parse_date("01.02.24") == date(2024, 2, 1)
    assert parser.parse_date("31.13.2020") is None
    assert parser.parse_date("soon") is None
    assert parser.normalize_phone("0049 (170) 555-12") == "+4917055512"
    assert parser.normalize_phone("+49 170 55512") == "+4917055512"
    assert parser.normalize_phone("110") is None
