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
