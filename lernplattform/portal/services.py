"""Writes of the portal: barrier reports."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lernplattform.notifications.services import platform_admins_notify

from .models import BarrierReport


@transaction.atomic
def barrier_report_submit(
    *, description: str, page_url: str = "", name: str = "", email: str = "", reporter=None
) -> BarrierReport:
    """Store a reported barrier and tell the platform admins (after commit, by e-mail)."""
    report = BarrierReport.objects.create(
        description=description.strip(),
        page_url=page_url.strip(),
        name=name.strip(),
        email=email.strip(),
        reporter=reporter if reporter is not None and reporter.is_authenticated else None,
    )
    lines = [
        _("Über die Erklärung zur Barrierefreiheit wurde eine Barriere gemeldet."),
        "",
        _("Seite: %(page)s") % {"page": report.page_url or "–"},
        _("Name: %(name)s") % {"name": report.name or "–"},
        _("E-Mail: %(email)s") % {"email": report.email or "–"},
        "",
        report.description,
        "",
        _("Nach § 12b BGG ist innerhalb eines Monats zu antworten."),
    ]
    platform_admins_notify(
        subject=_("Barriere gemeldet: %(page)s") % {"page": report.page_url or _("ohne Seitenangabe")},
        body="\n".join(lines),
        reply_to=report.email,
        topic="barrier_report",
    )
    return report
