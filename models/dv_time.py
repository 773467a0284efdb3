"""Time as people read it."""

from datetime import timedelta

from babel.dates import format_timedelta

from odoo import fields
from odoo.tools.misc import babel_locale_parse

from .dv_constants import MAX_SEARCH_DAYS


def working_day_after(calendar, day, count):
    """The ``count``-th working day after ``day``: on ``calendar`` (a
    ``resource.calendar``, its leaves, the public holidays, taken out), or
    Monday to Friday without one. None when the calendar has fewer working
    days in the MAX_SEARCH_DAYS after ``day``; ``day`` itself for none."""
    return _working_day(calendar, day, count, 1)


def working_day_before(calendar, day, count):
    """The ``count``-th working day before ``day``, as working_day_after
    counts forward."""
    return _working_day(calendar, day, count, -1)


def _working_day(calendar, day, count, step):
    """The ``count``-th working day from ``day`` on, forward (``step`` 1) or
    back (-1)."""
    if count <= 0:
        return day
    if not calendar:
        while count:
            day += timedelta(days=step)
            if day.weekday() < 5:
                count -= 1
        return day
    window = timedelta(days=MAX_SEARCH_DAYS)
    start, end = (day, day + window) if step > 0 else (day - window, day)
    found = sorted(
        (
            working
            for working in calendar._get_working_dates(start, end)
            if (working - day).days * step > 0
        ),
        key=lambda working: (working - day).days * step,
    )
    return found[count - 1] if len(found) >= count else None


def remaining_label(env, deadline, now=None):
    """'in 3 Tagen', 'überfällig seit 2 Std.': the time left, in the
    user's language."""
    if not deadline:
        return False
    now = now or fields.Datetime.now()
    locale = babel_locale_parse(env.lang or "en_US")
    delta = deadline - now
    if delta >= timedelta(0):
        return format_timedelta(delta, locale=locale, threshold=1.1, add_direction=True)
    return env._(
        "overdue for %(time)s",
        time=format_timedelta(-delta, locale=locale, threshold=1.1, format="short"),
    )


def deadline_state(env, deadline, now):
    """(the time left as remaining_label words it, whether it is overdue)
    of a line with a ``deadline`` (the deadlines and the triage list)."""
    return remaining_label(env, deadline, now), bool(deadline and deadline < now)


def overdue_domain(operator, value, error):
    """The search of ``is_overdue`` of a line with a ``deadline`` (the
    deadlines and the triage list): ``= True`` or ``= False`` only, anything
    else raises ``error``."""
    if operator not in ("=", "!=") or not isinstance(value, bool):
        raise error
    domain = [("deadline", "<", fields.Datetime.now())]
    return domain if (operator == "=") == value else ["!", *domain]
