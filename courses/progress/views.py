"""Pages of progress: enrol/unenrol/mark done actions, "Meine Kurse", learning paths, overviews.

Thin views: every rule lives in services (writes) and selectors (reads).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from courses.catalog.models import ActivityPage, CoursePage
from courses.catalog.permissions import courses_teachable, roles_teach, user_may_teach_at_all
from lernplattform.accounts.selectors import organisations_in_scope, request_roles, roles_oversee, users_visible_to
from lernplattform.core.sites import site_remember_on_request

from . import rules, selectors, services
from .forms import OrgEnrolForm
from .models import Enrolment, LearningPath


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("Dazu sind Sie nicht berechtigt.")


@login_required
@require_POST
def enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    path = None
    if request.POST.get("path"):
        path = get_object_or_404(LearningPath, pk=request.POST["path"], live=True)
    try:
        services.enrolment_create(user=request.user, course=course, enrolled_by=request.user, path=path)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Sie sind in den Kurs „%(title)s“ eingeschrieben.") % {"title": course.title})
    return redirect(_next_url(request, course.url))


@login_required
def unenrol(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """GET asks first (what ends, what stays); POST ends the enrolment."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("course", "user"), pk=enrolment_id)
    if request.method != "POST":
        own = enrolment.user_id == request.user.pk
        if not own and not selectors.user_may_manage(viewer=request.user, user=enrolment.user):
            raise PermissionDenied(_("Sie dürfen nur Personen in Ihrem Zuständigkeitsbereich abmelden."))
        return render(
            request,
            "progress/unenrol_confirm.html",
            {"enrolment": enrolment, "own": own, "next": _next_url(request, enrolment.course.url)},
        )
    try:
        services.enrolment_cancel(enrolment=enrolment, cancelled_by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("Die Einschreibung in „%(title)s“ ist beendet.") % {"title": enrolment.course.title}
        )
    return redirect(_next_url(request, enrolment.course.url))


@login_required
@require_POST
def lesson_done(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(Page.objects.live(), pk=lesson_id).specific
    if not isinstance(lesson, ActivityPage) or not rules.completes_by_reading(lesson):
        raise Http404
    services.lesson_mark_done(user=request.user, lesson=lesson)
    messages.success(request, _("Die Lektion ist als erledigt markiert."))
    return redirect(_next_url(request, lesson.url))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """ "Meine Kurse": what to continue, what is due, what is done, which paths to take (a page at a time)."""
    user = request.user
    dashboard = selectors.learner_dashboard(user=user, page_number=request.GET.get("seite"))
    roles = request_roles(request=request)  # the navigation reads the same, once per request
    site_remember_on_request(request)  # the page URLs below, without a site query
    context = {
        "dashboard": dashboard,
        "can_teach": roles_teach(roles=roles),
        "can_oversee": roles_oversee(roles=roles),
    }
    return render(request, "progress/dashboard.html", context)


@login_required
def path_list(request: HttpRequest) -> HttpResponse:
    paths = selectors.paths_progress(user=request.user)
    return render(request, "progress/path_list.html", {"paths": paths})


@login_required
def path_detail(request: HttpRequest, slug: str) -> HttpResponse:
    path = get_object_or_404(selectors.learning_paths_live(), slug=slug)
    return render(
        request, "progress/path_detail.html", {"progress": selectors.path_progress(user=request.user, path=path)}
    )


@login_required
def trainer_courses(request: HttpRequest) -> HttpResponse:
    """Trainers: the courses they look after, with enrolment figures."""
    if not user_may_teach_at_all(user=request.user):
        raise PermissionDenied
    courses = list(courses_teachable(user=request.user))
    stats = selectors.course_enrolment_stats(courses=courses)
    rows = [(course, stats.get(course.pk, {})) for course in courses]
    return render(request, "progress/trainer_courses.html", {"rows": rows})


@login_required
def trainer_course(request: HttpRequest, course_id: int) -> HttpResponse:
    """Trainers: each learner of one of their courses, with activity states and results."""
    course = get_object_or_404(courses_teachable(user=request.user), pk=course_id)
    activities, rows = selectors.course_learners_progress(course=course)
    return render(request, "progress/trainer_course.html", {"course": course, "activities": activities, "rows": rows})


def _require_scope(request: HttpRequest) -> None:
    if not organisations_in_scope(viewer=request.user).exists():
        raise PermissionDenied


@login_required
def org_overview(request: HttpRequest) -> HttpResponse:
    """Organisation admins: enrolments and completions per person in scope – never scores or attempts."""
    _require_scope(request)
    people = users_visible_to(viewer=request.user).order_by("full_name", "email")
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    page = Paginator(people, 50).get_page(request.GET.get("seite"))
    rows = selectors.people_progress_in_scope(viewer=request.user, users=list(page.object_list))
    return render(
        request,
        "progress/org_overview.html",
        {"rows": rows, "page_obj": page, "query": query, "form": OrgEnrolForm(viewer=request.user)},
    )


@login_required
def org_enrol(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    form = OrgEnrolForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        person, course = form.cleaned_data["email"], form.cleaned_data["course"]
        try:
            services.enrolment_create(
                user=person, course=course, enrolled_by=request.user, due_date=form.cleaned_data["due_date"]
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("%(person)s ist in „%(title)s“ eingeschrieben.") % {"person": person, "title": course.title},
            )
            return redirect("progress:org_overview")
    return render(request, "progress/org_enrol.html", {"form": form})
