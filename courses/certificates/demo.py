"""Demo certificates: the demo learner's valid certificate with its PDF, an expired and a revoked one.

Runs after courses.progress.demo. Idempotent: each demo certificate is looked up by person and
course; an existing one is kept as it is (certificates are immutable).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from courses.catalog.models import CoursePage
from courses.lessons.models import LessonPage
from courses.progress.demo import LEARNER_EMAIL, ORGANISATION, STANDARDS
from courses.progress.models import CourseCompletion
from courses.progress.services import activity_result_record, enrolment_create, lesson_mark_done
from lernplattform.accounts.models import User

from . import services
from .demo_templates import templates_seed
from .models import Certificate

EXPIRED_EMAIL = "kollege.garching@demo.lernplattform.de"
REVOKED_EMAIL = "taufkirchen@demo.lernplattform.de"
PLATFORM_ADMIN_EMAIL = "plattform@demo.lernplattform.de"


def _finish(user: User, course: CoursePage) -> CourseCompletion | None:
    enrolment_create(user=user, course=course, enrolled_by=user)
    for activity in course.get_children().live().specific():
        if isinstance(activity, LessonPage):
            lesson_mark_done(user=user, lesson=activity)
        else:
            activity_result_record(
                user=user,
                activity=activity,
                score=Decimal(9),
                max_score=Decimal(10),
                passed=True,
                trusted=activity._meta.app_label == "assessment",
                source="demo",
            )
    return CourseCompletion.objects.filter(user=user, course=course).order_by("-cycle").first()


def _certificate(user: User, course: CoursePage, *, completed_days_ago: int = 0) -> Certificate | None:
    existing = Certificate.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    completion = CourseCompletion.objects.filter(user=user, course=course).order_by("-cycle").first() or _finish(
        user, course
    )
    if completion is None or not completion.certifiable:
        return None
    if completed_days_ago:
        # Demo history: this person finished the course long ago.
        CourseCompletion.objects.filter(pk=completion.pk).update(
            completed_at=timezone.now() - datetime.timedelta(days=completed_days_ago)
        )
    return services.certificate_issue(course_completion_id=completion.pk)


def seed(*, stdout) -> None:
    templates_seed()
    organisation = CoursePage.objects.filter(slug=ORGANISATION, certificate_template__isnull=False).first()
    standards = CoursePage.objects.filter(slug=STANDARDS, certificate_template__isnull=False).first()
    learner = User.objects.filter(email=LEARNER_EMAIL).first()
    if organisation is None or standards is None or learner is None:
        stdout.write("  Zertifikate: Demokurse oder Demo-Lernende fehlen, übersprungen")
        return
    made = []
    valid = _certificate(learner, organisation)
    if valid is not None:
        made.append(f"{learner.email}: {valid.number} ({valid.status_label})")
    expired_user = User.objects.filter(email=EXPIRED_EMAIL).first()
    if expired_user is not None:
        expired = _certificate(expired_user, standards, completed_days_ago=400)
        if expired is not None:
            made.append(f"{expired_user.email}: {expired.number} ({expired.status_label})")
    revoked_user = User.objects.filter(email=REVOKED_EMAIL).first()
    admin = User.objects.filter(email=PLATFORM_ADMIN_EMAIL).first()
    if revoked_user is not None and admin is not None:
        revoked = _certificate(revoked_user, organisation)
        if revoked is not None and revoked.revoked_at is None:
            revoked = services.certificate_revoke(
                certificate=revoked,
                by=admin,
                reason=Certificate.RevocationReason.ERROR,
                comment="Demo: versehentlich für die falsche Person ausgestellt.",
            )
        if revoked is not None:
            made.append(f"{revoked_user.email}: {revoked.number} ({revoked.status_label})")
    stdout.write("  Zertifikate: " + ("; ".join(made) or "keine"))
