"""The certificate PDF: A4, real text in reading order, an embedded TrueType font, a QR code.

Rendered from the certificate's snapshot only, once, at issue (services.certificate_issue) and for
the editor's preview; downloads serve the stored file. The whole document is built in memory
first, so a failure (a missing font or image) leaves nothing half-made behind.

The font comes from a system package (Debian's fonts-dejavu-core, installed by `make install`
and .ci/run), never from the repository: `CERTIFICATE_FONT_DIR` names its folder.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.utils.translation import gettext as _
from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from lernplattform.core.errors import ApplicationError

FONT_REGULAR = "LP-Sans"
FONT_BOLD = "LP-Sans-Bold"
FONT_FILES = {FONT_REGULAR: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}

INK = HexColor("#1a1a1a")
MUTED = HexColor("#4a4a4a")  # 8.9:1 on white
ACCENT = HexColor("#0b4f8a")

# A fixed QR mask pattern: segno's automatic choice (all eight masks scored by the ISO penalty
# rules) took about a third of the certificate's render time. Every mask gives a valid code that
# decoders read (the mask is named in the code's format information); tests decode random codes.
QR_MASK = 1

# Binary (Flate only) page streams instead of Flate plus ASCII85: ASCII85 exists for 7-bit
# channels, costs about 0.5 ms per certificate in reportlab's pure-Python encoder and makes the
# file larger; PDF readers take binary streams. reportlab has no per-document switch, so this holds
# for the whole process (this module is the platform's only reportlab user).
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 22 * mm


class CertificateRenderError(ApplicationError):
    """The PDF cannot be made (font or image missing, broken image): nothing is stored."""

    status_code = 400


def font_dir() -> Path:
    return Path(getattr(settings, "CERTIFICATE_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))


@cache
def _fonts_registered(directory: str) -> bool:
    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(Path(directory) / filename)))
    return True


def fonts_register() -> None:
    """Register the embedded font once per process; a German error naming the file if it is missing."""
    directory = font_dir()
    for filename in FONT_FILES.values():
        if not (directory / filename).is_file():
            raise CertificateRenderError(
                "certificates.font_missing",
                _(
                    "Die Schrift „%(file)s“ fehlt im Ordner %(dir)s. Bitte installieren Sie das Paket "
                    "fonts-dejavu-core (make install) oder setzen Sie CERTIFICATE_FONT_DIR."
                )
                % {"file": filename, "dir": directory},
            )
    try:
        _fonts_registered(str(directory))
    except Exception as error:  # a broken or non-TrueType file
        _fonts_registered.cache_clear()
        raise CertificateRenderError(
            "certificates.font_broken",
            _("Die Schrift im Ordner %(dir)s lässt sich nicht laden: %(error)s") % {"dir": directory, "error": error},
        ) from error


@dataclass(frozen=True)
class Images:
    """The image files a certificate shows, read before drawing starts (all or nothing)."""

    logo: ImageReader | None
    signatures: dict[int, ImageReader]


def images_load(snapshot: dict[str, Any]) -> Images:
    """Read the logo and signature images; a German error naming the missing one."""
    from wagtail.images import get_image_model

    image_model = get_image_model()
    wanted: list[tuple[str, int]] = []
    if snapshot.get("logo_image_id"):
        wanted.append((_("Logo"), snapshot["logo_image_id"]))
    for signatory in snapshot.get("signatories", []):
        if signatory.get("signature_image_id"):
            wanted.append(
                (_("Unterschrift von %(name)s") % {"name": signatory["name"]}, signatory["signature_image_id"])
            )
    found = {image.pk: image for image in image_model.objects.filter(pk__in=[pk for _label, pk in wanted])}
    readers: dict[int, ImageReader] = {}
    for label, pk in wanted:
        image = found.get(pk)
        try:
            if image is None:
                raise FileNotFoundError(pk)
            with image.file.open("rb") as handle:
                readers[pk] = ImageReader(io.BytesIO(handle.read()))
        except Exception as error:
            raise CertificateRenderError(
                "certificates.image_missing",
                _("Das Bild „%(label)s“ der Vorlage fehlt oder ist beschädigt. Bitte laden Sie es neu hoch.")
                % {"label": label},
            ) from error
    logo = readers.get(snapshot["logo_image_id"]) if snapshot.get("logo_image_id") else None
    return Images(logo=logo, signatures=readers)


def qr_draw(canvas: Canvas, data: str, *, x: float, y: float, size: float) -> None:
    """Draw a QR code as one filled path: segno computes the matrix, runs of dark modules become rectangles.

    reportlab's own QR widget draws one object per module and halves the page rate. The path is
    written in module units under one transformation (origin at the top-left module, y downwards),
    so every rectangle is four small integers: formatting floats through reportlab's pure-Python
    `fp_str` for each rectangle was the largest single cost of a certificate. The mask is fixed
    (QR_MASK) instead of searched for.
    """
    qr = segno.make(data, error="m", micro=False, mask=QR_MASK)
    border = 4
    module = size / (len(qr.matrix) + 2 * border)
    rectangles = []
    for row, line in enumerate(qr.matrix):
        column = 0
        for dark, run in groupby(line):
            length = len(list(run))
            if dark:
                rectangles.append(f"{column} {row} {length} 1 re")
            column += length
    canvas.saveState()
    canvas.setFillColor(HexColor("#000000"))
    canvas.transform(module, 0, 0, -module, x + border * module, y + size - border * module)
    # addLiteral is reportlab's documented way to write PDF operators; "f" fills all rectangles as one path.
    canvas.addLiteral("\n".join(rectangles) + "\nf")
    canvas.restoreState()


def _wrapped(
    canvas: Canvas, text: str, *, x: float, y: float, width: float, font: str, size: float, leading: float
) -> float:
    """Draw wrapped paragraphs (blank lines separate them) and return the y below them."""
    canvas.setFont(font, size)
    for number, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
        if number:
            y -= leading * 0.5
        for line in simpleSplit(" ".join(paragraph.split()), font, size, width):
            canvas.drawString(x, y, line)
            y -= leading
    return y


def certificate_pdf_render(*, snapshot: dict[str, Any], images: Images | None = None) -> bytes:
    """The certificate as PDF bytes, from its snapshot (see services.certificate_snapshot)."""
    fonts_register()
    if images is None:
        images = images_load(snapshot)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, lang="de-DE", pageCompression=1, initialFontName=FONT_REGULAR)
    canvas.setTitle(f"{snapshot['heading']}: {snapshot['course']} – {snapshot['name']}")
    canvas.setAuthor(snapshot["issuer"])
    canvas.setSubject(
        _("Zertifikat Nr. %(number)s über „%(course)s“") % {"number": snapshot["number"], "course": snapshot["course"]}
    )
    canvas.setCreator("Lernplattform")
    canvas.setKeywords([snapshot["number"], _("Zertifikat")])

    width = PAGE_WIDTH - 2 * MARGIN
    y = PAGE_HEIGHT - MARGIN

    # A frame line along the edge; decorative, so it carries no text.
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.rect(MARGIN / 2, MARGIN / 2, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN, stroke=1, fill=0)

    if images.logo is not None:
        logo_w, logo_h = images.logo.getSize()
        height = 18 * mm
        draw_w = min(width / 3, height * logo_w / max(logo_h, 1))
        canvas.drawImage(images.logo, MARGIN, y - height, draw_w, height, mask="auto", preserveAspectRatio=True)
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT_REGULAR, 10)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, y - 6 * mm, snapshot["issuer"])
    y -= 40 * mm

    canvas.setFillColor(ACCENT)
    canvas.setFont(FONT_BOLD, 30)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, snapshot["heading"])
    y -= 16 * mm

    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, 20)
    for line in simpleSplit(snapshot["name"], FONT_BOLD, 20, width):
        canvas.drawCentredString(PAGE_WIDTH / 2, y, line)
        y -= 9 * mm
    canvas.setFont(FONT_REGULAR, 12)
    canvas.setFillColor(MUTED)
    organisation = snapshot["organisation"] or ""
    if organisation:
        canvas.drawCentredString(PAGE_WIDTH / 2, y, organisation)
        y -= 12 * mm
    else:
        y -= 6 * mm

    canvas.setFillColor(INK)
    y = _wrapped(canvas, snapshot["body"], x=MARGIN, y=y, width=width, font=FONT_REGULAR, size=12, leading=17)
    y -= 6 * mm

    if snapshot.get("outcomes"):
        canvas.setFont(FONT_BOLD, 12)
        canvas.drawString(MARGIN, y, _("Lernziele"))
        y -= 7 * mm
        for outcome in snapshot["outcomes"]:
            lines = simpleSplit(outcome, FONT_REGULAR, 11, width - 6 * mm)
            canvas.setFont(FONT_REGULAR, 11)
            canvas.drawString(MARGIN, y, "•")
            for line in lines:
                canvas.drawString(MARGIN + 6 * mm, y, line)
                y -= 15
        y -= 4 * mm

    canvas.setFont(FONT_REGULAR, 11)
    facts = [
        (_("Umfang"), snapshot["hours_label"]),
        (_("Abgeschlossen am"), snapshot["completed_on_label"]),
        (_("Ausgestellt am"), snapshot["issued_on_label"]),
        (_("Gültig bis"), snapshot["valid_until_label"]),
        (_("Zertifikatsnummer"), snapshot["number"]),
    ]
    for label, value in facts:
        canvas.setFont(FONT_BOLD, 11)
        canvas.drawString(MARGIN, y, f"{label}:")
        canvas.setFont(FONT_REGULAR, 11)
        canvas.drawString(MARGIN + 45 * mm, y, value)
        y -= 15

    # Signatures sit above the footer, side by side.
    signatories = snapshot.get("signatories", [])
    if signatories:
        slot = width / len(signatories)
        base = 62 * mm
        for index, signatory in enumerate(signatories):
            left = MARGIN + index * slot
            reader = images.signatures.get(signatory.get("signature_image_id") or 0)
            if reader is not None:
                canvas.drawImage(
                    reader,
                    left,
                    base + 4 * mm,
                    slot - 10 * mm,
                    16 * mm,
                    mask="auto",
                    preserveAspectRatio=True,
                    anchor="sw",
                )
            canvas.setStrokeColor(MUTED)
            canvas.setLineWidth(0.6)
            canvas.line(left, base + 3 * mm, left + slot - 10 * mm, base + 3 * mm)
            canvas.setFillColor(INK)
            canvas.setFont(FONT_BOLD, 10)
            canvas.drawString(left, base - 2 * mm, signatory["name"])
            canvas.setFont(FONT_REGULAR, 9)
            canvas.setFillColor(MUTED)
            canvas.drawString(left, base - 6.5 * mm, signatory["title"])

    # Footer: how to check the certificate, with the QR code and the short URL.
    qr_size = 30 * mm
    qr_x = PAGE_WIDTH - MARGIN - qr_size
    qr_y = MARGIN
    qr_draw(canvas, snapshot["verify_url"], x=qr_x, y=qr_y, size=qr_size)
    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, 10)
    text_y = MARGIN + qr_size - 8 * mm
    canvas.drawString(MARGIN, text_y, _("Echtheit prüfen"))
    canvas.setFont(FONT_REGULAR, 9)
    canvas.setFillColor(MUTED)
    for line in simpleSplit(
        _("Scannen Sie den QR-Code oder öffnen Sie die Adresse. Prüfcode: %(code)s") % {"code": snapshot["code"]},
        FONT_REGULAR,
        9,
        qr_x - MARGIN - 6 * mm,
    ):
        text_y -= 12
        canvas.drawString(MARGIN, text_y, line)
    text_y -= 13
    canvas.setFillColor(ACCENT)
    canvas.setFont(FONT_REGULAR, 10)
    canvas.drawString(MARGIN, text_y, snapshot["verify_url_short"])
    link_width = pdfmetrics.stringWidth(snapshot["verify_url_short"], FONT_REGULAR, 10)
    canvas.linkURL(snapshot["verify_url"], (MARGIN, text_y - 2, MARGIN + link_width, text_y + 10), relative=0)
    text_y -= 13
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT_REGULAR, 8)
    canvas.drawString(MARGIN, text_y, _("Barrierefreie Fassung: dieselbe Adresse im Browser."))
    canvas.linkURL(snapshot["verify_url"], (qr_x, qr_y, qr_x + qr_size, qr_y + qr_size), relative=0)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
