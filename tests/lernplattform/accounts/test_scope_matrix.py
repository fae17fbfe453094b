"""Every role x every people endpoint (HTML and API) x a person in and out of scope (issue 10).

The cases are generated from the URL conf: every named URL in the accounts, progress and
reports namespaces, and every URL whose view lives in one of those modules (the API), must
have an entry below: a list of cases in ENDPOINTS, or in NOT_PEOPLE the reason why it touches
nobody else's data. A new endpoint without an entry
fails ``test_every_people_endpoint_is_in_the_registry``, so none can be added silently.

How to add an entry: give the URL name ("namespace:name") a list of ``Case``s: how to build the
URL arguments and POST data for a target (``world.inside`` / ``world.outside`` person), and what
to observe (``list``: the target's e-mail appears; ``detail``: the page answers; ``write``: the
target's state changes). A record the request acts on (an upload, a rule, an export) is made by
``setup`` for each request and reached as ``t.made``; ``commit_hooks`` runs the tasks the request
queues, so a write observes what they do. By default organisation admins act on people inside
their scope and platform admins on everyone; everyone else is refused. There is no list of
endpoints "to do later": an endpoint is covered or it fails the registry test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lernplattform.accounts.models import Invitation, Membership, Organisation
from lernplattform.accounts.services import invitation_create, membership_start

PEOPLE_MODULES = ("lernplattform.accounts.", "courses.progress.", "lernplattform.reports.")
PEOPLE_NAMESPACES = ("accounts", "progress", "reports")
ROLES = ("anonymous", "learner", "trainer", "reviewer", "gemeinde_admin", "kreis_admin", "platform_admin")
ADMINS = frozenset({"gemeinde_admin", "kreis_admin", "platform_admin"})


# --- the URL conf ------------------------------------------------------------------------


def _view_module(callback) -> str:
    target = getattr(callback, "cls", None) or getattr(callback, "view_class", None) or callback
    return getattr(target, "__module__", "")


def _walk(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def people_endpoints() -> dict[str, str]:
    """URL name -> view module, for every named URL served by a people-related module."""
    found = {}
    for name, callback in _walk(get_resolver()):
        module = _view_module(callback)
        if module.startswith(PEOPLE_MODULES) or name.split(":")[0] in PEOPLE_NAMESPACES:
            found[name] = module
    return found


# --- the world ---------------------------------------------------------------------------


@dataclass
class Case:
    """One request against an endpoint for a target, and what it should show."""

    label: str
    kind: str  # "list" | "detail" | "write"
    method: str = "get"
    kwargs: Callable = lambda w, t: {}
    data: Callable = lambda w, t: {}
    needle: Callable = lambda w, t: t.person.email
    state: Callable | None = None  # write: a snapshot of what the request may change
    api: bool = False
    allowed_inside: frozenset = ADMINS
    allowed_outside: frozenset = frozenset({"platform_admin"})
    targets: tuple = ("inside", "outside")
    setup: Callable | None = None  # makes a record for the request, reached as ``t.made``
    commit_hooks: bool = False  # run what the request queues on commit (the tasks it starts)


def _memberships(w, t):
    return sorted(
        Membership.objects.filter(user=t.person).values_list("organisation_id", "role", "valid_to", "approved")
    )


def _enrolments(w, t):
    from courses.progress.models import Enrolment

    return sorted(Enrolment.objects.filter(user=t.person).values_list("course_id", "status"))


def _invitation(w, t):
    return list(Invitation.objects.filter(pk=t.invitation.pk).values_list("token_hash", "revoked_at"))


def _headcount(w, t):
    return Organisation.objects.get(pk=t.organisation.pk).headcount


NOT_PEOPLE = {
    # URL name: why it shows or changes nobody else's data (or is covered elsewhere).
    "accounts:login": "anonymous login form",
    "accounts:logout": "ends one's own session",
    "accounts:register": "creates one's own account; same answer for a taken address (test_account_pages)",
    "accounts:profile": "one's own name and memberships",
    "accounts:password_change": "one's own password",
    "accounts:password_reset": "same answer for every address; rate-limited (test_account_pages)",
    "accounts:password_reset_done": "static page",
    "accounts:password_reset_confirm": "token-bound to one account",
    "accounts:password_reset_complete": "static page",
    "accounts:invitation_accept": "token-bound to one invitation (test_invitations)",
    "accounts:register_confirm": "token-bound to one unconfirmed registration (test_account_pages)",
    "progress:dashboard": "one's own courses",
    "progress:enrol": "enrols the requesting person only",
    "progress:lesson_done": "the requesting person's own completion",
    "progress:path_list": "published paths with one's own progress",
    "progress:path_detail": "a published path with one's own progress",
    "progress:trainer_courses": "the requesting trainer's own courses, no people",
    "api:course-progress-list": "the requesting learner's own progress",
    "api:course-progress-detail": "the requesting learner's own progress",
    "api:learning-path-list": "published paths with one's own progress",
    "reports:home": "redirects to the viewer's own report",
    "reports:target_add": "qualification targets of an organisation, no personal data (tests/lernplattform/reports)",
    "reports:target_delete": "qualification targets of an organisation, no personal data (tests/lernplattform/reports)",
}

PLATFORM_ONLY = frozenset({"platform_admin"})
NOBODY: frozenset = frozenset()
CSV_HEADER = "E-Mail;Name;Regionalschlüssel;Rolle\n"


# --- records that belong to one admin (uploads, rules, exports) ---------------------------
# A bulk upload and a large export belong to the admin who made them: only she sees or acts on
# them, whatever anyone else's scope. A rule belongs to an organisation: every admin whose scope
# holds it may act on it. ``setup`` makes the record for each request (rolled back after it).


def _bulk_by(role: str) -> Callable:
    """A validated bulk upload by ``role`` that names the target (into a course they are not in)."""

    def make(w, t):
        from courses.progress.bulk_services import bulk_enrolment_upload, bulk_enrolment_validate

        content = f"{CSV_HEADER}{t.person.email};{t.person.full_name};;\n".encode()
        bulk = bulk_enrolment_upload(
            by=w.actors[role],
            file_name=f"liste-{role}.csv",
            content=content,
            course=w.other_course,
            default_organisation=t.organisation,
        )
        return bulk_enrolment_validate(bulk_id=bulk.pk)

    return make


def _bulk_status(w, t):
    from courses.progress.models import BulkEnrolment

    return BulkEnrolment.objects.filter(pk=t.made.pk).values_list("status", flat=True).first()


def _bulk_valid_lines(w, t):
    from courses.progress.models import BulkEnrolmentLine

    # A line that names the person and will enrol her account (not an invitation to the address).
    return BulkEnrolmentLine.objects.filter(user=t.person, status=BulkEnrolmentLine.Status.VALID).count()


def _bulk_file(w, t):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = f"{CSV_HEADER}{t.person.email};{t.person.full_name};;\n".encode()
    return {
        "target": f"c{w.other_course.pk}",
        "default_organisation": w.grant_org.pk,
        "due_date": "",
        "file": SimpleUploadedFile("liste.csv", content, "text/csv"),
    }


def _bulk_cases(label: str, kind: str, **options) -> list[Case]:
    """The same request on a platform admin's upload (both targets) and a Gemeinde admin's (inside)."""
    return [
        Case(
            f"{label}-platform-upload",
            kind,
            setup=_bulk_by("platform_admin"),
            kwargs=lambda w, t: {"pk": t.made.pk},
            allowed_inside=PLATFORM_ONLY,
            **options,
        ),
        Case(
            f"{label}-gemeinde-upload",
            kind,
            setup=_bulk_by("gemeinde_admin"),
            kwargs=lambda w, t: {"pk": t.made.pk},
            allowed_inside=frozenset({"gemeinde_admin"}),
            targets=("inside",),
            **options,
        ),
    ]


def _rule(*, activate: bool = False) -> Callable:
    """A platform admin's enrolment rule for the learners of the target's organisation."""

    def make(w, t):
        from courses.progress.rule_services import enrolment_rule_activate, enrolment_rule_create

        rule = enrolment_rule_create(
            by=w.actors["platform_admin"], organisation=t.organisation, role="learner", course=w.other_course
        )
        if activate:
            rule = enrolment_rule_activate(rule=rule, by=w.actors["platform_admin"])
        return rule

    return make


def _rule_state(w, t):
    from courses.progress.models import EnrolmentRule

    return list(EnrolmentRule.objects.filter(pk=t.made.pk).values_list("status", "ended_at"))


def _rules_of(w, t):
    from courses.progress.models import EnrolmentRule

    return list(EnrolmentRule.objects.filter(organisation=t.organisation).values_list("pk", "status"))


def _export_by(role: str) -> Callable:
    """A finished people export of the target's organisation, requested by ``role``."""

    def make(w, t):
        import datetime

        from django.utils import timezone

        from lernplattform.reports.models import ReportExport

        now = timezone.now()
        export = ReportExport.objects.create(
            requested_by=w.actors[role],
            view="people",
            organisation=t.organisation,
            format=ReportExport.Format.CSV,
            status=ReportExport.Status.READY,
            row_count=1,
            finished_at=now,
            expires_at=now + datetime.timedelta(hours=1),
        )
        # One file per requester and target, overwritten on every run (exports live outside MEDIA_ROOT).
        export.file.name = f"reports/matrix-{role}-{t.organisation.pk}.csv"
        path = export.file.storage.path(export.file.name)
        import pathlib

        pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
        pathlib.Path(path).write_text(f"Name;E-Mail\n{t.person.full_name};{t.person.email}\n", encoding="utf-8")
        export.save(update_fields=["file"])
        return export

    return make


def _export_url(w, t):
    return reverse("reports:export_download", kwargs={"export_pk": t.made.pk})


ENDPOINTS: dict[str, list[Case]] = {
    "accounts:people": [Case("list", "list")],
    "accounts:membership_add": [
        Case(
            "grant",
            "write",
            method="post",
            data=lambda w, t: {"email": t.person.email, "organisation": w.grant_org.pk, "role": "learner"},
            state=_memberships,
        )
    ],
    "accounts:membership_approve": [
        Case("approve", "write", method="post", kwargs=lambda w, t: {"pk": t.pending.pk}, state=_memberships)
    ],
    "accounts:membership_reject": [
        Case("reject", "write", method="post", kwargs=lambda w, t: {"pk": t.pending.pk}, state=_memberships)
    ],
    "accounts:membership_end": [
        Case("end", "write", method="post", kwargs=lambda w, t: {"pk": t.learner.pk}, state=_memberships)
    ],
    "accounts:person_move": [
        Case("form", "detail", kwargs=lambda w, t: {"user_pk": t.person.pk}),
        Case(
            "move",
            "write",
            method="post",
            kwargs=lambda w, t: {"user_pk": t.person.pk},
            data=lambda w, t: {"organisation": w.grant_org.pk},
            state=_memberships,
        ),
    ],
    "accounts:invitations": [Case("list", "list", needle=lambda w, t: t.invitation.email)],
    "accounts:invitation_resend": [
        Case("resend", "write", method="post", kwargs=lambda w, t: {"pk": t.invitation.pk}, state=_invitation)
    ],
    "accounts:invitation_revoke": [
        Case("revoke", "write", method="post", kwargs=lambda w, t: {"pk": t.invitation.pk}, state=_invitation)
    ],
    "accounts:organisations": [Case("list", "list", needle=lambda w, t: t.organisation.name)],
    "accounts:organisation_edit": [
        Case("form", "detail", kwargs=lambda w, t: {"pk": t.organisation.pk}),
        Case(
            "headcount",
            "write",
            method="post",
            kwargs=lambda w, t: {"pk": t.organisation.pk},
            data=lambda w, t: {"headcount": "4711"},
            state=_headcount,
        ),
    ],
    "progress:org_overview": [Case("list", "list")],
    "progress:org_enrol": [
        Case(
            "enrol",
            "write",
            method="post",
            data=lambda w, t: {"email": t.person.email, "course": w.other_course.pk, "due_date": ""},
            state=_enrolments,
        )
    ],
    "progress:unenrol": [
        Case(
            "unenrol",
            "write",
            method="post",
            kwargs=lambda w, t: {"enrolment_id": t.enrolment.pk},
            state=_enrolments,
        )
    ],
    "progress:trainer_course": [
        # Per course, not per organisation: the course's trainer sees its learners, nobody else.
        Case(
            "learners",
            "list",
            kwargs=lambda w, t: {"course_id": t.course.pk},
            needle=lambda w, t: w.inside.person.full_name,
            allowed_inside=frozenset({"trainer", "platform_admin"}),
            allowed_outside=frozenset({"platform_admin"}),
        )
    ],
    "api:enrolment-list": [
        Case("list", "list", api=True),
        Case(
            "create",
            "write",
            method="post",
            api=True,
            data=lambda w, t: {"user": t.person.pk, "course": w.other_course.pk},
            state=_enrolments,
        ),
    ],
    "reports:people": [Case("list", "list", kwargs=lambda w, t: {"pk": t.organisation.pk})],
    "reports:node": [Case("report", "detail", kwargs=lambda w, t: {"pk": t.organisation.pk})],
    "reports:germany": [Case("report", "detail", allowed_inside=PLATFORM_ONLY, targets=("inside",))],
    "reports:germany_people": [Case("list", "list", allowed_inside=PLATFORM_ONLY)],
    "reports:access_log": [Case("log", "detail", allowed_inside=PLATFORM_ONLY, targets=("inside",))],
    "reports:figures_export": [
        Case(fmt, "detail", kwargs=lambda w, t, fmt=fmt: {"pk": t.organisation.pk, "fmt": fmt})
        for fmt in ("csv", "xlsx")
    ],
    "reports:germany_figures_export": [
        Case(
            fmt, "detail", kwargs=lambda w, t, fmt=fmt: {"fmt": fmt}, allowed_inside=PLATFORM_ONLY, targets=("inside",)
        )
        for fmt in ("csv", "xlsx")
    ],
    "reports:people_export": [
        Case("csv", "list", kwargs=lambda w, t: {"pk": t.organisation.pk, "fmt": "csv"}),
        Case("xlsx", "detail", kwargs=lambda w, t: {"pk": t.organisation.pk, "fmt": "xlsx"}),
    ],
    "reports:germany_people_export": [
        Case("csv", "list", kwargs=lambda w, t: {"fmt": "csv"}, allowed_inside=PLATFORM_ONLY),
        Case("xlsx", "detail", kwargs=lambda w, t: {"fmt": "xlsx"}, allowed_inside=PLATFORM_ONLY, targets=("inside",)),
    ],
    # A finished export is its requester's alone, and only while its area is still in her scope
    # (the outside target stands for an area she has lost since she asked for it).
    "reports:exports": [
        Case(
            "platform-export",
            "list",
            setup=_export_by("platform_admin"),
            needle=_export_url,
            allowed_inside=PLATFORM_ONLY,
        ),
        Case(
            "gemeinde-export",
            "list",
            setup=_export_by("gemeinde_admin"),
            needle=_export_url,
            allowed_inside=frozenset({"gemeinde_admin"}),
            allowed_outside=NOBODY,
        ),
    ],
    "reports:export_download": [
        Case(
            "platform-export",
            "list",
            setup=_export_by("platform_admin"),
            kwargs=lambda w, t: {"export_pk": t.made.pk},
            allowed_inside=PLATFORM_ONLY,
        ),
        Case(
            "gemeinde-export",
            "list",
            setup=_export_by("gemeinde_admin"),
            kwargs=lambda w, t: {"export_pk": t.made.pk},
            allowed_inside=frozenset({"gemeinde_admin"}),
            allowed_outside=NOBODY,
        ),
    ],
    "api:reports-germany": [Case("figures", "detail", api=True, allowed_inside=PLATFORM_ONLY, targets=("inside",))],
    "api:reports-germany-people": [Case("list", "list", api=True, allowed_inside=PLATFORM_ONLY)],
    "api:reports-node": [Case("figures", "detail", api=True, kwargs=lambda w, t: {"pk": t.organisation.pk})],
    "api:reports-people": [Case("list", "list", api=True, kwargs=lambda w, t: {"pk": t.organisation.pk})],
    # Bulk enrolment: the upload page is for admins; an upload names people, so its report and
    # its buttons belong to the admin who uploaded it.
    "progress:bulk_upload": [
        Case("form", "detail", targets=("inside",)),
        Case("upload", "write", method="post", data=_bulk_file, state=_bulk_valid_lines, commit_hooks=True),
    ],
    "progress:bulk_detail": _bulk_cases("report", "detail"),
    "progress:bulk_status": _bulk_cases("status", "detail"),
    "progress:bulk_report": _bulk_cases("csv", "list"),
    "progress:bulk_confirm": _bulk_cases("confirm", "write", method="post", state=_enrolments, commit_hooks=True),
    "progress:bulk_discard": _bulk_cases("discard", "write", method="post", state=_bulk_status),
    # Enrolment rules belong to an organisation: every admin whose scope holds it may act on them.
    "progress:rule_list": [
        Case(
            "list", "list", setup=_rule(), needle=lambda w, t: reverse("progress:rule_detail", kwargs={"pk": t.made.pk})
        )
    ],
    "progress:rule_detail": [Case("detail", "detail", setup=_rule(), kwargs=lambda w, t: {"pk": t.made.pk})],
    "progress:rule_create": [
        Case("form", "detail", targets=("inside",)),
        Case(
            "create",
            "write",
            method="post",
            data=lambda w, t: {
                "organisation": t.organisation.pk,
                "role": "learner",
                "target": f"c{w.other_course.pk}",
                "due_in_days": "",
            },
            state=_rules_of,
        ),
    ],
    "progress:rule_activate": [
        Case(
            "activate",
            "write",
            method="post",
            setup=_rule(),
            kwargs=lambda w, t: {"pk": t.made.pk},
            state=_enrolments,
            commit_hooks=True,
        )
    ],
    "progress:rule_end": [
        Case(
            "end",
            "write",
            method="post",
            setup=_rule(activate=True),
            kwargs=lambda w, t: {"pk": t.made.pk},
            state=_rule_state,
        )
    ],
    "progress:rule_delete": [
        Case("delete", "write", method="post", setup=_rule(), kwargs=lambda w, t: {"pk": t.made.pk}, state=_rule_state)
    ],
    "api:enrolment-detail": [Case("detail", "detail", api=True, kwargs=lambda w, t: {"pk": t.enrolment.pk})],
    "api:enrolment-cancel": [
        Case("cancel", "write", method="post", api=True, kwargs=lambda w, t: {"pk": t.enrolment.pk}, state=_enrolments)
    ],
}


def test_every_people_endpoint_is_in_the_registry():
    missing = sorted(set(people_endpoints()) - set(ENDPOINTS) - set(NOT_PEOPLE))
    assert not missing, (
        "These endpoints serve people data but are not in the scope registry of "
        "tests/lernplattform/accounts/test_scope_matrix.py; add cases to ENDPOINTS (or a reason to "
        f"NOT_PEOPLE): {missing}"
    )


def test_registry_names_only_existing_endpoints():
    existing = set(people_endpoints())
    assert not (set(ENDPOINTS) | set(NOT_PEOPLE)) - existing


@pytest.fixture
def world(org_tree, make_member):
    from courses.catalog.services import course_permissions_sync
    from courses.progress.services import enrolment_create
    from tests.factories.pages import course_create

    tree = org_tree
    land, garching, grafing = tree["land"], tree["garching"], tree["grafing"]

    def body(name, parent):
        return Organisation.objects.create(name=name, kind=Organisation.Kind.OTHER, parent=parent)

    platform_admin = make_member(land, Membership.Role.PLATFORM_ADMIN)
    actors = {
        "anonymous": None,
        "learner": make_member(garching),
        "trainer": make_member(garching, Membership.Role.TRAINER),
        "reviewer": make_member(garching, Membership.Role.REVIEWER),
        "gemeinde_admin": make_member(garching, Membership.Role.ORG_ADMIN),
        "kreis_admin": make_member(tree["kreis"], Membership.Role.ORG_ADMIN),
        "platform_admin": platform_admin,
    }
    course = course_create(title="Kurs der Trainerin", lessons=1, owner=actors["trainer"])
    course_permissions_sync(course=course)
    foreign_course = course_create(title="Kurs eines anderen", lessons=1)
    other_course = course_create(title="Noch ein Kurs", lessons=1)

    def target(label, home):
        person = make_member(home, email=f"{label}@ziel.example", full_name=f"Zielperson {label.title()}")
        pending = membership_start(
            user=person, organisation=body(f"Zweckverband {label}", home), role="learner", approved=False
        )
        enrolment = enrolment_create(user=person, course=course, enrolled_by=platform_admin)
        enrolment_create(user=person, course=foreign_course, enrolled_by=platform_admin)
        invitation = invitation_create(
            by=platform_admin, email=f"eingeladen-{label}@ziel.example", organisation=home, role="learner"
        )
        return SimpleNamespace(
            person=person,
            learner=person.memberships.get(approved=True),
            pending=pending,
            enrolment=enrolment,
            invitation=invitation,
            organisation=home,
        )

    inside, outside = target("innen", garching), target("aussen", grafing)
    inside.course, outside.course = course, foreign_course
    return SimpleNamespace(
        actors=actors,
        inside=inside,
        outside=outside,
        grant_org=body("Schulverband Garching", garching),
        other_course=other_course,
    )


def _cases():
    for name, cases in sorted(ENDPOINTS.items()):
        for case in cases:
            yield pytest.param(name, case, id=f"{name}-{case.label}")


def _check(client, world, name, case, where, role) -> str | None:
    """One request of one role for one target; the reason it is wrong, or None."""
    target = getattr(world, where)
    if case.setup is not None:
        target = SimpleNamespace(**vars(target), made=case.setup(world, target))
    actor = world.actors[role]
    client.logout()
    if actor is not None:
        client.force_login(actor)
    allowed = role in (case.allowed_inside if where == "inside" else case.allowed_outside)
    url = reverse(name, kwargs=case.kwargs(world, target))
    before = case.state(world, target) if case.state else None

    with TestCase.captureOnCommitCallbacks(execute=case.commit_hooks):
        if case.method == "get":
            response = client.get(url, HTTP_ACCEPT="application/json" if case.api else "text/html")
        elif case.api:
            response = client.post(url, json.dumps(case.data(world, target)), content_type="application/json")
        else:
            response = client.post(url, case.data(world, target))
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode("utf-8", "replace")
    else:
        body = response.content.decode("utf-8", "replace")
    status = response.status_code
    to_login = status == 302 and "/konto/anmelden/" in response.get("Location", "")
    seen = f"{role} / {where}: {case.method.upper()} {url} -> {status}"

    if status >= 500:
        return f"{seen}: server error"
    if role == "anonymous" and not (to_login or status in (401, 403)):
        return f"{seen}: anonymous was not sent to the login"
    if case.kind == "list":
        needle = case.needle(world, target)
        if allowed and not (status == 200 and needle in body):
            return f"{seen}: should list {needle}"
        if not allowed and needle in body:
            return f"{seen}: must not show {needle}"
    elif case.kind == "detail":
        if allowed and status != 200:
            return f"{seen}: should answer 200"
        if not allowed and not (to_login or status in (401, 403, 404)):
            return f"{seen}: should be refused"
    else:
        after = case.state(world, target)
        if allowed and not (status < 400 and after != before):
            return f"{seen}: should have changed {where} person's data"
        if not allowed and after != before:
            return f"{seen}: changed {where} person's data"
    return None


@pytest.mark.parametrize(("name", "case"), list(_cases()))
def test_role_reaches_person_only_in_scope(client, world, name, case):
    """Each role, for a person inside and one outside the admins' scope; each request rolled back."""
    problems = []
    for where in case.targets:
        for role in ROLES:
            with transaction.atomic():
                problems.append(_check(client, world, name, case, where, role))
                transaction.set_rollback(True)
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)
