"""One naming rule for Celery tasks: `<app label>.<entity>_<action>` (docs/architecture.md)."""

import re

from django.apps import apps
from django.conf import settings

from lernplattform.celery import app

# Names from before the rule, kept registered so beat rows and queued messages still resolve.
LEGACY_ALIASES = {
    "courses.catalog.tasks.pages_publish_scheduled": "catalog.pages_publish_scheduled",
    "courses.catalog.tasks.course_groups_sync": "catalog.course_groups_sync",
    "lernplattform.accounts.tasks.memberships_sync_groups": "accounts.memberships_sync_groups",
    # The bank moved from assessment to questions (docs/adr/0014-bank-in-questions.md).
    "assessment.question_import": "questions.question_import",
    "assessment.question_imports_reconcile": "questions.question_imports_reconcile",
}


def _our_tasks() -> dict[str, object]:
    app.loader.import_default_modules()
    app.autodiscover_tasks(lambda: [c.name for c in apps.get_app_configs()], force=True)
    ours = ("lernplattform.", "courses.")
    return {name: task for name, task in app.tasks.items() if task.__module__.startswith(ours)}


def test_every_task_is_named_app_entity_action():
    labels = {c.label for c in apps.get_app_configs() if c.name.startswith(("lernplattform.", "courses."))}
    rule = re.compile(rf"^({'|'.join(sorted(labels))})\.[a-z][a-z0-9]*(_[a-z0-9]+)+$")
    names = set(_our_tasks())
    assert names, "no tasks discovered"
    wrong = sorted(n for n in names - set(LEGACY_ALIASES) if not rule.match(n))
    assert wrong == []


def test_old_names_still_reach_the_same_work():
    tasks = _our_tasks()
    for old, new in LEGACY_ALIASES.items():
        assert tasks[old].run is tasks[new].run


def test_the_beat_schedule_uses_the_rule_and_registered_tasks():
    tasks = _our_tasks()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in tasks
        assert entry["task"] not in LEGACY_ALIASES
