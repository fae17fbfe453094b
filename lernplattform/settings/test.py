"""Test settings: only what makes tests faster or hermetic. Everything else is base.py."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="lernplattform-test-media-"))
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# client.login() carries no request, which django-axes refuses; lockout tests switch it on with settings.
AXES_ENABLED = False
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tasks run in-process in tests, also when CELERY_BROKER_URL points at a real broker: the one test
# that drives a real worker switches eager mode off itself (tests/lernplattform/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
PLATFORM_ADMIN_EMAILS: list[str] = []
