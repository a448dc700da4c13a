#!/usr/bin/env python3
"""Smoke test of the README's `make run`: the served app answers in both languages and takes a
signup whose confirmation email lands in var/mail/; once confirmed, the volunteer of an action that
starts within two hours gets the 2-hour reminder from the worker and beat within about a minute.
Stdlib only. usage: smoke.py BASE MAIL_DIR SLUG"""

import email
import email.policy
import http.cookiejar
import json
import pathlib
import re
import sys
import time
import urllib.parse
import urllib.request

base, mail_dir, slug = sys.argv[1].rstrip("/"), pathlib.Path(sys.argv[2]), sys.argv[3]
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def get(path: str) -> str:
    with opener.open(base + path, timeout=30) as response:
        return response.read().decode()


for path in ("/en/", "/es/", "/es/actions/?when=all", "/en/campaigns/june-30-2023/", "/es/outcomes/"):
    html = get(path)
    assert f'<html lang="{path[1:3]}">' in html, path

# Issue 6's "done when": the campaign's calendar, the demands' history, the API.
assert get("/es/campaigns/june-30-2023/calendar.ics").count("BEGIN:VEVENT") == 8
assert "Una de las demandas de la jornada de acción del 30 de junio" in get("/es/demands/justice-ciudad-juarez-fire/")
actions = json.loads(get("/api/v1/actions/?campaign=june-30-2023"))
assert actions["count"] == 8 and actions["results"][0]["title"]["es"], actions
print("smoke: campaign calendar, demand history and the API answer")

# Issue 16's "done when", on the places `make run` imported: the nearest action first, with its distance.
for path, first in [
    ("/es/actions/?near=06600&when=all", "june-30-2023-mexico-city"),
    ("/en/actions/?near=10001&when=all", "june-30-2023-new-york"),
    ("/es/actions/?near=Tapachula&when=all", "june-30-2023-tapachula"),
]:
    html = get(path)
    assert re.search(r'href="/\w\w/actions/(june-30-2023-[\w-]+)/"', html).group(1) == first, path
    assert re.search(r"\d km|\d mi", html), path
assert "We could not find" in get("/en/actions/?near=zzzz")
print("smoke: the search by place finds the nearest action in both countries")

page = get(f"/es/actions/{slug}/signup/")
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
form = {"csrfmiddlewaretoken": token, "name": "Prueba", "email": "smoke@example.org", "language": "es", "consent": "on"}
with opener.open(f"{base}/es/actions/{slug}/signup/", urllib.parse.urlencode(form).encode(), timeout=30) as response:
    assert response.geturl().endswith("/signup/sent/"), response.geturl()


def messages():
    """Every message in var/mail/: the file backend writes one file per connection, messages
    separated by a line of dashes."""
    for path in sorted(mail_dir.glob("*.log")):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                yield email.message_from_bytes(raw, policy=email.policy.default)


def wait_for_mail(subject: str, seconds: float) -> str:
    """The plain-text body of the first message whose subject starts with `subject`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in messages():
            # A long encoded subject is folded onto its own line, and unfolds with a leading space.
            if message["Subject"].strip().startswith(subject):
                return message.get_body(("plain",)).get_content()
        time.sleep(0.5)
    raise AssertionError(f"no email with the subject {subject!r} in {mail_dir} after {seconds} s")


started = time.monotonic()
confirmation = wait_for_mail("Confirme su lugar: Vigilia de prueba", 30)
confirm_url = re.search(rf"{re.escape(base)}/es/signups/confirm/\S+", confirmation).group(0)
page = get(confirm_url[len(base) :])
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
with opener.open(confirm_url, urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode(), timeout=30):
    pass
print("smoke: make run serves both languages and takes a signup, confirmed by email")
wait_for_mail("Recordatorio: Vigilia de prueba, ", 90)
print(f"smoke: the 2-hour reminder arrived {time.monotonic() - started:.0f} s after the signup")
