"""Issue 10, finding 3: a trainer's upload never replaces an installed library; platform admins approve upgrades."""

import io
import json

import pytest

from courses.h5p.builder import QUIZ_LIBRARY, build_quiz_package, quiz_package_builder
from courses.h5p.models import H5PLibrary, H5PLibraryUpgrade
from courses.h5p.services import h5p_content_import, h5p_library_upgrade_install, h5p_library_upgrade_reject
from lernplattform.accounts.models import Membership
from lernplattform.core.errors import Conflict, NotPermitted
from tests.factories.pages import h5p_activity_page

pytestmark = pytest.mark.django_db

QUIZ = "H5P.LernplattformQuiz"


def patched_package(patch: int = 3, script: str = "/* gepatcht */", *, title: str = "Neu") -> bytes:
    builder = quiz_package_builder(title=title)
    meta = json.loads(builder.entries[f"{QUIZ_LIBRARY}/library.json"].data)
    builder.add_json(f"{QUIZ_LIBRARY}/library.json", {**meta, "patchVersion": patch})
    builder.add_file(f"{QUIZ_LIBRARY}/quiz.js", script)
    builder.add_file(f"{QUIZ_LIBRARY}/extra.js", "/* neu */")
    return builder.build()


def upload(data: bytes, user=None, filename: str = "quiz.h5p"):
    return h5p_content_import(file=io.BytesIO(data), filename=filename, user=user)


@pytest.fixture
def trainer(org_tree, make_member):
    return make_member(org_tree["garching"], Membership.Role.TRAINER)


@pytest.fixture
def installed(settings):
    content = upload(build_quiz_package(title="Alt"))
    library = H5PLibrary.objects.get(machine_name=QUIZ)
    original = (settings.MEDIA_ROOT / "h5p/libraries" / QUIZ_LIBRARY / "quiz.js").read_bytes()
    return content, library, original


def installed_js(settings) -> bytes:
    return (settings.MEDIA_ROOT / "h5p/libraries" / QUIZ_LIBRARY / "quiz.js").read_bytes()


def test_newer_patch_in_a_trainers_upload_leaves_the_installed_library_untouched(settings, trainer, installed):
    _content, library, original = installed

    content = upload(patched_package(), user=trainer)

    library.refresh_from_db()
    assert library.patch_version == 0
    assert installed_js(settings) == original
    assert not (settings.MEDIA_ROOT / "h5p/libraries" / QUIZ_LIBRARY / "extra.js").exists()
    assert content.main_library == library  # the new item plays with the installed version
    upgrade = H5PLibraryUpgrade.objects.get()
    assert (upgrade.library, upgrade.patch_version, upgrade.status) == (library, 3, "pending")
    assert (upgrade.uploaded_by, upgrade.source_content) == (trainer, content)
    assert (settings.MEDIA_ROOT / "h5p/.pending" / upgrade.folder / "quiz.js").read_text() == "/* gepatcht */"


def test_pending_files_are_never_served(client, settings, trainer, installed):
    upload(patched_package(), user=trainer)
    upgrade = H5PLibraryUpgrade.objects.get()

    for prefix in ("/h5p/dateien/", "/media/h5p/"):
        assert client.get(f"{prefix}.pending/{upgrade.folder}/quiz.js").status_code == 404
    settings.SERVE_MEDIA = True
    assert client.get(f"/media/h5p/.pending/{upgrade.folder}/quiz.js").status_code == 404


def test_the_same_pending_upgrade_uploaded_twice_is_kept_once(trainer, installed):
    upload(patched_package(), user=trainer)
    upload(patched_package(), user=trainer)

    assert H5PLibraryUpgrade.objects.count() == 1


def test_a_new_library_in_a_trainers_upload_is_installed(settings, trainer):
    content = upload(build_quiz_package(), user=trainer)

    assert H5PLibrary.objects.filter(machine_name=QUIZ).exists()
    assert (settings.MEDIA_ROOT / "h5p/libraries" / QUIZ_LIBRARY / "quiz.js").is_file()
    assert content.libraries.count() == 2
    assert not H5PLibraryUpgrade.objects.exists()


def test_upload_form_tells_the_trainer_in_german_that_approval_is_needed(client, trainer, installed):
    client.force_login(trainer)
    package = io.BytesIO(patched_package())
    package.name = "quiz.h5p"

    response = client.post("/admin/snippets/h5p/h5pcontent/add/", {"package": package, "title": ""}, follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert "H5P.LernplattformQuiz 1.0.3" in html
    assert "Plattformverwaltung" in html and "freigeben" in html


def test_import_command_says_the_upgrade_waits(tmp_path, installed):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "neu.h5p"
    path.write_bytes(patched_package())
    out = StringIO()

    call_command("import_h5p", str(path), stdout=out)

    assert "Plattformverwaltung" in out.getvalue()


def test_platform_admin_sees_the_pending_upgrade_with_diff_and_usage(client, platform_admin, trainer, installed):
    content, _library, _original = installed
    page = h5p_activity_page(content=content, title="Quiz im Kurs")
    upload(patched_package(), user=trainer)
    upgrade = H5PLibraryUpgrade.objects.get()
    client.force_login(platform_admin)

    listing = client.get("/admin/h5p/bibliotheken/").content.decode()
    detail = client.get(f"/admin/h5p/bibliotheken/aktualisierung/{upgrade.pk}/").content.decode()

    assert "1.0.3" in listing and f"/admin/h5p/bibliotheken/aktualisierung/{upgrade.pk}/" in listing
    assert "1.0.0" in detail and "1.0.3" in detail
    assert "extra.js" in detail  # added
    assert "quiz.js" in detail  # changed
    assert "Alt" in detail and page.title in detail and page.get_parent().title in detail
    assert 'value="installieren"' in detail


@pytest.mark.parametrize("role", [Membership.Role.TRAINER, Membership.Role.REVIEWER, Membership.Role.ORG_ADMIN])
def test_only_platform_admins_may_see_or_decide(client, org_tree, make_member, trainer, installed, role):
    upload(patched_package(), user=trainer)
    upgrade = H5PLibraryUpgrade.objects.get()
    client.force_login(make_member(org_tree["garching"], role))

    assert client.get("/admin/h5p/bibliotheken/").status_code in (302, 403)
    assert client.get(f"/admin/h5p/bibliotheken/aktualisierung/{upgrade.pk}/").status_code in (302, 403)
    response = client.post(f"/admin/h5p/bibliotheken/aktualisierung/{upgrade.pk}/", {"aktion": "installieren"})
    assert response.status_code in (302, 403)
    upgrade.refresh_from_db()
    assert upgrade.status == "pending"
    with pytest.raises(NotPermitted):
        h5p_library_upgrade_install(upgrade_id=upgrade.pk, user=trainer)


def test_confirmed_upgrade_is_installed_for_everyone(client, settings, platform_admin, trainer, installed):
    content, library, _original = installed
    upload(patched_package(), user=trainer)
    upgrade = H5PLibraryUpgrade.objects.get()
    client.force_login(platform_admin)

    response = client.post(
        f"/admin/h5p/bibliotheken/aktualisierung/{upgrade.pk}/", {"aktion": "installieren"}, follow=True
    )

    assert response.status_code == 200
    assert "ist installiert" in response.content.decode()
    library.refresh_from_db()
    upgrade.refresh_from_db()
    assert library.patch_version == 3
    assert installed_js(settings) == b"/* gepatcht */"
    assert (settings.MEDIA_ROOT / "h5p/libraries" / QUIZ_LIBRARY / "extra.js").is_file()
    assert (upgrade.status, upgrade.decided_by) == ("installed", platform_admin)
    assert upgrade.decided_at is not None
    assert not (settings.MEDIA_ROOT / "h5p/.pending" / upgrade.folder).exists()
    assert client.get(f"/h5p/dateien/libraries/{QUIZ_LIBRARY}/extra.js").status_code in (200, 404)


def test_rejected_upgrade_is_dropped_and_the_library_stays(settings, platform_admin, trainer, installed):
    _content, library, original = installed
    upload(patched_package(), user=trainer)
    upgrade = H5PLibraryUpgrade.objects.get()

    h5p_library_upgrade_reject(upgrade_id=upgrade.pk, user=platform_admin)

    library.refresh_from_db()
    upgrade.refresh_from_db()
    assert (library.patch_version, upgrade.status, upgrade.decided_by) == (0, "rejected", platform_admin)
    assert installed_js(settings) == original
    with pytest.raises(Conflict):
        h5p_library_upgrade_install(upgrade_id=upgrade.pk, user=platform_admin)


def test_installing_a_patch_makes_older_pending_ones_superseded(platform_admin, trainer, installed):
    upload(patched_package(patch=2, script="/* zwei */"), user=trainer)
    upload(patched_package(patch=5, script="/* fünf */"), user=trainer)
    two = H5PLibraryUpgrade.objects.get(patch_version=2)
    five = H5PLibraryUpgrade.objects.get(patch_version=5)

    h5p_library_upgrade_install(upgrade_id=five.pk, user=platform_admin)

    two.refresh_from_db()
    assert two.status == "superseded"
    with pytest.raises(Conflict):
        h5p_library_upgrade_install(upgrade_id=two.pk, user=platform_admin)


def test_an_older_patch_is_ignored_and_nothing_waits(platform_admin, trainer, installed):
    upload(patched_package(patch=3), user=trainer)
    h5p_library_upgrade_install(upgrade_id=H5PLibraryUpgrade.objects.get().pk, user=platform_admin)

    upload(build_quiz_package(title="Wieder 1.0.0"), user=trainer)

    assert H5PLibraryUpgrade.objects.filter(status="pending").count() == 0
    assert H5PLibrary.objects.get(machine_name=QUIZ).patch_version == 3
