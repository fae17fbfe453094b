"""The quiz pages learners use (overview, taking, autosave, review) and the trainers' grading queue.

Thin views: every rule is in attempt_services / attempt_selectors. The taking page is a plain
form that works without JavaScript; static/assessment/quiz.js adds debounced autosave on top.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.questions import types
from lernplattform.core.errors import ApplicationError

from . import attempt_selectors as sel
from . import attempt_services as svc
from .quiz_models import Attempt, AttemptSlot, QuizPage


def _attempt_url(page: QuizPage, attempt_id: int, route: str = "attempt") -> str:
    return page.url + page.reverse_subpage(route, args=[attempt_id])


def _own_attempt(request: HttpRequest, page: QuizPage, attempt_id: int) -> Attempt:
    try:
        return sel.attempt_of_learner(attempt_id=attempt_id, user=request.user, quiz=page)
    except Attempt.DoesNotExist as exc:
        raise Http404 from exc


def quiz_overview(request: HttpRequest, page: QuizPage) -> HttpResponse:
    context: dict[str, Any] = {"page": page, "self": page}
    if request.user.is_authenticated:
        attempts = sel.quiz_attempts(quiz=page, user=request.user)
        for attempt in attempts:
            # "On the next request": an attempt whose time ran out is closed before it is shown.
            if attempt.is_open and svc.attempt_close_if_overdue(attempt_id=attempt.pk):
                attempts = sel.quiz_attempts(quiz=page, user=request.user)
                break
        grade = sel.quiz_grade(quiz=page, user=request.user, attempts=attempts)
        _course, enrolled, refusal = svc.quiz_course_access(quiz=page, user=request.user)
        context.update(
            attempts=[
                {
                    "attempt": a,
                    "url": _attempt_url(page, a.pk, "attempt" if a.is_open else "attempt_review"),
                }
                for a in attempts
            ],
            grade=grade,
            open_url=_attempt_url(page, grade.open_attempt.pk) if grade.open_attempt else "",
            can_start=grade.open_attempt is None and grade.attempts_left != 0 and not refusal,
            locked_message=refusal,
            enrols_on_start=not enrolled and not refusal,
            start_url=page.url + page.reverse_subpage("start"),
        )
    return TemplateResponse(request, "assessment/quiz/quiz_page.html", context)


def quiz_start(request: HttpRequest, page: QuizPage) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        attempt = svc.attempt_start(quiz=page, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect(page.url)
    return redirect(_attempt_url(page, attempt.pk))


def _form_view(question: dict[str, Any], response: dict[str, Any] | None) -> dict[str, Any]:
    """The learner view plus what the form needs to show the saved answer as selected / filled in."""
    return types.for_question(question["type"]).form_view(question, response)


def _slot_contexts(attempt: Attempt, errors: dict[int, str] | None = None) -> list[dict[str, Any]]:
    errors = errors or {}
    slots = sel.attempt_questions(attempt=attempt)
    return [
        {
            "number": s.number,
            "max_mark": s.max_mark,
            "q": _form_view(s.question, s.response),
            "answered": s.response is not None,
            "flagged": s.flagged,
            "error": errors.get(s.number, ""),
        }
        for s in slots
    ]


def attempt_take(request: HttpRequest, page: QuizPage, attempt_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attempt = _own_attempt(request, page, attempt_id)
    if attempt.is_open and svc.attempt_close_if_overdue(attempt_id=attempt.pk):
        messages.info(request, svc.TIME_UP)
        attempt.refresh_from_db()
    if not attempt.is_open:
        return redirect(_attempt_url(page, attempt.pk, "attempt_review"))
    errors: dict[int, str] = {}
    if request.method == "POST":
        try:
            result = svc.attempt_answers_save(attempt_id=attempt.pk, user=request.user, form=request.POST)
        except svc.AttemptClosedError as exc:
            messages.info(request, str(exc))
            return redirect(_attempt_url(page, attempt.pk, "attempt_review"))
        errors = result.errors
        if not errors:
            action = request.POST.get("action")
            if action == "finish":
                return redirect(_attempt_url(page, attempt.pk, "attempt_summary"))
            if action == "submit":
                svc.attempt_submit(attempt_id=attempt.pk, user=request.user)
                messages.success(request, _("Ihr Versuch ist abgegeben."))
                return redirect(_attempt_url(page, attempt.pk, "attempt_review"))
            messages.success(request, _("Ihre Antworten sind gespeichert."))
            return redirect(_attempt_url(page, attempt.pk))
    slots = _slot_contexts(attempt, errors)
    context = {
        "page": page,
        "self": page,
        "attempt": attempt,
        "slots": slots,
        "errors": [{"number": n, "message": m} for n, m in sorted(errors.items())],
        "answered": sum(1 for s in slots if s["answered"]),
        "now": timezone.now(),
        "autosave_url": _attempt_url(page, attempt.pk, "attempt_autosave"),
    }
    return TemplateResponse(request, "assessment/quiz/attempt.html", context, status=400 if errors else 200)


def attempt_summary(request: HttpRequest, page: QuizPage, attempt_id: int) -> HttpResponse:
    """Before handing in: every question answered or not and flagged or not, with links back to it.

    The page is the confirmation step (Moodle's "Zusammenfassung"): only its POST with
    ``action=submit`` hands the attempt in, so it works without JavaScript.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attempt = _own_attempt(request, page, attempt_id)
    if attempt.is_open and svc.attempt_close_if_overdue(attempt_id=attempt.pk):
        messages.info(request, svc.TIME_UP)
        attempt.refresh_from_db()
    if not attempt.is_open:
        return redirect(_attempt_url(page, attempt.pk, "attempt_review"))
    if request.method == "POST":
        if request.POST.get("action") != "submit":
            return redirect(_attempt_url(page, attempt.pk, "attempt_summary"))
        svc.attempt_submit(attempt_id=attempt.pk, user=request.user)
        messages.success(request, _("Ihr Versuch ist abgegeben."))
        return redirect(_attempt_url(page, attempt.pk, "attempt_review"))
    take_url = _attempt_url(page, attempt.pk)
    rows = [
        {"number": s.number, "answered": s.response is not None, "flagged": s.flagged, "url": f"{take_url}#q{s.number}"}
        for s in sel.attempt_questions(attempt=attempt)
    ]
    context = {
        "page": page,
        "self": page,
        "attempt": attempt,
        "rows": rows,
        "unanswered": [r for r in rows if not r["answered"]],
        "flagged": [r for r in rows if r["flagged"]],
        "take_url": take_url,
        "now": timezone.now(),
    }
    return TemplateResponse(request, "assessment/quiz/summary.html", context)


def attempt_autosave(request: HttpRequest, page: QuizPage, attempt_id: int) -> HttpResponse:
    """The JavaScript autosave: the same form fields for some questions, a JSON answer."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Bitte melden Sie sich erneut an.")}, status=401)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        result = svc.attempt_answers_save(attempt_id=attempt_id, user=request.user, form=request.POST)
    except Attempt.DoesNotExist as exc:
        raise Http404 from exc
    except svc.AttemptClosedError as exc:
        return JsonResponse(
            {"error": str(exc), "review_url": _attempt_url(page, attempt_id, "attempt_review")}, status=409
        )
    return JsonResponse(
        {"saved": result.saved, "errors": result.errors, "saved_at": result.saved_at.isoformat()},
        status=400 if result.errors else 200,
    )


def attempt_review(request: HttpRequest, page: QuizPage, attempt_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attempt = _own_attempt(request, page, attempt_id)
    if attempt.is_open:
        svc.attempt_close_if_overdue(attempt_id=attempt.pk)
        attempt.refresh_from_db()
    if attempt.is_open:
        return redirect(_attempt_url(page, attempt.pk))
    review = sel.attempt_review(attempt=attempt, user=request.user)
    slots = [{"view": s, "q": _form_view(s.question, s.response)} for s in review.slots]
    return TemplateResponse(
        request,
        "assessment/quiz/review.html",
        {"page": page, "self": page, "review": review, "attempt": attempt, "slots": slots},
    )


# ---------------------------------------------------------------------------------------------
# Trainers: the grading queue
# ---------------------------------------------------------------------------------------------


@login_required
def grading_queue(request: HttpRequest) -> HttpResponse:
    slots = sel.grading_queue(user=request.user)
    return TemplateResponse(request, "assessment/quiz/grading_queue.html", {"slots": slots})


@login_required
def grade_slot(request: HttpRequest, slot_id: int) -> HttpResponse:
    try:
        slot: AttemptSlot = sel.slot_for_grading(slot_id=slot_id, user=request.user)
    except AttemptSlot.DoesNotExist as exc:
        raise Http404 from exc
    error = ""
    mark_value = request.POST.get("mark", "") if request.method == "POST" else (slot.mark or "")
    comment = request.POST.get("comment", "") if request.method == "POST" else slot.comment
    if request.method == "POST":
        try:
            mark = Decimal(str(mark_value).replace(",", ".").strip())
            if not mark.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            error = _("Bitte geben Sie eine Zahl ein, z. B. 1,5.")
        else:
            try:
                svc.attempt_slot_grade(slot_id=slot.pk, grader=request.user, mark=mark, comment=comment)
            except ApplicationError as exc:
                error = str(exc)
            else:
                messages.success(request, _("Die Bewertung ist gespeichert; die lernende Person sieht sie."))
                return redirect(reverse("quiz:grading_queue"))
    data = slot.question_version.data
    return TemplateResponse(
        request,
        "assessment/quiz/grade_slot.html",
        {
            "slot": slot,
            "question_html": types.render_text(data.get("text")),
            "grader_info": types.render_text(data.get("grader_info")),
            "answer": (slot.response or {}).get("text", ""),
            "mark_value": mark_value,
            "comment": comment,
            "error": error,
        },
        status=400 if error else 200,
    )


# ---------------------------------------------------------------------------------------------
# Practice questions in lessons
# ---------------------------------------------------------------------------------------------


def practice_check(request: HttpRequest) -> HttpResponse:
    """Check a practice answer: JSON for the lesson's script, a small page without JavaScript.

    Only for signed-in people, only with a token the lesson page issued to them (practice.py).
    """
    from courses.questions.practice import practice_check as check
    from lernplattform.core.errors import ApplicationError

    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        message = _("Bitte melden Sie sich an, um Ihre Antwort prüfen zu lassen.")
        if wants_json:
            return JsonResponse({"state": "error", "code": "assessment.practice_login", "message": message}, status=401)
        return redirect_to_login(request.headers.get("Referer") or "/")
    token, prefix = request.POST.get("token", ""), request.POST.get("prefix", "")[:40]
    try:
        result = check(token=token, prefix=prefix, form=request.POST, user=request.user)
    except ApplicationError as exc:
        if wants_json:
            return JsonResponse(
                {"state": "error", "code": exc.code, "message": exc.message, "feedback": [], "correct": []},
                status=exc.status_code,
            )
        if exc.status_code == 404:
            raise Http404(exc.message) from exc
        result = {"state": "error", "message": exc.message, "feedback": [], "correct": []}
        status = exc.status_code
    else:
        status = 200
        if wants_json:
            return JsonResponse(result)
    back = request.headers.get("Referer", "/")
    if not back.startswith("/") and not back.startswith(request.build_absolute_uri("/")):
        back = "/"
    return TemplateResponse(
        request, "assessment/quiz/practice_result.html", {"result": result, "back": back}, status=status
    )
