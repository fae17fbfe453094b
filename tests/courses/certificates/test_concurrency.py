"""Racing issue tasks on PostgreSQL leave one certificate and one PDF (real row locks, threads)."""

from __future__ import annotations

import os

import pytest
from django.core.files.storage import default_storage

from courses.certificates import services
from courses.certificates.models import Certificate
from courses.progress.models import CourseCompletion
from tests.concurrency import run_at_once

from .conftest import course_finish

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.usefixtures("needs_postgresql"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _pdf_files() -> list[str]:
    root = default_storage.path("certificates")
    return [name for _dir, _sub, files in os.walk(root) for name in files]


def test_eight_workers_issuing_the_same_completion_make_one_certificate_and_one_pdf(learner, course):
    course_finish(learner, course)  # autocommit: the on-commit task already ran once (eager)
    completion = CourseCompletion.objects.get(user=learner, course=course)
    Certificate.objects.all().delete()  # start the race from "no certificate yet"
    for folder, _sub, files in os.walk(default_storage.path("certificates")):
        for name in files:
            os.remove(os.path.join(folder, name))
    _, errors = run_at_once([lambda: services.certificate_issue(course_completion_id=completion.pk)] * 8)
    assert errors == []
    assert Certificate.objects.filter(course_completion=completion).count() == 1
    assert len(_pdf_files()) == 1


def test_two_completions_racing_each_get_exactly_one(learner, course, make_member, org_tree):
    other = make_member(org_tree["garching"], full_name="Erika Mustermann")
    course_finish(learner, course)
    course_finish(other, course)
    Certificate.objects.all().delete()
    for folder, _sub, files in os.walk(default_storage.path("certificates")):
        for name in files:
            os.remove(os.path.join(folder, name))
    ids = list(CourseCompletion.objects.filter(course=course).values_list("pk", flat=True))
    calls = [lambda pk=pk: services.certificate_issue(course_completion_id=pk) for pk in ids for _ in range(4)]
    _, errors = run_at_once(calls)
    assert errors == []
    assert Certificate.objects.count() == 2
    assert len(set(Certificate.objects.values_list("number", flat=True))) == 2
    assert len(_pdf_files()) == 2


def test_two_nightly_jobs_at_once_renew_a_path_certificate_once(learner):
    import datetime

    from courses.certificates import cycles
    from courses.certificates.models import CertificateEvent
    from courses.progress.models import Enrolment, PathEnrolment
    from lernplattform.notifications.models import Notification

    from .test_path_cycles import _certifying_path

    path, first, second = _certifying_path()
    course_finish(learner, first)
    course_finish(learner, second)  # autocommit: the path certificate is issued at once (eager task)
    certificate = Certificate.objects.get(path=path)
    window = certificate.valid_until - datetime.timedelta(days=30)
    _, errors = run_at_once([lambda: cycles.certifications_run(today=window)] * 4)
    assert errors == []
    assert PathEnrolment.objects.get(user=learner, path=path).cycle == 2
    assert Enrolment.objects.get(user=learner, course=first).cycle == 2
    assert certificate.events.filter(kind=CertificateEvent.Kind.RENEWAL_OPENED).count() == 1
    assert Notification.objects.filter(dedupe_key=f"certificate:{certificate.pk}:renewal").count() == 1
