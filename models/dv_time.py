"""Time as people read it."""

from datetime import timedelta

from babel.dates import format_timedelta

from odoo import fields
from odoo.tools.misc import babel_locale_parse


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
