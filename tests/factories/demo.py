"""The demo's course content without the rest of seed_demo: people, catalogue, bank, lessons, quizzes."""

from __future__ import annotations

import io
from pathlib import Path


def demo_courses_seed(root: Path | None = None, *, quizzes: bool = True) -> str:
    """Seed the demo courses from ``root`` (default: content/demo) in seed_demo's order; returns the output."""
    from courses.assessment import demo_quizzes
    from courses.catalog import demo as catalog_demo
    from courses.lessons import demo as lessons_demo
    from courses.questions import demo as bank_demo
    from lernplattform.accounts import demo as accounts_demo

    out = io.StringIO()
    accounts_demo.seed(stdout=out)
    modules = [catalog_demo, bank_demo, lessons_demo, *([demo_quizzes] if quizzes else [])]
    for module in modules:
        module.seed(stdout=out, root=root)
    return out.getvalue()
