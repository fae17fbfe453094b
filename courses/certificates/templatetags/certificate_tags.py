"""The learner's certificates on the dashboard ("Meine Kurse"): a small box with links."""

from __future__ import annotations

from django import template
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("certificates/includes/dashboard_box.html", takes_context=True)
def certificates_summary(context, limit: int = 3):
    """The newest certificates of the signed-in person (one query), with status for today."""
    from ..models import Certificate

    user = context.get("user") or getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return {"rows": [], "total": 0}
    certificates = list(
        Certificate.objects.filter(user=user).select_related("replaced_by").order_by("-issued_at")[: limit + 1]
    )
    today = timezone.localdate()
    rows = [
        {"certificate": c, "status_label": Certificate.Status(c.status_on(today)).label} for c in certificates[:limit]
    ]
    return {"rows": rows, "more": len(certificates) > limit}
