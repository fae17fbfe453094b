"""Reads for H5P: installed libraries, player configuration, identities, results."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.crypto import salted_hmac
from wagtail.models import Page

from .models import H5PActivityPage, H5PContent, H5PLibrary, H5PResult, H5PUserState
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
    """Everything the parent page hands to the sandboxed player (no secrets)."""
    state = None
    if user.is_authenticated:
        state = (
            H5PUserState.objects.filter(user=user, page=page, content=content).values_list("state", flat=True).first()
        )
    frame_path = reverse("h5p:player", kwargs={"content_id": content.pk})
    return {
        "page": page.pk,
        "content": content.pk,
        "title": content.title,
        "frameUrl": f"{h5p_content_origin()}{frame_path}",
        "frameOrigin": h5p_content_origin() or "null",
        "iri": h5p_activity_iri(page=page, content=content),
        "actor": h5p_actor_for(user) if user.is_authenticated else None,
        "state": state,
        "xapiUrl": reverse("api:h5p-xapi") if user.is_authenticated else None,
        "stateUrl": reverse("api:h5p-state") if user.is_authenticated else None,
        "saveFreq": 15,
    }


def h5p_player_frame_config(*, content: H5PContent) -> dict[str, Any]:
    """Paths the sandboxed player page passes to h5p-standalone."""
    files = h5p_files_url()
    return {
        "contentId": str(content.pk),
        "h5pJsonPath": f"{files}/content/{content.pk}",
        "contentJsonPath": f"{files}/content/{content.pk}/content",
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
