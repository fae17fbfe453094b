"""Demo learning paths over the catalog's demo courses, and the demo learner's progress.

Idempotent: paths are matched by slug, steps by course; the learner's results go through the
completion service, which records each completion once however often the seed runs.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from courses.catalog.models import CoursePage
from courses.lessons.models import LessonPage
from lernplattform.accounts.models import User

from .models import CourseCompletion, LearningPath, LearningPathStep
from .services import activity_result_record, enrolment_create, lesson_mark_done

ORGANISATION = "organisationsentwicklung-und-change"
DATA = "datenmanagement-in-der-kommune"
STANDARDS = "standards-und-interoperabilitaet"

# (slug, title, audience, summary, sequential, [(course slug, required, [prerequisite slugs])])
PATHS = [
    (
        "einstieg-digitalisierung",
        "Einstieg Digitalisierung",
        "Alle Beschäftigten",
        "Der gemeinsame Einstieg für alle Beschäftigten: wie die Verwaltung den digitalen Wandel gestaltet "
        "und warum gute Daten dafür die Grundlage sind. Standards und Interoperabilität vertiefen freiwillig.",
        True,
        [(ORGANISATION, True, []), (DATA, True, []), (STANDARDS, False, [])],
    ),
    (
        "datenverantwortliche",
        "Datenverantwortliche",
        "Beschäftigte mit Verantwortung für Datenbestände (Data Stewards, Fachverfahrensbetreuung)",
        "Vom Datenschutz über Data Governance und offene Daten bis zu den Standards, mit denen Daten "
        "zwischen Verwaltungen fließen.",
        True,
        [(DATA, True, []), (STANDARDS, True, [])],
    ),
    (
        "digitalisierungsverantwortliche-cdo",
        "Digitalisierungsverantwortliche / CDO",
        "Chief Digital Officers, Digitalisierungsbeauftragte und Leitungen von Digitalisierungseinheiten",
        "Organisation und Change sowie Datenmanagement in beliebiger Reihenfolge; der Kurs zu Standards und "
        "Interoperabilität wird frei, wenn beide abgeschlossen sind.",
        False,
        [(ORGANISATION, True, []), (DATA, True, []), (STANDARDS, True, [ORGANISATION, DATA])],
    ),
]

LEARNER_EMAIL = "lernende@demo.lernplattform.de"
ORG_ADMIN_EMAIL = "verwaltung@demo.lernplattform.de"


def _activities(course: CoursePage) -> list[Page]:
    return list(Page.objects.child_of(course).live().specific().order_by("path"))


def _complete(user: User, activity: Page) -> None:
    """Finish one activity the way its kind is finished (demo results, not real attempts)."""
    if isinstance(activity, LessonPage):
        lesson_mark_done(user=user, lesson=activity)
        return
    activity_result_record(
        user=user,
        activity=activity,
        score=Decimal(9),
        max_score=Decimal(10),
        passed=True,
        # Only server-graded quizzes are trusted (DESIGN.md trust rule).
        trusted=activity._meta.app_label == "assessment",
        source="demo",
    )


def _seed_paths(courses: dict[str, CoursePage]) -> int:
    made = 0
    for slug, title, audience, summary, sequential, steps in PATHS:
        if any(course_slug not in courses for course_slug, _r, _p in steps):
            continue
        path, _created = LearningPath.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "audience": audience,
                "summary": summary,
                "sequential": sequential,
                "recommended": True,
                "live": True,
            },
        )
        for position, (course_slug, required, prerequisites) in enumerate(steps):
            step, _created = LearningPathStep.objects.update_or_create(
                path=path,
                course=courses[course_slug],
                defaults={"sort_order": position, "is_required": required},
            )
            step.prerequisites.set([courses[p] for p in prerequisites])
            step.save()
        made += 1
    return made


@transaction.atomic
def seed(*, stdout) -> None:
    courses = {c.slug: c for c in CoursePage.objects.live().filter(slug__in=[ORGANISATION, DATA, STANDARDS])}
    if len(courses) < 3:
        stdout.write("  Lernpfade: Demokurse fehlen (courses.catalog.demo), übersprungen")
        return
    paths = _seed_paths(courses)

    learner = User.objects.filter(email=LEARNER_EMAIL).first()
    admin = User.objects.filter(email=ORG_ADMIN_EMAIL).first()
    if learner is None:
        stdout.write(f"  {paths} Lernpfade; Demo-Lernende fehlt, kein Lernfortschritt angelegt")
        return
    # Finished: the first step of "Einstieg Digitalisierung".
    finished = courses[ORGANISATION]
    if not CourseCompletion.objects.filter(user=learner, course=finished).exists():
        enrolment_create(user=learner, course=finished, enrolled_by=learner)
        for activity in _activities(finished):
            _complete(learner, activity)
    # Part-way: enrolled by the organisation admin with a due date, two activities done.
    ongoing = courses[DATA]
    due = timezone.localdate() + datetime.timedelta(days=30)
    enrolment = enrolment_create(
        user=learner, course=ongoing, enrolled_by=admin or learner, due_date=due if admin else None
    )
    activities = _activities(ongoing)
    if not CourseCompletion.objects.filter(user=learner, course=ongoing).exists():
        for activity in activities[:2]:
            _complete(learner, activity)
    enrolment.refresh_from_db()
    done = CourseCompletion.objects.filter(user=learner).count()
    stdout.write(
        f"  {paths} Lernpfade; {learner.email}: {done} Kurs(e) abgeschlossen, "
        f"„{ongoing.title}“ begonnen ({min(2, len(activities))} von {len(activities)} Aktivitäten)"
    )
