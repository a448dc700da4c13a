"""Helpers to read a rendered page as a visitor would: its visible text and its UI strings."""

import gettext
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

from movement.public_pages import FILTERED_PAGES, PAGES

CATALOG = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES" / "django.mo"
LANGUAGE_NAMES = {name for _code, name in settings.LANGUAGES}
VISIBLE_ATTRIBUTES = {"aria-label", "alt", "title", "placeholder", "value"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.lang, self._skip = [], None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "meta" and attrs.get("name") == "description":
            self.parts.append(attrs.get("content") or "")
        if attrs.get("type") != "hidden":
            self.parts.extend(v for k, v in attrs.items() if k in VISIBLE_ATTRIBUTES and v)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def read(html: str) -> tuple[str | None, str]:
    """(the <html lang>, the text a visitor sees or hears, attributes included)."""
    parser = _Text()
    parser.feed(html)
    return parser.lang, " ".join(" ".join(parser.parts).split())


@cache
def english_ui_strings() -> list[str]:
    """Our English UI strings whose Spanish differs, as they would appear on a page."""
    with CATALOG.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    strings = set()
    for key, spanish in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04")[-1]
        # Language names are allowed: the switch names each language in that language.
        if not msgid or msgid == spanish or "%" in msgid or len(msgid) < 5 or msgid in LANGUAGE_NAMES:
            continue
        strings.add(msgid)
    return sorted(strings)


def english_ui_on(text: str) -> list[str]:
    """Our English UI strings found in `text`, links left out (their paths are English by design)."""
    text = re.sub(r"https?://\S+", " ", text)
    return [s for s in english_ui_strings() if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]


def public_paths() -> list[str]:
    """One URL of every public page type and of the filtered lists (movement/public_pages.py)."""
    return [*PAGES, *FILTERED_PAGES]


class ResourceLinks(HTMLParser):
    """Every URL a browser would fetch by itself to show the page: scripts, styles, icons, fonts,
    images, frames and media (not the links a reader may follow)."""

    FETCHED = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "video": "src",
        "audio": "src",
        "embed": "src",
        "object": "data",
        "frame": "src",
    }

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") not in ("alternate", "canonical"):
            self.urls.append(attrs.get("href"))
        elif tag in self.FETCHED and attrs.get(self.FETCHED[tag]):
            self.urls.append(attrs[self.FETCHED[tag]])
        if attrs.get("srcset"):
            self.urls.append(attrs["srcset"])
        if attrs.get("style") and "url(" in attrs["style"]:
            self.urls.append(attrs["style"])


def third_party(url: str) -> bool:
    return url is not None and ("//" in url.split("?")[0].split("#")[0] or url.startswith(("http:", "https:")))
