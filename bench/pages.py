"""Page throughput: wrk against gunicorn with the production settings, on loopback, for the home
page, the action list, an action's page, a campaign's page and the API's action list, each beside a
minimal Django view on the same server (BENCHMARK_VIEWS), in the same run; median of runs.
usage: python -m bench.pages [--duration 10] [--runs 3] [--workers 5]
Needs wrk (Debian package) and DATABASE_URL (PostgreSQL with load data)."""

import os
import re
import statistics
import subprocess

from .report import command, verdict
from .server import gunicorn

WORKERS = 2 * os.cpu_count() + 1  # gunicorn.conf.py's default


# What a browser accepts: pages go compressed, as to a visitor's phone.
BROWSER_ENCODINGS = "Accept-Encoding: gzip, deflate, br, zstd"


def wrk(url: str, duration: int, connections: int) -> dict:
    """{"rps": requests per second, "p99_ms": 99th percentile latency, "errors": answers other than 2xx
    or 3xx, and socket errors (connect, read, write, and timeouts: no answer within 2 s)}."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-H", BROWSER_ENCODINGS, url],
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


def measure(paths: dict[str, str], *, duration: int, runs: int, connections: int, **server) -> dict[str, dict]:
    """wrk on each of `paths` ({name: path}) against one gunicorn (`server`: see server.gunicorn):
    {name: {"rps", "p99_ms", "errors"}}, medians of `runs` after a warm-up."""
    rows = {}
    with gunicorn(BENCHMARK_VIEWS="1", API_RATE="100000000/second", **server) as base:
        for name, path in paths.items():
            wrk(base + path, 2, connections)  # warm-up: every worker's caches
            found = [wrk(base + path, duration, connections) for _ in range(runs)]
            rows[name] = {
                "rps": statistics.median(r["rps"] for r in found),
                "p99_ms": statistics.median(r["p99_ms"] for r in found),
                "errors": sum(r["errors"] for r in found),
            }
    return rows


def run(duration: int = 10, runs: int = 3, connections: int = 50, workers: int = WORKERS) -> str:
    """The section of docs/performance.md: every page uncached and cached, then the worker classes."""
    paths = pages()
    common = {"duration": duration, "runs": runs, "connections": connections, "workers": workers}
    uncached = measure(paths, PAGE_CACHE_SECONDS="0", **common)
    cached = measure(paths, PAGE_CACHE_SECONDS="5", **common)
    lines = [
        f"`python -m bench.pages --duration {duration} --runs {runs}`: gunicorn as in production ({workers} "
        "workers of 4 threads, gunicorn.conf.py), production settings; wrk with 2 threads and "
        f"{connections} connections, accepting compressed pages as a browser does, median of {runs} runs; "
        "uncached (`PAGE_CACHE_SECONDS=0`), then cached as in production (5 s), each beside the minimal "
        "view in the same server. Errors: wrk's socket errors over all runs (nearly all timeouts, no "
        "answer within 2 s) and answers other than 2xx or 3xx.",
        "",
        "| page | uncached req/s | of minimal | p99 ms | errors | cached req/s | of minimal | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    met = {"uncached": True, "cached": True}
    for name, path in paths.items():
        row = [f"{name} (`{path}`)"]
        for mode, found, goal in (("uncached", uncached, 0.5), ("cached", cached, 0.9)):
            ratio = found[name]["rps"] / found["minimal view"]["rps"]
            met[mode] &= ratio >= goal
            row += [
                f"{found[name]['rps']:.0f}",
                f"{ratio:.2f}",
                f"{found[name]['p99_ms']:.0f}",
                str(found[name]["errors"]),
            ]
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        f"Goal uncached (0.5 of the minimal view): {verdict(met['uncached'])}. "
        f"Goal cached (0.9): {verdict(met['cached'])}.",
        "",
        worker_classes(paths, **common),
    ]
    return "\n".join(lines)


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
