"""xAPI statements and saved state from the player relay: what counts, what is refused."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from rest_framework.test import APIClient
from wagtail.models import GroupPagePermission

from courses.h5p.models import H5PResult, H5PStatement, H5PUserState, ScorePolicy
from courses.h5p.selectors import h5p_activity_iri, h5p_actor_for
from lernplattform.accounts.models import Membership
from tests.factories import pages
from tests.factories.h5p import h5p_content
from tests.factories.pages import h5p_activity_page

pytestmark = pytest.mark.django_db

ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def statement(page, user, *, verb=COMPLETED, raw=2, max_=2, object_id=None, parent=False, actor=True):
    iri = h5p_activity_iri(page=page, content=page.content)
    data = {
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[1]}},
        "object": {"id": object_id or iri, "objectType": "Activity"},
        "result": {"score": {"raw": raw, "max": max_, "min": 0, "scaled": raw / max_}, "completion": True},
    }
    if actor:
        data["actor"] = {"objectType": "Agent", "name": "x", "mbox": "mailto:" + h5p_actor_for(user)["mail"]}
    if parent:
        data["context"] = {"contextActivities": {"parent": [{"id": iri}]}}
    return data


@pytest.fixture
def api(learner):
    client = APIClient()
    client.force_authenticate(learner)
    return client


def post_statement(api, page, data):
    return api.post(
        "/api/v1/h5p/xapi/", {"page": page.pk, "content": page.content.pk, "statement": data}, format="json"
    )


def test_completed_statement_becomes_the_activity_result(api, learner):
    page = h5p_activity_page(passing_threshold=75)

    response = post_statement(api, page, statement(page, learner, raw=2, max_=2))

    assert response.status_code == 201
    result = H5PResult.objects.get(user=learner, page=page)
    assert (result.score, result.max_score, result.passed, result.percent) == (Decimal(2), Decimal(2), True, 100)
    assert H5PStatement.objects.get().raw["verb"]["id"] == COMPLETED


def test_score_below_threshold_is_recorded_as_not_passed(api, learner):
    page = h5p_activity_page(passing_threshold=75)

    post_statement(api, page, statement(page, learner, raw=1, max_=2))

    assert H5PResult.objects.get(user=learner, page=page).passed is False


def test_score_flows_into_progress_as_untrusted_h5p_result(api, learner, monkeypatch):
    calls = []
    monkeypatch.setattr("courses.progress.services.activity_result_record", lambda **kwargs: calls.append(kwargs))
    page = h5p_activity_page(passing_threshold=50)

    post_statement(api, page, statement(page, learner, raw=3, max_=4))

    assert len(calls) == 1
    call = calls[0]
    assert call["user"] == learner and call["activity"].pk == page.pk
    assert (call["score"], call["max_score"], call["passed"]) == (Decimal(3), Decimal(4), True)
    assert (call["trusted"], call["source"]) == (False, "h5p")


def test_sub_question_statement_is_stored_but_not_the_activity_result(api, learner):
    page = h5p_activity_page()
    iri = h5p_activity_iri(page=page, content=page.content)

    response = post_statement(
        api, page, statement(page, learner, verb=ANSWERED, raw=1, max_=1, object_id=iri + "?subContentId=q1")
    )

    assert response.status_code == 201 and response.json()["counted"] is False
    assert H5PStatement.objects.get().is_sub_statement is True
    assert not H5PResult.objects.exists()


def test_statement_with_parent_context_is_not_the_activity_result(api, learner):
    page = h5p_activity_page()

    post_statement(api, page, statement(page, learner, parent=True))

    assert not H5PResult.objects.exists()


def test_statement_about_another_activity_is_refused(api, learner):
    page = h5p_activity_page()
    other = h5p_activity_page(course=page.get_parent().specific, content=h5p_content(title="Anderes"))

    response = post_statement(
        api, page, statement(page, learner, object_id=h5p_activity_iri(page=other, content=other.content))
    )

    assert response.status_code == 403
    assert response.json()["code"] == "h5p.activity_mismatch"
    assert "andere Aktivität" in response.json()["detail"]
    assert not H5PStatement.objects.exists()


def test_statement_for_another_person_is_refused(api, learner, make_member, org_tree):
    page = h5p_activity_page()
    colleague = make_member(org_tree["garching"])

    response = post_statement(api, page, statement(page, colleague))

    assert response.status_code == 403
    assert response.json()["code"] == "h5p.actor_mismatch"
    assert "anderen Person" in response.json()["detail"]
    assert not H5PStatement.objects.exists() and not H5PResult.objects.exists()


def test_content_claimed_for_a_page_that_does_not_play_it_is_refused(api, learner):
    page = h5p_activity_page()
    foreign = h5p_content(title="Fremd")

    response = api.post(
        "/api/v1/h5p/xapi/",
        {"page": page.pk, "content": foreign.pk, "statement": statement(page, learner)},
        format="json",
    )

    assert response.status_code == 403


def test_impossible_score_is_stored_but_not_counted(api, learner):
    page = h5p_activity_page()

    post_statement(api, page, statement(page, learner, raw=5, max_=2))

    assert H5PStatement.objects.count() == 1
    assert not H5PResult.objects.exists()


def test_malformed_statement_is_refused(api):
    page = h5p_activity_page()

    response = post_statement(api, page, {"verb": "completed"})

    assert response.status_code == 400
    assert response.json()["code"] == "h5p.statement_invalid"


def test_best_policy_keeps_best_score(api, learner):
    page = h5p_activity_page(score_policy=ScorePolicy.BEST)

    post_statement(api, page, statement(page, learner, raw=2, max_=2))
    post_statement(api, page, statement(page, learner, raw=0, max_=2))

    result = H5PResult.objects.get()
    assert result.score == 2 and result.passed and result.attempts == 2


def test_latest_policy_keeps_latest_score(api, learner):
    page = h5p_activity_page(score_policy=ScorePolicy.LATEST)

    post_statement(api, page, statement(page, learner, raw=2, max_=2))
    post_statement(api, page, statement(page, learner, raw=0, max_=2))

    result = H5PResult.objects.get()
    assert result.score == 0 and not result.passed


def test_anonymous_relay_is_refused():
    page = h5p_activity_page()

    response = APIClient().post(
        "/api/v1/h5p/xapi/", {"page": page.pk, "content": page.content.pk, "statement": {}}, format="json"
    )

    assert response.status_code == 403


def test_relay_without_csrf_token_is_refused(learner):
    page = h5p_activity_page()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(learner)

    response = client.post(
        "/api/v1/h5p/xapi/",
        {"page": page.pk, "content": page.content.pk, "statement": statement(page, learner)},
        format="json",
    )

    assert response.status_code == 403
    assert not H5PStatement.objects.exists()


def test_saved_state_is_restored_on_next_visit(api, learner, client):
    page = h5p_activity_page()
    state = '{"answers": [0, 1], "checked": false}'

    response = api.post(
        "/api/v1/h5p/state/", {"page": page.pk, "content": page.content.pk, "state": state}, format="json"
    )
    client.force_login(learner)
    html = client.get(page.url).content.decode()

    assert response.status_code == 204
    assert H5PUserState.objects.get().state == state
    assert '\\"answers\\": [0, 1]' in html


def test_invalid_state_is_refused(api):
    page = h5p_activity_page()

    response = api.post(
        "/api/v1/h5p/state/", {"page": page.pk, "content": page.content.pk, "state": "{kaputt"}, format="json"
    )

    assert response.status_code == 400
    assert not H5PUserState.objects.exists()


def _trainer_for(course, org_tree, make_member):
    from courses.catalog.services import course_trainer_assign

    trainer = make_member(org_tree["garching"], Membership.Role.TRAINER)
    course_trainer_assign(course=course, user=trainer)
    return trainer


def test_reviewer_sees_no_learners_results(client, api, learner, org_tree, make_member):
    """Finding 9: the Redaktion may edit and publish every course, but results belong to its trainers."""
    page = h5p_activity_page(course=pages.course(title="Kurs der Redaktion"))
    post_statement(api, page, statement(page, learner, raw=1, max_=2))
    reviewer = make_member(org_tree["garching"], Membership.Role.REVIEWER)
    group = Group.objects.create(name="Redaktion (Test)")
    GroupPagePermission.objects.create(
        group=group, page=page.get_parent(), permission=Permission.objects.get(codename="change_page")
    )
    reviewer.groups.add(group)
    client.force_login(reviewer)

    listing = client.get("/admin/h5p/ergebnisse/")
    direct = client.get(f"/admin/h5p/ergebnisse/?seite={page.pk}")

    assert learner.full_name not in listing.content.decode()
    assert "Kurs der Redaktion" not in listing.content.decode()
    assert direct.status_code in (403, 404)


def test_trainer_with_edit_rights_but_not_of_the_course_sees_no_results(client, api, learner, org_tree, make_member):
    page = h5p_activity_page(course=pages.course(title="Fremder Kurs"))
    post_statement(api, page, statement(page, learner, raw=1, max_=2))
    trainer = make_member(org_tree["garching"], Membership.Role.TRAINER)
    group = Group.objects.create(name="Hand-made group")
    GroupPagePermission.objects.create(
        group=group, page=page.get_parent(), permission=Permission.objects.get(codename="change_page")
    )
    trainer.groups.add(group)
    client.force_login(trainer)

    assert client.get(f"/admin/h5p/ergebnisse/?seite={page.pk}").status_code in (403, 404)


def test_trainer_sees_results_of_own_course_only(client, api, learner, org_tree, make_member):
    own = h5p_activity_page(course=pages.course(title="Eigener Kurs"))
    foreign = h5p_activity_page(course=pages.course(title="Fremder Kurs"), content=own.content)
    post_statement(api, own, statement(own, learner, raw=1, max_=2))
    trainer = _trainer_for(own.get_parent(), org_tree, make_member)
    client.force_login(trainer)

    response = client.get("/admin/h5p/ergebnisse/")
    denied = client.get(f"/admin/h5p/ergebnisse/?seite={foreign.pk}")

    assert response.status_code == 200
    html = response.content.decode()
    assert learner.full_name in html and "50 %" in html
    assert "Fremder Kurs" not in html
    assert denied.status_code == 404


def test_learner_without_admin_access_cannot_open_results(client, learner):
    client.force_login(learner)

    response = client.get("/admin/h5p/ergebnisse/")

    assert response.status_code in (302, 403)


def test_score_reaches_the_learners_progress(api, learner):
    from courses.progress.models import ActivityCompletion

    page = h5p_activity_page(passing_threshold=50)

    post_statement(api, page, statement(page, learner, verb=ANSWERED, raw=1, max_=2))
    post_statement(api, page, statement(page, learner, raw=1, max_=2))

    completion = ActivityCompletion.objects.get(user=learner, activity=page)
    assert completion.state == ActivityCompletion.State.COMPLETED
    assert (completion.score, completion.max_score, completion.passed) == (1, 2, True)
    assert completion.trusted is False and completion.source == "h5p"


def test_failed_attempt_is_not_a_completion(api, learner):
    from courses.progress.models import ActivityCompletion

    page = h5p_activity_page(passing_threshold=80)

    post_statement(api, page, statement(page, learner, raw=1, max_=2))

    completion = ActivityCompletion.objects.get(user=learner, activity=page)
    assert completion.state != ActivityCompletion.State.COMPLETED and completion.passed is False


def test_hub_question_types_that_send_only_answered_count_every_attempt(api, learner):
    """Multiple Choice, True/False, Drag the Words … send one top-level "answered" per try, never "completed"."""
    page = h5p_activity_page()

    for raw in (0, 1, 2):
        post_statement(api, page, statement(page, learner, verb=ANSWERED, raw=raw, max_=2))

    result = H5PResult.objects.get()
    assert result.attempts == 3 and result.score == 2


def test_answered_and_completed_of_one_try_are_one_attempt(api, learner):
    page = h5p_activity_page()

    for raw in (1, 2):
        post_statement(api, page, statement(page, learner, verb=ANSWERED, raw=raw, max_=2))
        post_statement(api, page, statement(page, learner, verb=COMPLETED, raw=raw, max_=2))

    assert H5PResult.objects.get().attempts == 2


def test_sub_question_answers_are_no_attempts(api, learner):
    page = h5p_activity_page()
    iri = h5p_activity_iri(page=page, content=page.content)

    post_statement(api, page, statement(page, learner, verb=ANSWERED, raw=1, max_=1, object_id=iri + "?subContentId=a"))
    post_statement(api, page, statement(page, learner, verb=ANSWERED, raw=1, max_=1, parent=True))
    post_statement(api, page, statement(page, learner, verb=ANSWERED, raw=2, max_=2))

    assert H5PResult.objects.get().attempts == 1


# ---------------------------------------------------------------------------------------------
# Non-scoring content (Accordion, Collage, ImageSlider …): completes on viewing (issue 16)
# ---------------------------------------------------------------------------------------------


def _as_main_library(content, machine_name):
    from courses.h5p.models import H5PLibrary

    library = H5PLibrary.objects.create(
        machine_name=machine_name, major_version=1, minor_version=0, patch_version=0, title=machine_name, runnable=True
    )
    content.main_library = library
    content.save(update_fields=["main_library"])
    return content


def test_content_whose_main_library_reports_no_score_completes_on_viewing(client, learner):
    from courses.catalog.completion import Completes
    from courses.progress.models import ActivityCompletion
    from courses.progress.services import enrolment_create

    course = pages.course()
    page = h5p_activity_page(course=course, content=_as_main_library(h5p_content(), "H5P.Accordion"))
    assert page.completion_condition().completes is Completes.ON_VIEW
    assert not page.content.reports_scores
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    client.force_login(learner)
    html = client.get(page.url).content.decode()
    assert "Mit dem Aufrufen erledigt" in html and "Bestanden ab" not in html
    completion = ActivityCompletion.objects.get(user=learner, activity_id=page.pk)
    assert completion.state == ActivityCompletion.State.COMPLETED


def test_scoring_content_still_needs_its_passing_threshold(client, learner):
    from courses.catalog.completion import Completes
    from courses.progress.models import ActivityCompletion
    from courses.progress.services import enrolment_create

    course = pages.course()
    page = h5p_activity_page(course=course)
    assert page.content.reports_scores
    assert page.completion_condition().completes is Completes.ON_PASS
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    client.force_login(learner)
    assert "Bestanden ab 50 %" in client.get(page.url).content.decode()
    assert not ActivityCompletion.objects.filter(
        user=learner, activity_id=page.pk, state=ActivityCompletion.State.COMPLETED
    ).exists()


def test_the_editor_says_how_non_scoring_content_completes(client, org_tree, make_member):
    from courses.h5p.models import H5PActivityPage

    help_text = str(H5PActivityPage._meta.get_field("content").help_text)
    assert "ohne Punkte" in help_text and "Aufrufen" in help_text
