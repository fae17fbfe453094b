"""A certifying course (a lesson and a server-graded quiz) and a learner who can finish it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from courses.assessment.quiz_models import QuizPage
from courses.catalog.models import CoursePage
from courses.certificates.models import CertificateSignatory, CertificateTemplate
from courses.progress.services import activity_result_record, lesson_mark_done
from lernplattform.accounts.models import Membership
from tests.factories.pages import course_create, quiz_add


@pytest.fixture
def learner(org_tree, make_member):
    return make_member(org_tree["garching"], Membership.Role.LEARNER, full_name="Jürgen Weiß-Müller")


@pytest.fixture
def kreis_admin(org_tree, make_member):
    return make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN, full_name="Kreis Verwaltung")


@pytest.fixture
def outsider_admin(org_tree, make_member):
    return make_member(org_tree["other_kreis"], Membership.Role.ORG_ADMIN, full_name="Ebersberg Verwaltung")


def template_create(**fields) -> CertificateTemplate:
    defaults = {
        "name": f"Vorlage {CertificateTemplate.objects.count() + 1}",
        "issuer": "Kompetenzzentrum Digitale Kommune",
    }
    template = CertificateTemplate.objects.create(**{**defaults, **fields})
    CertificateSignatory.objects.create(template=template, name="Dr. Anna Groß", title="Leitung", sort_order=0)
    return template


def certifying_course(
    *, template: CertificateTemplate | None = None, title: str = "Datenschutz im Bürgerbüro", **fields
):
    """A published course with one lesson and one required quiz, naming a certificate template."""
    course = course_create(title=title, lessons=1, **fields)
    quiz_add(course, title="Abschlusstest", slug=f"abschlusstest-{course.pk}", is_required=True)
    template = template or template_create()
    CoursePage.objects.filter(pk=course.pk).update(certificate_template=template)
    return CoursePage.objects.get(pk=course.pk)


def course_finish(user, course: CoursePage, *, trusted: bool = True):
    """Do every activity of the course: mark the lesson done, pass the quiz (server-graded)."""
    for page in course.get_children().specific():
        if isinstance(page, QuizPage):
            activity_result_record(
                user=user,
                activity=page,
                score=Decimal(9),
                max_score=Decimal(10),
                passed=True,
                trusted=trusted,
                source="quiz",
            )
        else:
            lesson_mark_done(user=user, lesson=page)


@pytest.fixture
def course(db):
    return certifying_course()
