"""Writing figures into docs/performance.md: each benchmark owns the block between its markers
(`<!-- name:start -->` and `<!-- name:end -->`), and the text around the blocks is written by hand."""

import argparse
import datetime
import inspect
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path


def write_section(path: Path, name: str, text: str) -> None:
    """Put `text` between the `name` markers of `path`, or append it with them."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{text.strip()}\n{end}"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    new = pattern.sub(lambda _m: block, old) if pattern.search(old) else f"{old.rstrip()}\n\n{block}\n".lstrip()
    path.write_text(new, encoding="utf-8")


def machine() -> str:
    """One line on where the figures come from: date, cores, memory, Python, PostgreSQL, Redis."""
    kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line)
    return (
        f"Measured {datetime.date.today():%Y-%m-%d} on {platform.node()}: {os.cpu_count()} cores, "
        f"{kb / 1024 / 1024:.0f} GiB, Python {sys.version.split()[0]}, {_version(['psql', '--version'])}, "
        f"{_version(['redis-server', '--version'])}."
    )


def _version(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=10).stdout
    except OSError:
        return f"{command[0]} not found"
    name, pattern = ("PostgreSQL", r"\(PostgreSQL\) ([\d.]+)") if command[0] == "psql" else ("Redis", r"v=([\d.]+)")
    found = re.search(pattern, out)
    return f"{name} {found.group(1) if found else '?'}"


def time_get(client, url: str, runs: int) -> tuple[list[float], int]:
    """GET `url` once to warm up, then `runs` times: (milliseconds of each, queries of the last).
    Raises AssertionError on an answer other than 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            assert client.get(url).status_code == 200, url
            times.append((time.perf_counter() - started) * 1000)
    return times, len(queries)


def verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def command(run, doc: str) -> None:
    """Run a benchmark's `run` as a command: an option for each of its whole-number parameters
    (`--name`, with its default), Django set up, and the Markdown it returns printed."""
    module = sys.modules[run.__module__].__spec__.name  # "bench.surge", also when run with -m
    parser = argparse.ArgumentParser(
        prog=f"python -m {module}", description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    for parameter in inspect.signature(run).parameters.values():
        if isinstance(parameter.default, int):
            parser.add_argument(f"--{parameter.name}", type=int, default=parameter.default, help="default %(default)s")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movement.settings")
    import django

    django.setup()
    print(run(**vars(arguments)))
