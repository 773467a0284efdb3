"""The addon's fixed numbers, named, in one place.

What differs by Land or by office is configured (dv.land.profile,
dv.agency, dv.retention.rule); what stays here is fixed by the domain or by
the addon's own design.
"""

# Police references are short (e.g. "PR-2026-4711"); a longer text is no
# reference and would not fit the unique index of referrals.
POLICE_REFERENCE_MAX_LENGTH = 64
