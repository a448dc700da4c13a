"""What the benchmarks share: a free port on loopback, and gunicorn with the production settings."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The database Django is connected to, as a URL for a server or worker started from here (in a
    test, the test database)."""
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(*, workers: int, worker_class: str | None = None, threads: int | None = None, **env: str):
    """gunicorn on a free loopback port, on this process's database and broker, with DEBUG=0, HTTPS=0
    and `env` on top of the environment; yields its base URL once /healthz answers, and stops it
    after. The worker class and threads are gunicorn.conf.py's unless given. The static files must
    have been collected (collectstatic)."""
    port = free_port()
    from movement.celery import app

    environment = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": app.conf.broker_url}
    environment |= {"DEBUG": "0", "HTTPS": "0", "LOG_LEVEL": "WARNING", **env}
    environment |= {"PORT": str(port), "WEB_CONCURRENCY": str(workers)}
    command = [sys.executable, "-m", "gunicorn", "movement.wsgi"]
    command += [f"--worker-class={worker_class}"] if worker_class else []
    command += [f"--threads={threads}"] if threads else []
    command += ["--access-logfile=/dev/null", "--error-logfile=/dev/null", f"--bind=127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=environment, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(30)
