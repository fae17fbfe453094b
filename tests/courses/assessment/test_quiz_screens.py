"""The quiz as learners use it in the browser: no key in the HTML, plain-form saving, one submission, review."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.assessment import attempt_selectors as sel
from courses.assessment import attempt_services as svc
from courses.assessment.quiz_models import Attempt, AttemptSlot, ReviewWhen
from tests.factories import pages
from tests.factories import quiz as f
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def setup(learner):
    cat = f.category()
    questions = [
        f.multichoice(cat),
        f.truefalse(cat),
        f.shortanswer(cat, accepted=("Datenschutzgrundverordnung",)),
        f.numerical(cat, value="1789"),
        f.matching(cat),
        f.ordering(cat),
        f.cloze(cat),
        f.essay(cat),
    ]
    quiz = f.quiz(pages.course(), questions=questions, time_limit_minutes=30)
    return quiz, questions


def _attempt_url(quiz, attempt, route="attempt"):
    return quiz.url + quiz.reverse_subpage(route, args=[attempt.pk])


def test_the_quiz_screen_shows_no_answer_key(client, learner, setup):
    quiz, questions = setup
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    html = client.get(_attempt_url(quiz, attempt)).content.decode()
    assert "Welche Stadt ist Hauptstadt von Bayern?" in html
    for secret in (
        "Richtig, München.",
        "Nein, Nürnberg",
        "Datenschutzgrundverordnung",
        "1789",
        "fraction",
        "Allgemeines Feedback",
        "tolerance",
    ):
        assert secret not in html
    # Choices are posted as display positions, never as authored indices.
    assert set(re.findall(r'name="q1" id="q1-c\d+" value="([^"]+)"', html)) == {"0", "1", "2"}


def test_every_answer_control_is_labelled_and_the_time_left_is_a_polite_live_region(client, learner, setup):
    quiz, _ = setup
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    html = client.get(_attempt_url(quiz, attempt)).content.decode()
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    for _tag, attrs in re.findall(r"<(input|select|textarea)\b([^>]*)>", html):
        if 'type="hidden"' in attrs or 'type="submit"' in attrs:
            continue
        control_id = re.search(r'id="([^"]+)"', attrs)
        assert "aria-label=" in attrs or (control_id and control_id.group(1) in labelled), attrs
    assert re.search(r'aria-live="polite" data-timer-announce', html)
    assert 'data-deadline="' in html
    assert re.search(r'<script src="/static/assessment/quiz.js"( nonce="[^"]+")? defer>', html)


def test_without_javascript_the_form_saves_resumes_and_submits(client, learner, setup):
    quiz, _ = setup
    client.post(quiz.url + quiz.reverse_subpage("start"))
    attempt = Attempt.objects.get(user=learner)
    url = _attempt_url(quiz, attempt)
    response = client.post(
        url, {"slots": ["2", "3"], "q2": "true", "q3": "Datenschutzgrundverordnung", "action": "save"}
    )
    assert response.status_code == 302 and response["Location"] == url
    # Another device: the saved answers are there.
    other = client.__class__()
    other.force_login(learner)
    html = other.get(url).content.decode()
    assert 'value="Datenschutzgrundverordnung"' in html
    assert re.search(r'id="q2-ctrue" value="true" checked', html)
    response = other.post(url, {"slots": ["1"], "q1": "", "action": "submit"})
    assert response.status_code == 302 and response["Location"] == _attempt_url(quiz, attempt, "attempt_review")
    attempt.refresh_from_db()
    # The essay was left empty: it needs no trainer and earns nothing, so the attempt is finished.
    assert attempt.state == Attempt.State.FINISHED
    assert attempt.score == Decimal(2)


def test_a_second_tab_cannot_submit_twice(client, learner, setup):
    quiz, _ = setup
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    url = _attempt_url(quiz, attempt)
    first = client.post(url, {"slots": ["2"], "q2": "true", "action": "submit"})
    second = client.post(url, {"slots": ["2"], "q2": "false", "action": "submit"})
    assert first.status_code == second.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state != Attempt.State.IN_PROGRESS
    assert AttemptSlot.objects.get(attempt=attempt, number=2).response == {"value": True}
    assert Attempt.objects.filter(user=learner).count() == 1


def test_autosave_answers_json_and_refuses_after_the_deadline(client, learner, setup):
    quiz, _ = setup
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    save_url = _attempt_url(quiz, attempt, "attempt_autosave")
    response = client.post(save_url, {"slots": ["3", "1"], "q3": "DSGVO", "q1": "7"})
    assert response.status_code == 400
    assert response.json()["saved"] == [3] and response.json()["errors"] == {"1": "Diese Auswahl gibt es nicht."}
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(save_url, {"slots": ["3"], "q3": "zu spät"})
    assert response.status_code == 409 and "Zeit" in response.json()["error"]
    attempt.refresh_from_db()
    assert attempt.closed_by_deadline and AttemptSlot.objects.get(attempt=attempt, number=3).response == {
        "text": "DSGVO"
    }


def test_opening_the_quiz_after_the_deadline_closes_the_attempt(client, learner, setup):
    quiz, _ = setup
    attempt = svc.attempt_start(quiz=quiz, user=learner, now=timezone.now() - datetime.timedelta(hours=2))
    response = client.get(quiz.url)
    assert response.status_code == 200
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.submitted_at == attempt.deadline


def test_review_shows_score_and_respects_when_feedback_and_answers_may_show(client, learner):
    cat = f.category()
    quiz = f.quiz(
        pages.course(),
        questions=[f.multichoice(cat)],
        attempts_allowed=2,
        show_feedback=ReviewWhen.IMMEDIATELY,
        show_correct_answers=ReviewWhen.AFTER_LAST_ATTEMPT,
        passing_grade=100,
    )
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    client.post(
        _attempt_url(quiz, attempt), {"slots": ["1"], "q1": _wrong_key(client, quiz, attempt), "action": "submit"}
    )
    html = client.get(_attempt_url(quiz, attempt, "attempt_review")).content.decode()
    assert "0 von 1 Punkten" in html and "nicht bestanden" in html
    assert "Nein, Nürnberg nicht." in html or "Nein, Augsburg nicht." in html  # feedback: immediately
    assert "Richtige Antwort" not in html  # one attempt is still left
    second = svc.attempt_start(quiz=quiz, user=learner)
    svc.attempt_submit(attempt_id=second.pk, user=learner)
    html = client.get(_attempt_url(quiz, attempt, "attempt_review")).content.decode()
    assert "Richtige Antwort" in html and "München" in html


def test_the_review_hides_feedback_while_another_attempt_of_the_quiz_is_open(client, learner):
    """Low of issue 10: the review of attempt 1 must not answer the same questions in open attempt 2."""
    cat = f.category()
    quiz = f.quiz(
        pages.course(),
        questions=[f.multichoice(cat)],
        show_feedback=ReviewWhen.IMMEDIATELY,
        show_correct_answers=ReviewWhen.IMMEDIATELY,
    )
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    client.post(
        _attempt_url(quiz, attempt), {"slots": ["1"], "q1": _wrong_key(client, quiz, attempt), "action": "submit"}
    )
    review_url = _attempt_url(quiz, attempt, "attempt_review")
    assert "Richtige Antwort" in client.get(review_url).content.decode()
    second = svc.attempt_start(quiz=quiz, user=learner)

    html = client.get(review_url).content.decode()
    assert "0 von 1 Punkten" in html  # the total stays
    assert "Richtige Antwort" not in html and "Nein, " not in html and "Allgemeines Feedback" not in html
    assert "– falsch" not in html and "offenen Versuch" in html
    api = client.get(f"/api/v1/attempts/{attempt.pk}/review/").json()
    assert api["held_back"] is True
    assert all(s["feedback"] == [] and s["correct"] == [] and s["mark"] is None for s in api["slots"])

    svc.attempt_submit(attempt_id=second.pk, user=learner)
    assert "Richtige Antwort" in client.get(review_url).content.decode()


def _wrong_key(client, quiz, attempt):
    html = client.get(_attempt_url(quiz, attempt)).content.decode()
    choices = re.findall(r'value="(\d+)"[^>]*>\s*<label for="q1-c\d+">([^<]+)</label>', html)
    return next(key for key, text in choices if text != "München")


def test_someone_elses_attempt_is_not_found(client, learner, setup):
    quiz, _ = setup
    attempt = svc.attempt_start(quiz=quiz, user=UserFactory())
    assert client.get(_attempt_url(quiz, attempt)).status_code == 404
    assert client.get(_attempt_url(quiz, attempt, "attempt_review")).status_code == 404


def test_a_trainer_grades_an_essay_and_the_learner_sees_grade_and_comment(client, learner, org_tree, make_member):
    from lernplattform.accounts.models import Membership

    cat = f.category()
    trainer = make_member(org_tree["kreis"], Membership.Role.TRAINER)
    other_trainer = make_member(org_tree["kreis"], Membership.Role.TRAINER)
    course = pages.course(owner=trainer)
    quiz = f.quiz(course, questions=[f.truefalse(cat), f.essay(cat, mark=Decimal(2))], passing_grade=50)
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    svc.attempt_answers_save(
        attempt_id=attempt.pk, user=learner, answers={1: {"value": False}, 2: {"text": "Mein Weg"}}
    )
    attempt = svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert attempt.state == Attempt.State.NEEDS_GRADING and attempt.score is None
    slot = AttemptSlot.objects.get(attempt=attempt, number=2)

    client.force_login(other_trainer)
    assert "Mein Weg" not in client.get("/tests/bewertung/").content.decode()
    assert client.get(f"/tests/bewertung/{slot.pk}/").status_code == 404

    client.force_login(trainer)
    queue = client.get("/tests/bewertung/").content.decode()
    assert f"/tests/bewertung/{slot.pk}/" in queue
    assert client.post(f"/tests/bewertung/{slot.pk}/", {"mark": "5", "comment": "x"}).status_code == 400
    response = client.post(f"/tests/bewertung/{slot.pk}/", {"mark": "1,5", "comment": "Gut begründet."})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED and attempt.score == Decimal("1.5") and attempt.passed is True

    client.force_login(learner)
    html = client.get(_attempt_url(quiz, attempt, "attempt_review")).content.decode()
    assert "Gut begründet." in html and "1,5 von 3 Punkten" in html


def test_a_learner_cannot_open_the_grading_queue_of_a_course(client, learner):
    assert "bewerten" not in client.get("/tests/bewertung/").content.decode()


# ---------------------------------------------------------------------------------------------
# Hand-in: flags for later and a summary page before the attempt is submitted (Moodle's
# "Zusammenfassung"), issue 15.
# ---------------------------------------------------------------------------------------------


def test_a_question_flagged_for_later_stays_flagged_until_unflagged(client, learner, setup):
    quiz, _ = setup
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    url = _attempt_url(quiz, attempt)
    client.post(url, {"slots": ["1", "2"], "q2": "true", "flagged": ["1"], "action": "save"})
    assert list(AttemptSlot.objects.filter(attempt=attempt, flagged=True).values_list("number", flat=True)) == [1]
    html = client.get(url).content.decode()
    assert re.search(r'<input type="checkbox" name="flagged" value="1" id="q1-flag"[^>]* checked>', html)
    assert re.search(r'<label for="q1-flag">Für später markieren</label>', html)
    assert not re.search(r'value="2" id="q2-flag"[^>]* checked', html)
    # The autosave carries the flag with the question's fields; an unticked box unflags it.
    response = client.post(
        _attempt_url(quiz, attempt, "attempt_autosave"), {"slots": ["1"], "q1": ""}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert not AttemptSlot.objects.filter(attempt=attempt, flagged=True).exists()


def test_finishing_shows_a_summary_naming_unanswered_and_flagged_questions_before_handing_in(client, learner, setup):
    quiz, questions = setup
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    url = _attempt_url(quiz, attempt)
    summary_url = _attempt_url(quiz, attempt, "attempt_summary")
    response = client.post(
        url,
        {"slots": ["2", "3"], "q2": "true", "q3": "Datenschutzgrundverordnung", "flagged": ["3"], "action": "finish"},
    )
    # Finishing saves the answers and leads to the summary; nothing is handed in yet.
    assert response.status_code == 302 and response["Location"] == summary_url
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS
    html = client.get(summary_url).content.decode()
    assert "Zusammenfassung" in html
    for n in range(1, len(questions) + 1):
        assert f'href="{url}#q{n}"' in html
    rows = dict(re.findall(r'<th scope="row"><a href="[^"]+">Frage (\d+)</a></th>\s*<td>([^<]+)</td>', html))
    assert rows["2"].strip() == rows["3"].strip() == "Beantwortet"
    assert rows["1"].strip() == "Nicht beantwortet"
    assert re.search(r"Frage 3</a></th>\s*<td>[^<]+</td>\s*<td>Markiert</td>", html)
    # The warning names every unanswered question in words, not only by colour.
    warning = re.search(r'<div class="notice notice--warning"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert "6 Fragen sind nicht beantwortet" in warning
    for n in (1, 4, 5, 6, 7, 8):
        assert f"Frage {n}" in warning
    assert "Frage 2" not in warning and "Frage 3" not in warning
    assert "nicht mehr ändern" in html
    # Handing in from the summary grades the attempt and shows its review.
    response = client.post(summary_url, {"action": "submit"})
    assert response.status_code == 302 and response["Location"] == _attempt_url(quiz, attempt, "attempt_review")
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED
    # A finished attempt has no summary any more: it goes to the review.
    response = client.get(summary_url)
    assert response.status_code == 302 and response["Location"] == _attempt_url(quiz, attempt, "attempt_review")


def test_the_summary_says_when_every_question_is_answered_and_needs_a_post_to_hand_in(client, learner):
    cat = f.category()
    quiz = f.quiz(pages.course(), questions=[f.truefalse(cat)])
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    summary_url = _attempt_url(quiz, attempt, "attempt_summary")
    client.post(_attempt_url(quiz, attempt), {"slots": ["1"], "q1": "true", "action": "save"})
    html = client.get(summary_url).content.decode()
    assert "Alle Fragen sind beantwortet." in html
    assert "notice--warning" not in html
    # A bare GET never hands in; a POST without the action does not either.
    assert client.post(summary_url, {}).status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS


def test_someone_elses_summary_is_not_found(client, learner, setup):
    quiz, _ = setup
    other = svc.attempt_start(quiz=quiz, user=UserFactory())
    assert client.get(_attempt_url(quiz, other, "attempt_summary")).status_code == 404
    assert client.post(_attempt_url(quiz, other, "attempt_summary"), {"action": "submit"}).status_code == 404
    other.refresh_from_db()
    assert other.state == Attempt.State.IN_PROGRESS


def test_the_attempt_page_counts_answered_questions_in_a_live_counter(client, learner, setup):
    quiz, questions = setup
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    client.post(_attempt_url(quiz, attempt), {"slots": ["2"], "q2": "true", "action": "save"})
    html = client.get(_attempt_url(quiz, attempt)).content.decode()
    assert re.search(r"<span data-answered-count>1</span> von 8 Fragen beantwortet", html)
    assert re.search(r'<button type="submit" name="action" value="finish"[^>]*>Versuch beenden …</button>', html)


# ---------------------------------------------------------------------------------------------
# A review that tells the truth per part (issue 15)
# ---------------------------------------------------------------------------------------------


def _three_gap_cloze(cat):
    from courses.questions.formats import ir
    from courses.questions.services import question_create

    parts = [
        ir.ClozePart(ir.ClozeKind.SHORTANSWER, 1, [ir.Answer("Berlin", Decimal(1), ir.FormattedText("Richtig!"))]),
        ir.ClozePart(ir.ClozeKind.NUMERICAL, 1, [ir.Answer("16", Decimal(1), ir.FormattedText("Richtig!"))]),
        ir.ClozePart(
            ir.ClozeKind.MULTICHOICE,
            1,
            [ir.Answer("Bonn", Decimal(1), ir.FormattedText("Richtig!")), ir.Answer("Köln", Decimal(0))],
        ),
    ]
    return question_create(
        category=cat,
        content=ir.Question(
            qtype=ir.QuestionType.CLOZE,
            name="Drei Lücken",
            text=ir.FormattedText("<p>Hauptstadt: {#1}. Länder: {#2}. Bundesstadt: {#3}.</p>"),
            cloze_parts=parts,
        ),
    )


def _review_html(client, quiz, attempt):
    return client.get(_attempt_url(quiz, attempt, "attempt_review")).content.decode()


def _parts(html):
    """(label, given, verdict) of each listed part, in order."""
    return re.findall(
        r'<li class="answer-part answer-part--\w+">\s*'
        r'<span class="answer-part__icon" aria-hidden="true">[^<]+</span>\s*'
        r'<span class="answer-part__label">([^<]+)</span>\s*<span class="answer-part__given">([^<]*)</span>\s*'
        r'<strong class="answer-part__verdict">([^<]+)</strong>',
        html,
    )


def test_a_two_of_three_cloze_is_reviewed_gap_by_gap_and_never_called_right(client, learner):
    cat = f.category()
    quiz = f.quiz(pages.course(), questions=[_three_gap_cloze(cat)], show_feedback=ReviewWhen.IMMEDIATELY)
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    köln = next(
        c["key"]
        for seg in sel.attempt_questions(attempt=attempt)[0].question["segments"]
        for c in seg.get("choices", [])
        if c["text"] == "Köln"
    )
    client.post(
        _attempt_url(quiz, attempt),
        {"slots": ["1"], "q1-1": "Berlin", "q1-2": "16", "q1-3": köln, "action": "submit"},
    )
    attempt.refresh_from_db()
    assert attempt.score == Decimal("0.6667")
    html = _review_html(client, quiz, attempt)
    assert "teilweise richtig" in html
    assert re.search(r"Punkten\s*– richtig", html) is None
    assert _parts(html) == [
        ("Lücke 1:", "„Berlin“", "richtig"),
        ("Lücke 2:", "„16“", "richtig"),
        ("Lücke 3:", "„Köln“", "falsch"),
    ]
    # Each gap's feedback sits with its gap, as its own paragraph: never one run of "Richtig!Richtig!".
    assert "Richtig!Richtig!" not in html
    assert html.count('<div class="answer-part__feedback">') == 2


def test_each_picked_choice_is_marked_right_or_wrong_in_words(client, learner):
    cat = f.category()
    quiz = f.quiz(pages.course(), questions=[f.multiresponse(cat)], show_feedback=ReviewWhen.IMMEDIATELY)
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    keys = {c["text"]: c["key"] for c in sel.attempt_questions(attempt=attempt)[0].question["choices"]}
    client.post(_attempt_url(quiz, attempt), {"slots": ["1"], "q1": [keys["A"], keys["C"]], "action": "submit"})
    parts = _parts(_review_html(client, quiz, attempt))
    assert sorted(parts) == [("Ihre Wahl:", "„A“", "richtig"), ("Ihre Wahl:", "„C“", "falsch")]


def test_per_part_marks_follow_the_feedback_setting(client, learner):
    cat = f.category()
    quiz = f.quiz(pages.course(), questions=[_three_gap_cloze(cat)], show_feedback=ReviewWhen.NEVER)
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    client.post(_attempt_url(quiz, attempt), {"slots": ["1"], "q1-1": "Berlin", "action": "submit"})
    assert _parts(_review_html(client, quiz, attempt)) == []
