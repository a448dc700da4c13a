"""Page throughput: wrk against gunicorn with the production settings, on loopback, for the home
page, the action list, an action's page, a campaign's page and the API's action list, each beside a
minimal Django view on the same server (BENCHMARK_VIEWS), in the same run; median of runs. Uncached,
also searches by place: 1,000 distinct `?near=` URLs in rotation (bench.search.near_urls, a Lua
script for wrk). Goals (issue 18): per page uncached, cached 0.95 of the minimal view with a p99
within twice the minimal view's.
usage: python -m bench.pages [--duration 10] [--runs 3] [--workers 5] [--searches 1000]
Needs wrk (Debian package) and DATABASE_URL (PostgreSQL with load data)."""

import os
import re
import statistics
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

from .report import command, verdict
from .server import gunicorn

WORKERS = 2 * os.cpu_count() + 1  # gunicorn.conf.py's default


# What a browser accepts: pages go compressed, as to a visitor's phone.
BROWSER_ENCODINGS = "Accept-Encoding: gzip, deflate, br, zstd"


def wrk(url: str, duration: int, connections: int, script: str | None = None) -> dict:
    """{"rps": requests per second, "p99_ms": 99th percentile latency, "errors": answers other than 2xx
    or 3xx, and socket errors (connect, read, write, and timeouts: no answer within 2 s)}. `script`:
    a Lua file for wrk (-s), which may choose each request's path (see rotation)."""
    options = ["-s", script] if script else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", *options, "-H", BROWSER_ENCODINGS, url],
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, socket.groups())) if socket else 0)
    return {"rps": rps, "p99_ms": p99, "errors": errors}


# wrk's two threads (-t2) take the paths in turn, the second from halfway: Lua gives a thread's
# requests, not a connection's, so each of a thread's connections sends the next path when it is free.
ROTATION = """\
local paths = {
%s
}
local threads, n = 0, 0
function setup(thread)
  thread:set("start", threads * math.floor(#paths / 2))
  threads = threads + 1
end
function init(args)
  n = start or 0
end
function request()
  n = n %% #paths + 1
  return wrk.format(nil, paths[n])
end
"""


def rotation(paths: list[str]) -> str:
    """A Lua script for wrk (-s) that requests `paths` in turn (percent-encoded, as from urlencode)."""
    assert all('"' not in path and "\\" not in path for path in paths)
    return ROTATION % ",\n".join(f'  "{path}"' for path in paths)


def pages() -> dict[str, str]:
    from actions.models import Action, Campaign

    action = Action.objects.published().filter(slug__startswith="load-").order_by("pk").first()
    campaign = Campaign.objects.filter(slug__startswith="load-").order_by("pk").first()
    return {
        "minimal view": "/bench/hello",
        "home": "/en/",
        "action list": "/en/actions/",
        "action page": f"/en/actions/{action.slug}/",
        "campaign page": f"/en/campaigns/{campaign.slug}/",
        "API action list": "/api/v1/actions/",
    }


def measure(
    paths: dict[str, str | list[str]], *, duration: int, runs: int, connections: int, **server
) -> dict[str, dict]:
    """wrk on each of `paths` ({name: path, or a list of paths to request in rotation}) against one
    gunicorn (`server`: see server.gunicorn): {name: {"rps", "p99_ms", "errors"}}, medians of `runs`
    after a warm-up."""
    rows = {}
    server_env = {"BENCHMARK_VIEWS": "1", "API_RATE": "100000000/second", **server}
    with gunicorn(**server_env) as base, tempfile.TemporaryDirectory() as scripts:
        for name, path in paths.items():
            script = None
            if not isinstance(path, str):
                script = os.path.join(scripts, f"{len(rows)}.lua")
                Path(script).write_text(rotation(path), encoding="ascii")
                path = path[0]  # wrk's URL; the script gives every request's path
            wrk(base + path, 2, connections, script)  # warm-up: every worker's caches
            found = [wrk(base + path, duration, connections, script) for _ in range(runs)]
            rows[name] = {
                "rps": statistics.median(r["rps"] for r in found),
                "p99_ms": statistics.median(r["p99_ms"] for r in found),
                "errors": sum(r["errors"] for r in found),
            }
    return rows


# Issue 18's goals, of the minimal view in the same server: uncached, per page (none for home);
# cached, every page, with its p99 within P99_GOAL times the minimal view's. Met only without errors.
UNCACHED_GOALS = {"action list": 0.10, "action page": 0.20, "campaign page": 0.10, "API action list": 0.10}
SEARCH_GOAL = 0.10
CACHED_GOAL = 0.95
P99_GOAL = 2


def run(duration: int = 10, runs: int = 3, connections: int = 50, workers: int = WORKERS, searches: int = 1000) -> str:
    """The section of docs/performance.md: every page uncached, and `searches` searches by place in
    rotation, then every page cached, each beside the minimal view; then the worker classes."""
    from django.core.management import call_command
    from django.test import Client

    from . import search

    call_command("import_places", verbosity=0)  # skipped once imported
    paths = pages()
    near = search.near_urls(searches)
    answers = search.found(near, Client(HTTP_HOST="127.0.0.1", secure=True))
    common = {"duration": duration, "runs": runs, "connections": connections, "workers": workers}
    uncached = measure({**paths, "search": near}, PAGE_CACHE_SECONDS="0", **common)
    cached = measure(paths, PAGE_CACHE_SECONDS="5", **common)
    lines = [
        f"`python -m bench.pages --duration {duration} --runs {runs}`: gunicorn as in production ({workers} "
        "workers of 4 threads, gunicorn.conf.py), production settings; wrk with 2 threads and "
        f"{connections} connections, accepting compressed pages as a browser does, median of {runs} runs; "
        "uncached (`PAGE_CACHE_SECONDS=0`), then cached as in production (5 s), each beside the minimal "
        "view in the same server. Errors: wrk's socket errors over all runs (nearly all timeouts, no "
        "answer within 2 s) and answers other than 2xx or 3xx. A goal is met with no error.",
        "",
        "Uncached: every request renders its page.",
        "",
        "| page | req/s | of minimal | p99 ms | errors | goal | verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    minimal = uncached["minimal view"]
    labels = {name: f"{name} (`{path}`)" for name, path in paths.items()}
    labels["search"] = f"search: {len(near):,} `?near=` URLs in rotation (`{near[0]}`, …)"
    goals = {**UNCACHED_GOALS, "search": SEARCH_GOAL}
    met = []
    for name, row in uncached.items():
        ratio = row["rps"] / minimal["rps"]
        goal = goals.get(name)
        if goal is not None:
            met.append(ratio >= goal and row["errors"] == 0)
        cells = [f"{row['rps']:.0f}", f"{ratio:.2f}", f"{row['p99_ms']:.0f}", str(row["errors"])]
        cells += [f"≥ {goal:.2f}", verdict(met[-1])] if goal is not None else ["", ""]
        lines.append(f"| {labels[name]} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Uncached goals: {verdict(all(met))} ({sum(met)} of {len(met)}). {searches_text(near, answers)}",
        "",
        f"Cached as in production: goal {CACHED_GOAL} of the minimal view, with a p99 within {P99_GOAL}× "
        "the minimal view's.",
        "",
        "| page | req/s | of minimal | p99 ms | of minimal's p99 | errors | verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    minimal = cached["minimal view"]
    met = []
    for name, row in cached.items():
        ratio, p99_ratio = row["rps"] / minimal["rps"], row["p99_ms"] / minimal["p99_ms"]
        cells = [f"{row['rps']:.0f}", f"{ratio:.2f}", f"{row['p99_ms']:.0f}", f"{p99_ratio:.1f}×", str(row["errors"])]
        if name == "minimal view":
            cells.append("")
        else:
            met.append(ratio >= CACHED_GOAL and p99_ratio <= P99_GOAL and row["errors"] == 0)
            cells.append(verdict(met[-1]))
        lines.append(f"| {labels[name]} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Every page cached: {verdict(all(met))} ({sum(met)} of {len(met)}).",
        "",
        worker_classes(paths, **common),
    ]
    return "\n".join(lines)


def searches_text(near: list[str], answers: dict[str, int]) -> str:
    """What the searches were and what they found (bench.search.found's counts), in a sentence."""
    texts = [urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["near"][0] for url in near]
    codes = sum(text.split(",")[0].isdigit() for text in texts)
    spanish = sum(url.startswith("/es/") for url in near)
    return (
        f"The searches, {len(near):,} distinct URLs, each once in turn: {codes:,} postal codes and "
        f"{len(texts) - codes:,} city names of both countries ({sum(',' in text for text in texts):,} with "
        f"their state or country, as the search's choices write them), {len(near) - spanish:,} in English "
        f"and {spanish:,} in Spanish. Each checked in-process before the run: {answers['nearby']:,} list "
        f"actions nearby, {answers['nearest']:,} the nearest at any distance, {answers['none']:,} none, "
        f"{answers['not found']:,} not found, {answers['error']:,} errors. A search is never cached (its "
        "page is private), so it is measured once, beside the uncached minimal view."
    )


# gunicorn's worker classes that need no extra package: processes, or processes with threads.
WORKER_CLASSES = {"sync": {"threads": 1}, "gthread": {"threads": 4}}


def worker_classes(paths: dict[str, str], **common) -> str:
    """A table of the minimal view and a cached and an uncached action page under each worker class."""
    compared = {"minimal view": paths["minimal view"], "action page": paths["action page"]}
    lines = [
        "| worker class | minimal view req/s | action page, cached | action page, uncached |",
        "| --- | ---: | ---: | ---: |",
    ]
    for worker_class, options in WORKER_CLASSES.items():
        cached = measure(compared, worker_class=worker_class, PAGE_CACHE_SECONDS="5", **options, **common)
        uncached = measure(
            {"action page": paths["action page"]},
            worker_class=worker_class,
            PAGE_CACHE_SECONDS="0",
            **options,
            **common,
        )
        label = worker_class if options["threads"] == 1 else f"{worker_class}, {options['threads']} threads"
        lines.append(
            f"| {label} | {cached['minimal view']['rps']:.0f} | {cached['action page']['rps']:.0f} "
            f"| {uncached['action page']['rps']:.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    command(run, __doc__)
