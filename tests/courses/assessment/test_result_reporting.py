"""A submitted quiz reaches progress exactly once, also when the broker is down (issue 10, finding 6).

The attempt is its own outbox: ``reported_at`` stays empty until progress has the result; the report
task sets it, and the reconcile beat task reports what a broker outage or a killed worker left.
"""

import datetime
import os
import time

import pytest
from django.utils import timezone

from courses.assessment import attempt_services as svc
from courses.assessment.quiz_models import Attempt
from courses.progress.models import ActivityCompletion
from tests.factories import pages
from tests.factories import quiz as f
from tests.factories.accounts import UserFactory
from tests.servers import broker_at, free_port, redis_available, redis_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def quiz():
    cat = f.category()
    return f.quiz(pages.course(), questions=[f.truefalse(cat), f.truefalse(cat)], passing_grade=50)


def _submit_over_http(client, quiz, learner):
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    url = quiz.url + quiz.reverse_subpage("attempt", args=[attempt.pk])
    response = client.post(url, {"slots": ["1"], "q1": "true", "action": "submit"})
    return attempt, response


def test_submit_while_the_broker_is_unreachable_succeeds_and_the_reconcile_reports_once(
    client, learner, quiz, django_capture_on_commit_callbacks
):
    closed = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    with broker_at(closed), django_capture_on_commit_callbacks(execute=True):
        started = time.monotonic()
        attempt, response = _submit_over_http(client, quiz, learner)
        took = time.monotonic() - started

    # The learner's action succeeded, quickly, and nothing is reported yet.
    assert response.status_code == 302
    assert took < 10, f"a submit waited {took:.1f} s for the broker"
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED and attempt.reported_at is None
    assert not ActivityCompletion.objects.filter(user=learner, activity=quiz).exists()

    # A retry of the same submit (the old bug answered 200 and reported nothing) changes nothing ...
    url = quiz.url + quiz.reverse_subpage("attempt", args=[attempt.pk])
    assert client.post(url, {"slots": ["1"], "q1": "true", "action": "submit"}).status_code == 302

    # ... the reconcile task reports it, once, and a second run finds nothing left.
    later = timezone.now() + datetime.timedelta(minutes=5)
    assert svc.attempt_results_reconcile(now=later) == 1
    assert svc.attempt_results_reconcile(now=later) == 0
    [record] = ActivityCompletion.objects.filter(user=learner, activity=quiz)
    assert record.passed is True and record.is_completed
    attempt.refresh_from_db()
    assert attempt.reported_at is not None


def test_the_reconcile_leaves_fresh_submits_to_their_own_task(learner, quiz):
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    svc.attempt_submit(attempt_id=attempt.pk, user=learner)  # on_commit not run: the task was lost
    assert svc.attempt_results_reconcile(now=timezone.now()) == 0
    assert svc.attempt_results_reconcile(now=timezone.now() + datetime.timedelta(minutes=2)) == 1


def test_the_report_task_marks_the_attempt_and_running_it_twice_is_harmless(
    learner, quiz, django_capture_on_commit_callbacks
):
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    with django_capture_on_commit_callbacks(execute=True):
        svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    attempt.refresh_from_db()
    assert attempt.reported_at is not None
    assert svc.attempt_results_report(quiz_id=quiz.pk, user_id=learner.pk) == 0
    assert ActivityCompletion.objects.filter(user=learner, activity=quiz).count() == 1


def test_a_corrected_grade_is_reported_again(learner, platform_admin, django_capture_on_commit_callbacks):
    cat = f.category()
    essay_quiz = f.quiz(pages.course(), questions=[f.essay(cat)], passing_grade=50)
    grader = platform_admin
    attempt = svc.attempt_start(quiz=essay_quiz, user=learner)
    svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"text": "Antwort"}})
    with django_capture_on_commit_callbacks(execute=True):
        svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    slot = attempt.slots.get()
    # The trainer's grade is committed but its report is lost.
    svc.attempt_slot_grade(slot_id=slot.pk, grader=grader, mark=slot.max_mark)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED and attempt.reported_at is None
    assert svc.attempt_results_reconcile(now=timezone.now() + datetime.timedelta(minutes=5)) == 1
    assert ActivityCompletion.objects.get(user=learner, activity=essay_quiz).passed is True


@pytest.mark.broker
@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL") or not redis_available(),
    reason="Broker-Tests nur mit CELERY_BROKER_URL (und redis-server)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_broker_down_at_submit_then_started_a_real_worker_reports_exactly_once(client, learner, quiz):
    """The issue's test: the broker URL points at a closed port, submit, start the broker, progress once."""
    from celery.contrib.testing.worker import start_worker

    from courses.assessment.attempt_tasks import attempt_results_reconcile_task
    from lernplattform.celery import app
    from lernplattform.core.tasks import enqueue

    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    with broker_at(url):
        attempt, response = _submit_over_http(client, quiz, learner)  # autocommit: on_commit fires, fails
        assert response.status_code == 302
        assert not ActivityCompletion.objects.filter(user=learner, activity=quiz).exists()
        attempt.refresh_from_db()
        assert attempt.state == Attempt.State.FINISHED and attempt.reported_at is None

        with redis_server(port), start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            # Beat would send this every two minutes; a reconcile older than its grace finds the attempt.
            Attempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now() - datetime.timedelta(minutes=5))
            assert enqueue(attempt_results_reconcile_task)
            assert enqueue(attempt_results_reconcile_task)  # beat firing twice changes nothing
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                attempt.refresh_from_db()
                if attempt.reported_at is not None:
                    break
                time.sleep(0.2)
            time.sleep(1)  # let the second run finish

    assert attempt.reported_at is not None, "the worker did not report within 30 s"
    assert ActivityCompletion.objects.filter(user=learner, activity=quiz).count() == 1
    assert svc.attempt_results_reconcile(now=timezone.now() + datetime.timedelta(minutes=5)) == 0
