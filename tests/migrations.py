"""Shared helper of the migration tests: run the project's migrations to a target."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(target: tuple[str, str]) -> MigrationExecutor:
    """Migrate the test database to `target` (app label, migration name); the executor shows the graph."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor
