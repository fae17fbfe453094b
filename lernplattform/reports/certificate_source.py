"""Where qualification comes from: issued certificates of courses.certificates.

One module, so every figure reads certificates through one definition of validity: a certificate
counts while it is neither revoked nor replaced and its valid-until date (indexed, NULL = unlimited)
is today or later (`Certificate.objects.valid_on(day)`). Validity is computed at query time, never
stored as a flag that goes stale.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import Case, Exists, IntegerField, Model, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone


def certificate_model() -> type[Model] | None:
    """The issued-certificate model, or None while courses.certificates has none."""
    try:
        return apps.get_model("certificates", "Certificate")
    except LookupError:
        return None


def _certificates(model, filters, course_ids: list[int] | None):
    certificates = model.objects.filter(user_id=OuterRef("user_id"))
    if filters.course is not None:
        certificates = certificates.filter(course_id=filters.course.pk)
    elif filters.topic is not None:
        certificates = certificates.filter(topic_id=filters.topic.pk)
    return certificates


def placement_annotations(*, filters, level_rank: dict, warn_days: int) -> dict:
    """Annotations on placements (memberships, by `user_id`):

    - level_rank: the highest valid level (0 none, 1 Grundlagen, 2 Fortgeschritten, 3 Expertise);
    - expiring: a valid certificate ends within `warn_days`;
    - expired_current: an expired certificate that was neither revoked nor replaced (with
      level_rank 0 that is a recertification overdue).
    """
    model = certificate_model()
    if model is None:
        return {}
    today = timezone.localdate()
    base = _certificates(model, filters, None)
    valid = base.filter(revoked_at__isnull=True, replaced_by__isnull=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    rank = Case(
        *[When(level=level, then=Value(number)) for level, number in level_rank.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    highest = valid.annotate(rank=rank).order_by("-rank").values("rank")[:1]
    return {
        "level_rank": Coalesce(Subquery(highest, output_field=IntegerField()), Value(0)),
        "expiring": Exists(valid.filter(valid_until__lte=today + datetime.timedelta(days=warn_days))),
        "expired_current": Exists(
            base.filter(revoked_at__isnull=True, replaced_by__isnull=True, valid_until__lt=today)
        ),
    }
