"""Every role x every people endpoint (HTML and API) x a person in and out of scope (issue 10).

The cases are generated from the URL conf: every named URL in the accounts, progress and
reports namespaces, and every URL whose view lives in one of those modules (the API), must
have an entry below: a list of cases in ENDPOINTS, or in NOT_PEOPLE the reason why it touches
nobody else's data. A new endpoint without an entry
fails ``test_every_people_endpoint_is_in_the_registry``, so none can be added silently.

How to add an entry: give the URL name ("namespace:name") a list of ``Case``s: how to build the
URL arguments and POST data for a target (``world.inside`` / ``world.outside`` person), and what
to observe (``list``: the target's e-mail appears; ``detail``: the page answers; ``write``: the
target's state changes). By default organisation admins act on people inside their scope and
platform admins on everyone; everyone else is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.db import transaction
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

# Endpoints that landed (bulk enrolment, enrolment rules, report exports and the reports API)
# after this matrix was written, on the last day of issue 10. They are named here so that the
# registry stays a tripwire for anything newer; each still needs its cases in ENDPOINTS, and
# moving it there is the follow-up (their own tests check scope meanwhile).
CASES_TO_WRITE = dict.fromkeys(
    [
        "api:reports-germany",
        "api:reports-germany-people",
        "api:reports-node",
        "api:reports-people",
        "progress:bulk_confirm",
        "progress:bulk_detail",
        "progress:bulk_discard",
        "progress:bulk_report",
        "progress:bulk_status",
        "progress:bulk_upload",
        "progress:rule_activate",
        "progress:rule_create",
        "progress:rule_delete",
        "progress:rule_detail",
        "progress:rule_end",
        "progress:rule_list",
        "reports:export_download",
        "reports:exports",
        "reports:figures_export",
        "reports:germany_figures_export",
        "reports:germany_people_export",
        "reports:people_export",
    ],
    "cases not written yet (follow-up of issue 10)",
)

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
    "api:enrolment-detail": [Case("detail", "detail", api=True, kwargs=lambda w, t: {"pk": t.enrolment.pk})],
    "api:enrolment-cancel": [
        Case("cancel", "write", method="post", api=True, kwargs=lambda w, t: {"pk": t.enrolment.pk}, state=_enrolments)
    ],
}


def test_every_people_endpoint_is_in_the_registry():
    missing = sorted(set(people_endpoints()) - set(ENDPOINTS) - set(NOT_PEOPLE) - set(CASES_TO_WRITE))
    assert not missing, (
        "These endpoints serve people data but are not in the scope registry of "
        "tests/lernplattform/accounts/test_scope_matrix.py; add cases to ENDPOINTS (or a reason to "
        f"NOT_PEOPLE): {missing}"
    )


def test_registry_names_only_existing_endpoints():
    existing = set(people_endpoints())
    assert not (set(ENDPOINTS) | set(NOT_PEOPLE) | set(CASES_TO_WRITE)) - existing


@pytest.fixture
def world(org_tree, make_member):
    from courses.catalog.services import course_permissions_sync
    from courses.progress.services import enrolment_create
    from tests.factories.progress import course_create

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
    actor = world.actors[role]
    client.logout()
    if actor is not None:
        client.force_login(actor)
    allowed = role in (case.allowed_inside if where == "inside" else case.allowed_outside)
    url = reverse(name, kwargs=case.kwargs(world, target))
    before = case.state(world, target) if case.state else None

    if case.method == "get":
        response = client.get(url, HTTP_ACCEPT="application/json" if case.api else "text/html")
    elif case.api:
        response = client.post(url, json.dumps(case.data(world, target)), content_type="application/json")
    else:
        response = client.post(url, case.data(world, target))
    body = response.content.decode()
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
