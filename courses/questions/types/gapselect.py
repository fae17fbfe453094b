"""Select missing words (Moodle's qtype_gapselect): a text with gaps [[n]], one drop-down per gap.

The n-th choice (counted from 1 over all choices) is the right one for a gap ``[[n]]``; the gap's
drop-down offers every choice of that choice's group. Learners only see display positions within a
group, never choice numbers, so neither the HTML nor the API tells which option is right.
"""

from __future__ import annotations

import html
import random
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.questions.formats import ir

from .base import (
    ZERO,
    AnswerPart,
    Data,
    FormData,
    GapTextType,
    Layout,
    Response,
    ResponseError,
    Score,
    View,
    clamp,
    display_keys,
    neutral_order,
    render_feedback,
    render_text,
    shuffled,
)


def choice_label(text: str) -> str:
    """A choice as the plain text a drop-down option shows (Moodle shows choices as text, too)."""
    return " ".join(html.unescape(strip_tags(text)).split())


def _groups(data: Data) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, choice in enumerate(data.get("gap_choices", [])):
        if str(choice.get("text", "")).strip():
            groups.setdefault(str(choice.get("group", 1)), []).append(i)
    return groups


def _places(data: Data) -> list[int]:
    return ir.gap_places((data.get("text") or {}).get("text", ""))


def _place_group(data: Data, choice_number: int) -> str:
    choices = data.get("gap_choices", [])
    return str(choices[choice_number - 1].get("group", 1)) if 1 <= choice_number <= len(choices) else ""


def gaps_right(question: ir.Question, given: Any) -> tuple[int, int]:
    """Moodle's rule (qtype_gapselect_question_base::get_num_parts_right and grade_response, in our words).

    A gap is right when the option put there is the very choice its placeholder names; the question
    earns the right gaps divided by all gaps – an empty gap counts as wrong, nothing is subtracted.
    """
    places = ir.gap_places(question.text.text)
    chosen = _gaps(given)
    right = sum(1 for place, number in enumerate(places, start=1) if chosen.get(place) == number - 1)
    return right, len(places)


def _gaps(given: Any) -> dict[int, int]:
    if not isinstance(given, dict) or not isinstance(given.get("gaps"), dict):
        return {}
    return {int(k): v for k, v in given["gaps"].items() if isinstance(v, int)}


class GapselectType(GapTextType):
    qtype = ir.QuestionType.GAPSELECT
    # Right or wrong per gap; the combined feedback (right / partly / wrong) is the question's.
    feedback_per_part = False

    def layout(self, data: Data, *, shuffle_answers: bool, rng: random.Random) -> Layout:
        choices = data.get("gap_choices", [])
        groups = {}
        for group, members in _groups(data).items():
            if shuffle_answers and data.get("shuffle_answers", True):
                groups[group] = [members[i] for i in shuffled(len(members), rng)]
            else:
                # As in cloze drop-downs: by text, so authoring order (right choice first) tells nothing.
                groups[group] = [members[i] for i in neutral_order([choices[m]["text"] for m in members])]
        return {"groups": groups}

    def learner_view(self, data: Data, layout: Layout) -> View:
        view = super().learner_view(data, layout)
        # [[n]] names the right choice: the plain text shows blanks, the segments carry the gaps.
        view["text"] = ir.GAP_PLACEHOLDER.sub("_____", view["text"])
        view["segments"] = self.segments(data, layout)
        return view

    def segments(self, data: Data, layout: Layout) -> list[dict[str, Any]]:
        """The text cut into HTML pieces and gaps; a gap carries only its number and its group's options."""
        rendered = str(render_text(data.get("text")))
        places = _places(data)
        choices = data.get("gap_choices", [])
        groups = layout.get("groups", {})
        segments: list[dict[str, Any]] = []
        pos, place = 0, 0
        for match in ir.GAP_PLACEHOLDER.finditer(rendered):
            place += 1
            if place > len(places):
                break
            segments.append({"html": rendered[pos : match.start()]})
            group = groups.get(_place_group(data, places[place - 1]), [])
            segments.append(
                {
                    "gap": str(place),
                    "choices": [
                        {"key": str(p), "text": str(escape(choice_label(choices[i]["text"])))}
                        for p, i in enumerate(group)
                    ],
                }
            )
            pos = match.end()
        segments.append({"html": rendered[pos:]})
        return segments

    def response_from_form(self, data: Data, layout: Layout, prefix: str, post: FormData) -> Any:
        return {"gaps": {str(n): post.get(f"{prefix}-{n}", "") for n in range(1, len(_places(data)) + 1)}}

    def clean_dict(self, data: Data, layout: Layout, raw: dict[str, Any]) -> Response | None:
        gaps = raw.get("gaps")
        places = _places(data)
        if not isinstance(gaps, dict):
            raise ResponseError(_("Die Lückenantworten haben ein unbekanntes Format."))
        clean = {}
        for gap, value in gaps.items():
            if not str(gap).isdigit() or not 1 <= int(gap) <= len(places):
                raise ResponseError(_("Diese Lücke gibt es nicht."))
            if value in (None, ""):
                continue
            group = layout.get("groups", {}).get(_place_group(data, places[int(gap) - 1]), [])
            if str(value) not in display_keys(len(group)):
                raise ResponseError(_("Diese Auswahl gibt es nicht."))
            clean[str(gap)] = str(value)
        if clean:
            self.check_response(data, layout, clean)
        return {"gaps": clean} if clean else None

    def check_response(self, data: Data, layout: Layout, gaps: dict[str, str]) -> None:
        """Further rules of a type on a valid response (ddwtos: an item used once)."""

    def given(self, data: Data, layout: Layout, response: Response | None) -> Any:
        """Gaps by place number, each with the index of the chosen choice."""
        if response is None:
            return None
        places = _places(data)
        groups = layout.get("groups", {})
        out: dict[int, int] = {}
        for gap, value in response["gaps"].items():
            out[int(gap)] = groups[_place_group(data, places[int(gap) - 1])][int(value)]
        return {"gaps": out}

    def score_given(self, question: ir.Question, given: Any) -> Score:
        right, total = gaps_right(question, given)
        return Score(fraction=clamp(Decimal(right) / Decimal(total)) if total else ZERO)

    def feedback_given(self, question: ir.Question, given: Any) -> list[str]:
        right, total = gaps_right(question, given)
        if total and right == total:
            return [render_feedback(question.correct_feedback)]
        combined = question.partially_correct_feedback if right else question.incorrect_feedback
        out = [render_feedback(combined)]
        if question.show_num_correct and total:
            count = _("Sie haben %(right)d von %(total)d Lücken richtig gefüllt.") % {"right": right, "total": total}
            out.append(f"<p>{escape(count)}</p>")
        return out

    def parts_given(self, question: ir.Question, given: Any) -> list[AnswerPart]:
        places = ir.gap_places(question.text.text)
        out = []
        for place, index in sorted(_gaps(given).items()):
            if not 1 <= place <= len(places) or not 0 <= index < len(question.gap_choices):
                continue
            out.append(
                AnswerPart(
                    _("Lücke %(n)s:") % {"n": place},
                    f"„{choice_label(question.gap_choices[index].text)}“",
                    "correct" if index == places[place - 1] - 1 else "wrong",
                )
            )
        return out

    def correct_answers(self, data: Data) -> list[str]:
        choices = data.get("gap_choices", [])
        return [
            f"({place}) {choice_label(choices[number - 1]['text'])}"
            for place, number in enumerate(_places(data), start=1)
            if 1 <= number <= len(choices)
        ]

    # Editor: the text with [[n]] gaps, one row per choice with its group.
    editor_fields: ClassVar[tuple[str, ...]] = ("shuffle_answers",)
    row_fields: ClassVar[tuple[str, ...]] = ("text", "group")
    row_text_label = gettext_lazy("Auswahlmöglichkeit (Nr. = Zeile)")

    def editor_form(self, fields: dict[str, forms.Field]) -> None:
        fields["text"].help_text = gettext_lazy(
            "Lücken im Text als [[1]], [[2]] …: die Zahl nennt die Zeile der richtigen Auswahlmöglichkeit; "
            "die Lücke bietet alle Möglichkeiten derselben Gruppe an."
        )
        fields["text"].required = True

    def editor_rows(self, content: ir.Question) -> list[dict[str, Any]]:
        return [{"text": c.text, "group": c.group} for c in content.gap_choices]

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        q.gap_choices = [ir.GapChoice(r["text"], r.get("group") or 1) for r in rows]
