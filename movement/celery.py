"""The Celery app. Workers run `celery -A movement worker`; settings come from CELERY_* in Django's."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movement.settings")

app = Celery("movement")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
