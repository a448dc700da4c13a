"""Reminder throughput: N due reminders sent by real Celery workers through Redis to an SMTP sink
(aiosmtpd in its own process), against a plain smtplib loop sending N messages of the same size over
one connection to the same sink, in the same run. Also each worker process's peak memory.
usage: python -m bench.reminders [--reminders 100000] [--concurrency 2]
Needs DATABASE_URL (PostgreSQL, holding load data or not) and REDIS_URL. Goal (issue 8): at least 0.5
of the smtplib loop's rate, every message once, each worker under 300 MB."""

import collections
import datetime
import os
import smtplib
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

from .report import command, verdict
from .server import BASE_DIR, database_url, free_port


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def wait_for_count(path: Path, count: int, timeout: float) -> float:
    """Seconds until `path` holds `count` lines; raises TimeoutError."""
    started = time.monotonic()
    while len(lines(path)) < count:
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{len(lines(path))} of {count} messages after {timeout:.0f} s")
        time.sleep(0.2)
    return time.monotonic() - started


def smtplib_loop(port: int, count: int, size: int) -> float:
    """Seconds to send `count` messages of about `size` bytes over one connection."""
    message = EmailMessage()
    message["From"], message["Subject"] = "movement@example.org", "Reminder"
    message.set_content("x" * size)
    started = time.monotonic()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n in range(count):
            del message["To"]
            message["To"] = f"baseline{n}@load.invalid"
            smtp.send_message(message)
    return time.monotonic() - started


def due_reminders(count: int) -> list:
    """`count` confirmed signups in both languages on actions that start in 90 minutes (so the
    2-hour reminder is due), written with bulk inserts; returns the actions."""
    from django.utils import timezone

    from actions.load_data import Scale, add_signups, generate
    from actions.models import Action

    per_action = 100
    before = set(Action.objects.values_list("pk", flat=True))
    generate(Scale(cities=30, campaigns=1, actions=count // per_action, signups=0, demands=1, outcomes=0), force=True)
    actions = Action.objects.exclude(pk__in=before)
    start = timezone.now() + datetime.timedelta(minutes=90)
    actions.update(status="published", starts_at=start, ends_at=start + datetime.timedelta(hours=2), capacity=None)
    add_signups(actions, per_action=per_action, mix={"confirmed": 1})
    return list(actions)


def peak_memory_mb(pids: list[int]) -> dict[int, float]:
    """VmHWM (peak resident memory) of each live process, in MB."""
    peaks = {}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
        peaks[pid] = kb / 1024
    return peaks


def worker_pids(parent: int) -> list[int]:
    children = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True).stdout.split()
    return [parent, *map(int, children)]


def measure(count: int, concurrency: int) -> dict:
    """Send `count` due reminders through Celery workers (`concurrency` processes) to a sink, after the
    same number through the smtplib loop. Returns the figures (seconds, counts, MB)."""
    from actions import mail
    from movement.celery import app

    assert app.conf.broker_url.startswith("redis://"), "set REDIS_URL"
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    baseline_file, app_file = workdir / "baseline.txt", workdir / "app.txt"
    sink = subprocess.Popen([sys.executable, "-m", "bench.smtp_sink", str(port), str(baseline_file)], cwd=BASE_DIR)
    time.sleep(1)
    baseline = smtplib_loop(port, count, size=6000)
    wait_for_count(baseline_file, count, 60)
    sink.terminate()
    sink = subprocess.Popen([sys.executable, "-m", "bench.smtp_sink", str(port), str(app_file)], cwd=BASE_DIR)

    due_reminders(count)
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{port}", "DATABASE_URL": database_url()}
    env |= {"REDIS_URL": app.conf.broker_url}
    queue = f"bench-{os.getpid()}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "movement", "worker", "-Q", queue, "--pool=prefork",
         f"--concurrency={concurrency}", "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
        cwd=BASE_DIR, env=env,
    )  # fmt: skip
    default_queue, app.conf.task_default_queue = app.conf.task_default_queue, queue
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    try:
        time.sleep(3)
        started = time.monotonic()
        result = mail.mail_dispatch()
        dispatch_seconds = time.monotonic() - started
        expected = result["enqueued"]  # the due reminders, with any that earlier load data had coming
        sending = wait_for_count(app_file, expected, 3600) + dispatch_seconds
        time.sleep(5)  # time for a duplicate to arrive
        peaks = peak_memory_mb(worker_pids(worker.pid))
    finally:
        app.conf.task_default_queue, app.conf.task_always_eager = default_queue, eager
        worker.terminate()
        sink.terminate()
        worker.wait(30)
    received = collections.Counter(lines(app_file))
    return {
        "count": count,
        "concurrency": concurrency,
        "expected": expected,
        "dispatch_s": dispatch_seconds,
        "baseline_s": baseline,
        "sending_s": sending,
        "received": sum(received.values()),
        "distinct": len(received),
        "duplicates": sum(n - 1 for n in received.values() if n > 1),
        "peaks_mb": list(peaks.values()),
    }


def run(reminders: int = 100_000, concurrency: int = 2) -> str:
    """The section of docs/performance.md."""
    m = measure(reminders, concurrency)
    limit, rate = reminders / m["baseline_s"], m["expected"] / m["sending_s"]
    once = m["received"] == m["distinct"] == m["expected"]
    met = rate / limit >= 0.5 and once and max(m["peaks_mb"]) < 300
    return "\n".join(
        [
            f"`python -m bench.reminders --reminders {reminders} --concurrency {concurrency}`: one worker "
            f"(`celery worker --pool=prefork --concurrency={concurrency}`), aiosmtpd sink in its own process. "
            f"Goal: {verdict(met)}.",
            "",
            "| | figure |",
            "| --- | --- |",
            f"| reminders due | {m['expected']:,} |",
            f"| plain smtplib loop, one connection, {reminders:,} messages of 6 KB | {m['baseline_s']:.1f} s: "
            f"**{limit:.0f} messages/s** |",
            f"| dispatch (recording the rows and handing them out) | {m['dispatch_s']:.1f} s |",
            f"| Celery workers, from the dispatch to the last message | {m['sending_s']:.1f} s: "
            f"**{rate:.0f} messages/s, {rate / limit:.2f} of the loop** |",
            f"| received | {m['received']:,} of {m['expected']:,}, **{m['duplicates']} duplicates** |",
            "| peak memory (VmHWM) per worker process | "
            + ", ".join(f"{mb:.0f}" for mb in m["peaks_mb"])
            + f" MB (goal under 300: {verdict(max(m['peaks_mb']) < 300)}) |",
        ]
    )


if __name__ == "__main__":
    command(run, __doc__)
