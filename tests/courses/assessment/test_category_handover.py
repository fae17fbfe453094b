"""Platform admins hand a question category (with its subtree) to a course, a trainer or the platform.

Issue 10, finding 5: categories belong to courses or trainers; the migration gave trees that several
courses share to the platform, to be handed on later. Only platform admins decide, every handover
is audited, and the bank page and the API offer it.
"""

import pytest
from rest_framework.test import APIClient

from courses.questions.models import QuestionEvent
from courses.questions.permissions import BankAction, user_may_category
from courses.questions.services import category_create, category_owner_set
from lernplattform.accounts.models import Membership
from lernplattform.core.errors import NotPermitted, ValidationFailed
from tests.factories import pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org_tree, make_member, platform_admin):
    org = org_tree["garching"]
    return {
        "admin": platform_admin,
        "anna": make_member(org, Membership.Role.TRAINER, full_name="Anna Trainerin", email="anna@bank.example"),
        "bert": make_member(org, Membership.Role.TRAINER, full_name="Bert Trainer", email="bert@bank.example"),
        "lena": make_member(org, Membership.Role.LEARNER, full_name="Lena Lernende", email="lena@bank.example"),
    }


@pytest.fixture
def shared():
    """A platform category with a subcategory, as the migration leaves a tree two courses draw from."""
    root = category_create(name="Gemeinsamer Pool")
    return root, category_create(name="Vertiefung", parent=root)


def _may_change(user, category) -> bool:
    return user_may_category(user=user, category=category, action=BankAction.CHANGE)


def test_a_course_gets_the_whole_tree_and_its_trainers_may_change_it(people, shared):
    root, sub = shared
    course = pages.course(title="Datenschutz", owner=people["anna"])
    assert not _may_change(people["anna"], root)
    category_owner_set(category=root, course=course, user=people["admin"], source=QuestionEvent.Source.ADMIN)
    root.refresh_from_db()
    sub.refresh_from_db()
    assert (root.course_id, root.owner_id) == (sub.course_id, sub.owner_id) == (course.pk, None)
    assert _may_change(people["anna"], root) and _may_change(people["anna"], sub)
    assert not _may_change(people["bert"], root)
    event = QuestionEvent.objects.get(kind=QuestionEvent.Kind.CATEGORY_CHANGED, category=root)
    assert (event.user, event.source) == (people["admin"], "admin")
    assert event.details["before"]["owner"]["kind"] == "platform"
    assert event.details["after"]["owner"] == {"kind": "course", "id": course.pk, "name": "Datenschutz"}


def test_to_a_trainer_and_back_to_the_platform(people, shared):
    root, sub = shared
    category_owner_set(category=root, owner=people["bert"], user=people["admin"])
    sub.refresh_from_db()
    assert sub.owner_id == people["bert"].pk and _may_change(people["bert"], sub)
    category_owner_set(category=root, user=people["admin"])
    sub.refresh_from_db()
    assert (sub.course_id, sub.owner_id) == (None, None)
    assert not _may_change(people["bert"], sub)
    assert QuestionEvent.objects.filter(kind=QuestionEvent.Kind.CATEGORY_CHANGED).count() == 2
    # Setting what is already so records nothing.
    category_owner_set(category=root, user=people["admin"])
    assert QuestionEvent.objects.filter(kind=QuestionEvent.Kind.CATEGORY_CHANGED).count() == 2


def test_nobody_but_a_platform_admin_hands_a_category_on(people, shared):
    root, _sub = shared
    own = category_create(name="Annas Fragen", owner=people["anna"])
    for category in (root, own):
        with pytest.raises(NotPermitted) as refused:
            category_owner_set(category=category, owner=people["bert"], user=people["anna"])
        assert refused.value.code == "assessment.category_owner_not_permitted"
    own.refresh_from_db()
    assert own.owner_id == people["anna"].pk


def test_a_subcategory_follows_its_top_level_category(people, shared):
    _root, sub = shared
    with pytest.raises(ValidationFailed) as refused:
        category_owner_set(category=sub, owner=people["anna"], user=people["admin"])
    assert "Gemeinsamer Pool" in refused.value.message


def test_the_new_owner_must_be_able_to_use_the_bank(people, shared):
    root, _sub = shared
    with pytest.raises(ValidationFailed) as refused:
        category_owner_set(category=root, owner=people["lena"], user=people["admin"])
    assert refused.value.code == "assessment.category_owner_not_trainer"
    with pytest.raises(ValidationFailed):
        category_owner_set(category=root, owner=people["anna"], course=pages.course(), user=people["admin"])


class TestBankPage:
    def test_the_platform_admin_sees_the_form_and_hands_the_tree_to_a_trainer(self, client, people, shared):
        root, sub = shared
        client.force_login(people["admin"])
        page = client.get(f"/admin/fragen/kategorie/{root.pk}/").content.decode()
        assert 'id="owner-heading"' in page and 'name="owner-belongs_to"' in page
        assert 'name="owner-belongs_to"' not in client.get(f"/admin/fragen/kategorie/{sub.pk}/").content.decode()
        response = client.post(
            f"/admin/fragen/kategorie/{root.pk}/zuordnung/",
            {"owner-belongs_to": "person", "owner-owner_email": "Anna@bank.example", "owner-course": ""},
        )
        assert response.status_code == 302
        sub.refresh_from_db()
        assert sub.owner_id == people["anna"].pk

    def test_a_missing_choice_is_explained_and_changes_nothing(self, client, people, shared):
        root, _sub = shared
        client.force_login(people["admin"])
        response = client.post(f"/admin/fragen/kategorie/{root.pk}/zuordnung/", {"owner-belongs_to": "course"})
        assert response.status_code == 400
        assert "Bitte wählen Sie den Kurs" in response.content.decode()
        response = client.post(
            f"/admin/fragen/kategorie/{root.pk}/zuordnung/",
            {"owner-belongs_to": "person", "owner-owner_email": "lena@bank.example"},
        )
        assert response.status_code == 400 and "kann keine Fragen verwalten" in response.content.decode()
        root.refresh_from_db()
        assert (root.course_id, root.owner_id) == (None, None)

    def test_a_trainer_gets_no_form_and_cannot_post_one(self, client, people):
        own = category_create(name="Annas Fragen", owner=people["anna"])
        client.force_login(people["anna"])
        assert 'name="owner-belongs_to"' not in client.get(f"/admin/fragen/kategorie/{own.pk}/").content.decode()
        response = client.post(
            f"/admin/fragen/kategorie/{own.pk}/zuordnung/",
            {"owner-belongs_to": "person", "owner-owner_email": "bert@bank.example"},
        )
        # Refused (the Wagtail admin turns the refusal into a redirect to its start page with a message).
        assert response.status_code == 403 or response["Location"] == "/admin/"
        own.refresh_from_db()
        assert own.owner_id == people["anna"].pk


class TestApi:
    def test_the_platform_admin_hands_the_tree_to_a_course(self, people, shared):
        root, sub = shared
        course = pages.course(title="Vergaberecht")
        api = APIClient()
        api.force_authenticate(people["admin"])
        response = api.post(f"/api/v1/question-categories/{root.pk}/owner/", {"course": course.pk}, format="json")
        assert response.status_code == 200
        assert response.json()["owner"] == {"kind": "course", "id": course.pk}
        sub.refresh_from_db()
        assert sub.course_id == course.pk
        assert QuestionEvent.objects.get(kind="category_changed", category=root).source == "api"
        back = api.post(f"/api/v1/question-categories/{root.pk}/owner/", {}, format="json")
        assert back.json()["owner"] == {"kind": "platform", "id": None}
        unknown = api.post(f"/api/v1/question-categories/{root.pk}/owner/", {"user": 999999}, format="json")
        assert unknown.status_code == 400

    def test_a_trainer_is_refused_before_anything_is_looked_up(self, people, shared):
        root, _sub = shared
        api = APIClient()
        api.force_authenticate(people["anna"])
        for body in ({"user": people["anna"].pk}, {"user": 999999}):
            response = api.post(f"/api/v1/question-categories/{root.pk}/owner/", body, format="json")
            assert response.status_code == 403
            assert response.json()["code"] == "assessment.category_owner_not_permitted"
        root.refresh_from_db()
        assert root.owner_id is None
