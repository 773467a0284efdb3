"""How likely two people recorded in an office are one person.

Pure Python: the caller gives each person as a mapping with
``name`` (normalised, see ``dv_person.normalize_name``), ``aliases`` (a list
of normalised other names), ``birth_date`` (a date or None) and ``phone``
(normalised, see ``referral_parser.normalize_phone``, or None). The score
runs from 0 to 100; the reasons are short keys the caller translates, in the
order they weigh.
"""

from difflib import SequenceMatcher

# What each finding adds to (or takes from) the score.
WEIGHTS = {
    "same_name": 50,
    "same_name_reordered": 45,
    "alias": 40,
    "similar_name": 30,
    "same_birth_date": 35,
    "other_birth_date": -40,
    "same_phone": 30,
}
# A name counts as similar from this ratio of matching characters on
# (Meier / Maier, Schmitt / Schmidt, Yilmaz / Yilmas).
SIMILAR_NAME_RATIO = 0.8
# Pairs from this score on are listed as likely duplicates.
DEFAULT_MIN_SCORE = 60


def name_ratio(first, second):
    """Share of matching characters of two normalised names (0..1)."""
    if not first or not second:
        return 0.0
    return SequenceMatcher(None, first, second).ratio()


def _name_reasons(first, second):
    name_a, name_b = first.get("name") or "", second.get("name") or ""
    if not name_a or not name_b:
        return []
    if name_a == name_b:
        return ["same_name"]
    if sorted(name_a.split()) == sorted(name_b.split()):
        return ["same_name_reordered"]
    names_a = {name_a, *(first.get("aliases") or ())}
    names_b = {name_b, *(second.get("aliases") or ())}
    if names_a & names_b:
        return ["alias"]
    if name_ratio(name_a, name_b) >= SIMILAR_NAME_RATIO:
        return ["similar_name"]
    return []


def score_pair(first, second):
    """``(score, reasons)`` for two people (see the module's docstring)."""
    reasons = _name_reasons(first, second)
    birth_a, birth_b = first.get("birth_date"), second.get("birth_date")
    if birth_a and birth_b:
        reasons.append("same_birth_date" if birth_a == birth_b else "other_birth_date")
    phone_a, phone_b = first.get("phone"), second.get("phone")
    if phone_a and phone_a == phone_b:
        reasons.append("same_phone")
    score = sum(WEIGHTS[reason] for reason in reasons)
    return max(0, min(100, score)), reasons
