"""Writes of the catalogue: who may edit which course, and how courses get published.

Wagtail permissions here are derived, never edited by hand (DESIGN.md, Roles):

- The role group "Trainer/innen" may add pages in the catalogue. In Wagtail terms "add" also
  means "edit the pages you own", so a trainer edits the courses they created and nothing else.
- Every course has its own group ("Kurs 42: Trainer/innen") with add/edit rights on that
  course and its activities. Its members are the course owner and the trainers assigned to the
  course (CourseTrainer), as long as they hold an active trainer membership.
- The role group "Redaktion" may edit and publish everything in the catalogue, and is the
  approving group of the "Kursfreigabe" workflow that trainers submit their changes to.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from lernplattform.accounts.models import Membership, User
from lernplattform.accounts.services import role_group_get

from .models import CatalogPage, CoursePage, CourseTrainer
from .permissions import course_trainers

WORKFLOW_NAME = "Kursfreigabe"
APPROVAL_TASK_NAME = "Freigabe durch die Redaktion"
TRAINER_CATALOG_PERMISSIONS = ("add",)
REVIEWER_CATALOG_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")
COURSE_GROUP_PERMISSIONS = ("add", "change")
# Trainers and reviewers upload and choose images and documents for lessons.
MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)


def course_group_name(*, course: Page) -> str:
    return f"Kurs {course.pk}: Trainer/innen"


def _grant_page_permissions(*, group: Group, page: Page, kinds: tuple[str, ...]) -> None:
    page_type = ContentType.objects.get_for_model(Page)
    for permission in Permission.objects.filter(content_type=page_type, codename__in=[f"{k}_page" for k in kinds]):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _grant_media_permissions(*, group: Group) -> None:
    root = Collection.get_first_root_node()
    for app_label, codename in MEDIA_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


@transaction.atomic
def catalog_permissions_setup(*, catalog: CatalogPage) -> Workflow:
    """Give the role groups their rights on the catalogue and put it under the review workflow."""
    trainers = role_group_get(role=Membership.Role.TRAINER)
    reviewers = role_group_get(role=Membership.Role.REVIEWER)
    _grant_page_permissions(group=trainers, page=catalog, kinds=TRAINER_CATALOG_PERMISSIONS)
    _grant_page_permissions(group=reviewers, page=catalog, kinds=REVIEWER_CATALOG_PERMISSIONS)
    _grant_media_permissions(group=trainers)
    _grant_media_permissions(group=reviewers)

    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=APPROVAL_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=APPROVAL_TASK_NAME)
    task.groups.set([reviewers])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=catalog, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def course_permissions_sync(*, course: CoursePage) -> Group:
    """Create or refresh the course's own group: edit rights on the course, owner and assigned trainers."""
    group, _created = Group.objects.get_or_create(name=course_group_name(course=course))
    _grant_page_permissions(group=group, page=course, kinds=COURSE_GROUP_PERMISSIONS)
    group.user_set.set(course_trainers(course=course))
    return group


@transaction.atomic
def course_trainer_assign(*, course: CoursePage, user: User) -> CourseTrainer:
    """Let a trainer edit a course they do not own."""
    if not Membership.objects.active().filter(user=user, role=Membership.Role.TRAINER, approved=True).exists():
        raise ValidationError(_("%(name)s hat keine aktive Rolle als Trainer/in.") % {"name": user})
    assignment, _created = CourseTrainer.objects.get_or_create(course=course, user=user)
    course_permissions_sync(course=course)
    return assignment


@transaction.atomic
def course_trainer_unassign(*, course: CoursePage, user: User) -> None:
    CourseTrainer.objects.filter(course=course, user=user).delete()
    course_permissions_sync(course=course)
