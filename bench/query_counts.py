"""A pytest plugin that prints how many queries each measured block of the query-budget tests ran.

The budget tests assert upper bounds; this prints the figures behind them (docs/performance.md):

    PYTHONPATH=. .venv/bin/pytest -q -p no:cacheprovider -p bench.query_counts \\
        tests/courses/catalog/test_query_counts.py tests/courses/progress/test_query_counts.py \\
        tests/lernplattform/portal/test_home_queries.py

Every `CaptureQueriesContext` block (which `django_assert_max_num_queries` uses too) is recorded
with the test that ran it, in order; the summary lists them after the test results.
"""

from __future__ import annotations

from django.test.utils import CaptureQueriesContext

_records: list[tuple[str, int]] = []
_current = {"test": ""}


def pytest_configure(config) -> None:
    original_exit = CaptureQueriesContext.__exit__

    def recording_exit(self, exc_type, exc_value, traceback):
        result = original_exit(self, exc_type, exc_value, traceback)
        _records.append((_current["test"], len(self)))
        return result

    CaptureQueriesContext.__exit__ = recording_exit  # type: ignore[method-assign]


def pytest_runtest_setup(item) -> None:
    _current["test"] = item.nodeid


def pytest_terminal_summary(terminalreporter) -> None:
    terminalreporter.section("queries per measured block")
    seen: dict[str, int] = {}
    for test, count in _records:
        seen[test] = seen.get(test, 0) + 1
        terminalreporter.write_line(f"{count:4d}  {test} #{seen[test]}")
