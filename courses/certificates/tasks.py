"""Celery tasks of the certificates app: load by id, call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from lernplattform.core.tasks import enqueue

from . import services


@shared_task(name="certificates.certificate_issue", bind=True, max_retries=5, retry_backoff=True)
def certificate_issue(
    self, course_completion_id: int | None = None, path_completion_id: int | None = None
) -> int | None:
    certificate = services.certificate_issue(
        course_completion_id=course_completion_id, path_completion_id=path_completion_id
    )
    return certificate.pk if certificate else None


@shared_task(name="certificates.certificates_reconcile")
def certificates_reconcile() -> int:
    """Beat: issue for certifiable completions that lack a certificate (a task lost to a broker outage)."""
    pending = services.certificates_issue_pending()
    for kind, pk in pending:
        if kind == "course":
            enqueue(certificate_issue, course_completion_id=pk)
        else:
            enqueue(certificate_issue, path_completion_id=pk)
    return len(pending)


@shared_task(name="certificates.certifications_run")
def certifications_run() -> dict[str, int]:
    """Beat (nightly): renewal windows, reminders before expiry and notices on expiry."""
    from .cycles import certifications_run as run

    return run()


@shared_task(name="certificates.certificates_zip_build", bind=True, max_retries=3)
def certificates_zip_build(self, export_id: int) -> int:
    from .exports import certificates_zip_build as build

    return build(export_id=export_id)
