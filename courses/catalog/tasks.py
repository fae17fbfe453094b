"""Periodic work of the catalogue; both tasks can run twice without doing anything twice."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="catalog.pages_publish_scheduled")
def pages_publish_scheduled() -> None:
    """Publish revisions whose scheduled time has come and unpublish expired pages (Wagtail's own command)."""
    call_command("publish_scheduled")


@shared_task(name="catalog.course_groups_sync")
def course_groups_sync() -> None:
    """Course groups follow memberships that began or ended today (e.g. a trainer who left)."""
    from .models import CoursePage
    from .services import course_permissions_sync

    for course in CoursePage.objects.all().iterator():
        course_permissions_sync(course=course)


# The names before the naming rule (<app>.<entity>_<action>), still registered: beat rows and
# messages queued before the rename reach the same work.
shared_task(name="courses.catalog.tasks.pages_publish_scheduled")(pages_publish_scheduled.run)
shared_task(name="courses.catalog.tasks.course_groups_sync")(course_groups_sync.run)
