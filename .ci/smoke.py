#!/usr/bin/env python3
"""Smoke test of the README's `make run`: the served app answers in both languages and takes a
signup whose confirmation email lands in var/mail/. Stdlib only. usage: smoke.py BASE MAIL_DIR SLUG"""

import http.cookiejar
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

page = get(f"/es/actions/{slug}/")
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
form = {"csrfmiddlewaretoken": token, "name": "Prueba", "email": "smoke@example.org", "language": "es", "consent": "on"}
with opener.open(f"{base}/es/actions/{slug}/signup/", urllib.parse.urlencode(form).encode(), timeout=30) as response:
    assert response.geturl().endswith("/signup/sent/"), response.geturl()

for _ in range(50):
    mails = list(mail_dir.glob("*.log"))
    if mails:
        break
    time.sleep(0.2)
assert mails and "smoke@example.org" in mails[0].read_text(encoding="utf-8"), "no confirmation email in var/mail/"
print("smoke: make run serves both languages and takes a signup")
