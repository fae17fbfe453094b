"""Random short-answer matching (qtype_randomsamatch), Moodle's ``random`` entries and the refused
drag-onto-image types (ddimageortext, ddmarker): Moodle XML, the draw, scoring, quiz, import report."""

import json
import random
import re
from decimal import Decimal
from pathlib import Path

import pytest

from courses.assessment import attempt_selectors as sel
from courses.assessment import attempt_services as svc
from courses.questions import types
from courses.questions.formats import FormatError, ir, read_moodle_xml, write_gift, write_moodle_xml
from courses.questions.models import Question
from courses.questions.selectors import subquestion_pool
from courses.questions.services import UnsupportedQuestionsError, category_create, questions_import
from lernplattform.accounts.models import Membership
from tests.factories import pages
from tests.factories import quiz as f
from tests.factories.accounts import UserFactory

DATA = Path(__file__).parent / "data"
FILE = (DATA / "moodle_randomsamatch.xml").read_bytes()
DD_FILE = (DATA / "moodle_ddimage.xml").read_bytes()


@pytest.fixture(scope="module")
def parsed():
    return read_moodle_xml(FILE)


def named(parsed, name):
    return next(q for q in parsed.questions if q.name == name)


def pool_of(parsed, *names):
    return [
        types.Subquestion(version=n, data=ir.question_to_dict(named(parsed, name)))
        for n, name in enumerate(names, start=1)
    ]


ALL_SHORT = ("Abkürzung VwVfG", "Abkürzung VwGO", "Abkürzung BauGB", "Abkürzung GemO")


# --- Moodle XML ----------------------------------------------------------------------------------


def test_a_moodle_export_is_read_with_choose_subcats_and_combined_feedback(parsed):
    q = named(parsed, "Abkürzungen zuordnen")
    assert q.qtype is ir.QuestionType.RANDOMSAMATCH
    assert (q.choose, q.subcats, q.idnumber, q.show_num_correct) == (3, True, "VR-RSA-01", True)
    assert q.partially_correct_feedback.text == "<p>Ihre Antwort ist teilweise richtig.</p>"
    assert [h.text.text for h in q.hints] == ["<p>Denken Sie an die Langtitel.</p>"]
    local = named(parsed, "Kommunale Abkürzungen (nur diese Kategorie)")
    assert (local.choose, local.subcats, local.default_mark) == (2, False, Decimal(2))
    assert local.text.format is ir.TextFormat.MOODLE


def test_export_writes_what_moodle_writes_and_reads_back_the_same(parsed):
    exported = write_moodle_xml(parsed.questions, parsed.categories)
    assert exported.losses == []
    assert "<choose>3</choose>\n    <subcats>1</subcats>" in exported.content
    assert "<subcats>0</subcats>" in exported.content
    assert read_moodle_xml(exported.content).questions == parsed.questions
    gift = write_gift([named(parsed, "Abkürzungen zuordnen")])
    assert gift.content == "" and "Fragetyp randomsamatch ist in GIFT nicht darstellbar" in gift.losses[0]


def test_fewer_than_two_drawn_questions_is_refused_as_moodle_refuses_it():
    bad = FILE.decode().replace("<choose>3</choose>", "<choose>1</choose>")
    with pytest.raises(FormatError, match="mindestens zwei Kurzantwortfragen ziehen") as error:
        read_moodle_xml(bad)
    assert error.value.line == bad[: bad.index("<choose>1</choose>")].count("\n") + 1


def test_random_entries_are_quiz_slots_not_questions_and_the_report_says_what_to_do(parsed):
    assert "random" not in {q.qtype.value for q in parsed.questions}
    assert [(s.name, s.include_subcategories, s.category_path[-1]) for s in parsed.random_slots] == [
        ("Zufällig (Abkürzungen und Unterkategorien)", True, "Kommunalrecht"),
        ("Zufällig (Kommunalrecht)", False, "Kommunalrecht"),
    ]
    assert parsed.unsupported == []
    first, second = (w for w in parsed.warnings if "Zufallsfrage" in w)
    assert first.startswith("Zeile 195: „Zufällig (Abkürzungen und Unterkategorien)“ ist eine Zufallsfrage")
    assert "(mit Unterkategorien)" in first and "(ohne Unterkategorien)" in second
    assert "Wie in Moodle 4 wird sie nicht als Frage in die Fragensammlung übernommen" in first
    assert "„Zufällig aus Kategorie“" in first


def test_a_random_entry_with_a_question_text_moodle_never_writes_is_refused():
    bad = FILE.decode().replace("<text>0</text>", "<text>alle</text>", 1)
    with pytest.raises(FormatError, match="0 oder 1"):
        read_moodle_xml(bad)


def test_drag_onto_image_types_are_refused_with_their_reason_and_the_rest_is_kept():
    result = read_moodle_xml(DD_FILE)
    assert [q.name for q in result.questions] == ["Kreisstadt"]
    assert [(u.qtype, u.name, u.label) for u in result.unsupported] == [
        ("ddimageortext", "Landkreise auf der Karte", "Drag-and-Drop auf Bild"),
        ("ddmarker", "Rathaus markieren", "Drag-and-Drop-Markierungen"),
    ]
    for item in result.unsupported:
        assert "weder per Tastatur noch mit einem Screenreader" in item.reason
    message = str(UnsupportedQuestionsError(result.unsupported))
    assert "Zeile 15: „Landkreise auf der Karte“ (Drag-and-Drop auf Bild) – Die Frage legt Texte" in message
    assert "Nichts wurde importiert" in message


# --- the draw and the learner's view -------------------------------------------------------------


def test_the_draw_takes_choose_questions_with_a_right_answer_and_offers_their_answers(parsed):
    data = ir.question_to_dict(named(parsed, "Abkürzungen zuordnen"))
    qtype = types.for_data(data)
    layout = qtype.layout_drawn(data, pool=pool_of(parsed, *ALL_SHORT), shuffle_answers=True, rng=random.Random(3))
    assert len(layout["stems"]) == 3
    assert sorted(layout["choices"]) == sorted(s["answer"] for s in layout["stems"])
    # The right answer is the one worth 100 %, never a partly right one.
    assert "Baugesetz" not in layout["choices"]
    view = qtype.learner_view(data, layout)
    body = json.dumps(view)
    for secret in ("fraction", "answer", "version", "Verwaltungsvollstreckungsgesetz"):
        assert secret not in body
    assert [o["key"] for o in view["options"]] == ["0", "1", "2"]
    assert all("Abkürzung" in s["text"] for s in view["stems"])


def test_a_question_without_a_right_answer_or_with_a_wildcard_is_not_drawn(parsed):
    data = ir.question_to_dict(named(parsed, "Abkürzungen zuordnen"))
    wildcard = ir.question_to_dict(named(parsed, "Abkürzung GemO"))
    wildcard["answers"][0]["text"] = "Gemeinde*"
    half = ir.question_to_dict(named(parsed, "Abkürzung BauGB"))
    half["answers"] = [a for a in half["answers"] if a["text"] == "Baugesetz"]
    pool = [*pool_of(parsed, "Abkürzung VwVfG"), types.Subquestion(8, wildcard), types.Subquestion(9, half)]
    layout = types.for_data(data).layout_drawn(data, pool=pool, shuffle_answers=True, rng=random.Random(1))
    assert [s["answer"] for s in layout["stems"]] == ["Verwaltungsverfahrensgesetz"]
    view = types.for_data(data).learner_view(data, layout)
    assert "nicht genug Kurzantwortfragen" in view["text"]
    assert types.for_data(data).score(data, layout, None).fraction == 0


def test_the_same_seed_draws_the_same_stems(parsed):
    data = ir.question_to_dict(named(parsed, "Abkürzungen zuordnen"))
    pool = pool_of(parsed, *ALL_SHORT)
    first = types.seeded_layout(data, seed="s", pool=pool)
    assert types.seeded_layout(data, seed="s", pool=list(reversed(pool))) == first


def test_scoring_feedback_parts_and_right_answers_follow_the_drawn_stems(parsed):
    data = ir.question_to_dict(named(parsed, "Abkürzungen zuordnen"))
    qtype = types.for_data(data)
    layout = qtype.layout_drawn(data, pool=pool_of(parsed, *ALL_SHORT), shuffle_answers=True, rng=random.Random(5))
    view = qtype.learner_view(data, layout)
    key = {o["text"]: o["key"] for o in view["options"]}
    right = {str(i): key[s["answer"]] for i, s in enumerate(layout["stems"])}
    assert qtype.score(data, layout, qtype.clean(data, layout, {"pairs": right})).fraction == 1
    assert qtype.feedback(data, layout, {"pairs": right}) == ["<p>Ihre Antwort ist richtig.</p>"]
    one = {"pairs": {"0": right["0"]}}
    assert qtype.score(data, layout, one).fraction == Decimal("0.3333333")
    assert qtype.feedback(data, layout, one) == [
        "<p>Ihre Antwort ist teilweise richtig.</p>",
        "<p>Sie haben 1 von 3 Begriffen richtig zugeordnet.</p>",
    ]
    swapped = {"pairs": {"0": right["1"], "1": right["0"]}}
    assert qtype.score(data, layout, swapped).fraction == 0
    assert [p.verdict for p in qtype.answer_parts(data, layout, swapped)] == ["wrong", "wrong"]
    assert qtype.correct_answers_for(data, layout)[0].endswith(f"→ {layout['stems'][0]['answer']}")
    with pytest.raises(types.ResponseError, match="Diese Zuordnung gibt es nicht."):
        qtype.clean(data, layout, {"pairs": {"3": "0"}})
    with pytest.raises(types.ResponseError, match="Diese Zuordnung gibt es nicht."):
        qtype.clean(data, layout, {"pairs": {"0": "7"}})


# --- the bank and the quiz ------------------------------------------------------------------------


@pytest.fixture
def imported(db):
    root = f.category("Import")
    report = questions_import(content=FILE, fmt="moodlexml", category=root)
    return {q.current_version.name: q for q in report.created}, report


@pytest.mark.django_db
def test_the_import_keeps_the_questions_and_reports_the_random_entries(imported):
    created, report = imported
    assert len(created) == 6 and report.skipped == []
    assert sum("Zufallsfrage" in w for w in report.warnings) == 2


@pytest.mark.django_db
def test_the_pool_is_the_live_short_answer_questions_of_the_category_with_or_without_subcategories(imported):
    created, _report = imported
    names = {v.pk: v.name for q in created.values() for v in [q.current_version]}
    wide = subquestion_pool(version=created["Abkürzungen zuordnen"].current_version)
    assert sorted(names[s.version] for s in wide) == sorted(ALL_SHORT)
    local = subquestion_pool(version=created["Kommunale Abkürzungen (nur diese Kategorie)"].current_version)
    assert [names[s.version] for s in local] == ["Abkürzung GemO"]
    Question.objects.filter(pk=created["Abkürzung VwGO"].pk).update(is_archived=True)
    wide = subquestion_pool(version=created["Abkürzungen zuordnen"].current_version)
    assert "Abkürzung VwGO" not in {names[s.version] for s in wide}
    assert subquestion_pool(version=created["Abkürzung GemO"].current_version) == []


@pytest.mark.django_db
def test_a_quiz_draws_on_the_server_keeps_the_draw_on_resume_and_scores_it(client, imported):
    created, _report = imported
    learner = UserFactory()
    client.force_login(learner)
    quiz = f.quiz(pages.course(), questions=[created["Abkürzungen zuordnen"]])
    attempt = svc.attempt_start(quiz=quiz, user=learner, rng=random.Random(11))
    slot = attempt.slots.get()
    assert len(slot.layout["stems"]) == 3
    html = client.get(quiz.url + quiz.reverse_subpage("attempt", args=[attempt.pk])).content.decode()
    assert len(re.findall(r'<select[^>]+name="q1-\d"', html)) == 3
    api = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", "{}", content_type="application/json")
    for body in (html, api.content.decode()):
        for secret in ("fraction", "Verwaltungsvollstreckungsgesetz", '"answer"', "choose"):
            assert secret not in body
    # A later edit of a drawn question changes nothing in the attempt already started.
    drawn = Question.objects.get(current_version__pk=slot.layout["stems"][0]["version"])
    f.new_version(drawn, text={"text": "<p>Geändert</p>", "format": "html"})
    assert svc.attempt_start(quiz=quiz, user=learner).pk == attempt.pk
    view = sel.attempt_questions(attempt=attempt)[0].question
    assert "Geändert" not in json.dumps(view)
    key = {o["text"]: o["key"] for o in view["options"]}
    answers = {str(i): key[s["answer"]] for i, s in enumerate(slot.layout["stems"])}
    answers["2"] = answers["1"]
    assert svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"pairs": answers}}).errors == {}
    assert svc.attempt_submit(attempt_id=attempt.pk, user=learner).score == Decimal("0.6667")


@pytest.mark.django_db
def test_the_import_of_drag_onto_image_types_skips_them_only_when_asked_and_keeps_the_rest(db):
    root = f.category("Karten")
    with pytest.raises(UnsupportedQuestionsError, match="weder per Tastatur"):
        questions_import(content=DD_FILE, fmt="moodlexml", category=root)
    assert not Question.objects.exists()
    report = questions_import(content=DD_FILE, fmt="moodlexml", category=root, skip_unsupported=True)
    assert [q.current_version.name for q in report.created] == ["Kreisstadt"]
    assert [i.qtype for i in report.skipped] == ["ddimageortext", "ddmarker"]


@pytest.mark.django_db
def test_the_editor_asks_how_many_to_draw_and_from_where(client, org_tree, make_member):
    trainer = make_member(org_tree["kreis"], Membership.Role.TRAINER)
    client.force_login(trainer)
    root = category_create(name="Neu", owner=trainer)
    form = client.get("/admin/fragen/neu/randomsamatch/").content.decode()
    assert 'name="choose"' in form and 'name="subcats"' in form and "rows-0-text" not in form
    data = {
        "category": root.pk,
        "name": "Abkürzungen",
        "text": "<p>Ordnen Sie zu.</p>",
        "text_format": "html",
        "default_mark": "1",
        "penalty": "0.3333333",
        "tags": "",
        "choose": "1",
        "rows-TOTAL_FORMS": "0",
        "rows-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/fragen/neu/randomsamatch/", data)
    assert response.status_code == 200 and not Question.objects.exists()
    response = client.post("/admin/fragen/neu/randomsamatch/", {**data, "choose": "4"})
    assert response.status_code == 302, response.content.decode()[:2000]
    content = Question.objects.get().current_version.content
    assert (content.qtype, content.choose, content.subcats) == (ir.QuestionType.RANDOMSAMATCH, 4, False)
