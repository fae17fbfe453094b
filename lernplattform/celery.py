"""The Celery application.

With no CELERY_BROKER_URL in the environment, settings switch Celery to eager mode,
so tasks run in-process and a newcomer needs no broker at all.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lernplattform.settings.base")

app = Celery("lernplattform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
