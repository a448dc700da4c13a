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
    """gunicorn on a free loopback port, on this process's database and broker, with DEBUG=0, SECURE_SITE=0
    and `env` on top of the environment; yields its base URL once /healthz answers, and stops it
    after. The worker class and threads are gunicorn.conf.py's unless given. Collects the static
    files first if they never were."""
    from django.conf import settings

    from movement.celery import app

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        # DEBUG=0 serves hashed names from collectstatic's manifest; without it every page fails.
        env_static = {**os.environ, "DEBUG": "0", "SECRET_KEY": os.environ.get("SECRET_KEY", "collectstatic-only")}
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env_static, check=True
        )
    port = free_port()

    environment = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": app.conf.broker_url}
    environment |= {"DEBUG": "0", "SECURE_SITE": "0", "LOG_LEVEL": "WARNING", **env}
    environment.setdefault("SECRET_KEY", "benchmarks-only-not-secret")  # DEBUG=0 refuses to start without
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
