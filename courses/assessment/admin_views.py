"""The question bank in the Wagtail admin, for trainers and platform admins.

Thin views: every write goes through ``services``, every read through
``selectors``; imports show a preview before anything is saved.
"""

from __future__ import annotations

import base64
import uuid
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.questions import types
from courses.questions.exports import export_response
from courses.questions.formats import FormatError
from courses.questions.models import (
    Question,
    QuestionCategory,
    QuestionEvent,
    QuestionImport,
    QuestionType,
    QuestionVersion,
)
from courses.questions.permissions import (
    BankAction,
    categories_for,
    questions_for,
    user_is_bank_admin,
    user_may_category,
)
from courses.questions.selectors import (
    category_tree,
    question_search,
    question_versions,
    subquestion_pool,
    user_may_manage_bank,
)
from courses.questions.services import (
    category_create,
    category_delete,
    category_owner_describe,
    category_owner_set,
    category_update,
    question_archive,
    question_copy,
    question_create,
    question_import_start,
    question_move,
    question_update,
    questions_export,
    questions_parse,
)
from lernplattform.core.errors import ApplicationError

from .forms import (
    AnswerFormSet,
    CategoryEditForm,
    CategoryForm,
    CategoryOwnerForm,
    CopyForm,
    ExportForm,
    ImportForm,
    QuestionForm,
    content_from_forms,
    form_initial,
    new_content,
    row_initial,
)
from .release_services import question_pending_releases

ADMIN = QuestionEvent.Source.ADMIN

SESSION_KEY = "assessment_import"


def bank_manager_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not user_may_manage_bank(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _ctx(title: str, **extra) -> dict:
    # header_title fills the <title> of Wagtail's generic admin pages (page_title alone left it empty).
    return {"page_title": title, "header_title": title, "header_icon": "help", **extra}


def _readable(request):
    return categories_for(user=request.user, action=BankAction.VIEW)


def _question(request, pk: int) -> Question:
    """A question the person may read; others do not exist for them (404)."""
    return get_object_or_404(
        questions_for(user=request.user, action=BankAction.VIEW).select_related("current_version", "category"), pk=pk
    )


def _may_change(request, category: QuestionCategory) -> bool:
    return user_may_category(user=request.user, category=category, action=BankAction.CHANGE)


def _released_message(request, question: Question) -> None:
    pending = question_pending_releases(question=question)
    if pending:
        quizzes = ", ".join(f"„{p.quiz_title}“" for p in pending)
        messages.warning(
            request,
            _(
                "Lernende erhalten die neue Version im Test %(quizzes)s erst nach der Kursfreigabe: reichen Sie "
                "den Test (oder den Kurs) zur Freigabe ein."
            )
            % {"quizzes": quizzes},
        )


@bank_manager_required
def bank_index(request):
    readable = _readable(request)
    readable_ids = set(readable.values_list("pk", flat=True))
    changeable = set(categories_for(user=request.user, action=BankAction.CHANGE).values_list("pk", flat=True))
    categories = [c for c in category_tree() if c.pk in readable_ids]
    for c in categories:
        c.may_change = c.pk in changeable
    category = None
    if request.GET.get("category"):
        category = get_object_or_404(readable, pk=request.GET["category"])
    tag = request.GET.get("tag", "").strip()
    questions = question_search(
        category=category,
        include_subcategories=request.GET.get("subcategories", "1") == "1",
        query=request.GET.get("q", ""),
        tags=[tag] if tag else None,
        qtype=request.GET.get("type", ""),
        include_archived=request.GET.get("archived") == "1",
    ).filter(category__in=readable.values("pk"))
    page = Paginator(questions, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "assessment/admin/index.html",
        _ctx(
            _("Fragensammlung"),
            categories=categories,
            category=category,
            category_may_change=bool(category and category.pk in changeable),
            page=page,
            qtypes=QuestionType.choices,
            query=request.GET,
        ),
    )


@bank_manager_required
def category_add(request):
    form = CategoryForm(request.POST or None, initial={"parent": request.GET.get("parent")}, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            category = category_create(
                name=data["name"],
                parent=data["parent"],
                description=data["description"],
                course=data["course"] if not data["parent"] else None,
                is_practice=data["is_practice"],
                user=request.user,
                source=ADMIN,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Kategorie „%(name)s“ angelegt.") % {"name": category.full_name})
            return redirect(f"{reverse('assessment_admin:index')}?category={category.pk}")
    return render(request, "assessment/admin/form.html", _ctx(_("Neue Kategorie"), form=form))


@bank_manager_required
def category_edit(request, pk: int):
    category = get_object_or_404(_readable(request), pk=pk)
    if not _may_change(request, category):
        raise PermissionDenied
    form = CategoryEditForm(
        request.POST or None,
        initial={"name": category.name, "description": category.description, "is_practice": category.is_practice},
    )
    if request.method == "POST" and request.POST.get("delete") == "1":
        try:
            category_delete(category=category, user=request.user, source=ADMIN)
        except ApplicationError as exc:
            messages.error(request, str(exc))
            return redirect("assessment_admin:category_edit", pk=pk)
        messages.success(request, _("Kategorie gelöscht."))
        return redirect("assessment_admin:index")
    if request.method == "POST" and form.is_valid():
        try:
            category_update(category=category, **form.cleaned_data, user=request.user, source=ADMIN)
        except ApplicationError as exc:
            form.add_error("is_practice" if "practice" in exc.code else "name", exc.message)
        else:
            messages.success(request, _("Kategorie gespeichert."))
            return redirect(f"{reverse('assessment_admin:index')}?category={category.pk}")
    return render(
        request,
        "assessment/admin/category_edit.html",
        _ctx(
            _("Kategorie: %(name)s") % {"name": category.full_name},
            form=form,
            category=category,
            owner_form=_owner_form(request, category),
        ),
    )


def _owner_form(request, category: QuestionCategory, data=None) -> CategoryOwnerForm | None:
    """Only platform admins hand categories on, and only at the top of a tree."""
    if category.depth > 1 or not user_is_bank_admin(user=request.user):
        return None
    return CategoryOwnerForm(data, category=category, prefix="owner")


@bank_manager_required
@require_POST
def category_owner(request, pk: int):
    category = get_object_or_404(_readable(request).select_related("course", "owner"), pk=pk)
    form = _owner_form(request, category, request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            category = category_owner_set(
                category=category,
                course=form.cleaned_data["course"],
                owner=form.cleaned_data["owner"],
                user=request.user,
                source=ADMIN,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("„%(category)s“ gehört jetzt: %(owner)s.")
                % {"category": category.full_name, "owner": category_owner_describe(category)["name"]},
            )
            return redirect("assessment_admin:category_edit", pk=category.pk)
    return render(
        request,
        "assessment/admin/category_edit.html",
        _ctx(
            _("Kategorie: %(name)s") % {"name": category.full_name},
            form=CategoryEditForm(
                initial={
                    "name": category.name,
                    "description": category.description,
                    "is_practice": category.is_practice,
                }
            ),
            category=category,
            owner_form=form,
        ),
        status=400,
    )


def _editor(request, *, qtype: str, base, question: Question | None, initial: dict, rows: list[dict]):
    form = QuestionForm(request.POST or None, qtype=qtype, initial=initial, user=request.user)
    formset = AnswerFormSet(request.POST or None, initial=rows, form_kwargs={"qtype": qtype}, prefix="rows")
    uses_rows = bool(types.for_question(qtype).row_fields)
    used_elsewhere = False
    if request.method == "POST" and form.is_valid() and (not uses_rows or formset.is_valid()):
        data = form.cleaned_data
        row_data = [f.cleaned_data for f in formset.forms] if uses_rows else []
        content = content_from_forms(base, data, row_data)
        tags = [t.strip() for t in data["tags"].split(",") if t.strip()]
        try:
            with transaction.atomic():
                if question is None:
                    question = question_create(
                        category=data["category"], content=content, user=request.user, tags=tags, source=ADMIN
                    )
                    messages.success(request, _("Frage „%(name)s“ angelegt.") % {"name": content.name})
                else:
                    version = question_update(
                        question=question, content=content, user=request.user, tags=tags, source=ADMIN
                    )
                    if data["category"] != question.category:
                        question_move(question=question, category=data["category"], user=request.user, source=ADMIN)
                    messages.success(request, _("Gespeichert als Version %(n)s.") % {"n": version.number})
                    _released_message(request, question)
            return redirect("assessment_admin:preview", pk=question.pk)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            used_elsewhere = exc.code == "assessment.question_used_elsewhere"
    label = dict(QuestionType.choices)[qtype]
    title = _("Neue Frage: %(type)s") % {"type": label} if question is None else _("Frage bearbeiten")
    return render(
        request,
        "assessment/admin/edit.html",
        _ctx(
            title,
            form=form,
            formset=formset,
            uses_rows=uses_rows,
            qtype=qtype,
            question=question,
            type_label=label,
            used_elsewhere=used_elsewhere,
            copy_form=CopyForm(user=request.user) if used_elsewhere else None,
        ),
    )


@bank_manager_required
def question_add(request, qtype: str):
    if qtype not in QuestionType.values:
        raise Http404
    base = new_content(qtype)
    category = (
        categories_for(user=request.user, action=BankAction.CHANGE).filter(pk=request.GET.get("category") or 0).first()
    )
    initial = form_initial(base, category=category or QuestionCategory(pk=None), tags=[])
    initial["category"] = category.pk if category else None
    if qtype == "truefalse":
        initial.update(correct_true="true")
    return _editor(request, qtype=qtype, base=base, question=None, initial=initial, rows=[])


@bank_manager_required
def question_edit(request, pk: int):
    question = _question(request, pk)
    if not _may_change(request, question.category):
        messages.error(
            request,
            _("Diese Frage liegt in einer Kategorie, die Sie nicht ändern dürfen. Sie können eine Kopie anlegen."),
        )
        return redirect("assessment_admin:preview", pk=question.pk)
    base = question.current_version.content
    initial = form_initial(base, category=question.category, tags=[t.name for t in question.tags.all()])
    return _editor(
        request, qtype=base.qtype.value, base=base, question=question, initial=initial, rows=row_initial(base)
    )


@bank_manager_required
def question_preview(request, pk: int, version: int | None = None):
    question = _question(request, pk)
    shown: QuestionVersion = (
        get_object_or_404(QuestionVersion, question=question, number=version) if version else question.current_version
    )
    content = shown.content
    data = shown.data
    qtype = types.for_data(data)
    # The same layout, view, form and scoring as in a quiz; the order is fixed per version.
    layout = types.seeded_layout(data, seed=types.preview_seed(shown.pk), pool=subquestion_pool(version=shown))
    result = None
    response = None
    error = ""
    if request.method == "POST":
        try:
            response = qtype.clean(data, layout, qtype.response_from_form(data, layout, "q1", request.POST))
        except types.ResponseError as exc:
            error = exc.message
        else:
            result = qtype.score(data, layout, response)
    return render(
        request,
        "assessment/admin/preview.html",
        _ctx(
            _("Vorschau: %(name)s") % {"name": shown.name},
            question=question,
            version=shown,
            content=content,
            q=qtype.form_view(qtype.learner_view(data, layout), response),
            error=error,
            result=result,
            points=(result.fraction * content.default_mark) if result and result.fraction is not None else None,
            pending=question_pending_releases(question=question),
            may_change=_may_change(request, question.category),
            copy_form=CopyForm(user=request.user),
        ),
    )


@bank_manager_required
def question_history(request, pk: int):
    question = _question(request, pk)
    events = question.events.select_related("user", "version").order_by("-created_at", "-pk")[:100]
    return render(
        request,
        "assessment/admin/versions.html",
        _ctx(
            _("Versionen"),
            question=question,
            versions=question_versions(question=question),
            events=events,
            pending=question_pending_releases(question=question),
            may_change=_may_change(request, question.category),
        ),
    )


@bank_manager_required
@require_POST
def question_toggle_archive(request, pk: int):
    question = _question(request, pk)
    try:
        question = question_archive(
            question=question, archived=not question.is_archived, user=request.user, source=ADMIN
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("assessment_admin:versions", pk=question.pk)
    messages.success(request, _("Frage archiviert.") if question.is_archived else _("Frage wiederhergestellt."))
    return redirect(f"{reverse('assessment_admin:index')}?category={question.category_id}")


@bank_manager_required
@require_POST
def question_copy_view(request, pk: int):
    """Copy a question into a category of one's own: the way to change what others' quizzes use."""
    question = _question(request, pk)
    form = CopyForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie eine Zielkategorie, in der Sie Fragen anlegen dürfen."))
        return redirect("assessment_admin:preview", pk=question.pk)
    try:
        copied = question_copy(
            question=question, category=form.cleaned_data["category"], user=request.user, source=ADMIN
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("assessment_admin:preview", pk=question.pk)
    messages.success(request, _("Kopie angelegt; Sie bearbeiten jetzt die Kopie."))
    return redirect("assessment_admin:edit", pk=copied.pk)


@bank_manager_required
def import_upload(request):
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"category": request.GET.get("category")},
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        fmt = form.cleaned_data["file_format"]
        try:
            parsed = questions_parse(content=content, fmt=fmt)
        except FormatError as exc:
            form.add_error("file", _("%(error)s – nichts wurde importiert.") % {"error": exc})
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            token = uuid.uuid4().hex
            # The file waits in the session between preview and confirmation;
            # nothing reaches the bank before the trainer confirms.
            request.session[SESSION_KEY] = {
                "token": token,
                "content": base64.b64encode(content).decode("ascii"),
                "format": fmt,
                "category": form.cleaned_data["category"].pk,
                "name": form.cleaned_data["file"].name,
                "unsupported": len(parsed.unsupported),
            }
            return render(
                request,
                "assessment/admin/import_preview.html",
                _ctx(
                    _("Import prüfen"),
                    parsed=parsed,
                    rows=[(q, dict(QuestionType.choices)[q.qtype.value]) for q in parsed.questions],
                    token=token,
                    category=form.cleaned_data["category"],
                    filename=form.cleaned_data["file"].name,
                    gift=fmt == "gift",
                ),
            )
    return render(request, "assessment/admin/import.html", _ctx(_("Fragen importieren"), form=form))


@bank_manager_required
@require_POST
def import_confirm(request):
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, _("Der Import ist abgelaufen. Bitte die Datei erneut hochladen."))
        return redirect("assessment_admin:import")
    category = get_object_or_404(categories_for(user=request.user, action=BankAction.CHANGE), pk=pending["category"])
    skip = request.POST.get("skip_unsupported") == "1"
    if pending.get("unsupported") and not skip:
        messages.error(
            request,
            _("Die Datei enthält nicht unterstützte Fragetypen. Bestätigen Sie, dass diese übersprungen werden."),
        )
        return redirect("assessment_admin:import")
    try:
        job = question_import_start(
            content=base64.b64decode(pending["content"]),
            fmt=pending["format"],
            category=category,
            file_name=pending.get("name", ""),
            user=request.user,
            skip_unsupported=skip,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("assessment_admin:import")
    del request.session[SESSION_KEY]
    return redirect("assessment_admin:import_status", pk=job.pk)


@bank_manager_required
def import_status(request, pk: int):
    job = get_object_or_404(
        QuestionImport.objects.select_related("category").filter(category__in=_readable(request).values("pk")), pk=pk
    )
    return render(
        request, "assessment/admin/import_status.html", _ctx(_("Import: %(f)s") % {"f": job.file_name}, job=job)
    )


@bank_manager_required
def export(request):
    form = ExportForm(request.POST or None, initial={"category": request.GET.get("category")}, user=request.user)
    if request.method == "POST" and form.is_valid():
        category, fmt = form.cleaned_data["category"], form.cleaned_data["file_format"]
        if fmt == "gift" and request.POST.get("confirmed") != "1":
            losses = questions_export(category=category, fmt=fmt).losses
            if losses:
                return render(
                    request,
                    "assessment/admin/export.html",
                    _ctx(_("Fragen exportieren"), form=form, losses=losses),
                )
        return export_response(category=category, fmt=fmt)
    return render(request, "assessment/admin/export.html", _ctx(_("Fragen exportieren"), form=form))
