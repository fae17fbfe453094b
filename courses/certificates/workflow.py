"""The trust rule on Wagtail's workflow path: approving the last task publishes, so it checks first.

`WAGTAIL_FINISH_WORKFLOW_ACTION` names `publish_workflow_state` (settings). For a certifying course
without a published, required, server-graded quiz it publishes nothing: the approval becomes a
request for changes with the German reason as the task's comment (shown in the page's workflow
history and to the submitter), the draft stays saved and the live version stays as it was. Every
other page is published as Wagtail does it.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


def publish_workflow_state(workflow_state: Any, user=None) -> None:
    # Imported here: wagtail.models loads this module (by the setting) while it is being imported.
    from django.utils import timezone
    from wagtail.log_actions import log
    from wagtail.models import TaskState, WorkflowState
    from wagtail.workflows import publish_workflow_state as wagtail_publish_workflow_state

    from courses.catalog.models import CoursePage

    from .services import course_trust_problem

    revision = workflow_state.content_object.get_latest_revision()
    candidate = revision.as_object() if revision is not None else None
    problem = course_trust_problem(course=candidate) if isinstance(candidate, CoursePage) else None
    if problem is None:
        wagtail_publish_workflow_state(workflow_state, user=user)
        return
    # Turn the approval into a request for changes, with the reason where editors see it.
    task_state = (
        TaskState.objects.filter(workflow_state=workflow_state, status=TaskState.STATUS_APPROVED)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if task_state is not None:
        TaskState.objects.filter(pk=task_state.pk).update(
            status=TaskState.STATUS_REJECTED, comment=problem, finished_at=timezone.now()
        )
    workflow_state.status = WorkflowState.STATUS_NEEDS_CHANGES
    workflow_state.save(update_fields=["status"])
    log(
        instance=workflow_state.content_object,
        action="wagtail.workflow.reject",
        user=user,
        data={
            "workflow": {
                "id": workflow_state.workflow_id,
                "title": workflow_state.workflow.name,
                "status": workflow_state.status,
                "task_state_id": task_state.pk if task_state else None,
                "task": {"id": task_state.task_id, "title": task_state.task.name} if task_state else None,
                "next": None,
            },
            "comment": problem,
        },
        revision=revision,
        content_changed=False,
    )
    logger.info("Workflow approval of course %s not published: trust rule", workflow_state.object_id)
