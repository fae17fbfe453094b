"""Writes for H5P: importing packages, deleting content, recording state and xAPI results.

The admin upload and ``manage.py import_h5p`` both call :func:`h5p_content_import`;
the player's relay (through our API) calls :func:`h5p_state_save` and
:func:`h5p_statement_record`.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, ReferenceIndex

from courses.progress import services as progress_services
from lernplattform.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed

from . import package as pkg
from . import storage
from .models import (
    H5PActivityPage,
    H5PContent,
    H5PLibrary,
    H5PLibraryUpgrade,
    H5PResult,
    H5PStatement,
    H5PUserState,
    ScorePolicy,
)
from .selectors import h5p_activity_iri, h5p_actor_for, h5p_installed_library_refs

logger = logging.getLogger(__name__)


class H5PContentInUseError(Conflict):
    """Content is still played somewhere and may not be deleted (409)."""


def _limits() -> pkg.PackageLimits:
    overrides = getattr(settings, "H5P_PACKAGE_LIMITS", None) or {}
    return pkg.PackageLimits(**overrides)


def _library_closure(roots: list[pkg.LibraryRef], known: dict[pkg.LibraryRef, list[pkg.LibraryRef]]) -> set:
    seen: set[pkg.LibraryRef] = set()
    todo = list(roots)
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        todo.extend(known.get(ref, []))
    return seen


def _dependency_refs(metadata: dict[str, Any]) -> list[pkg.LibraryRef]:
    refs = []
    for kind in pkg.DEPENDENCY_KINDS:
        for dep in metadata.get(kind, []) or []:
            try:
                refs.append(pkg.LibraryRef(dep["machineName"], int(dep["majorVersion"]), int(dep["minorVersion"])))
            except (KeyError, TypeError, ValueError):
                continue
    return refs


@dataclass
class _LibraryPlan:
    info: pkg.LibraryInfo
    existing: H5PLibrary | None
    staged: Path


def h5p_content_import(
    *,
    file: IO[bytes] | str | Path,
    filename: str,
    title: str | None = None,
    user: Any = None,
    limits: pkg.PackageLimits | None = None,
) -> H5PContent:
    """Validate, store and register one .h5p package; all or nothing.

    Raises :class:`courses.h5p.package.H5PPackageError` (German message naming the
    file and the rule) when the package is refused - before anything is written.
    """
    limits = limits or _limits()
    info = pkg.inspect_package(file, installed=h5p_installed_library_refs(), limits=limits, package_name=filename)
    if hasattr(file, "seek"):
        file.seek(0)

    existing = {(lib.machine_name, lib.major_version, lib.minor_version): lib for lib in H5PLibrary.objects.all()}
    staging = storage.staging_root() / uuid.uuid4().hex
    plans: list[_LibraryPlan] = []
    library_dirs: dict[str, Path] = {}
    upgrades: list[_LibraryPlan] = []
    for lib in info.libraries:
        current = existing.get((lib.machine_name, lib.major, lib.minor))
        if current is not None and current.patch_version >= lib.patch:
            continue  # the platform already has this or a newer patch
        if current is not None:
            # A newer patch of an installed library would run in every item of every course:
            # it is kept aside for a platform admin to approve, never installed here (issue 10,
            # finding 3). H5P patches are compatible, so the new item plays with the installed one.
            staged = staging / "pending" / uuid.uuid4().hex
            upgrades.append(_LibraryPlan(lib, current, staged))
        else:
            staged = staging / "libraries" / lib.ref.folder_name
            plans.append(_LibraryPlan(lib, None, staged))
        library_dirs[lib.folder] = staged

    moved: list[tuple[Path, Path | None]] = []  # (installed path, backup of what it replaced)
    try:
        pkg.extract_package(file, info, content_dir=staging / "content", library_dirs=library_dirs, limits=limits)
        (staging / "content").mkdir(parents=True, exist_ok=True)
        with transaction.atomic():
            libraries_by_ref: dict[pkg.LibraryRef, H5PLibrary] = {}
            for plan in plans:
                lib = plan.info
                row = H5PLibrary(machine_name=lib.machine_name, major_version=lib.major, minor_version=lib.minor)
                row.patch_version = lib.patch
                row.title = lib.title[:255]
                row.runnable = lib.runnable
                row.metadata = lib.data
                row.save()
                libraries_by_ref[lib.ref] = row
            all_rows = {
                pkg.LibraryRef(r.machine_name, r.major_version, r.minor_version): r for r in H5PLibrary.objects.all()
            }
            graph = {ref: _dependency_refs(row.metadata) for ref, row in all_rows.items()}
            used = _library_closure(list(info.dependencies), graph)
            content = H5PContent.objects.create(
                title=(title or info.title)[:255],
                main_library=all_rows[info.main_library_ref],
                language=info.language,
                license=info.license[:64],
                license_version=info.license_version[:16],
                authors=list(info.authors),
                h5p_json=info.h5p_json,
                source_filename=Path(filename).name[:255],
                file_size=info.unpacked_bytes,
                uploaded_by=user if getattr(user, "pk", None) else None,
            )
            content.libraries.set([all_rows[ref] for ref in used if ref in all_rows])

            # Files go into place last, inside the transaction, so that a failure
            # here rolls the rows back and the except-branch undoes the moves.
            target = storage.content_dir(content.pk)
            target.parent.mkdir(parents=True, exist_ok=True)
            (staging / "h5p.json").write_text(json.dumps(info.h5p_json, ensure_ascii=False), encoding="utf-8")
            target.mkdir()
            (staging / "h5p.json").rename(target / "h5p.json")
            (staging / "content").rename(target / "content")
            moved.append((target, None))
            for plan in plans:
                final = storage.library_dir(plan.info.ref.folder_name)
                final.parent.mkdir(parents=True, exist_ok=True)
                backup = None
                if final.exists():
                    backup = storage.staging_root() / f"old-{uuid.uuid4().hex}"
                    final.rename(backup)
                plan.staged.rename(final)
                moved.append((final, backup))
            for plan in upgrades:
                if _upgrade_store(plan=plan, content=content, filename=filename, user=user):
                    final = storage.pending_dir(plan.staged.name)
                    final.parent.mkdir(parents=True, exist_ok=True)
                    plan.staged.rename(final)
                    moved.append((final, None))
    except BaseException:
        for installed, backup in reversed(moved):
            storage.remove_tree(installed)
            if backup is not None:
                backup.rename(installed)
        raise
    finally:
        storage.remove_tree(staging)
        storage.remove_empty_parents(storage.staging_root(), stop=Path(settings.MEDIA_ROOT))
    backups = [backup for _installed, backup in moved if backup is not None]
    for backup in backups:
        storage.remove_tree(backup)
    if backups:
        storage.remove_empty_parents(storage.staging_root(), stop=Path(settings.MEDIA_ROOT))
    logger.info("H5P content %s imported from %s", content.pk, filename)
    return content


def _upgrade_store(*, plan: _LibraryPlan, content: H5PContent, filename: str, user: Any) -> bool:
    """Record a pending library upgrade; False if the very same files already wait."""
    from .selectors import h5p_folder_digest

    digest = h5p_folder_digest(root=plan.staged)
    waiting = H5PLibraryUpgrade.objects.filter(
        library=plan.existing,
        patch_version=plan.info.patch,
        files_digest=digest,
        status=H5PLibraryUpgrade.Status.PENDING,
    )
    if waiting.exists():
        return False
    H5PLibraryUpgrade.objects.create(
        library=plan.existing,
        patch_version=plan.info.patch,
        title=plan.info.title[:255],
        runnable=plan.info.runnable,
        metadata=plan.info.data,
        folder=plan.staged.name,
        files_digest=digest,
        source_content=content,
        source_filename=Path(filename).name[:255],
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    logger.info("H5P library upgrade %s waits for approval", plan.info)
    return True


def h5p_content_delete(*, content: H5PContent) -> None:
    """Delete an item and its files; shared libraries stay (see :func:`h5p_library_prune`)."""
    if H5PActivityPage.objects.filter(content=content).exists() or ReferenceIndex.get_references_to(content).exists():
        raise H5PContentInUseError(
            "h5p.content_in_use",
            _("„%(title)s“ wird noch in Kursen verwendet und kann nicht gelöscht werden.") % {"title": content.title},
        )
    folder = storage.content_dir(content.pk)
    with transaction.atomic():
        content.delete()
        transaction.on_commit(lambda: storage.remove_tree(folder))


def h5p_library_prune() -> list[str]:
    """Remove libraries that no content uses any more; returns their names."""
    removed = []
    with transaction.atomic():
        unused = H5PLibrary.objects.filter(contents__isnull=True, main_of__isnull=True)
        for lib in unused:
            for upgrade_folder in lib.upgrades.values_list("folder", flat=True):
                transaction.on_commit(lambda f=upgrade_folder: storage.remove_tree(storage.pending_dir(f)))
            folder = storage.library_dir(lib.folder_name)
            removed.append(str(lib))
            lib.delete()
            transaction.on_commit(lambda folder=folder: storage.remove_tree(folder))
    return removed


# --------------------------------------------------------------------------- player relay


class H5PRelayError(ValidationFailed):
    """A statement or state from the browser is malformed (400); ``message`` is German."""


class H5PRelayRefused(NotPermitted):
    """A statement names another person or another activity (403); ``message`` is German."""


MAX_STATE_BYTES = 256 * 1024
SCORING_VERBS = {
    "http://adlnet.gov/expapi/verbs/answered",
    "http://adlnet.gov/expapi/verbs/completed",
}


def h5p_state_save(*, user: Any, page: Page, content: H5PContent, state: str) -> H5PUserState:
    if not isinstance(state, str) or len(state.encode()) > MAX_STATE_BYTES:
        raise H5PRelayError("h5p.state_invalid", _("Der Spielstand ist zu groß oder kein Text."))
    try:
        json.loads(state)
    except ValueError as exc:
        raise H5PRelayError("h5p.state_invalid", _("Der Spielstand ist kein gültiges JSON.")) from exc
    row, _created = H5PUserState.objects.update_or_create(
        user=user, page=page, content=content, defaults={"state": state}
    )
    return row


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _is_sub_statement(statement: dict[str, Any], iri: str) -> bool:
    object_id = statement["object"]["id"]
    context = statement.get("context") or {}
    parents = (context.get("contextActivities") or {}).get("parent") if isinstance(context, dict) else None
    # H5P marks the questions inside a container by a ?subContentId= suffix on the
    # object id and by naming the container as parent in the context.
    return object_id != iri or bool(parents)


def _check_actor(statement: dict[str, Any], user: Any) -> None:
    actor = statement.get("actor")
    if actor is None:
        return
    expected = h5p_actor_for(user)
    if not isinstance(actor, dict):
        raise H5PRelayRefused("h5p.actor_mismatch", _("Die Meldung nennt keine gültige Person."))
    if "mbox" in actor and actor.get("mbox") != "mailto:" + expected["mail"]:
        raise H5PRelayRefused("h5p.actor_mismatch", _("Die Meldung gehört zu einer anderen Person und wird abgelehnt."))
    if "account" in actor and "mbox" not in actor:
        raise H5PRelayRefused("h5p.actor_mismatch", _("Die Meldung gehört zu einer anderen Person und wird abgelehnt."))


def h5p_statement_record(
    *, user: Any, page: Page, content: H5PContent, statement: Any, iri: str | None = None
) -> H5PStatement:
    """Store one xAPI statement raw and, if it is the activity's own scored result, count it.

    Refused (``H5PRelayError``): other people's statements, statements about another
    activity, malformed ones. Sub-question statements are stored but never counted.
    """
    if not isinstance(statement, dict):
        raise H5PRelayError("h5p.statement_invalid", _("Die xAPI-Meldung muss ein JSON-Objekt sein."))
    if len(json.dumps(statement)) > 64 * 1024:
        raise H5PRelayError("h5p.statement_invalid", _("Die xAPI-Meldung ist zu groß."))
    verb = statement.get("verb")
    obj = statement.get("object")
    if not isinstance(verb, dict) or not isinstance(verb.get("id"), str):
        raise H5PRelayError("h5p.statement_invalid", _("Die xAPI-Meldung hat kein gültiges Verb."))
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise H5PRelayError("h5p.statement_invalid", _("Die xAPI-Meldung nennt keine Aktivität."))
    iri = iri or h5p_activity_iri(page=page, content=content)
    object_id = obj["id"]
    if object_id != iri and not object_id.startswith(iri + "?subContentId="):
        raise H5PRelayRefused(
            "h5p.activity_mismatch", _("Die Meldung betrifft eine andere Aktivität und wird abgelehnt.")
        )
    _check_actor(statement, user)

    result = statement.get("result") if isinstance(statement.get("result"), dict) else {}
    score = result.get("score") if isinstance(result.get("score"), dict) else {}
    raw = _decimal(score.get("raw"))
    maximum = _decimal(score.get("max"))
    success = result.get("success") if isinstance(result.get("success"), bool) else None
    is_sub = _is_sub_statement(statement, iri)

    with transaction.atomic():
        row = H5PStatement.objects.create(
            user=user,
            page=page,
            content=content,
            verb=verb["id"][:255],
            object_id=object_id[:1000],
            is_sub_statement=is_sub,
            score_raw=raw,
            score_max=maximum,
            success=success,
            raw=statement,
        )
        counts = (
            not is_sub
            and verb["id"] in SCORING_VERBS
            and raw is not None
            and maximum is not None
            and maximum > 0
            and 0 <= raw <= maximum
        )
        if counts:
            _result_update(user=user, page=page, content=content, score=raw, max_score=maximum)
    return row


LESSON_ITEM_PASS_PERCENT = Decimal(50)


def _result_update(*, user: Any, page: Page, content: H5PContent, score: Decimal, max_score: Decimal) -> H5PResult:
    specific = page.specific
    activity = specific if isinstance(specific, H5PActivityPage) else None
    # An H5P activity page has its own threshold and policy; an item inside a lesson keeps its best
    # result and passes at half the points (for the learner's view: for the lesson, any result counts).
    threshold = Decimal(activity.passing_threshold) if activity else LESSON_ITEM_PASS_PERCENT
    policy = activity.score_policy if activity else ScorePolicy.BEST
    passed = score / max_score * 100 >= threshold
    result, created = H5PResult.objects.select_for_update().get_or_create(
        user=user,
        page=page,
        content=content,
        defaults={"score": score, "max_score": max_score, "passed": passed, "attempts": 0},
    )
    # Never lower the best result under the "best" policy.
    better = score / max_score > result.score / result.max_score
    if created or policy == ScorePolicy.LATEST or better:
        result.score, result.max_score, result.passed = score, max_score, passed
    result.attempts = _attempt_count(user=user, page=page, content=content) or 1
    result.save()
    if activity is not None:
        _progress_record(user=user, activity=activity, result=result)
    else:
        # An H5P item inside a lesson: answering it is one of the lesson's items (if its mode counts them).
        progress_services.activity_item_record(user=user, activity=specific, item=f"h5p:{content.pk}")
    return result


def _attempt_count(*, user: Any, page: Page, content: H5PContent) -> int:
    """One attempt per top-level scored "answered" or "completed" statement of the activity.

    Hub question types (Multiple Choice, True/False, Drag the Words …) send only "answered";
    containers and our quiz send "answered" and then "completed" for the same try - a
    "completed" right after an "answered" with the same score is that same attempt.
    """
    rows = H5PStatement.objects.filter(
        user=user, page=page, content=content, is_sub_statement=False, verb__in=SCORING_VERBS
    ).order_by("pk")
    attempts = 0
    previous: tuple[str, Decimal | None, Decimal | None] | None = None
    for verb, raw, maximum in rows.values_list("verb", "score_raw", "score_max"):
        if raw is None or maximum is None or maximum <= 0 or not 0 <= raw <= maximum:
            continue
        same_try = (
            previous is not None
            and verb == "http://adlnet.gov/expapi/verbs/completed"
            and previous == ("http://adlnet.gov/expapi/verbs/answered", raw, maximum)
        )
        if not same_try:
            attempts += 1
        previous = (verb, raw, maximum)
    return attempts


def _progress_record(*, user: Any, activity: H5PActivityPage, result: H5PResult) -> None:
    """Hand the counting score to courses.progress: browser-made, so never trusted."""
    progress_services.activity_result_record(
        user=user,
        activity=activity,
        score=result.score,
        max_score=result.max_score,
        passed=result.passed,
        trusted=False,
        source="h5p",
    )


# --------------------------------------------------------------------------- library upgrades


def _require_platform_admin(user: Any) -> None:
    from lernplattform.accounts.selectors import user_is_platform_admin

    if not getattr(user, "is_authenticated", False) or not user_is_platform_admin(user=user):
        raise NotPermitted(
            "h5p.library_upgrade_forbidden",
            _("Nur die Plattformverwaltung darf H5P-Bibliotheken installieren oder aktualisieren."),
        )


def _contents_libraries_refresh(*, contents: Iterable[H5PContent]) -> None:
    """Recompute which libraries each item needs, after a library's dependencies changed."""
    rows = {pkg.LibraryRef(r.machine_name, r.major_version, r.minor_version): r for r in H5PLibrary.objects.all()}
    graph = {ref: _dependency_refs(row.metadata) for ref, row in rows.items()}
    for content in contents:
        used = _library_closure(_dependency_refs(content.h5p_json), graph)
        content.libraries.set([rows[ref] for ref in used if ref in rows])


def _pending_upgrade_locked(upgrade_id: int) -> H5PLibraryUpgrade:
    upgrade = H5PLibraryUpgrade.objects.select_for_update().filter(pk=upgrade_id).first()
    if upgrade is None:
        raise NotFound("h5p.library_upgrade_not_found", _("Diese Bibliotheks-Aktualisierung gibt es nicht."))
    if upgrade.status != H5PLibraryUpgrade.Status.PENDING:
        raise Conflict(
            "h5p.library_upgrade_decided",
            _("Über diese Aktualisierung wurde bereits entschieden (%(status)s).")
            % {"status": upgrade.get_status_display()},
        )
    return upgrade


def h5p_library_upgrade_install(*, upgrade_id: int, user: Any) -> H5PLibrary:
    """Install a pending patch of a library for the whole platform (platform admins only).

    The installed folder is swapped for the pending one inside the transaction (the old one is
    kept until commit and put back on any error); pending uploads of the same or an older patch
    become superseded; items using the library get their dependency list recomputed.
    """
    _require_platform_admin(user)
    now = timezone.now()
    stale = None
    moved: list[tuple[Path, Path | None]] = []
    try:
        with transaction.atomic():
            upgrade = _pending_upgrade_locked(upgrade_id)
            library = H5PLibrary.objects.select_for_update().get(pk=upgrade.library_id)
            if library.patch_version >= upgrade.patch_version:
                upgrade.status, upgrade.decided_by, upgrade.decided_at = H5PLibraryUpgrade.Status.SUPERSEDED, user, now
                upgrade.save(update_fields=["status", "decided_by", "decided_at"])
                transaction.on_commit(lambda: storage.remove_tree(storage.pending_dir(upgrade.folder)))
                stale = library
            else:
                installed = h5p_installed_library_refs()
                missing = [str(ref) for ref in _dependency_refs(upgrade.metadata) if ref not in installed]
                if missing:
                    raise ValidationFailed(
                        "h5p.library_upgrade_missing_dependency",
                        _("Die neue Version braucht Bibliotheken, die nicht installiert sind: %(names)s.")
                        % {"names": ", ".join(missing)},
                    )
                source = storage.pending_dir(upgrade.folder)
                if not source.is_dir():
                    raise Conflict(
                        "h5p.library_upgrade_files_missing",
                        _(
                            "Die Dateien dieser Aktualisierung fehlen; bitte lehnen Sie sie ab "
                            "und laden Sie das Paket neu hoch."
                        ),
                    )
                final = storage.library_dir(library.folder_name)
                final.parent.mkdir(parents=True, exist_ok=True)
                backup = None
                if final.exists():
                    backup = storage.staging_root() / f"old-{uuid.uuid4().hex}"
                    backup.parent.mkdir(parents=True, exist_ok=True)
                    final.rename(backup)
                source.rename(final)
                moved.append((final, backup))
                library.patch_version = upgrade.patch_version
                library.title = upgrade.title[:255]
                library.runnable = upgrade.runnable
                library.metadata = upgrade.metadata
                library.save()
                upgrade.status, upgrade.decided_by, upgrade.decided_at = H5PLibraryUpgrade.Status.INSTALLED, user, now
                upgrade.save(update_fields=["status", "decided_by", "decided_at"])
                older = list(
                    H5PLibraryUpgrade.objects.filter(
                        library=library,
                        status=H5PLibraryUpgrade.Status.PENDING,
                        patch_version__lte=upgrade.patch_version,
                    )
                )
                for other in older:
                    other.status, other.decided_by, other.decided_at = H5PLibraryUpgrade.Status.SUPERSEDED, user, now
                    other.save(update_fields=["status", "decided_by", "decided_at"])
                    transaction.on_commit(lambda folder=other.folder: storage.remove_tree(storage.pending_dir(folder)))
                _contents_libraries_refresh(contents=H5PContent.objects.filter(libraries=library).distinct())
                if backup is not None:
                    transaction.on_commit(lambda: storage.remove_tree(backup))
    except BaseException:
        for installed_path, backup_path in reversed(moved):
            # Put the pending files back where they were and the old library in place.
            if installed_path.exists():
                installed_path.rename(storage.pending_dir(upgrade.folder))
            if backup_path is not None:
                backup_path.rename(installed_path)
        raise
    if stale is not None:
        raise Conflict(
            "h5p.library_upgrade_stale",
            _("Installiert ist bereits Version %(installed)s; diese Aktualisierung ist überholt.")
            % {"installed": str(stale).rsplit(" ", 1)[-1]},
        )
    logger.info("H5P library %s upgraded by user %s", library, user.pk)
    return library


def h5p_library_upgrade_reject(*, upgrade_id: int, user: Any) -> H5PLibraryUpgrade:
    """Refuse a pending patch: its files go, the installed library stays as it is."""
    _require_platform_admin(user)
    with transaction.atomic():
        upgrade = _pending_upgrade_locked(upgrade_id)
        upgrade.status = H5PLibraryUpgrade.Status.REJECTED
        upgrade.decided_by, upgrade.decided_at = user, timezone.now()
        upgrade.save(update_fields=["status", "decided_by", "decided_at"])
        folder = storage.pending_dir(upgrade.folder)
        transaction.on_commit(lambda: storage.remove_tree(folder))
    return upgrade


H5P_CONTENT_PERMISSIONS = ("add_h5pcontent", "change_h5pcontent", "delete_h5pcontent", "view_h5pcontent")


def h5p_permissions_setup() -> None:
    """Trainers and reviewers may upload, choose and delete H5P items (idempotent; runs after migrate)."""
    from django.contrib.auth.models import Permission

    from lernplattform.accounts.models import Membership
    from lernplattform.accounts.services import role_group_get

    permissions = list(Permission.objects.filter(content_type__app_label="h5p", codename__in=H5P_CONTENT_PERMISSIONS))
    for role in (Membership.Role.TRAINER, Membership.Role.REVIEWER):
        role_group_get(role=role).permissions.add(*permissions)
