"""Demo certificate templates, attached to the demo courses before the demo learner makes progress.

Runs before courses.progress.demo (see seed_demo), so the demo learner's finished course is
certifiable when it completes and the issuing task makes its certificate. Idempotent.
"""

from __future__ import annotations

from courses.catalog.models import CoursePage
from courses.lessons.models import LessonPage
from courses.progress.demo import DATA, ORGANISATION, STANDARDS

from .models import CertificateSignatory, CertificateTemplate

TEMPLATES = {
    "Teilnahmezertifikat Digitale Verwaltung": {
        "heading": "Zertifikat",
        "body": (
            "{name} ({organisation}) hat den Kurs „{course}“ der Lernplattform im Umfang von {hours} Stunden "
            "am {date} erfolgreich abgeschlossen, einschließlich eines bewerteten Abschlusstests.\n\n"
            "Gültig bis: {valid_until}."
        ),
        "issuer": "Kompetenzzentrum Digitale Städte und Regionen",
        "validity": CertificateTemplate.Validity.FROM_PREVIOUS_EXPIRY,
        "validity_months": 24,
        "window_days": 90,
        "reminder_days": "90, 30",
    },
    "Jährliche Unterweisung": {
        "heading": "Nachweis der jährlichen Unterweisung",
        "body": (
            "{name} ({organisation}) hat die Unterweisung „{course}“ am {date} abgeschlossen. Gültig bis {valid_until}."
        ),
        "issuer": "Kompetenzzentrum Digitale Städte und Regionen",
        "validity": CertificateTemplate.Validity.FROM_COMPLETION,
        "validity_months": 12,
        "window_days": 60,
        "reminder_days": "60, 14",
    },
}
COURSE_TEMPLATES = {
    ORGANISATION: "Teilnahmezertifikat Digitale Verwaltung",
    DATA: "Teilnahmezertifikat Digitale Verwaltung",
    STANDARDS: "Jährliche Unterweisung",
}


def templates_seed() -> dict[str, CertificateTemplate]:
    templates = {}
    for name, fields in TEMPLATES.items():
        template, created = CertificateTemplate.objects.get_or_create(name=name, defaults=fields)
        if created:
            CertificateSignatory.objects.create(
                template=template, name="Dr. Sabine Brandt", title="Leitung des Kompetenzzentrums", sort_order=0
            )
            template.save_revision()
        templates[name] = template
    return templates


def seed(*, stdout) -> None:
    templates = templates_seed()
    attached = 0
    for slug, name in COURSE_TEMPLATES.items():
        course = CoursePage.objects.filter(slug=slug).first()
        if course is None or course.certificate_template_id:
            continue
        course.certificate_template = templates[name]
        revision = course.save_revision()
        if course.live:
            revision.publish()
        attached += 1
    evidenced = _lessons_need_evidence()
    stdout.write(
        f"  {len(templates)} Zertifikatsvorlagen, {attached} Kurs(e) neu mit Zertifikat, "
        f"{evidenced} Lektion(en) neu mit „als erledigt markieren“"
    )


def _lessons_need_evidence() -> int:
    """Lessons of certifying courses complete when the learner marks them done (or does their
    practice and H5P items), not on opening.

    A certificate should rest on something the learner did: opening a page proves nothing.
    """
    changed = 0
    for course in CoursePage.objects.filter(slug__in=COURSE_TEMPLATES, certificate_template__isnull=False):
        lessons = LessonPage.objects.child_of(course).exclude(completion_mode=LessonPage.CompletionMode.DONE)
        for lesson in lessons:
            if not lesson.completion_condition().completes_on_view:
                continue  # it completes through its items: something the learner did
            lesson.completion_mode = LessonPage.CompletionMode.DONE
            revision = lesson.save_revision()
            if lesson.live:
                revision.publish()
            changed += 1
    return changed
