"""Demo H5P activity: a quiz built from our own content type, placed in the first demo course.

Idempotent: the item is found by its file name, the page by its slug below the course.
Without the catalogue's demo courses it only uploads the item.
"""

from __future__ import annotations

import io

from .builder import build_quiz_package
from .models import H5PActivityPage, H5PContent
from .services import h5p_content_import

DEMO_FILENAME = "demo-datenschutz-quiz.h5p"
DEMO_PAGE_SLUG = "quiz-datenschutz-im-alltag"
DEMO_QUESTIONS = [
    {
        "id": "dsgvo-rechtsgrundlage",
        "text": "Wann darf eine Gemeinde personenbezogene Daten verarbeiten?",
        "answers": [
            {"text": "Wenn eine Rechtsgrundlage wie eine gesetzliche Aufgabe es erlaubt.", "correct": True},
            {"text": "Immer, wenn die Daten ohnehin schon vorliegen.", "correct": False},
            {"text": "Nur mit schriftlicher Zustimmung der Bürgermeisterin.", "correct": False},
        ],
    },
    {
        "id": "datenpanne",
        "text": "Ein Laptop mit Meldedaten ist verloren gegangen. Was ist zu tun?",
        "answers": [
            {"text": "Abwarten, ob er wieder auftaucht.", "correct": False},
            {
                "text": "Sofort die Datenschutzbeauftragte informieren; die Meldung an die "
                "Aufsichtsbehörde erfolgt innerhalb von 72 Stunden.",
                "correct": True,
            },
        ],
    },
    {
        "id": "offene-daten",
        "text": "Welche Daten eignen sich als offene Daten für GovData?",
        "answers": [
            {"text": "Standorte von Ladesäulen und Haltestellen.", "correct": True},
            {"text": "Die Personalakten der Beschäftigten.", "correct": False},
        ],
    },
]


def _first_demo_course():
    try:
        from courses.catalog.demo_files import load_courses
        from courses.catalog.models import CoursePage
    except ImportError:
        return None
    for data in load_courses():
        course = CoursePage.objects.filter(slug=data["slug"]).first()
        if course is not None:
            return course
    return None


def seed(*, stdout) -> None:
    content = H5PContent.objects.filter(source_filename=DEMO_FILENAME).first()
    if content is None:
        data = build_quiz_package(title="Datenschutz im Alltag", questions=DEMO_QUESTIONS, pass_percentage=60)
        content = h5p_content_import(file=io.BytesIO(data), filename=DEMO_FILENAME)
        stdout.write(f"  H5P-Inhalt „{content.title}“ angelegt.")
    course = _first_demo_course()
    if course is None:
        stdout.write("  Kein Demokurs gefunden – H5P-Aktivität übersprungen.")
        return
    if H5PActivityPage.objects.child_of(course).filter(slug=DEMO_PAGE_SLUG).exists():
        return
    page = H5PActivityPage(
        title="Quiz: Datenschutz im Alltag",
        slug=DEMO_PAGE_SLUG,
        intro="<p>Prüfen Sie Ihr Wissen mit drei kurzen Fragen. Ab 60 % ist das Quiz bestanden.</p>",
        content=content,
        passing_threshold=60,
        is_required=True,
    )
    course.add_child(instance=page)
    page.save_revision().publish()
    stdout.write(f"  H5P-Aktivität „{page.title}“ in „{course.title}“ angelegt.")
