"""Races that real learners produce: two tabs submitting at once, a save racing the submit, two starts.

PostgreSQL only: real row locks and concurrent transactions (SQLite serialises every write).
"""

from decimal import Decimal

import pytest
from django.db import connection

from courses.assessment import attempt_services as svc
from courses.assessment.quiz_models import Attempt, AttemptSlot
from tests.concurrency import run_at_once
from tests.factories import pages
from tests.factories import quiz as f
from tests.factories.accounts import UserFactory

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.usefixtures("needs_postgresql"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def attempt():
    cat = f.category()
    quiz = f.quiz(pages.course(), questions=[f.truefalse(cat) for _ in range(20)])
    user = UserFactory()
    attempt = svc.attempt_start(quiz=quiz, user=user)
    svc.attempt_answers_save(attempt_id=attempt.pk, user=user, answers={n: {"value": True} for n in range(1, 21)})
    return attempt


def test_eight_simultaneous_submits_grade_once_and_agree(attempt):
    results, errors = run_at_once([lambda: svc.attempt_submit(attempt_id=attempt.pk)] * 8)
    assert errors == []
    assert {(a.state, a.score, a.submitted_at) for a in results} == {
        (Attempt.State.FINISHED, Decimal(20), Attempt.objects.get(pk=attempt.pk).submitted_at)
    }


def test_a_save_racing_the_submit_either_counts_or_is_refused(attempt):
    user = attempt.user

    def save():
        try:
            svc.attempt_answers_save(attempt_id=attempt.pk, user=user, answers={1: {"value": False}})
            return "saved"
        except svc.AttemptClosedError:
            return "refused"

    results, errors = run_at_once([save, lambda: svc.attempt_submit(attempt_id=attempt.pk)])
    assert errors == []
    outcome = next(r for r in results if isinstance(r, str))
    slot = AttemptSlot.objects.get(attempt=attempt, number=1)
    # Whatever won, the stored answer and its grade agree: no answer lands after grading.
    assert (slot.response == {"value": False}) is (outcome == "saved")
    assert slot.mark == (Decimal(0) if outcome == "saved" else Decimal(1))


def test_two_simultaneous_starts_give_one_open_attempt():
    cat = f.category()
    quiz = f.quiz(pages.course(), questions=[f.truefalse(cat)])
    user = UserFactory()
    results, errors = run_at_once([lambda: svc.attempt_start(quiz=quiz, user=user)] * 4)
    assert errors == []
    assert len({a.pk for a in results}) == 1
    assert Attempt.objects.filter(quiz=quiz, user=user).count() == 1


def test_submitting_locks_only_the_attempt_not_the_shared_quiz_page(attempt):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        svc.attempt_submit(attempt_id=attempt.pk)
    locking = [q["sql"] for q in queries.captured_queries if 'FROM "assessment_attempt"' in q["sql"]]
    locking = [sql for sql in locking if "FOR UPDATE" in sql]
    assert locking and all(sql.endswith('FOR UPDATE OF "assessment_attempt"') for sql in locking)
