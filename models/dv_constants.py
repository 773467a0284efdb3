"""The addon's fixed numbers, named, in one place.

What differs by Land or by office is configured (dv.land.profile,
dv.agency, res.company); what stays here is fixed by the practice of
high-risk case management or by the addon's own design.
"""

# Repeats and escalation (Osnabrück model, MARAC): a new referral or
# incident within twelve months of the last one is a repeat; three or more
# incidents within twelve months escalate the case.
REPEAT_WINDOW_DAYS = 365
ESCALATION_WINDOW_DAYS = 365
ESCALATION_INCIDENTS = 3

# Conferences: a case is due for review when its last conference is this
# old; the minutes are due this many working days after the conference.
REVIEW_AFTER_DAYS = 365
MINUTES_DUE_WORKING_DAYS = 3
# Information returns are due this many working days before the conference
# unless the company sets otherwise.
RETURNS_DUE_WORKING_DAYS = 3

# Reminders of deadlines fall due this many days before the deadline.
DEADLINE_REMINDER_DAYS = 2
# A weapons check proposed by a risk assessment is due this many days later.
WEAPONS_CHECK_DUE_DAYS = 3

# How far ahead a working day is searched for before a calendar is declared
# unusable (a calendar without any working day would loop for ever).
MAX_SEARCH_DAYS = 366

# Police references are short (e.g. "PR-2026-4711"); a longer text is no
# reference and would not fit the unique index of referrals.
POLICE_REFERENCE_MAX_LENGTH = 64
