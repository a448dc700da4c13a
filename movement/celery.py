"""The Celery app. Workers run `celery -A movement worker`; settings come from CELERY_* in Django's."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movement.settings")

app = Celery("movement")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_postrun.connect
def _worker_heartbeat(**kwargs) -> None:
    from movement.heartbeats import heartbeat_record

    heartbeat_record("worker")


def beat_heartbeat(**kwargs) -> None:
    from movement.heartbeats import heartbeat_record

    heartbeat_record("beat")


@signals.beat_init.connect
def _beat_heartbeats(**kwargs) -> None:
    """In beat's process only: each task it sends is a heartbeat."""
    signals.before_task_publish.connect(beat_heartbeat)
