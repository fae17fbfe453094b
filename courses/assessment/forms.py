"""Forms of the question bank's trainer UI.

The editor is one form for all types plus a table of answer rows; each type
shows only the fields it uses, and its own rules (which fields, labels, checks,
how fields and rows become content) are in ``courses/questions/types/<type>.py``.
Editing starts from the current version's
content and overrides what the form holds, so fields the form does not show
(hints, combined feedback, Moodle settings from an import) survive an edit.
"""

from __future__ import annotations

import copy
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.questions import types
from courses.questions.formats import ir
from courses.questions.formats.grades import CHECKED_TYPES, grade_refusal, valid_fraction
from courses.questions.formats.numbers import format_decimal, parse_decimal
from courses.questions.models import QuestionCategory
from courses.questions.permissions import BankAction, categories_for
from courses.questions.types.base import kept_text
from lernplattform.core.errors import ApplicationError

FORMAT_CHOICES = [
    (ir.TextFormat.HTML.value, "HTML"),
    (ir.TextFormat.MOODLE.value, _("Moodle-Autoformat")),
    (ir.TextFormat.MARKDOWN.value, "Markdown"),
    (ir.TextFormat.PLAIN.value, _("Reiner Text")),
]
ORDERING_GRADING = [
    ("ABSOLUTE_POSITION", _("Richtige Position je Element")),
    ("RELATIVE_NEXT_EXCLUDE_LAST", _("Richtiger Nachfolger je Element")),
    ("RELATIVE_NEXT_INCLUDE_LAST", _("Richtiger Nachfolger, letztes Element zählt mit")),
    ("RELATIVE_ONE_PREVIOUS_AND_NEXT", _("Richtiger Vorgänger und Nachfolger")),
    ("RELATIVE_ALL_PREVIOUS_AND_NEXT", _("Alle Vorgänger und Nachfolger")),
    ("LONGEST_ORDERED_SUBSET", _("Längste geordnete Teilfolge")),
    ("LONGEST_CONTIGUOUS_SUBSET", _("Längste zusammenhängende Teilfolge")),
    ("RELATIVE_TO_CORRECT", _("Abstand zur richtigen Position")),
    ("ALL_OR_NOTHING", _("Alles oder nichts")),
]

_ALL_TYPE_FIELDS = {name for qtype in types.TYPES.values() for name in qtype.editor_fields}


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: QuestionCategory) -> str:
        return "— " * (obj.depth - 1) + obj.name


def _category_field(required: bool = True) -> CategoryChoiceField:
    return CategoryChoiceField(
        queryset=QuestionCategory.objects.all(), label=_("Kategorie"), required=required, empty_label="—"
    )


class TreeOrderMixin:
    """Category choices in tree order, limited to where the person may create or change questions."""

    def order_categories(self, name: str, *, user=None, action: BankAction = BankAction.CHANGE) -> None:
        field = self.fields[name]  # type: ignore[attr-defined]
        queryset = QuestionCategory.objects.all() if user is None else categories_for(user=user, action=action)
        field.queryset = queryset.order_by("path")


PRACTICE_HELP = _(
    "Fragen dieser Kategorie dürfen in Lektionen zum Üben erscheinen; die Lösung wird dort gezeigt. "
    "Tests dürfen aus einer Übungskategorie keine Fragen ziehen."
)


class CategoryForm(TreeOrderMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    parent = _category_field(required=False)
    course = forms.ModelChoiceField(
        queryset=None,
        label=_("Gehört zum Kurs"),
        required=False,
        empty_label=_("— keinem Kurs (eigene Kategorie) —"),
        help_text=_("Nur für oberste Kategorien; Unterkategorien gehören, wem ihre übergeordnete Kategorie gehört."),
    )
    description = forms.CharField(label=_("Beschreibung"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_practice = forms.BooleanField(label=_("Für Übungsfragen"), required=False, help_text=PRACTICE_HELP)

    def __init__(self, *args, user=None, **kwargs):
        from courses.catalog.models import CoursePage
        from courses.questions.permissions import courses_editable_filter

        super().__init__(*args, **kwargs)
        self.fields["parent"].label = _("Übergeordnete Kategorie")
        self.order_categories("parent", user=user)
        courses = CoursePage.objects.all()
        if user is not None:
            courses = courses.filter(courses_editable_filter(user=user)).distinct()
        self.fields["course"].queryset = courses.order_by("title")


class CategoryEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    description = forms.CharField(label=_("Beschreibung"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_practice = forms.BooleanField(label=_("Für Übungsfragen"), required=False, help_text=PRACTICE_HELP)


class CategoryOwnerForm(forms.Form):
    """Platform admins: whom a top-level category (and its subtree) belongs to."""

    PLATFORM, COURSE, PERSON = "platform", "course", "person"

    belongs_to = forms.ChoiceField(
        label=_("Gehört"),
        widget=forms.RadioSelect,
        choices=[
            (PLATFORM, _("der Plattform: alle Trainer/innen lesen, nur die Plattformverwaltung ändert")),
            (COURSE, _("einem Kurs: dessen Trainer/innen ändern")),
            (PERSON, _("einer Person (Trainer/in)")),
        ],
    )
    course = forms.ModelChoiceField(queryset=None, label=_("Kurs"), required=False, empty_label=_("— bitte wählen —"))
    owner_email = forms.EmailField(
        label=_("E-Mail-Adresse der Person"),
        required=False,
        help_text=_("Die Person braucht die Rolle Trainer/in."),
    )

    def __init__(self, *args, category: QuestionCategory, **kwargs):
        from courses.catalog.models import CoursePage

        initial = kwargs.setdefault("initial", {})
        if category.course_id:
            initial.setdefault("belongs_to", self.COURSE)
            initial.setdefault("course", category.course_id)
        elif category.owner_id:
            initial.setdefault("belongs_to", self.PERSON)
            initial.setdefault("owner_email", category.owner.email)
        else:
            initial.setdefault("belongs_to", self.PLATFORM)
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.order_by("title")

    def clean(self):
        from lernplattform.accounts.models import User

        data = super().clean()
        kind = data.get("belongs_to")
        data["owner"] = None
        if kind == self.COURSE:
            if not data.get("course"):
                self.add_error("course", _("Bitte wählen Sie den Kurs, dem die Kategorie gehören soll."))
        else:
            data["course"] = None
        if kind == self.PERSON:
            email = (data.get("owner_email") or "").strip().lower()
            if not email:
                self.add_error("owner_email", _("Bitte geben Sie die E-Mail-Adresse der Person an."))
            else:
                data["owner"] = User.objects.filter(email=email).first()
                if data["owner"] is None:
                    self.add_error("owner_email", _("Es gibt kein Konto mit der Adresse %(email)s.") % {"email": email})
        return data


class QuestionForm(TreeOrderMixin, forms.Form):
    category = _category_field()
    name = forms.CharField(label=_("Name"), max_length=255)
    text = forms.CharField(
        label=_("Fragetext"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("HTML ist erlaubt; Skripte und Ereignis-Attribute werden beim Speichern entfernt."),
    )
    text_format = forms.ChoiceField(label=_("Textformat"), choices=FORMAT_CHOICES, initial="html")
    general_feedback = forms.CharField(
        label=_("Allgemeines Feedback"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    default_mark = forms.DecimalField(label=_("Punkte"), min_value=0, max_digits=9, decimal_places=4, initial=1)
    penalty = forms.DecimalField(
        label=_("Abzug pro Fehlversuch"), min_value=0, max_value=1, max_digits=8, decimal_places=7, initial=0.3333333
    )
    tags = forms.CharField(label=_("Schlagwörter"), required=False, help_text=_("Durch Kommas getrennt."))

    single = forms.BooleanField(
        label=_("Nur eine Antwort erlaubt"), required=False, help_text=_("Sonst Mehrfachauswahl mit Teilpunkten.")
    )
    shuffle_answers = forms.BooleanField(label=_("Antworten mischen"), required=False)
    case_sensitive = forms.BooleanField(label=_("Groß-/Kleinschreibung beachten"), required=False)
    units = forms.CharField(
        label=_("Einheiten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eine je Zeile: Einheit=Faktor, z. B. „h=1“ und „min=60“. Die erste ist die Grundeinheit."),
    )
    unit_grading_type = forms.TypedChoiceField(
        label=_("Einheit bewerten"),
        coerce=int,
        choices=[(0, _("Nein")), (1, _("Abzug vom Antwortwert")), (2, _("Abzug von der Punktzahl"))],
        initial=0,
    )
    unit_penalty = forms.DecimalField(
        label=_("Abzug bei falscher Einheit"), min_value=0, max_value=1, decimal_places=7, initial=Decimal("0.1")
    )
    datasets = forms.CharField(
        label=_("Platzhalter und Werte"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Eine Zeile je Platzhalter: Name = Werte durch Semikolon, z. B. „a = 2,5; 3; 4,75“. Der n-te Wert "
            "jeder Zeile bildet Wertesatz n; jeder Versuch erhält einen Wertesatz. „a (gemeinsam) = …“ "
            "kennzeichnet einen in Moodle kategorieweit geteilten Datensatz (bleibt beim Export erhalten)."
        ),
    )
    grading_type = forms.ChoiceField(label=_("Bewertung"), choices=ORDERING_GRADING, initial="ABSOLUTE_POSITION")
    correct_true = forms.TypedChoiceField(
        label=_("Richtige Antwort"),
        coerce=lambda v: v == "true",
        choices=[("true", _("Wahr")), ("false", _("Falsch"))],
        initial="true",
    )
    feedback_true = forms.CharField(label=_("Feedback bei „Wahr“"), required=False)
    feedback_false = forms.CharField(label=_("Feedback bei „Falsch“"), required=False)
    response_field_lines = forms.IntegerField(label=_("Zeilen im Antwortfeld"), min_value=3, max_value=40, initial=15)
    choose = forms.IntegerField(
        label=_("Anzahl gezogener Kurzantwortfragen"),
        min_value=2,
        max_value=20,
        initial=2,
        help_text=_("So viele Kurzantwortfragen der Kategorie werden bei jedem Versuch als Begriffe gezogen."),
    )
    subcats = forms.BooleanField(label=_("Auch aus Unterkategorien ziehen"), required=False, initial=True)
    grader_info = forms.CharField(
        label=_("Hinweise für die Bewertung"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, qtype: str, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.qtype = qtype
        self.user = user
        self.type = types.for_question(qtype)
        for name in _ALL_TYPE_FIELDS - set(self.type.editor_fields):
            del self.fields[name]
        self.type.editor_form(self.fields)
        self.order_categories("category", user=user)

    def clean_units(self) -> list[ir.Unit]:
        units = []
        for number, line in enumerate(self.cleaned_data["units"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, factor = line.partition("=")
            multiplier = parse_decimal(factor) if factor.strip() else Decimal(1)
            if not name.strip() or multiplier is None or multiplier == 0:
                raise forms.ValidationError(_("Zeile %(n)s: Form „Einheit=Faktor“."), params={"n": number})
            units.append(ir.Unit(name.strip(), multiplier))
        return units

    def clean(self):
        data = super().clean()
        for field, message in self.type.editor_clean(data).items():
            self.add_error(field, message)
        return data


class AnswerRowForm(forms.Form):
    text = forms.CharField(label=_("Antwort"), required=False)
    answer = forms.CharField(label=_("Zuordnung"), required=False)
    fraction = forms.DecimalField(
        label=_("Anteil in %"), required=False, min_value=-100, max_value=100, decimal_places=5, initial=0
    )
    tolerance = forms.DecimalField(label=_("Toleranz"), required=False, min_value=0, decimal_places=7)
    tolerance_type = forms.TypedChoiceField(
        label=_("Toleranzart"),
        coerce=int,
        choices=[(1, _("relativ")), (2, _("nominal")), (3, _("geometrisch"))],
        initial=1,
    )
    answer_format = forms.TypedChoiceField(
        label=_("Anzeige der Lösung"),
        coerce=int,
        choices=[(1, _("Dezimalstellen")), (2, _("signifikante Stellen"))],
        initial=1,
    )
    answer_length = forms.IntegerField(label=_("Stellen"), min_value=0, max_value=9, initial=2, required=False)
    correct = forms.BooleanField(label=_("Richtig"), required=False)
    group = forms.IntegerField(label=_("Gruppe"), required=False, min_value=1, max_value=20, initial=1)
    infinite = forms.BooleanField(label=_("Mehrfach verwendbar"), required=False)
    feedback = forms.CharField(label=_("Feedback"), required=False)

    def __init__(self, *args, qtype: str = "multichoice", **kwargs):
        super().__init__(*args, **kwargs)
        self.qtype = qtype
        self.type = types.for_question(qtype)
        for name in set(self.fields) - set(self.type.row_fields):
            del self.fields[name]
        if self.type.row_text_label and "text" in self.fields:
            self.fields["text"].label = self.type.row_text_label

    def clean_fraction(self):
        fraction = self.cleaned_data.get("fraction")
        if fraction is None or self.qtype not in {t.value for t in CHECKED_TYPES}:
            return fraction
        valid = valid_fraction(fraction / 100)
        if valid is None:
            raise forms.ValidationError(grade_refusal(fraction / 100))
        return valid * 100

    def clean_text(self):
        try:
            return self.type.clean_row_text(self.cleaned_data.get("text", "").strip())
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from exc


AnswerFormSet = forms.formset_factory(AnswerRowForm, extra=3, can_delete=False)


def row_initial(content: ir.Question) -> list[dict]:
    return types.for_question(content.qtype).editor_rows(content)


def form_initial(content: ir.Question, *, category: QuestionCategory, tags: list[str]) -> dict:
    q = content
    initial = {
        "category": category.pk,
        "name": q.name,
        "text": q.text.text,
        "text_format": q.text.format.value,
        "general_feedback": q.general_feedback.text,
        "default_mark": q.default_mark,
        "penalty": q.penalty,
        "tags": ", ".join(tags),
        "single": q.single,
        "shuffle_answers": q.shuffle_answers,
        "case_sensitive": q.case_sensitive,
        "units": "\n".join(f"{u.name}={format_decimal(u.multiplier)}" for u in q.units),
        "unit_grading_type": q.unit_grading_type,
        "unit_penalty": q.unit_penalty,
        "grading_type": q.grading_type,
        "response_field_lines": q.response_field_lines,
        "grader_info": q.grader_info.text,
    }
    initial.update(types.for_question(q.qtype).editor_initial(q))
    return initial


def new_content(qtype: str) -> ir.Question:
    """Moodle's defaults for a new question of a type."""
    return types.for_question(qtype).new_content()


def content_from_forms(base: ir.Question, data: dict, rows: list[dict]) -> ir.Question:
    """The edited content: ``base`` with what the form and rows hold."""
    q = copy.deepcopy(base)
    fmt = ir.TextFormat(data["text_format"])
    q.name = data["name"].strip()
    q.text = ir.FormattedText(data.get("text", "").strip(), fmt)
    q.general_feedback = kept_text(base.general_feedback, data.get("general_feedback", ""), fmt)
    q.penalty = data["penalty"]
    if "default_mark" in data and data["default_mark"] is not None:
        q.default_mark = data["default_mark"]
    for name in ("single", "shuffle_answers", "case_sensitive", "unit_grading_type", "unit_penalty", "grading_type"):
        if name in data and data[name] is not None:
            setattr(q, name, data[name])
    if "units" in data:
        q.units = data["units"]
    rows = [r for r in rows if r.get("text") or r.get("answer")]
    types.for_question(q.qtype).editor_apply(q, base=base, data=data, rows=rows, fmt=fmt)
    return q


class ImportForm(TreeOrderMixin, forms.Form):
    file = forms.FileField(label=_("Datei"))
    file_format = forms.ChoiceField(
        label=_("Format"), choices=[("gift", "GIFT"), ("moodlexml", "Moodle XML")], initial="moodlexml"
    )
    category = _category_field()

    def __init__(self, *args, user=None, **kwargs):
        from courses.questions.services import import_max_bytes, size_display

        super().__init__(*args, **kwargs)
        self.fields["category"].label = _("Zielkategorie")
        self.fields["file"].help_text = _("GIFT (.txt/.gift) oder Moodle XML (.xml), höchstens %(limit)s.") % {
            "limit": size_display(import_max_bytes())
        }
        self.order_categories("category", user=user)

    def clean_file(self):
        from courses.questions.services import import_size_check
        from lernplattform.core.errors import ApplicationError

        upload = self.cleaned_data["file"]
        try:
            import_size_check(size=upload.size)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        return upload


class ExportForm(TreeOrderMixin, forms.Form):
    category = _category_field()
    file_format = forms.ChoiceField(label=_("Format"), choices=[("moodlexml", "Moodle XML"), ("gift", "GIFT")])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_categories("category", user=user, action=BankAction.VIEW)


class CopyForm(TreeOrderMixin, forms.Form):
    """Where a copy of a question goes: a category the person may create questions in."""

    category = _category_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].label = _("Kopie anlegen in")
        self.order_categories("category", user=user)
