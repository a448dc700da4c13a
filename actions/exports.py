"""Signups as CSV for organizers, safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from .models import Signup

# A cell starting with one of these is read by spreadsheets as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value) -> str:
    """`value` as text, with a leading apostrophe if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def signups_csv(signups: Iterable[Signup]) -> Iterator[str]:
    """CSV lines: a header in the active language, then one row per signup (action loaded with it)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a byte-order mark, so that spreadsheets read the file as UTF-8
    writer = csv.writer(buffer)
    header = [_("action"), _("name"), _("email"), _("phone"), _("language"), _("status"), _("confirmed"), _("attended")]
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
                    signup.confirmed_at.isoformat() if signup.confirmed_at else "",
                    signup.attended_at.isoformat() if signup.attended_at else "",
                )
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
