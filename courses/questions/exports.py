"""The download of a category's questions as a Moodle file (GIFT or XML), for the API and the bank's admin views."""

from __future__ import annotations

from django.http import HttpResponse

from courses.questions.models import QuestionCategory

from .services import questions_export


def export_response(*, category: QuestionCategory, fmt: str) -> HttpResponse:
    result = questions_export(category=category, fmt=fmt)
    extension, mime = ("txt", "text/plain") if fmt == "gift" else ("xml", "application/xml")
    response = HttpResponse(result.content, content_type=f"{mime}; charset=utf-8")
    filename = "".join(c if c.isalnum() else "-" for c in category.name).strip("-") or "fragen"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}.{extension}"'
    response["X-Export-Losses"] = str(len(result.losses))
    return response
