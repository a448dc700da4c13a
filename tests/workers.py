"""Celery workers for tests, against the real Redis: one in a thread of the test process, or one in
its own process (which a test can kill)."""

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection

from movement.celery import app


def wait_for(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@contextlib.contextmanager
def through_broker():
    """Tasks go through Redis rather than running at once in the caller."""
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    try:
        yield
    finally:
        app.conf.task_always_eager = eager


@contextlib.contextmanager
def broker_unreachable():
    """Tasks go to a broker where nothing listens, as when Redis is down, then to the real one again."""
    broker_url = app.conf.broker_url

    def connect_to(url):
        app.conf.broker_url = url
        # The pools keep connections to the broker they were made for.
        app._pool = app.amqp._producer_pool = None

    connect_to("redis://127.0.0.1:1/0")
    try:
        with through_broker():
            yield
    finally:
        connect_to(broker_url)


@contextlib.contextmanager
def thread_worker():
    with through_broker(), start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


@contextlib.contextmanager
def worker_process():
    """`celery worker` in a child process, on this test run's database, broker queue and mail settings.
    Yields the Popen; its output is printed if the block fails."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": app.conf.broker_url,
        "EMAIL_URL": f"smtp://{settings.EMAIL_HOST}:{settings.EMAIL_PORT}",
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "1",
    }
    command = [sys.executable, "-m", "celery", "-A", "movement", "worker", "--pool=solo", "--loglevel=INFO"]
    command += ["-Q", app.conf.task_default_queue, "--without-gossip", "--without-mingle", "--without-heartbeat"]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, env=env, cwd=Path(settings.BASE_DIR), stdout=log, stderr=log)
        try:
            yield process
        except BaseException:
            log.seek(0)
            print(log.read().decode(errors="replace"))
            raise
        finally:
            process.kill()
            process.wait()
