"""The ZIP of the PDFs of a filtered certificate list, built in a task for large lists."""

from __future__ import annotations

import tempfile
import zipfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from .models import CertificateExport
from .selectors import certificates_in_scope


def certificates_zip_build(*, export_id: int) -> int:
    """Build the export once (a second run finds it done); the admin's scope applies as when asked."""
    with transaction.atomic():
        export = (
            CertificateExport.objects.select_for_update().select_related("requested_by").filter(pk=export_id).first()
        )
        if export is None or export.state != CertificateExport.State.PENDING:
            return 0
        certificates = certificates_in_scope(viewer=export.requested_by, **export.filters)
        count = 0
        with tempfile.TemporaryFile() as buffer:
            with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
                for certificate in certificates.iterator(chunk_size=500):
                    try:
                        with certificate.pdf.open("rb") as handle:
                            archive.writestr(f"{certificate.number}.pdf", handle.read())
                    except FileNotFoundError:
                        continue
                    count += 1
            buffer.seek(0)
            export.file.save(f"zertifikate-{export.pk}.zip", File(buffer), save=False)
        export.state = CertificateExport.State.DONE
        export.count = count
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "state", "count", "finished_at"])
    return count
