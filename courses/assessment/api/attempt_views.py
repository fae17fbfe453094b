"""REST API for taking a quiz: start, fetch questions (never the key), save answers, submit, review.

One view per operation; every rule is in attempt_services / attempt_selectors. Learners only
ever reach their own attempts (anyone else's is a 404).
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.assessment import attempt_selectors as sel
from courses.assessment import attempt_services as svc
from courses.assessment.quiz_models import Attempt, QuizPage
from lernplattform.core.errors import ApplicationError

from .serializers import (
    AttemptOutSerializer,
    AttemptWithSlotsSerializer,
    ReviewOutSerializer,
    SaveInSerializer,
    SaveOutSerializer,
)

ErrorSerializer = inline_serializer(
    "AttemptError", fields={"code": serializers.CharField(), "detail": serializers.CharField()}
)


def _attempt_data(attempt: Attempt, *, with_slots: bool) -> dict[str, Any]:
    seconds_left = None
    if attempt.deadline and attempt.is_open:
        seconds_left = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    data = AttemptOutSerializer({**attempt.__dict__, "seconds_left": seconds_left}).data
    if with_slots:
        data["slots"] = [
            {"slot": s.number, "max_mark": str(s.max_mark), **s.question, "response": s.response, "flagged": s.flagged}
            for s in sel.attempt_questions(attempt=attempt)
        ]
    return data


def _own_attempt(request: Request, attempt_id: int) -> Attempt:
    return get_object_or_404(Attempt.objects.select_related("quiz"), pk=attempt_id, user=request.user)


# --- Views -----------------------------------------------------------------------------------


class AttemptStartView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: AttemptWithSlotsSerializer, 201: AttemptWithSlotsSerializer, 403: ErrorSerializer},
        summary="Start a new attempt, or resume the open one (200)",
    )
    def post(self, request: Request, quiz_id: int) -> Response:
        quiz = get_object_or_404(QuizPage.objects.live(), pk=quiz_id)
        open_before = Attempt.objects.filter(quiz=quiz, user=request.user, state=Attempt.State.IN_PROGRESS).first()
        try:
            attempt = svc.attempt_start(quiz=quiz, user=request.user)
        except ApplicationError as exc:
            return Response(exc.as_dict(), status=exc.status_code)
        resumed = open_before is not None and open_before.pk == attempt.pk
        return Response(
            _attempt_data(attempt, with_slots=True), status=status.HTTP_200_OK if resumed else status.HTTP_201_CREATED
        )


class AttemptDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: AttemptWithSlotsSerializer}, summary="The attempt with its questions (no answers)")
    def get(self, request: Request, attempt_id: int) -> Response:
        attempt = _own_attempt(request, attempt_id)
        if attempt.is_open and svc.attempt_close_if_overdue(attempt_id=attempt.pk):
            attempt.refresh_from_db()
        return Response(_attempt_data(attempt, with_slots=True))


class AttemptAnswersView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=SaveInSerializer,
        responses={200: SaveOutSerializer, 400: SaveOutSerializer, 409: ErrorSerializer},
        summary="Save answers of an open attempt (valid ones are saved even if others are refused)",
    )
    def post(self, request: Request, attempt_id: int) -> Response:
        data = SaveInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answers = {a["slot"]: a["response"] for a in data.validated_data["answers"]}
        flags = {a["slot"]: a["flagged"] for a in data.validated_data["answers"] if "flagged" in a}
        try:
            result = svc.attempt_answers_save(attempt_id=attempt_id, user=request.user, answers=answers, flags=flags)
        except Attempt.DoesNotExist:
            return Response({"detail": "Nicht gefunden."}, status=status.HTTP_404_NOT_FOUND)
        except svc.AttemptClosedError as exc:
            return Response(exc.as_dict(), status=exc.status_code)
        body = {"saved": result.saved, "errors": result.errors, "saved_at": result.saved_at}
        return Response(
            SaveOutSerializer(body).data, status=status.HTTP_400_BAD_REQUEST if result.errors else status.HTTP_200_OK
        )


class AttemptSubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: AttemptOutSerializer},
        summary="Submit the attempt; repeating it returns the same result",
    )
    def post(self, request: Request, attempt_id: int) -> Response:
        try:
            attempt = svc.attempt_submit(attempt_id=attempt_id, user=request.user)
        except Attempt.DoesNotExist:
            return Response({"detail": "Nicht gefunden."}, status=status.HTTP_404_NOT_FOUND)
        return Response(_attempt_data(attempt, with_slots=False))


class AttemptReviewView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ReviewOutSerializer, 409: ErrorSerializer}, summary="Review a submitted attempt")
    def get(self, request: Request, attempt_id: int) -> Response:
        attempt = _own_attempt(request, attempt_id)
        if attempt.is_open and svc.attempt_close_if_overdue(attempt_id=attempt.pk):
            attempt.refresh_from_db()
        try:
            review = sel.attempt_review(attempt=attempt, user=request.user)
        except ApplicationError as exc:
            return Response(exc.as_dict(), status=exc.status_code)
        data = _attempt_data(attempt, with_slots=False)
        data["quiz_percent"] = None if review.grade.percent is None else str(review.grade.percent)
        data["quiz_passed"] = review.grade.passed
        # True while another attempt of the quiz is open: no per-question marks, feedback or answers.
        data["held_back"] = review.held_back
        data["slots"] = [
            {
                "slot": s.number,
                "max_mark": str(s.max_mark),
                **s.question,
                "response": s.response,
                "mark": None if s.mark is None else str(s.mark),
                "state": s.state,
                "feedback": s.feedback,
                "general_feedback": s.general_feedback,
                "correct": s.correct,
                "comment": s.comment,
            }
            for s in review.slots
        ]
        return Response(data)
