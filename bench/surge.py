"""Signup surge: many concurrent clients sign up for one campaign's actions and confirm, against
gunicorn with the production settings; confirmed signups per second, server errors, and afterwards
that no action is over capacity and no address holds two live signups of one action.
usage: python -m bench.surge [--clients 32] [--signups 3000] [--workers 5]
Needs DATABASE_URL (PostgreSQL with load data) and REDIS_URL (the signup emails wait there, unsent).

A client reads the confirmation token from the database instead of the email: the server does the
same work either way, and the emails are beside the point here."""

import concurrent.futures
import http.client
import os
import re
import secrets
import time
import urllib.parse

from .report import command, verdict
from .server import gunicorn

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One volunteer's browser: one keep-alive connection for all its requests, and the cookies the
    server set, sent back (a few names, no paths or expiry to honour). Cheaper than urllib, which
    opens a connection per request and parses every cookie with http.cookiejar: the client shares
    the cores with the server it measures."""

    def __init__(self, base: str):
        self.base = base
        self.connection = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, str, str]:
        """(status, Location header or "", body)."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        if body is not None:
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + path}
        self.connection.request(method, path, body, headers)
        with self.connection.getresponse() as response:
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or ():
                name, _, value = header.partition(";")[0].partition("=")
                self.cookies[name.strip()] = value
            return response.status, response.headers.get("Location", ""), text

    def get(self, path: str) -> str:
        return self.request("GET", path)[2]

    def post(self, path: str, data: dict) -> tuple[int, str]:
        """(status, Location header or "")."""
        status, location, _text = self.request("POST", path, urllib.parse.urlencode(data).encode())
        return status, location

    def close(self) -> None:
        self.connection.close()


RUN = secrets.token_hex(3)  # addresses new to every run
# Every client is one address at one mail domain, which the signup limits (actions/limits.py) would
# challenge after a few: their thresholds are lifted, and their counting still costs what it costs.
UNLIMITED = {
    "SIGNUP_RATE": "1000000/s",
    "SIGNUP_CONFIRM_RATE": "1000000/s",
    "SIGNUP_RATE_MAX": "1000000/s",
    "SIGNUP_DOMAIN_FREE": "1000000",
    "SIGNUP_SURGE_PER_HOUR": "1000000",
}


def one_volunteer(base: str, slug: str, n: int, confirm_token) -> tuple[bool, list[int]]:
    """Sign up as volunteer `n` and confirm; returns (confirmed, statuses of any server errors)."""
    client = Client(base)
    try:
        statuses = [client.request("GET", f"/es/actions/{slug}/")[0]]  # the action page, as a visitor reads it first
        status, _location, page = client.request("GET", f"/es/actions/{slug}/signup/")
        statuses.append(status)
        csrf = TOKEN.search(page).group(1)
        email = f"surge{n}.{RUN}@load.invalid"
        form = {"csrfmiddlewaretoken": csrf, "name": f"Surge {n}", "email": email, "language": "es", "consent": "on"}
        status, location = client.post(f"/es/actions/{slug}/signup/", form)
        statuses.append(status)
        if status == 302:  # to the "check your email" page, as a browser follows it
            statuses.append(client.request("GET", urllib.parse.urlsplit(location).path)[0])
        token = confirm_token(email, slug)
        statuses.append(client.post(f"/es/signups/confirm/{token}/", {"csrfmiddlewaretoken": csrf})[0])
    finally:
        client.close()
    return statuses[-1] == 200, [s for s in statuses if s >= 500]


def measure(*, clients: int, signups: int, workers: int, actions: int = 200) -> dict:
    """`signups` volunteers, `clients` at a time, over the first `actions` open actions of the first
    load campaign, against gunicorn; returns the counts and seconds."""
    import django.db.models

    from actions.models import Action, Campaign, Signup
    from actions.tokens import confirm_token

    campaign = Campaign.objects.filter(slug__startswith="load-").order_by("pk").first()
    open_actions = campaign.actions.filter(status="published", signup_deadline=None).upcoming().order_by("pk")
    slugs = list(open_actions.values_list("slug", flat=True)[:actions])

    def token_for(email: str, slug: str) -> str:
        # Each client thread keeps its own database connection (Django's are per thread). The token
        # is all the link needs of the signup.
        token = Signup.objects.filter(email=email, action__slug=slug).values_list("token", flat=True).get()
        return confirm_token(Signup(token=token))

    with gunicorn(workers=workers, **UNLIMITED) as base:
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(clients) as pool:
            volunteers = pool.map(lambda n: one_volunteer(base, slugs[n % len(slugs)], n, token_for), range(signups))
            results = list(volunteers)
        seconds = time.monotonic() - started
    over = [
        a.slug
        for a in Action.objects.filter(slug__in=slugs).with_seat_counts()
        if a.capacity is not None and a.confirmed_count > a.capacity
    ]
    surge = Signup.objects.filter(email__endswith=f".{RUN}@load.invalid")
    live = surge.exclude(status="cancelled")
    return {
        "signups": signups,
        "clients": clients,
        "workers": workers,
        "actions": len(slugs),
        "seconds": seconds,
        "confirmed": sum(ok for ok, _errors in results),
        "errors": sum(len(statuses) for _ok, statuses in results),
        "over_capacity": len(over),
        "duplicates": live.count() - live.values("action", "email").distinct().count(),
        "statuses": dict(surge.values_list("status").annotate(n=django.db.models.Count("pk"))),
    }


def run(clients: int = 32, signups: int = 3000, workers: int = 2 * os.cpu_count() + 1) -> str:
    """The section of docs/performance.md."""
    m = measure(clients=clients, signups=signups, workers=workers)
    rate = m["confirmed"] / m["seconds"]
    correct = m["errors"] == m["over_capacity"] == m["duplicates"] == 0 and m["confirmed"] == signups
    return "\n".join(
        [
            f"`python -m bench.surge --clients {clients} --signups {signups}`: gunicorn as in production "
            f"({workers} workers of 4 threads), {clients} client threads in one process on the same cores, "
            f"{m['actions']} actions of one campaign. "
            "Goal (100 per second, no error, no action over capacity, no duplicate): "
            f"{verdict(rate >= 100 and correct)}.",
            "",
            "| | figure |",
            "| --- | --- |",
            f"| confirmed or waitlisted | {m['confirmed']:,} of {signups:,} in {m['seconds']:.1f} s: "
            f"**{rate:.0f} per second** |",
            f"| server errors | **{m['errors']}** |",
            f"| actions over capacity | **{m['over_capacity']}** |",
            f"| duplicate signups | **{m['duplicates']}** |",
            f"| signups by status | {', '.join(f'{k} {v:,}' for k, v in sorted(m['statuses'].items()))} |",
        ]
    )


if __name__ == "__main__":
    command(run, __doc__)
