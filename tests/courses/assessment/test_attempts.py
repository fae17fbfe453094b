"""Attempts: start and resume, autosave, server-side scoring, one submission, the deadline, grading methods."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.assessment import attempt_selectors as sel
from courses.assessment import attempt_services as svc
from courses.assessment.quiz_models import Attempt, AttemptSlot, GradingMethod, QuizCompletionMode
from lernplattform.core.errors import NotPermitted
from tests.factories import pages
from tests.factories import quiz as f
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return UserFactory()


@pytest.fixture
def cat():
    return f.category()


@pytest.fixture
def course():
    return pages.course()


def _key_of(slot_view, text):
    return next(c["key"] for c in slot_view.question["choices"] if text in c["text"])


def test_start_pins_versions_and_a_second_start_resumes_the_open_attempt(course, cat, learner):
    questions = [f.multichoice(cat), f.truefalse(cat)]
    quiz = f.quiz(course, questions=questions)
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    assert attempt.number == 1 and attempt.is_open
    assert [s.question_version_id for s in attempt.slots.order_by("number")] == [
        q.current_version_id for q in questions
    ]
    assert svc.attempt_start(quiz=quiz, user=learner).pk == attempt.pk
    assert Attempt.objects.count() == 1


def test_a_new_question_version_does_not_change_a_running_attempt(course, cat, learner):
    question = f.multichoice(cat, right="München")
    quiz = f.quiz(course, questions=[question])
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    view = sel.attempt_questions(attempt=attempt)[0]
    f.new_version(question, answers=[{**a, "fraction": "0"} for a in question.current_version.data["answers"]])
    svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"choice": _key_of(view, "München")}})
    attempt = svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert attempt.score == Decimal(1)


def test_random_draw_takes_distinct_questions_from_the_category_and_its_subcategories(course, cat, learner):
    sub = f.category("Unterkategorie", parent=cat)
    pool = [f.multichoice(cat) for _ in range(3)] + [f.truefalse(sub) for _ in range(3)]
    quiz = f.quiz(course, categories=[(cat, 5)])
    attempt = svc.attempt_start(quiz=quiz, user=learner, rng=random.Random(3))
    drawn = [s.question_version.question_id for s in attempt.slots.all()]
    assert len(drawn) == len(set(drawn)) == 5
    assert set(drawn) <= {q.pk for q in pool}


def test_the_number_of_attempts_is_enforced(course, cat, learner):
    quiz = f.quiz(course, questions=[f.truefalse(cat)], attempts_allowed=1)
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    with pytest.raises(NotPermitted, match="alle erlaubten Versuche") as refused:
        svc.attempt_start(quiz=quiz, user=learner)
    assert refused.value.code == "assessment.attempts_used_up"


def test_saved_answers_come_back_when_the_attempt_resumes(course, cat, learner):
    quiz = f.quiz(course, questions=[f.shortanswer(cat), f.truefalse(cat)])
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    result = svc.attempt_answers_save(
        attempt_id=attempt.pk, user=learner, answers={1: {"text": "Datenschutz"}, 2: {"value": False}}
    )
    assert result.saved == [1, 2] and not result.errors
    resumed = svc.attempt_start(quiz=quiz, user=learner)
    views = sel.attempt_questions(attempt=resumed)
    assert [v.response for v in views] == [{"text": "Datenschutz"}, {"value": False}]


def test_a_bad_answer_is_refused_in_german_and_the_good_ones_are_still_saved(course, cat, learner):
    quiz = f.quiz(course, questions=[f.multichoice(cat), f.shortanswer(cat)])
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    result = svc.attempt_answers_save(
        attempt_id=attempt.pk, user=learner, answers={1: {"choice": "99"}, 2: {"text": "Datenschutz"}, 7: {}}
    )
    assert result.saved == [2]
    assert result.errors[1] == "Diese Auswahl gibt es nicht."
    assert "gehört nicht" in result.errors[7]
    assert AttemptSlot.objects.get(attempt=attempt, number=2).response == {"text": "Datenschutz"}


def test_submit_scores_every_type_on_the_server(course, cat, learner):
    questions = [
        f.multichoice(cat),
        f.multiresponse(cat),
        f.truefalse(cat),
        f.shortanswer(cat),
        f.numerical(cat),
        f.matching(cat),
        f.ordering(cat),
        f.cloze(cat),
    ]
    quiz = f.quiz(course, questions=questions)
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    views = {v.number: v for v in sel.attempt_questions(attempt=attempt)}
    slots = {s.number: s for s in attempt.slots.all()}
    # Right answers, expressed in display keys as the browser would send them.
    match = views[6].question
    capital = {"Bayern": "München", "Hessen": "Wiesbaden", "Sachsen": "Dresden"}
    pairs = {
        stem["key"]: next(o["key"] for o in match["options"] if o["text"] == capital[stem["text"].strip("<p>/")])
        for stem in match["stems"]
    }
    items = {i["text"].strip("<p>/"): i["key"] for i in views[7].question["items"]}
    gap2 = next(c["key"] for c in views[8].question["segments"][3]["choices"] if c["text"] == "16")
    answers = {
        1: {"choice": _key_of(views[1], "München")},
        2: {"choices": [_key_of(views[2], "A"), _key_of(views[2], "B")]},
        3: {"value": True},
        4: {"text": "datenschutz-grundverordnung"},
        5: {"text": "42,3"},
        6: {"pairs": pairs},
        7: {"order": [items["Antrag"], items["Prüfung"], items["Bescheid"]]},
        8: {"gaps": {"1": "berlin", "2": gap2}},
    }
    result = svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers=answers)
    assert result.errors == {}
    attempt = svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert {s.number: s.fraction for s in attempt.slots.all()} == {n: Decimal(1) for n in range(1, 9)}
    assert attempt.state == Attempt.State.FINISHED
    assert attempt.score == attempt.max_score == Decimal(8)
    assert attempt.passed is True
    assert slots  # the layout was fixed at start


def test_multiple_choice_never_scores_below_zero(course, cat, learner):
    quiz = f.quiz(course, questions=[f.multiresponse(cat)])
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    view = sel.attempt_questions(attempt=attempt)[0]
    svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"choices": [_key_of(view, "C")]}})
    attempt = svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert attempt.score == 0


def test_second_submit_is_ignored_and_returns_the_first_result(course, cat, learner):
    quiz = f.quiz(course, questions=[f.truefalse(cat)])
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"value": True}})
    first = svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    later = timezone.now() + datetime.timedelta(minutes=5)
    second = svc.attempt_submit(attempt_id=attempt.pk, user=learner, now=later)
    assert (second.submitted_at, second.score) == (first.submitted_at, Decimal(1))


def test_nothing_can_be_saved_after_submission(course, cat, learner):
    quiz = f.quiz(course, questions=[f.truefalse(cat)])
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    with pytest.raises(svc.AttemptClosedError, match="bereits abgegeben"):
        svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"value": True}})


def test_another_learner_cannot_save_into_an_attempt(course, cat, learner):
    quiz = f.quiz(course, questions=[f.truefalse(cat)])
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    with pytest.raises(Attempt.DoesNotExist):
        svc.attempt_answers_save(attempt_id=attempt.pk, user=UserFactory(), answers={1: {"value": True}})


def test_a_save_after_the_deadline_closes_the_attempt_graded_as_of_the_deadline(course, cat, learner):
    quiz = f.quiz(course, questions=[f.truefalse(cat), f.truefalse(cat)], time_limit_minutes=10)
    start = timezone.now()
    attempt = svc.attempt_start(quiz=quiz, user=learner, now=start)
    svc.attempt_answers_save(
        attempt_id=attempt.pk, user=learner, answers={1: {"value": True}}, now=start + datetime.timedelta(minutes=9)
    )
    late = start + datetime.timedelta(minutes=11)
    with pytest.raises(svc.AttemptClosedError, match="Zeit"):
        svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={2: {"value": True}}, now=late)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED
    assert attempt.submitted_at == attempt.deadline == start + datetime.timedelta(minutes=10)
    assert attempt.closed_by_deadline
    assert attempt.score == Decimal(1)  # the late answer did not count


def test_the_scheduled_sweep_closes_overdue_attempts_once(course, cat, learner):
    quiz = f.quiz(course, questions=[f.truefalse(cat)], time_limit_minutes=5)
    start = timezone.now() - datetime.timedelta(minutes=30)
    attempt = svc.attempt_start(quiz=quiz, user=learner, now=start)
    running = svc.attempt_start(quiz=f.quiz(course, questions=[f.truefalse(cat)], time_limit_minutes=60), user=learner)
    assert svc.attempts_close_overdue() == 1
    assert svc.attempts_close_overdue() == 0
    attempt.refresh_from_db()
    running.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED and attempt.submitted_at == attempt.deadline
    assert running.is_open


def test_starting_again_after_the_deadline_closes_the_old_attempt_first(course, cat, learner):
    quiz = f.quiz(course, questions=[f.truefalse(cat)], time_limit_minutes=5)
    old = svc.attempt_start(quiz=quiz, user=learner, now=timezone.now() - datetime.timedelta(hours=1))
    new = svc.attempt_start(quiz=quiz, user=learner)
    old.refresh_from_db()
    assert old.state == Attempt.State.FINISHED and new.number == 2


@pytest.mark.parametrize(
    ("method", "expected"),
    [(GradingMethod.HIGHEST, Decimal(2)), (GradingMethod.LAST, Decimal(1)), (GradingMethod.AVERAGE, Decimal("1.5"))],
)
def test_grading_method_picks_the_quiz_result(course, cat, learner, method, expected):
    quiz = f.quiz(course, questions=[f.truefalse(cat), f.truefalse(cat)], grading_method=method, passing_grade=60)
    for values in ({1: {"value": True}, 2: {"value": True}}, {1: {"value": True}, 2: {"value": False}}):
        attempt = svc.attempt_start(quiz=quiz, user=learner)
        svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers=values)
        svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    grade = sel.quiz_grade(quiz=quiz, user=learner)
    assert grade.score == expected and grade.max_score == Decimal(2)
    assert grade.passed is (expected / 2 * 100 >= 60)


def test_the_deadline_sweep_is_scheduled_every_minute(settings):
    import courses.assessment.tasks  # noqa: F401 - what the worker's autodiscovery imports
    from lernplattform.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["assessment-close-overdue-attempts"]
    assert entry["schedule"] <= 60
    assert entry["task"] in app.tasks


def test_a_graded_attempt_reports_score_and_pass_to_progress(course, cat, learner, django_capture_on_commit_callbacks):
    from courses.progress.models import ActivityCompletion

    quiz = f.quiz(course, questions=[f.truefalse(cat), f.truefalse(cat)], passing_grade=50)
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"value": True}})
    with django_capture_on_commit_callbacks(execute=True):
        svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    record = ActivityCompletion.objects.get(user=learner, activity=quiz)
    assert (record.score, record.max_score, record.passed, record.trusted, record.source) == (
        Decimal(1),
        Decimal(2),
        True,
        True,
        "quiz",
    )
    assert record.is_completed


@pytest.mark.parametrize(
    ("mode", "completed"), [(QuizCompletionMode.PASSED, False), (QuizCompletionMode.COMPLETED, True)]
)
def test_a_failed_attempt_completes_the_quiz_only_where_taking_it_is_enough(
    course, cat, learner, django_capture_on_commit_callbacks, mode, completed
):
    from courses.progress.models import ActivityCompletion

    quiz = f.quiz(course, questions=[f.truefalse(cat), f.truefalse(cat)], passing_grade=80, completion_mode=mode)
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"value": True}})
    with django_capture_on_commit_callbacks(execute=True):
        svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    record = ActivityCompletion.objects.get(user=learner, activity=quiz)
    assert record.passed is False
    assert record.is_completed is completed


def test_an_essay_waiting_for_its_grade_reports_nothing_yet(course, cat, learner, django_capture_on_commit_callbacks):
    from courses.progress.models import ActivityCompletion

    quiz = f.quiz(course, questions=[f.essay(cat)])
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"text": "Antwort"}})
    with django_capture_on_commit_callbacks(execute=True):
        svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert not ActivityCompletion.objects.filter(user=learner, activity=quiz, passed__isnull=False).exists()


def test_unshuffled_cloze_drop_downs_do_not_put_the_right_choice_first(course, cat):
    """Low of issue 10: authors (and the demo) write the right choice first; its position must say nothing."""
    from courses.questions.formats import ir

    parts = [
        ir.ClozePart(
            ir.ClozeKind.MULTICHOICE,
            1,
            [ir.Answer("Zweckverband", Decimal(1)), ir.Answer("Amt", Decimal(0)), ir.Answer("Landkreis", Decimal(0))],
        ),
        ir.ClozePart(ir.ClozeKind.MULTICHOICE, 1, [ir.Answer("16", Decimal(1)), ir.Answer("2", Decimal(0))]),
    ]
    question = f._store(
        cat,
        ir.Question(
            qtype=ir.QuestionType.CLOZE,
            name="Lücken",
            text=ir.FormattedText("<p>{#1} und {#2}</p>"),
            cloze_parts=parts,
        ),
    )
    quiz = f.quiz(course, questions=[question], shuffle_answers=True)
    orders = []
    for _ in range(3):
        attempt = svc.attempt_start(quiz=quiz, user=UserFactory(), rng=random.Random())
        segments = sel.attempt_questions(attempt=attempt)[0].question["segments"]
        orders.append([[c["text"] for c in s["choices"]] for s in segments if "choices" in s])
    assert orders[0] == [["Amt", "Landkreis", "Zweckverband"], ["2", "16"]]
    assert orders[0] == orders[1] == orders[2]  # stable: the same for everyone

    # Scoring follows the displayed order: the key shown for "Zweckverband" is right.
    slot = attempt.slots.get()
    key = str(slot.layout["parts"]["1"].index(0))
    svc.attempt_answers_save(attempt_id=attempt.pk, user=attempt.user, answers={1: {"gaps": {"1": key, "2": "1"}}})
    assert svc.attempt_submit(attempt_id=attempt.pk, user=attempt.user).score == Decimal(1)


def test_pending_registration_cannot_start_a_quiz(course, cat, org_tree):
    """Issue 10 (low): an unapproved self-registration took quizzes."""
    from lernplattform.accounts.services import membership_start

    pending = UserFactory()
    membership_start(user=pending, organisation=org_tree["garching"], role="learner", approved=False)
    quiz = f.quiz(course, questions=[f.truefalse(cat)])

    with pytest.raises(NotPermitted) as error:
        svc.attempt_start(quiz=quiz, user=pending)
    assert error.value.code == "assessment.registration_pending"

    assert "wartet noch auf die Bestätigung" in str(error.value)
    assert not Attempt.objects.exists()


def test_an_attempt_stored_before_the_question_type_classes_still_renders_reviews_and_scores(course, cat, learner):
    """Layouts and responses as the quiz stored them (display keys; a cloze layout from before the
    neutral order has no "parts") keep working with courses.questions.types (issue 11)."""
    questions = [f.multichoice(cat), f.matching(cat), f.ordering(cat), f.cloze(cat)]
    quiz = f.quiz(course, questions=questions, show_feedback="immediately", show_correct_answers="immediately")
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    stored = {
        # Choices shown as Augsburg, München, Nürnberg; "1" is München.
        1: ({"choices": [2, 0, 1]}, {"choice": "1"}),
        # Stems Sachsen, Bayern, Hessen; options Köln, Wiesbaden, München, Dresden.
        2: ({"stems": [2, 0, 1], "options": [3, 1, 0, 2]}, {"pairs": {"0": "3", "1": "2", "2": "1"}}),
        # Items Bescheid, Antrag, Prüfung; the learner's order Antrag, Prüfung, Bescheid.
        3: ({"items": [2, 0, 1]}, {"order": ["1", "2", "0"]}),
        # An old cloze layout: the drop-down is shown sorted by text (12, 16); "1" is 16.
        4: ({}, {"gaps": {"1": "berlin", "2": "1"}}),
    }
    by_number = {s.number: s for s in attempt.slots.all()}
    for number, (layout, response) in stored.items():
        AttemptSlot.objects.filter(pk=by_number[number].pk).update(layout=layout, response=response)

    views = {v.number: v.question for v in sel.attempt_questions(attempt=attempt)}
    assert [c["text"] for c in views[1]["choices"]] == ["Augsburg", "München", "Nürnberg"]
    assert [s["text"] for s in views[2]["stems"]] == ["Sachsen", "Bayern", "Hessen"]
    assert [o["text"] for o in views[2]["options"]] == ["Köln", "Wiesbaden", "München", "Dresden"]
    assert [i["text"] for i in views[3]["items"]] == ["Bescheid", "Antrag", "Prüfung"]
    gap = next(s for s in views[4]["segments"] if s.get("choices"))
    assert [c["text"] for c in gap["choices"]] == ["12", "16"]

    attempt = svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert attempt.score == Decimal(4)
    review = sel.attempt_review(attempt=attempt, user=learner)
    slots = {v.number: v for v in review.slots}
    assert [p.verdict for p in slots[2].parts] == ["correct"] * 3
    assert [(p.given, p.verdict) for p in slots[4].parts] == [("„berlin“", "correct"), ("„16“", "correct")]
    assert slots[1].parts[0].feedback == "Richtig, München."
