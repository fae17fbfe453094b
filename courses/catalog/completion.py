"""The activity contract's completion part: how an activity page says it completes.

Every activity page (`courses.catalog.models.ActivityPage`) answers `completion_condition()` with
a `CompletionCondition` built from its own real fields. `courses.progress` asks only this; it
never reads a page's settings itself, so a new activity type needs no change in progress.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


class Completes(enum.StrEnum):
    """The event that completes an activity."""

    ON_VIEW = "on_view"
    """Opening the page completes it (a lesson to read)."""
    ON_MARK_DONE = "on_mark_done"
    """The learner marks it as done (a lesson with a task to do away from the screen)."""
    ON_RESULT = "on_result"
    """Any graded result completes it, passed or not (a quiz that is a self-check)."""
    ON_PASS = "on_pass"  # noqa: S105 - an event name, not a password
    """Only a passing result completes it (a graded quiz, an H5P item with a threshold)."""
    ON_ITEMS_DONE = "on_items_done"
    """Each of its interactive items is done (a lesson's practice questions answered right, its
    scoring H5P items answered): the condition names the items."""


@dataclass(frozen=True)
class CompletionCondition:
    """When an activity counts as complete for one learner."""

    completes: Completes
    pass_percent: Decimal | None = None
    """The activity's own passing threshold in percent, where it has one. It decides a result
    whose reporter leaves `passed` open; a reporter that knows (a quiz grades itself) says so."""
    items: frozenset[str] = frozenset()
    """For ON_ITEMS_DONE: the keys of the items that must be done (e.g. ``practice:12``, ``h5p:3``)."""

    @property
    def completes_on_view(self) -> bool:
        return self.completes is Completes.ON_VIEW

    @property
    def needs_mark_done(self) -> bool:
        """Whether the learner is offered "Als erledigt markieren"."""
        return self.completes is Completes.ON_MARK_DONE

    @property
    def needs_items(self) -> bool:
        """Whether the activity completes through its items (progress counts which are done)."""
        return self.completes is Completes.ON_ITEMS_DONE

    def met_by_items(self, done: Iterable[str]) -> bool:
        """Whether the items done complete the activity (all the condition names)."""
        return self.needs_items and self.items <= set(done)

    @property
    def is_graded(self) -> bool:
        return self.completes in (Completes.ON_RESULT, Completes.ON_PASS)

    def met_by_result(self, *, score: Decimal | None, max_score: Decimal | None, passed: bool | None) -> bool:
        """Whether a reported result completes the activity."""
        if self.completes in (Completes.ON_MARK_DONE, Completes.ON_ITEMS_DONE):
            return False  # only the learner's own "done", or the items done, complete it
        if self.completes is not Completes.ON_PASS:
            return True  # a result means the page was opened and the activity taken
        if passed is not None:
            return passed
        if self.pass_percent is None or score is None or not max_score:
            return False
        return Decimal(score) * 100 / Decimal(max_score) >= self.pass_percent
