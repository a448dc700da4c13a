"""Page throughput: wrk against gunicorn with the production settings, on loopback, for the home
page, the action list, an action's page, a campaign's page and the API's action list, each beside a
minimal Django view on the same server (BENCHMARK_VIEWS), in the same run; median of runs.
usage: python -m bench.pages [--duration 10] [--runs 3] [--workers 5] [--worker-class sync]
Needs wrk (Debian package) and DATABASE_URL (PostgreSQL with load data)."""

import argparse
import os
import re
import statistics
import subprocess

from .server import gunicorn


def wrk(url: str, duration: int, connections: int) -> dict:
    """{"rps": requests per second, "p99_ms": 99th percentile latency, "errors": non-2xx or socket errors}."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url], capture_output=True, text=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|Socket errors:.*?timeout)\s*:?\s*(\d+)", out))
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * os.cpu_count() + 1)
    parser.add_argument("--worker-class", default="sync")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movement.settings")
    import django

    django.setup()
    rows = {}
    server = gunicorn(
        workers=args.workers, worker_class=args.worker_class, BENCHMARK_VIEWS="1", API_RATE="100000000/second"
    )
    with server as base:
        for name, path in pages().items():
            wrk(base + path, 2, args.connections)  # warm-up: every worker's caches
            runs = [wrk(base + path, args.duration, args.connections) for _ in range(args.runs)]
            rows[name] = {
                "rps": statistics.median(r["rps"] for r in runs),
                "p99_ms": statistics.median(r["p99_ms"] for r in runs),
                "errors": sum(r["errors"] for r in runs),
                "path": path,
            }
    minimal = rows["minimal view"]["rps"]
    print(
        f"gunicorn {args.worker_class}, {args.workers} workers; wrk 2 threads, {args.connections} connections, "
        f"{args.duration} s x {args.runs} runs (median)\n"
    )
    print(
        "| page | requests/s | of the minimal view | p99 latency (ms) | errors |\n| --- | ---: | ---: | ---: | ---: |"
    )
    for name, row in rows.items():
        ratio = row["rps"] / minimal
        print(f"| {name} (`{row['path']}`) | {row['rps']:.0f} | {ratio:.2f} | {row['p99_ms']:.0f} | {row['errors']} |")


if __name__ == "__main__":
    main()
