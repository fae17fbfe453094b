"""The notification kinds of reports (registered in ReportsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from lernplattform.notifications.registry import register_kind


def register_report_kinds() -> None:
    register_kind(
        code="reports.export_ready",
        label=_("Export bereit"),
        description=_("An die Person, die einen großen Export angefordert hat."),
        placeholders={
            "export_url": _("Seite „Meine Exporte“"),
            "row_count": _("Zahl der Zeilen"),
            "expires_at": _("Abrufbar bis"),
        },
        default_subject=_("Ihr Export ist bereit"),
        default_text=_(
            "Guten Tag {{ recipient_name }},\n\nIhr Export ({{ row_count }} Zeilen) ist fertig. Sie können ihn bis "
            "{{ expires_at }} Uhr nach der Anmeldung hier herunterladen:\n\n{{ export_url }}\n\n"
            "Nur Sie können die Datei abrufen."
        ),
        mandatory=True,
    )
    register_kind(
        code="reports.monthly_report",
        label=_("Monatsbericht Qualifizierung"),
        description=_("Am Monatsersten an jede Organisationsverwaltung, mit den Zahlen ihres eigenen Bereichs."),
        placeholders={"month": _("Monat (MM/JJJJ)"), "summary": _("Kennzahlen und Ziele des eigenen Bereichs")},
        default_subject=_("Qualifizierung in Ihrem Bereich – {{ month }}"),
        default_text=_(
            "Guten Tag {{ recipient_name }},\n\nhier der Stand der Qualifizierung in Ihrem Bereich "
            "({{ month }}):\n\n{{ summary }}\n\n„< 5“: weniger als fünf Personen (Datenschutz)."
        ),
    )
