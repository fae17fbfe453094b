"""Practice questions in lessons: shown like quiz questions, checked on the server.

No answer is stored. That a question was answered right is one of the lesson's items (the
lesson's completion mode "items", courses.lessons): `practice_check` tells progress, which
completes the lesson when all its items are done.

Practice shows the right answer after a wrong one – so it may only ever use questions from
categories marked for practice, which no quiz may draw from (the services and the quiz line's
``clean`` refuse both directions; the quiz draw and the check below test it again).

The layout (order of choices) comes from a seed in the page, so the check can rebuild it without
storing anything. Version, seed, person and lesson travel as a signed, timestamped token: the
check answers only the person the lesson page was rendered for, only for a question that lesson
still offers for practice, and only for ``PRACTICE_TOKEN_MAX_AGE`` seconds.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from courses.progress import services as progress_services
from courses.questions import types
from courses.questions.models import Question, QuestionVersion
from lernplattform.core.errors import NotFound, NotPermitted, ValidationFailed

SALT = "assessment.practice.v2"
BLOCK_TYPE = "practice_questions"


def _layout(version: QuestionVersion, seed: str) -> dict[str, Any]:
    from .selectors import subquestion_pool

    return types.seeded_layout(version.data, seed=f"{version.pk}:{seed}", pool=subquestion_pool(version=version))


def practice_questions(*, question_ids: list[int]) -> dict[int, Question]:
    """The chosen questions that may be practised: live in the bank and in a practice category."""
    return {
        q.pk: q
        for q in Question.objects.filter(
            pk__in=question_ids, is_archived=False, category__is_practice=True, current_version__isnull=False
        ).select_related("current_version")
    }


def lesson_practice_questions(lesson: Page) -> dict[int, Question]:
    """The practice questions a lesson offers (all its practice blocks), read once per page object:
    the lesson's completion items and each practice block's rendering share one query."""
    ids = tuple(sorted(lesson_practice_question_ids(lesson=lesson)))
    cached = lesson.__dict__.get("_practice_questions")
    if cached is None or cached[0] != ids:
        cached = (ids, practice_questions(question_ids=list(ids)) if ids else {})
        lesson.__dict__["_practice_questions"] = cached
    return cached[1]


def practice_items(*, question_ids: list[int], seed: str, user: Any = None, lesson: Page | None = None) -> list[dict]:
    """What the lesson block renders: each chosen question's current version, without its key.

    Without a signed-in person or a lesson page there is no token: the questions are shown, the
    check is not offered (the template says why).
    """
    offered = lesson_practice_questions(lesson) if lesson is not None and lesson.pk else None
    if offered is not None and set(question_ids) <= set(offered):
        by_id = offered
    else:  # a preview, or a block not (yet) saved in this lesson's body
        by_id = practice_questions(question_ids=question_ids)
    can_check = bool(user is not None and user.is_authenticated and lesson is not None and lesson.pk)
    items = []
    for question_id in question_ids:
        question = by_id.get(question_id)
        if question is None:
            continue
        version = question.current_version
        qtype = types.for_data(version.data)
        view = qtype.learner_view(version.data, _layout(version, seed))
        token = (
            signing.dumps({"v": version.pk, "s": seed, "u": user.pk, "l": lesson.pk}, salt=SALT) if can_check else ""
        )
        items.append({"token": token, "n": f"{version.pk}x{seed[:6]}", "q": qtype.form_view(view, None)})
    return items


def lesson_practice_question_ids(*, lesson: Page) -> set[int]:
    """The bank questions a (live) lesson offers in its practice blocks."""
    ids: set[int] = set()
    # Practice blocks live in the StreamField ``body`` of lesson pages; other pages offer none.
    body = getattr(lesson, "body", None)
    for block in body.raw_data if body else []:
        if block.get("type") == BLOCK_TYPE:
            ids.update(int(pk) for pk in (block.get("value") or {}).get("questions") or [] if str(pk).isdigit())
    return ids


EXPIRED = gettext_lazy(
    "Diese Übung ist abgelaufen. Bitte laden Sie die Seite neu und prüfen Sie Ihre Antwort noch einmal."
)


def _token_open(*, token: str, user: Any) -> tuple[QuestionVersion, str, Page]:
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.PRACTICE_TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationFailed("assessment.practice_expired", EXPIRED) from exc
    except signing.BadSignature as exc:
        raise NotFound("assessment.practice_unknown", _("Diese Übungsfrage gibt es nicht.")) from exc
    if not isinstance(payload, dict) or payload.get("u") != user.pk:
        raise NotPermitted(
            "assessment.practice_other_person",
            _("Diese Übung wurde für eine andere Person angezeigt. Bitte laden Sie die Seite neu."),
        )
    version = QuestionVersion.objects.select_related("question__category").filter(pk=payload.get("v")).first()
    lesson = Page.objects.live().filter(pk=payload.get("l")).first()
    if (
        version is None
        or lesson is None
        or version.question.is_archived
        or not version.question.category.is_practice
        or version.question_id not in lesson_practice_question_ids(lesson=lesson.specific)
    ):
        raise NotFound("assessment.practice_unknown", _("Diese Übungsfrage wird in dieser Lektion nicht angeboten."))
    return version, str(payload.get("s", "")), lesson


def practice_check(*, token: str, prefix: str, form: Any, user: Any) -> dict[str, Any]:
    """Check one practice answer: right, partly right or wrong, with feedback and the right answer.

    Raises ApplicationError: expired token (400), another person's token (403), a question the
    lesson does not (or no longer) offer for practice (404).
    """
    version, seed, lesson = _token_open(token=token, user=user)
    data = version.data
    qtype = types.for_data(data)
    layout = _layout(version, seed)
    try:
        response = qtype.clean(data, layout, qtype.response_from_form(data, layout, f"q{prefix}", form))
    except types.ResponseError as exc:
        return {"state": "error", "message": str(exc), "feedback": [], "correct": []}
    if response is None:
        return {"state": "error", "message": _("Bitte geben Sie zuerst eine Antwort."), "feedback": [], "correct": []}
    result = qtype.score(data, layout, response)
    fraction = result.fraction or 0
    state = "correct" if fraction >= 1 else "partial" if fraction > 0 else "wrong"
    messages = {
        "correct": _("Richtig!"),
        "partial": _("Teilweise richtig."),
        "wrong": _("Leider nicht richtig."),
    }
    feedback = qtype.feedback(data, layout, response)
    general = qtype.general_feedback_for(data, layout)
    lesson_completed = False
    if state == "correct":
        record = progress_services.activity_item_record(
            user=user, activity=lesson.specific, item=f"practice:{version.question_id}"
        )
        lesson_completed = bool(record is not None and record.is_completed)
    return {
        "state": state,
        "message": messages[state],
        "feedback": [*feedback, general] if general else feedback,
        "correct": qtype.correct_answers_for(data, layout) if state != "correct" else [],
        "lesson_completed": lesson_completed,
        "note": _("Die Lektion ist erledigt.") if lesson_completed else "",
    }
