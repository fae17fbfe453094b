"""With DEBUG off and a proper environment, `manage.py check --deploy` reports nothing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "lernplattform.settings.base",
        "DEBUG": "False",
        "SECRET_KEY": "x7-" + "k9Qz!vR2#pL8@wN5$tY1&mB4*cF6^hJ3%" * 2,
        "ALLOWED_HOSTS": "lernen.example.org",
        "LERNPLATTFORM_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DEBUG": "False", "LERNPLATTFORM_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr


def _settings_value(tmp_path, expression, **extra_env):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "lernplattform.settings.base",
        "LERNPLATTFORM_DATA_DIR": str(tmp_path),
        **extra_env,
    }
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_cache_is_local_memory_by_default_and_redis_with_cache_url(tmp_path):
    assert _settings_value(tmp_path, "settings.CACHES['default']['BACKEND']").endswith("LocMemCache")
    backend = _settings_value(tmp_path, "settings.CACHES['default']['BACKEND']", CACHE_URL="redis://127.0.0.1:6379/9")
    assert backend == "lernplattform.core.cache.SharedClientRedisCache"


def test_sessions_use_the_cache_with_database_fallback(tmp_path):
    assert _settings_value(tmp_path, "settings.SESSION_ENGINE") == "django.contrib.sessions.backends.cached_db"


def test_production_keeps_database_connections_with_health_checks(tmp_path):
    production = {"DEBUG": "False", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "lernen.example.org"}
    assert _settings_value(tmp_path, "settings.DATABASES['default']['CONN_MAX_AGE']", **production) == "60"
    assert _settings_value(tmp_path, "settings.DATABASES['default']['CONN_HEALTH_CHECKS']", **production) == "True"


def test_no_gravatar_lookups(tmp_path):
    assert _settings_value(tmp_path, "settings.WAGTAIL_GRAVATAR_PROVIDER_URL") == "None"
