"""Where qualification comes from: issued certificates of courses.certificates.

One module, so every figure reads certificates through one definition of validity: a certificate
counts while it is neither revoked nor replaced and its valid-until date (indexed, NULL = unlimited)
is today or later (`Certificate.objects.valid_on(day)`). Validity is computed at query time, never
stored as a flag that goes stale.

Two shapes of the same definition:
- `per_user_sql`: one grouped aggregate per person (highest valid level, expiring, expired), for
  roll-ups and for one block of a people list or export (a join, not a subquery per row);
- `placement_annotations`: the same as correlated subqueries, only where a people list filters by
  the highest level (the filter needs the value on every row before paging).
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.certificates.models import Certificate


def certificate_model() -> type[Certificate]:
    """The issued-certificate model."""
    return Certificate


def _subject_filter(filters) -> tuple[str, list]:
    """SQL condition for the filtered course (else topic); the level filter never narrows it:
    the highest valid level decides whether a person reaches the filtered level."""
    if filters.course is not None:
        return " AND c.course_id = %s", [filters.course.pk]
    if filters.topic is not None:
        return " AND c.topic_id = %s", [filters.topic.pk]
    return "", []


def per_user_sql(*, users_sql: str, filters, level_rank: dict, warn_days: int) -> tuple[str, list]:
    """A grouped subquery with one row per person in `users_sql` (a parameter-free SELECT of user
    ids, e.g. from a CTE) who has a certificate in the filtered topic or course: `user_id`,
    `level_rank` (the highest valid level: 0 none, 1 Grundlagen, 2 Fortgeschritten, 3 Expertise),
    `expiring` (1: a valid certificate ends within `warn_days`), `expired` (1: an expired one that
    was neither revoked nor replaced).

    Portable SQL (PostgreSQL and SQLite); values travel as parameters.
    """
    ops = connection.ops
    today = timezone.localdate()
    today_value = ops.adapt_datefield_value(today)
    warn_value = ops.adapt_datefield_value(today + datetime.timedelta(days=warn_days))
    current = "c.revoked_at IS NULL AND c.replaced_by_id IS NULL"
    valid = f"{current} AND (c.valid_until IS NULL OR c.valid_until >= %s)"
    rank_cases = " ".join("WHEN %s THEN %s" for _level in level_rank)
    rank_params: list = []
    for level, number in level_rank.items():
        rank_params += [str(level), number]
    subject, subject_params = _subject_filter(filters)
    table = connection.ops.quote_name(Certificate._meta.db_table)
    sql = (
        "SELECT c.user_id AS user_id, "  # noqa: S608 - fixed text and table names; values are parameters
        f"MAX(CASE WHEN {valid} THEN (CASE c.level {rank_cases} ELSE 0 END) ELSE 0 END) AS level_rank, "
        f"MAX(CASE WHEN {valid} AND c.valid_until <= %s THEN 1 ELSE 0 END) AS expiring, "
        f"MAX(CASE WHEN {current} AND c.valid_until < %s THEN 1 ELSE 0 END) AS expired "
        f"FROM {table} c WHERE c.user_id IN ({users_sql}){subject} GROUP BY c.user_id"
    )
    params = [today_value, *rank_params, today_value, warn_value, today_value]
    return sql, params + subject_params


def placement_annotations(*, filters, level_rank: dict, warn_days: int) -> dict:
    """`level_rank` on placements (memberships, by `user_id`) as a correlated subquery, for filters."""
    today = timezone.localdate()
    certificates = Certificate.objects.filter(user_id=OuterRef("user_id"))
    if filters.course is not None:
        certificates = certificates.filter(course_id=filters.course.pk)
    elif filters.topic is not None:
        certificates = certificates.filter(topic_id=filters.topic.pk)
    valid = certificates.valid_on(today)
    rank = Case(
        *[When(level=level, then=Value(number)) for level, number in level_rank.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    highest = valid.annotate(rank=rank).order_by("-rank").values("rank")[:1]
    return {
        "level_rank": Coalesce(Subquery(highest, output_field=IntegerField()), Value(0)),
        "expiring": Exists(valid.filter(valid_until__lte=today + datetime.timedelta(days=warn_days))),
        "expired_current": Exists(certificates.current().filter(valid_until__lt=today)),
    }
