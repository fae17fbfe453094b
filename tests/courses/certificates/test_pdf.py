"""The PDF: German text in reading order, metadata, embedded font, a QR code that leads to "gültig"."""

from __future__ import annotations

import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from courses.certificates import services
from courses.certificates.models import Certificate
from courses.certificates.pdf import CertificateRenderError, certificate_pdf_render

from .conftest import course_finish, template_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course_finish(learner, course)
    return Certificate.objects.get()


def _pdf(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def test_pdf_text_is_real_german_text_with_a_german_date(certificate):
    reader = PdfReader(io.BytesIO(_pdf(certificate)))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Jürgen Weiß-Müller" in text
    assert "„Datenschutz im Bürgerbüro“" in text
    assert certificate.snapshot["completed_on_label"] in text
    month = certificate.completed_at.astimezone().strftime("%m")
    german_months = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ]
    assert german_months[int(month) - 1] in text
    assert certificate.number in text
    assert "unbefristet" in text
    # Reading order: heading, name, body, facts, signatures, verification.
    assert text.index("Zertifikat") < text.index("Jürgen") < text.index("Umfang") < text.index("Echtheit prüfen")


def test_pdf_metadata_font_and_page_size(certificate):
    reader = PdfReader(io.BytesIO(_pdf(certificate)))
    meta = reader.metadata
    assert "Datenschutz im Bürgerbüro" in meta.title and "Jürgen Weiß-Müller" in meta.title
    assert meta.author == "Kompetenzzentrum Digitale Kommune"
    assert certificate.number in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "de-DE"
    fonts = {font.get_object()["/BaseFont"] for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in str(name) for name in fonts)
    font = next(
        f.get_object()
        for f in reader.pages[0]["/Resources"]["/Font"].values()
        if "DejaVuSans" in str(f.get_object()["/BaseFont"])
    )
    assert "/FontFile2" in font["/FontDescriptor"]  # the TrueType program is embedded (a subset)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4


def test_qr_code_on_the_rendered_page_leads_to_the_valid_certificate(certificate, client):
    page = pypdfium2.PdfDocument(_pdf(certificate))[0]
    image = page.render(scale=3).to_pil()
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    url = results[0].text
    assert url == certificate.snapshot["verify_url"]
    assert url.endswith(f"/zertifikate/pruefen/{certificate.code}/")
    response = client.get("/" + url.split("://", 1)[1].split("/", 1)[1])
    body = response.content.decode()
    assert response.status_code == 200
    assert "gültig" in body
    for field in (
        "Jürgen Weiß-Müller",
        "Garching b.München",
        "Datenschutz im Bürgerbüro",
        certificate.number,
        certificate.snapshot["completed_on_label"],
        "Kompetenzzentrum Digitale Kommune",
        "3 Stunden",
        "Dr. Anna Groß",
    ):
        assert field in body, field


def test_download_serves_the_stored_file_never_a_new_one(certificate, client, learner):
    stored = _pdf(certificate)
    template = certificate.template
    template.heading = "Geändert"
    template.save()
    client.force_login(learner)
    response = client.get(f"/zertifikate/{certificate.pk}/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored


def test_others_cannot_download(certificate, client, outsider_admin, kreis_admin):
    client.force_login(outsider_admin)
    assert client.get(f"/zertifikate/{certificate.pk}/pdf/").status_code == 404
    client.force_login(kreis_admin)
    assert client.get(f"/zertifikate/{certificate.pk}/pdf/").status_code == 200


def test_missing_font_fails_with_a_german_message(settings, tmp_path):
    from courses.certificates import pdf

    pdf._fonts_registered.cache_clear()
    settings.CERTIFICATE_FONT_DIR = str(tmp_path)
    with pytest.raises(CertificateRenderError) as error:
        certificate_pdf_render(snapshot={})
    assert error.value.code == "certificates.font_missing"
    assert "Die Schrift „DejaVuSans.ttf“ fehlt" in error.value.message


def test_preview_shows_the_sample_learner_and_fails_in_german_for_a_missing_image(db):
    template = template_create(body="Für {name}: {course} am {date}, gültig bis {valid_until}.")
    pdf_bytes = services.template_preview_pdf(template=template)
    text = PdfReader(io.BytesIO(pdf_bytes)).pages[0].extract_text()
    assert "Maria Musterfrau-Öztürk" in text
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="Logo", file=get_test_image_file())
    template.logo = image
    template.save()
    image.file.delete(save=False)
    with pytest.raises(CertificateRenderError) as error:
        services.template_preview_pdf(template=template)
    assert error.value.code == "certificates.image_missing"
    assert "Logo" in error.value.message


def test_unknown_placeholder_is_refused_in_the_editor_naming_it(db):
    from django.core.exceptions import ValidationError

    template = template_create()
    template.body = "Hallo {name}, du hast {kurs} am {datum} geschafft."
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "{kurs}, {datum}" in str(error.value.message_dict["body"])


def test_qr_with_the_fixed_mask_decodes_for_many_random_codes(db):
    """The mask is fixed for speed (pdf.QR_MASK); any code, rendered from the real PDF, still decodes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from courses.certificates.pdf import qr_draw

    urls = [services.verify_url(services.certificate_code_generate()) for _ in range(25)]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for url in urls:
        qr_draw(canvas, url, x=40, y=40, size=85)  # 30 mm, as on the certificate
        canvas.showPage()
    canvas.save()
    document = pypdfium2.PdfDocument(buffer.getvalue())
    decoded = []
    for page in document:
        results = zxingcpp.read_barcodes(page.render(scale=2, crop=(0, 0, 400, 600)).to_pil())
        decoded.append([r.text for r in results])
    assert decoded == [[url] for url in urls]
    import segno

    from courses.certificates.pdf import QR_MASK

    assert segno.make(urls[0], error="m", micro=False, mask=QR_MASK).mask == QR_MASK


def test_the_editor_preview_shows_the_german_reason_instead_of_a_half_made_pdf(db, settings, tmp_path, rf):
    from courses.certificates import pdf

    template = template_create()
    request = rf.get("/admin/snippets/certificates/certificatetemplate/preview/")
    ok = template.serve_preview(request, "")
    assert ok["Content-Type"] == "application/pdf" and ok.content.startswith(b"%PDF-")
    pdf._fonts_registered.cache_clear()
    settings.CERTIFICATE_FONT_DIR = str(tmp_path)  # the font package is missing
    try:
        response = template.serve_preview(request, "")
    finally:
        pdf._fonts_registered.cache_clear()
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "Die Schrift „DejaVuSans.ttf“ fehlt" in body and "fonts-dejavu-core" in body
    assert b"%PDF" not in response.content
