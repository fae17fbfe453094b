"""Uploading .h5p files in the Wagtail admin goes through the same service as import_h5p."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.h5p.builder import build_quiz_package, quiz_package_builder
from courses.h5p.models import H5PContent
from tests.factories.accounts import UserFactory
from tests.factories.h5p import h5p_content
from tests.factories.pages import h5p_activity_page

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/snippets/h5p/h5pcontent/add/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_upload_form_is_shown_instead_of_model_form(admin_client):
    response = admin_client.get(ADD_URL)

    assert response.status_code == 200
    assert 'type="file"' in response.content.decode() and 'name="package"' in response.content.decode()


def test_upload_creates_content_and_shows_licence(admin_client):
    upload = SimpleUploadedFile("sicher.h5p", build_quiz_package(title="Sicher im Netz"))

    response = admin_client.post(ADD_URL, {"package": upload, "title": ""}, follow=True)

    content = H5PContent.objects.get()
    assert content.title == "Sicher im Netz" and content.source_filename == "sicher.h5p"
    assert "CC BY-SA 4.0" in response.content.decode()


def test_hostile_upload_shows_german_error_and_stores_nothing(admin_client, settings):
    upload = SimpleUploadedFile("boese.h5p", quiz_package_builder().add_file("../../evil.json", "{}").build())

    response = admin_client.post(ADD_URL, {"package": upload})

    assert response.status_code == 200
    html = response.content.decode()
    assert "boese.h5p" in html and "ist nicht erlaubt" in html
    assert not H5PContent.objects.exists()
    assert not (settings.MEDIA_ROOT / "h5p").exists()


def test_person_without_permission_cannot_upload(client, org_tree, make_member):
    client.force_login(make_member(org_tree["garching"]))

    response = client.get(ADD_URL)

    assert response.status_code in (302, 403)


def test_admin_delete_of_content_in_use_is_refused(admin_client):
    page = h5p_activity_page()

    admin_client.post(f"/admin/snippets/h5p/h5pcontent/delete/{page.content.pk}/")

    assert H5PContent.objects.filter(pk=page.content.pk).exists()


def test_admin_delete_removes_unused_content(admin_client, django_capture_on_commit_callbacks, settings):
    content = h5p_content()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/snippets/h5p/h5pcontent/delete/{content.pk}/")

    assert not H5PContent.objects.exists()
    assert not (settings.MEDIA_ROOT / "h5p/content" / str(content.pk)).exists()


def test_trainer_may_upload_h5p_content(client, org_tree, make_member):
    from lernplattform.accounts.models import Membership

    trainer = make_member(org_tree["garching"], Membership.Role.TRAINER)
    client.force_login(trainer)
    upload = SimpleUploadedFile("quiz.h5p", build_quiz_package())

    assert client.get(ADD_URL).status_code == 200
    client.post(ADD_URL, {"package": upload})

    assert H5PContent.objects.get().uploaded_by == trainer


def test_admin_list_shows_licence_and_authors(admin_client):
    h5p_content(title="Liste")

    html = admin_client.get("/admin/snippets/h5p/h5pcontent/").content.decode()

    assert "Liste" in html and "CC BY-SA 4.0" in html and "Team Lernplattform" in html


def test_results_view_lists_activities_for_platform_admin(client, platform_admin, django_assert_max_num_queries):
    # Rights come from memberships: a bare superuser is no platform admin (README).
    admin_client = client
    admin_client.force_login(platform_admin)
    page = h5p_activity_page()
    admin_client.get("/admin/h5p/ergebnisse/")

    with django_assert_max_num_queries(40):
        response = admin_client.get("/admin/h5p/ergebnisse/")

    assert response.status_code == 200 and page.title in response.content.decode()
