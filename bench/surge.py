"""Signup surge: many concurrent clients sign up for one campaign's actions and confirm, against
gunicorn with the production settings; confirmed signups per second, server errors, and afterwards
that no action is over capacity and no address holds two live signups of one action.
usage: python -m bench.surge [--clients 32] [--signups 3000] [--workers 5]
Needs DATABASE_URL (PostgreSQL with load data) and REDIS_URL (the signup emails wait there, unsent).

A client reads the confirmation token from the database instead of the email: the server does the
same work either way, and the emails are beside the point here."""

import argparse
import concurrent.futures
import http.cookiejar
import os
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from .server import gunicorn

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=60) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


RUN = secrets.token_hex(3)  # addresses new to every run


def one_volunteer(base: str, slug: str, n: int, confirm_token) -> tuple[bool, list[int]]:
    """Sign up as volunteer `n` and confirm; returns (confirmed, statuses of any server errors)."""
    client = Client(base)
    csrf = TOKEN.search(client.get(f"/es/actions/{slug}/")).group(1)
    email = f"surge{n}.{RUN}@load.invalid"
    form = {"csrfmiddlewaretoken": csrf, "name": f"Surge {n}", "email": email, "language": "es", "consent": "on"}
    statuses = [client.post(f"/es/actions/{slug}/signup/", form)]
    token = confirm_token(email, slug)
    statuses.append(client.post(f"/es/signups/confirm/{token}/", {"csrfmiddlewaretoken": csrf}))
    return statuses[-1] == 200, [s for s in statuses if s >= 500]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--signups", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2 * os.cpu_count() + 1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movement.settings")
    import django

    django.setup()
    from django.db import connection

    from actions.models import Action, Campaign, Signup
    from actions.tokens import confirm_token

    campaign = Campaign.objects.filter(slug__startswith="load-").order_by("pk").first()
    open_actions = campaign.actions.filter(status="published", signup_deadline=None).upcoming().order_by("pk")
    slugs = list(open_actions.values_list("slug", flat=True)[:200])
    lock = threading.Lock()

    def token_for(email: str, slug: str) -> str:
        with lock:  # one database connection per thread would do as well; this keeps it simple
            signup = Signup.objects.get(email=email, action__slug=slug)
            connection.close()
        return confirm_token(signup)

    with gunicorn(workers=args.workers, SIGNUP_RATE="1000000/s") as base:
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            volunteers = pool.map(
                lambda n: one_volunteer(base, slugs[n % len(slugs)], n, token_for), range(args.signups)
            )
            results = list(volunteers)
        seconds = time.monotonic() - started
    confirmed = sum(ok for ok, _errors in results)
    errors = [status for _ok, statuses in results for status in statuses]
    over = [
        a.slug
        for a in Action.objects.filter(slug__in=slugs).with_seat_counts()
        if a.capacity is not None and a.confirmed_count > a.capacity
    ]
    surge = Signup.objects.filter(email__endswith=f".{RUN}@load.invalid")
    live = surge.exclude(status="cancelled")
    duplicates = live.count() - live.values("action", "email").distinct().count()
    print(f"{args.signups} volunteers, {args.clients} concurrent clients, {len(slugs)} actions, {args.workers} workers")
    print(f"{confirmed} confirmed (or waitlisted) in {seconds:.1f} s: {confirmed / seconds:.0f} per second")
    print(f"server errors: {len(errors)}; actions over capacity: {len(over)}; duplicate signups: {duplicates}")
    print(f"statuses: {dict(surge.values_list('status').annotate(n=django.db.models.Count('pk')))}")


if __name__ == "__main__":
    main()
