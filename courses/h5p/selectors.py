"""Reads for H5P: installed libraries, player configuration, identities, results."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.crypto import salted_hmac
from wagtail.models import Page

from . import storage
from .models import H5PActivityPage, H5PContent, H5PLibrary, H5PLibraryUpgrade, H5PResult, H5PUserState
from .package import LibraryRef


def h5p_installed_library_refs() -> set[LibraryRef]:
    return {
        LibraryRef(name, major, minor)
        for name, major, minor in H5PLibrary.objects.values_list("machine_name", "major_version", "minor_version")
    }


def h5p_content_origin() -> str:
    """Origin that serves the player and H5P files ('' = our own origin)."""
    return (getattr(settings, "H5P_CONTENT_ORIGIN", "") or "").rstrip("/")


def h5p_files_url() -> str:
    return f"{h5p_content_origin()}{reverse('h5p:file', kwargs={'path': 'x'})[:-2]}"


def h5p_activity_iri(*, page: Page, content: H5PContent) -> str:
    """The xAPI object id of one H5P item on one page; stable whatever host served it."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}/h5p/aktivitaet/{page.pk}/{content.pk}/"


def h5p_actor_for(user: Any) -> dict[str, str]:
    """A pseudonymous xAPI actor: the package's script never learns name or e-mail."""
    token = salted_hmac("courses.h5p.actor", str(user.pk)).hexdigest()[:24]
    return {"name": "Lernende Person", "mail": f"{token}@nutzer.lernplattform.invalid"}


def h5p_player_config(*, page: Page, content: H5PContent, user: Any) -> dict[str, Any]:
    """Everything the parent page hands to the sandboxed player (no secrets).

    An item that no live page shows yet (a draft, the preview) is played for editors only: their
    frame URL carries a signed, expiring preview token, because the sandboxed frame's own file
    requests carry no cookies.
    """
    state = None
    if user.is_authenticated:
        state = (
            H5PUserState.objects.filter(user=user, page=page, content=content).values_list("state", flat=True).first()
        )
    frame_url = h5p_content_origin() + reverse("h5p:player", kwargs={"content_id": content.pk})
    if not h5p_content_is_live(content_id=content.pk) and h5p_user_may_preview(user=user):
        frame_url += "?" + urlencode({"vorschau": h5p_preview_token(content_id=content.pk)})
    return {
        "page": page.pk,
        "content": content.pk,
        "title": content.title,
        "frameUrl": frame_url,
        "frameOrigin": h5p_content_origin() or "null",
        "iri": h5p_activity_iri(page=page, content=content),
        "actor": h5p_actor_for(user) if user.is_authenticated else None,
        "state": state,
        "xapiUrl": reverse("api:h5p-xapi") if user.is_authenticated else None,
        "stateUrl": reverse("api:h5p-state") if user.is_authenticated else None,
        "saveFreq": 15,
    }


def h5p_player_frame_config(*, content: H5PContent, preview_token: str | None = None) -> dict[str, Any]:
    """Paths the sandboxed player page passes to h5p-standalone (content files by token in a preview)."""
    files = h5p_files_url()
    content_files = f"{files}/vorschau/{preview_token}" if preview_token else files
    return {
        "contentId": str(content.pk),
        "h5pJsonPath": f"{content_files}/content/{content.pk}",
        "contentJsonPath": f"{content_files}/content/{content.pk}/content",
        "librariesPath": f"{files}/libraries",
    }


def h5p_page_holds_content(*, page: Page, content: H5PContent) -> bool:
    """True if the page plays this item: an H5P activity page or a page with an H5P block."""
    specific = page.specific
    if isinstance(specific, H5PActivityPage):
        return specific.content_id == content.pk
    for field_name in ("body",):
        stream = getattr(specific, field_name, None)
        if stream is None:
            continue
        for block in stream:
            if block.block_type == "h5p":
                value = block.value
                item = value.get("content") if hasattr(value, "get") else None
                if item is not None and getattr(item, "pk", item) == content.pk:
                    return True
    return False


def h5p_pages_for_trainer(*, user: Any) -> list[H5PActivityPage]:
    """H5P activities in the courses this person teaches (courses.catalog.permissions.may_teach_course).

    Results are personal data of learners and belong to the course's trainers only (DESIGN.md,
    privacy): edit rights are not enough - the Redaktion may edit and publish every course but sees
    no results, nor does a trainer holding edit rights on someone else's course.
    """
    from courses.catalog.permissions import courses_teachable, user_teaching_roles
    from lernplattform.accounts.models import Membership

    pages = H5PActivityPage.objects.select_related("content").order_by("path")
    if Membership.Role.PLATFORM_ADMIN in user_teaching_roles(user=user):
        return list(pages)  # platform admins teach every course
    paths = list(courses_teachable(user=user).values_list("path", flat=True))
    if not paths:
        return []
    inside = Q()
    for path in paths:
        inside |= Q(path__startswith=path)
    return list(pages.filter(inside))


def h5p_results_for_page(*, page: Page) -> QuerySet[H5PResult]:
    return (
        H5PResult.objects.filter(page=page).select_related("user", "content").order_by("user__full_name", "user__email")
    )


# --------------------------------------------------------------------------- libraries (platform admins)


@dataclass(frozen=True)
class LibraryDiff:
    """What installing a pending patch changes, file by file (paths relative to the library folder)."""

    old_version: str
    new_version: str
    added: list[str]
    changed: list[str]
    removed: list[str]
    unchanged: int
    dependencies_added: list[str]
    dependencies_removed: list[str]

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.dependencies_added or self.dependencies_removed)


@dataclass(frozen=True)
class LibraryUse:
    content: H5PContent
    pages: list[Page]


def _file_digests(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    digests = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digests[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def h5p_folder_digest(*, root: Path) -> str:
    """One hash over every file's path and content: equal folders, equal digest."""
    combined = hashlib.sha256()
    for name, digest in _file_digests(root).items():
        combined.update(f"{name}\0{digest}\n".encode())
    return combined.hexdigest()


def _dependency_names(metadata: dict[str, Any]) -> set[str]:
    names = set()
    for kind in ("preloadedDependencies", "dynamicDependencies", "editorDependencies"):
        for dep in metadata.get(kind, []) or []:
            if isinstance(dep, dict):
                names.add(f"{dep.get('machineName')} {dep.get('majorVersion')}.{dep.get('minorVersion')}")
    return names


def h5p_library_upgrade_diff(*, upgrade: H5PLibraryUpgrade) -> LibraryDiff:
    library = upgrade.library
    old = _file_digests(storage.library_dir(library.folder_name))
    new = _file_digests(storage.pending_dir(upgrade.folder))
    old_deps, new_deps = _dependency_names(library.metadata), _dependency_names(upgrade.metadata)
    return LibraryDiff(
        old_version=f"{library.major_version}.{library.minor_version}.{library.patch_version}",
        new_version=upgrade.version,
        added=sorted(set(new) - set(old)),
        changed=sorted(name for name in set(new) & set(old) if new[name] != old[name]),
        removed=sorted(set(old) - set(new)),
        unchanged=sum(1 for name in set(new) & set(old) if new[name] == old[name]),
        dependencies_added=sorted(new_deps - old_deps),
        dependencies_removed=sorted(old_deps - new_deps),
    )


def h5p_library_usage(*, library: H5PLibrary) -> list[LibraryUse]:
    """Every item that runs this library, with the pages (activities, lessons) that play it."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    contents = list(
        H5PContent.objects.filter(Q(libraries=library) | Q(main_library=library)).distinct().order_by("title", "pk")
    )
    if not contents:
        return []
    by_content: dict[int, list[Page]] = {c.pk: [] for c in contents}
    for page in H5PActivityPage.objects.filter(content__in=contents).order_by("path"):
        by_content[page.content_id].append(page)
    references = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(H5PContent),
        to_object_id__in=[str(c.pk) for c in contents],
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("to_object_id", "object_id")
    page_ids = {int(object_id) for _to, object_id in references}
    pages = Page.objects.in_bulk(page_ids)
    for to_id, object_id in references:
        page = pages.get(int(object_id))
        if page is not None and page not in by_content[int(to_id)]:
            by_content[int(to_id)].append(page)
    return [LibraryUse(content=c, pages=by_content[c.pk]) for c in contents]


def h5p_libraries_overview() -> QuerySet[H5PLibrary]:
    return H5PLibrary.objects.annotate(
        content_count=Count("contents", distinct=True),
        pending_count=Count("upgrades", filter=Q(upgrades__status="pending"), distinct=True),
    ).order_by("machine_name", "major_version", "minor_version")


def h5p_library_upgrades_pending() -> QuerySet[H5PLibraryUpgrade]:
    return (
        H5PLibraryUpgrade.objects.filter(status=H5PLibraryUpgrade.Status.PENDING)
        .select_related("library", "uploaded_by", "source_content")
        .order_by("library__machine_name", "-patch_version", "-created_at")
    )


# --------------------------------------------------------------------------- who may load an item's files

LIVE_CACHE_SECONDS = 300
NOT_LIVE_CACHE_SECONDS = 5
PREVIEW_TOKEN_SECONDS = 4 * 60 * 60
_PREVIEW_SALT = "courses.h5p.preview"


def h5p_content_is_live(*, content_id: int) -> bool:
    """True if a live page plays the item (an H5P activity or a lesson's H5P block); cached.

    The sandboxed player cannot send cookies, so its file requests are decided by the content
    alone. "Live" answers are kept 5 minutes (so an unpublished item's files stay reachable that
    long), "not live" only 5 seconds (so a page just published plays at once).
    """
    key = f"h5p:content-live:{content_id}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    live = H5PActivityPage.objects.live().filter(content_id=content_id).exists()
    if not live:
        referencing = ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(H5PContent),
            to_object_id=str(content_id),
            base_content_type=ContentType.objects.get_for_model(Page),
        ).values_list("object_id", flat=True)
        ids = [int(pk) for pk in referencing if str(pk).isdigit()]
        live = bool(ids) and Page.objects.live().filter(pk__in=ids).exists()
    cache.set(key, live, LIVE_CACHE_SECONDS if live else NOT_LIVE_CACHE_SECONDS)
    return live


def h5p_user_may_preview(*, user: Any) -> bool:
    """Editors (trainers, Redaktion, platform admins) may play items that no live page shows yet."""
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("h5p.change_h5pcontent"))


def h5p_preview_token(*, content_id: int) -> str:
    return signing.dumps(content_id, salt=_PREVIEW_SALT, compress=False)


def h5p_preview_token_valid(*, token: str, content_id: int) -> bool:
    try:
        return signing.loads(token, salt=_PREVIEW_SALT, max_age=PREVIEW_TOKEN_SECONDS) == content_id
    except signing.BadSignature:
        return False


def h5p_library_upgrade_messages(*, content: H5PContent) -> list[str]:
    """German notes for the uploader: which newer library versions wait for a platform admin."""
    from django.utils.translation import gettext as _

    notes = []
    for upgrade in H5PLibraryUpgrade.objects.filter(
        source_content=content, status=H5PLibraryUpgrade.Status.PENDING
    ).select_related("library"):
        notes.append(
            _(
                "Das Paket enthält die neuere Bibliothek %(new)s (installiert ist %(old)s). Sie wurde nicht "
                "installiert, weil sie für alle Inhalte der Plattform gelten würde: Eine Plattformverwaltung muss "
                "die Aktualisierung prüfen und freigeben. Bis dahin spielt der Inhalt mit der installierten Version."
            )
            % {"new": str(upgrade), "old": str(upgrade.library)}
        )
    return notes
