"""Enqueueing never fails the request: a broker outage is logged and left to the reconcile task."""

from unittest import mock

from celery import shared_task

from lernplattform.core.tasks import enqueue


@shared_task(name="core.test_noop")
def _noop(value):
    return value


def test_enqueue_reports_false_when_the_broker_is_down(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch.object(_noop, "apply_async", side_effect=OSError("Connection refused")):
        assert enqueue(_noop, 1) is False


def test_enqueue_runs_the_task_in_eager_mode():
    with mock.patch.object(_noop, "apply_async") as apply_async:
        assert enqueue(_noop, 2) is True
    apply_async.assert_called_once_with(args=(2,), kwargs={})
