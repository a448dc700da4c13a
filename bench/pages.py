"""Page throughput: wrk against gunicorn with the production settings, on loopback, for the home
page, the action list, an action's page, a campaign's page and the API's action list, each beside a
minimal Django view on the same server (BENCHMARK_VIEWS), in the same run; median of runs.
usage: python -m bench.pages [--duration 10] [--runs 3] [--workers 5] [--worker-class sync]
Needs wrk (Debian package), DATABASE_URL (load data and the June 30 data) and CACHE_URL (Redis)."""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "BENCHMARK_VIEWS": "1",
        "API_RATE": "100000000/second",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(args.workers),
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "movement.wsgi", f"--worker-class={args.worker_class}",
         "--access-logfile=/dev/null", f"--bind=127.0.0.1:{port}"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/bench/hello", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        rows = {}
        for name, path in pages().items():
            wrk(base + path, 2, args.connections)  # warm-up: every worker's caches
            runs = [wrk(base + path, args.duration, args.connections) for _ in range(args.runs)]
            rows[name] = {
                "rps": statistics.median(r["rps"] for r in runs),
                "p99_ms": statistics.median(r["p99_ms"] for r in runs),
                "errors": sum(r["errors"] for r in runs),
                "path": path,
            }
    finally:
        server.terminate()
        server.wait(30)
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
