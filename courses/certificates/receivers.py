"""Listeners to progress: a completed course or path enqueues the issuing task (after commit).

progress sends its signals after the completion's transaction committed; enqueue_on_commit then
sends at once, and never fails the learner's request when the broker is down (the reconcile beat
task issues what was missed).
"""

from __future__ import annotations

from typing import Any

from lernplattform.core.tasks import enqueue_on_commit


def on_course_completed(sender: Any, completion: Any, **kwargs: Any) -> None:
    if not completion.certifiable:
        return
    from .tasks import certificate_issue

    enqueue_on_commit(certificate_issue, course_completion_id=completion.pk)


def on_path_completed(sender: Any, completion: Any, path: Any, **kwargs: Any) -> None:
    if not completion.trusted or not path.certificate_template_id:
        return
    from .tasks import certificate_issue

    enqueue_on_commit(certificate_issue, path_completion_id=completion.pk)
