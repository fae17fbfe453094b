"""Shared helpers for the concurrency tests: real threads, one connection each, released together.

They need PostgreSQL (SQLite serialises writers, so nothing would race); mark such a module with
``pytestmark = [pytest.mark.postgresql, pytest.mark.usefixtures("needs_postgresql"),
pytest.mark.django_db(transaction=True, serialized_rollback=True)]`` (``needs_postgresql`` is in
tests/conftest.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def run_at_once(calls: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Start every call in its own thread (own connection) at the same moment; return results and errors."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    errors: list[BaseException] = []

    def worker(call):
        try:
            barrier.wait()
            results.append(call())
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, errors
