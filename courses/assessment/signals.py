"""The one signal receiver of the quiz side: publishing a quiz or a course releases its question versions.

Why a signal and not a Wagtail hook: pages are published by the editor's "Publish" button, by the
reviewer approving the "Kursfreigabe" workflow, by scheduled publishing and by code; only
``page_published`` sees all of them. The receiver holds no rule, it calls the release service.
"""

from __future__ import annotations

from typing import Any


def release_on_publish(sender: Any, instance: Any, revision: Any = None, **kwargs: Any) -> None:
    from courses.catalog.models import CoursePage

    from .quiz_models import QuizPage
    from .release_services import course_release, quiz_release

    # The signal names no publisher; the revision's author is recorded, Wagtail's own log holds
    # who approved the workflow task.
    approver = getattr(revision, "user", None)
    specific = instance.specific if hasattr(instance, "specific") else instance
    if isinstance(specific, QuizPage):
        quiz_release(quiz=specific, user=approver)
    elif isinstance(specific, CoursePage):
        course_release(course=specific, user=approver)
