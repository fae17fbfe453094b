"""Random short-answer matching (Moodle's qtype_randomsamatch).

When an attempt starts, ``choose`` short-answer questions are drawn from the question's category
(with ``subcats`` also from its subcategories): their texts are the stems, their right answers (the
first answer worth 100 %) the options. The draw is done on the server and stored in the slot's
layout with the stems' texts and answers, so a resumed attempt shows the same stems and a later
edit of a drawn short-answer question changes nothing in an attempt already started.

Scoring as Moodle's (qtype_match): right stems / stems; combined feedback right / partly / wrong.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.questions.formats import ir

from .base import (
    ZERO,
    AnswerPart,
    Data,
    FormData,
    Layout,
    QuestionType,
    Response,
    Score,
    Subquestion,
    View,
    clamp,
    render_feedback,
    render_inline,
    shuffled,
)
from .matching import pairs_clean


def right_answer(data: Data) -> str | None:
    """The answer a short-answer question's stem is matched with: the first worth 100 %, no wildcard."""
    if data.get("qtype") != ir.QuestionType.SHORTANSWER.value or not (data.get("text") or {}).get("text"):
        return None
    for answer in data.get("answers", []):
        if Decimal(str(answer.get("fraction", "0"))) == 1 and answer.get("text", "").strip():
            text = str(answer["text"]).strip()
            # A pattern such as "Verwaltungs*" is not an answer one could pick from a list.
            return None if "*" in text.replace("\\*", "") else text.replace("\\*", "*")
    return None


def _stems(layout: Layout) -> list[dict[str, Any]]:
    return list(layout.get("stems", []))


def _pairs(given: Any) -> dict[int, Any]:
    if not isinstance(given, dict) or not isinstance(given.get("pairs"), dict):
        return {}
    return {int(k): v for k, v in given["pairs"].items()}


def _right(given: Any) -> tuple[int, int]:
    """(right stems, stems) of a given answer; a stem is right with its own question's answer only."""
    stems = given.get("stems", []) if isinstance(given, dict) else []
    chosen = _pairs(given)
    right = sum(1 for i, stem in enumerate(stems) if chosen.get(i) == stem["answer"])
    return right, len(stems)


class RandomsamatchType(QuestionType):
    qtype = ir.QuestionType.RANDOMSAMATCH
    draws_subquestions = True

    # Layout ------------------------------------------------------------------------------------

    def layout(self, data: Data, *, shuffle_answers: bool, rng: random.Random) -> Layout:
        return self.layout_drawn(data, pool=[], shuffle_answers=shuffle_answers, rng=rng)

    def layout_drawn(self, data: Data, *, pool: list[Subquestion], shuffle_answers: bool, rng: random.Random) -> Layout:
        usable = [(s, answer) for s in sorted(pool, key=lambda s: s.version) if (answer := right_answer(s.data))]
        picked = rng.sample(usable, min(int(data.get("choose") or 2), len(usable)))
        stems = [
            {
                "version": s.version,
                "text": (s.data.get("text") or {}).get("text", ""),
                "format": (s.data.get("text") or {}).get("format", "html"),
                "answer": answer,
            }
            for s, answer in picked
        ]
        # Two drawn questions with the same right answer offer it once (as Moodle does).
        choices = list(dict.fromkeys(stem["answer"] for stem in stems))
        return {"stems": stems, "choices": choices, "options": shuffled(len(choices), rng, avoid_identity=True)}

    def learner_view(self, data: Data, layout: Layout) -> View:
        view = super().learner_view(data, layout)
        stems, choices = _stems(layout), layout.get("choices", [])
        view["stems"] = [
            {"key": str(pos), "text": render_inline(stem["text"], stem.get("format"))} for pos, stem in enumerate(stems)
        ]
        view["options"] = [
            {"key": str(pos), "text": str(escape(choices[i]))} for pos, i in enumerate(layout.get("options", []))
        ]
        if len(stems) < 2:
            notice = _(
                "Für diese Frage gibt es in ihrer Kategorie nicht genug Kurzantwortfragen mit einer richtigen "
                "Antwort. Bitte wenden Sie sich an die Lehrkraft; die Frage bringt keine Punkte."
            )
            view["text"] += f'<p class="notice" role="status">{escape(notice)}</p>'
        return view

    def fill_form(self, view: View, response: Response | None) -> View:
        pairs = (response or {}).get("pairs", {})
        for stem in view["stems"]:
            stem["selected"] = pairs.get(stem["key"], "")
        return view

    # Responses ---------------------------------------------------------------------------------

    def response_from_form(self, data: Data, layout: Layout, prefix: str, post: FormData) -> Any:
        return {"pairs": {str(k): post.get(f"{prefix}-{k}", "") for k in range(len(_stems(layout)))}}

    def clean_dict(self, data: Data, layout: Layout, raw: dict[str, Any]) -> Response | None:
        return pairs_clean(raw, stem_count=len(_stems(layout)), option_count=len(layout.get("options", [])))

    def given(self, data: Data, layout: Layout, response: Response | None) -> Any:
        """The drawn stems (text and right answer) and the chosen answer text per stem position."""
        stems = [{"text": s["text"], "answer": s["answer"]} for s in _stems(layout)]
        if response is None:
            return None
        choices, options = layout.get("choices", []), layout.get("options", [])
        return {
            "stems": stems,
            "pairs": {int(stem): choices[options[int(option)]] for stem, option in response["pairs"].items()},
        }

    # Scoring and feedback -----------------------------------------------------------------------

    def score_given(self, question: ir.Question, given: Any) -> Score:
        right, total = _right(given)
        return Score(fraction=clamp(Decimal(right) / Decimal(total)) if total else ZERO)

    def feedback_given(self, question: ir.Question, given: Any) -> list[str]:
        right, total = _right(given)
        if total and right == total:
            out = [render_feedback(question.correct_feedback)]
        else:
            out = [render_feedback(question.partially_correct_feedback if right else question.incorrect_feedback)]
        if question.show_num_correct and total and right < total:
            count = _("Sie haben %(right)d von %(total)d Begriffen richtig zugeordnet.") % {
                "right": right,
                "total": total,
            }
            out.append(f"<p>{escape(count)}</p>")
        return out

    def parts_given(self, question: ir.Question, given: Any) -> list[AnswerPart]:
        stems = given.get("stems", [])
        return [
            AnswerPart(
                f"{strip_tags(stems[i]['text']).strip()}:",
                f"„{chosen}“",
                "correct" if chosen == stems[i]["answer"] else "wrong",
            )
            for i, chosen in sorted(_pairs(given).items())
            if 0 <= i < len(stems)
        ]

    def correct_answers_for(self, data: Data, layout: Layout) -> list[str]:
        return [f"{strip_tags(s['text']).strip()} → {s['answer']}" for s in _stems(layout)]

    # Editor ------------------------------------------------------------------------------------

    editor_fields = ("choose", "subcats")
    row_text_label = gettext_lazy("Antwort")

    def new_content(self) -> ir.Question:
        return ir.Question(qtype=self.qtype, name="", choose=2, subcats=True)

    def editor_initial(self, content: ir.Question) -> dict[str, Any]:
        return {"choose": content.choose, "subcats": content.subcats}

    def editor_rows(self, content: ir.Question) -> list[dict[str, Any]]:
        return []

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        q.choose = int(data["choose"])
        q.subcats = bool(data.get("subcats"))
