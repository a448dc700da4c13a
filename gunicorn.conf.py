"""gunicorn in production: `gunicorn movement.wsgi` reads this file from the working directory.

Environment: PORT (8000), WEB_CONCURRENCY (workers; default 2 per core + 1), FORWARDED_ALLOW_IPS (the
proxy's address, whose X-Forwarded-* headers gunicorn believes; default 127.0.0.1)."""

import multiprocessing
import os

from gunicorn.glogging import Logger

from common.logs import redact

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threads, chosen by measurement (docs/performance.md): keep-alive connections, one page cache per
# process shared by its threads, and more requests than sync workers on cached pages in every run.
worker_class, threads = "gthread", 4
timeout = 30  # seconds a request may take; the slowest page answers in well under one
graceful_timeout = 30
max_requests, max_requests_jitter = 20000, 2000  # workers are replaced now and then, so no leak grows
# (a restart costs about a second of CPU: every 1,000 requests, the minimal view served 1,038 a second
# under load against 2,492 without restarts)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = errorlog = "-"  # stdout/stderr, one line per request
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'  # the path without its query string


class RedactingLogger(Logger):
    """The access log, with the token of a volunteer's link replaced by "…"."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact(atoms["U"])
        return atoms


logger_class = RedactingLogger
