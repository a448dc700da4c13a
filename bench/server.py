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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(*, workers: int, worker_class: str = "sync", **env: str):
    """gunicorn on a free loopback port with DEBUG=0, HTTPS=0 and `env` on top of the environment;
    yields its base URL once /healthz answers, and stops it after."""
    port = free_port()
    environment = {**os.environ, "DEBUG": "0", "HTTPS": "0", "LOG_LEVEL": "WARNING", **env}
    environment |= {"PORT": str(port), "WEB_CONCURRENCY": str(workers)}
    command = [sys.executable, "-m", "gunicorn", "movement.wsgi", f"--worker-class={worker_class}"]
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
