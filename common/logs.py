"""Logging helpers: keep volunteers' link tokens out of log lines."""

import logging
import re

# Volunteers' and hosts' links carry their capability in the path.
TOKEN_PATH = re.compile(r"/(signups/(?:confirm|manage|attendance)|host/(?:confirm|proposal|manage))/[^/\s'\"?]+/?")
# A query string may hold anything a visitor typed.
QUERY = re.compile(r"\?[^\s'\"]*")


def redact(text: str) -> str:
    """`text` with the token of any volunteer's or host's link replaced by "…"."""
    return TOKEN_PATH.sub(r"/\1/…/", text)


class RedactTokens(logging.Filter):
    """Rewrites each record's message (Django's "Not Found: /es/signups/manage/<token>/"), and
    replaces the request object Django attaches with its text, token and query string masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        if hasattr(record, "request"):
            record.request = QUERY.sub("?…", redact(repr(record.request)))
        return True
