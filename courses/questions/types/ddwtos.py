"""Drag and drop into text (Moodle's qtype_ddwtos), played without dragging: one drop-down per gap.

The data model is gapselect's (``[[n]]`` gaps, choices with groups) plus "infinite": an item that
may fill more than one gap. Instead of dragging, each gap is a labelled select box, which keyboards,
screen readers and switch devices can use (WCAG 2.1.1, 2.5.7); scoring is the same as in Moodle.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext as _

from courses.questions.formats import ir

from .base import Data, Layout, ResponseError
from .gapselect import GapselectType, _place_group, _places, choice_label


class DdwtosType(GapselectType):
    """Moodle scores ddwtos exactly like gapselect (qtype_ddwtos_question extends the same base class)."""

    qtype = ir.QuestionType.DDWTOS

    def check_response(self, data: Data, layout: Layout, gaps: dict[str, str]) -> None:
        # A Moodle drag item that is not "infinite" can sit in one gap only; the drop-downs keep that rule.
        choices = data.get("gap_choices", [])
        places = _places(data)
        groups = layout.get("groups", {})
        used: dict[int, int] = {}
        for gap, value in gaps.items():
            index = groups[_place_group(data, places[int(gap) - 1])][int(value)]
            used[index] = used.get(index, 0) + 1
        for index, count in used.items():
            if count > 1 and not choices[index].get("infinite"):
                raise ResponseError(
                    _("„%(item)s“ kann nur in eine Lücke gesetzt werden.")
                    % {"item": choice_label(choices[index]["text"])}
                )

    row_fields: ClassVar[tuple[str, ...]] = ("text", "group", "infinite")

    def editor_rows(self, content: ir.Question) -> list[dict[str, Any]]:
        return [{"text": c.text, "group": c.group, "infinite": c.infinite} for c in content.gap_choices]

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        q.gap_choices = [ir.GapChoice(r["text"], r.get("group") or 1, bool(r.get("infinite"))) for r in rows]
