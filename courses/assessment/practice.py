"""Practice questions in lessons: shown like quiz questions, checked on the server, never recorded.

The layout (order of choices) comes from a seed in the page, so the check can rebuild it
without storing anything. Version and seed travel as a signed token: the check answers only for
questions some lesson actually offers for practice – otherwise anyone could ask it for the key
of any question version, including those of graded quizzes.
"""

from __future__ import annotations

import random
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

from . import attempt_questions as aq
from .attempt_feedback import answer_feedback, correct_answers
from .formats import ir
from .models import Question, QuestionVersion
from .scoring import score_response

SALT = "assessment.practice"


def _layout(version: QuestionVersion, seed: str) -> dict[str, Any]:
    rng = random.Random(f"{version.pk}:{seed}")  # noqa: S311 - presentation order, not security
    return aq.layout_make(version.data, shuffle_answers=True, rng=rng)


def practice_items(*, question_ids: list[int], seed: str) -> list[dict[str, Any]]:
    """What the lesson block renders: each chosen question's current version, without its key."""
    from .quiz_views import _form_view

    by_id = {
        q.pk: q.current_version
        for q in Question.objects.filter(pk__in=question_ids, is_archived=False).select_related("current_version")
    }
    items = []
    for question_id in question_ids:
        version = by_id.get(question_id)
        if version is None:
            continue
        view = aq.learner_view(version.data, _layout(version, seed))
        items.append(
            {
                "token": signing.dumps([version.pk, seed], salt=SALT),
                "n": f"{version.pk}x{seed[:6]}",
                "q": _form_view(view, None),
            }
        )
    return items


def practice_check(*, token: str, prefix: str, form: Any) -> dict[str, Any]:
    """Check one practice answer: right, partly right or wrong, with feedback and the right answer.

    Raises signing.BadSignature for a token no lesson issued.
    """
    version_id, seed = signing.loads(token, salt=SALT)
    version = QuestionVersion.objects.get(pk=version_id)
    data = version.data
    layout = _layout(version, seed)
    try:
        response = aq.response_clean(data, layout, aq.response_from_form(data, layout, f"q{prefix}", form))
    except aq.ResponseError as exc:
        return {"state": "error", "message": str(exc), "feedback": [], "correct": []}
    if response is None:
        return {"state": "error", "message": _("Bitte geben Sie zuerst eine Antwort."), "feedback": [], "correct": []}
    result = score_response(ir.question_from_dict(data), aq.response_for_scoring(data, layout, response))
    fraction = result.fraction or 0
    state = "correct" if fraction >= 1 else "partial" if fraction > 0 else "wrong"
    messages = {
        "correct": _("Richtig!"),
        "partial": _("Teilweise richtig."),
        "wrong": _("Leider nicht richtig."),
    }
    source = aq.response_to_source(data, layout, response)
    feedback = [str(aq.render_text(f)) for f in answer_feedback(data, source)]
    general = str(aq.render_text(data.get("general_feedback")))
    return {
        "state": state,
        "message": messages[state],
        "feedback": [*feedback, general] if general else feedback,
        "correct": correct_answers(data) if state != "correct" else [],
    }
