"""Signups as CSV for organizers, safe to open in a spreadsheet."""

import csv
import io
import re
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from .models import Signup

# A cell starting with one of these is read by spreadsheets as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value) -> str:
    """`value` as text, with a leading apostrophe if a spreadsheet would run it as a formula. A phone
    number as stored (E.164, "+5255...") is only a number to a spreadsheet, and is left as it is."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not re.fullmatch(r"\+\d{1,15}", text):
        return "'" + text
    return text


def _local(moment, signup: Signup) -> str:
    """ "2026-12-02 05:30 EST": the time in the action's zone, to the minute."""
    if moment is None:
        return ""
    local = moment.astimezone(signup.action.zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def signups_csv(signups: Iterable[Signup]) -> Iterator[str]:
    """CSV lines: a header in the active language, then one row per signup (with its action, city
    and campaign loaded)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a byte-order mark, so that spreadsheets read the file as UTF-8
    writer = csv.writer(buffer)
    header = [
        _("action"),
        _("name"),
        _("email"),
        _("phone"),
        _("language"),
        _("status"),
        _("email confirmed (local time)"),
        _("attended (local time)"),
    ]
    writer.writerow(header)
    for signup in signups:
        writer.writerow(
            [
                neutralize(value)
                for value in (
                    signup.action.title,
                    signup.name,
                    signup.email,
                    signup.phone,
                    signup.language,
                    signup.get_status_display(),
                    _local(signup.confirmed_at, signup),
                    _local(signup.attended_at, signup),
                )
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
