"""Images embedded in Moodle XML question texts: into the Wagtail media library and back out.

Moodle writes a question text's files as ``<file name="karte.png" encoding="base64">`` and refers
to them as ``@@PLUGINFILE@@/karte.png``. On import each file is checked like every upload (decoded
strictly, at most ``MAX_BYTES``, opened and verified by Pillow as PNG, JPEG, GIF or WebP – never SVG,
whose scripts a browser would run), stored as an image of the media library and the text points
at it. On export the image is read back into ``<file>`` and the text refers to it as Moodle does.
"""

from __future__ import annotations

import base64
import binascii
import io
from urllib.parse import quote

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.images import get_image_model

from courses.questions.formats import FormatError, ir

MAX_BYTES = 5 * 1024 * 1024
ALLOWED = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
PLUGINFILE = "@@PLUGINFILE@@"


def _refuse(question: ir.Question, name: str, why: str) -> FormatError:
    return FormatError(
        f"Frage „{question.name}“: Die eingebettete Datei „{name}“ wird nicht übernommen: {why} "
        "Nichts wurde importiert.",
        line=question.source_line,
    )


def _checked(question: ir.Question, file: ir.EmbeddedFile) -> tuple[bytes, str, tuple[int, int]]:
    try:
        raw = base64.b64decode(file.content, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _refuse(question, file.name, "Der Inhalt ist kein gültiges Base64.") from exc
    if len(raw) > MAX_BYTES:
        raise _refuse(question, file.name, "Sie ist größer als 5 MB.")
    if raw.lstrip()[:5].lower() in (b"<?xml", b"<svg ") or file.name.lower().endswith((".svg", ".svgz")):
        raise _refuse(question, file.name, "SVG-Grafiken können Skripte enthalten und werden nie angenommen.")
    try:
        with PILImage.open(io.BytesIO(raw)) as image:
            kind, size = image.format or "", image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _refuse(question, file.name, "Sie ist kein lesbares Bild (PNG, JPEG, GIF oder WebP).") from exc
    if kind not in ALLOWED:
        raise _refuse(question, file.name, "Erlaubt sind nur Bilder im Format PNG, JPEG, GIF oder WebP.")
    return raw, ALLOWED[kind], size


def _references(name: str) -> tuple[str, str]:
    return f"{PLUGINFILE}/{quote(name)}", f"{PLUGINFILE}/{name}"


def embedded_images_store(question: ir.Question) -> None:
    """Put the question text's embedded files into the media library; the text points at them.

    Raises FormatError (the question's line) for a file that is not an allowed image; the caller's
    transaction then saves nothing of the file.
    """
    if not question.text_files:
        return
    checked = [(file, *_checked(question, file)) for file in question.text_files]
    image_model = get_image_model()
    for file, raw, extension, (width, height) in checked:
        stem = file.name.rsplit(".", 1)[0] or "bild"
        image = image_model(title=file.name[:255])
        image.file.save(f"{stem}.{extension}", ContentFile(raw), save=False)
        image.width, image.height = width, height
        image.save()
        for reference in _references(file.name):
            question.text.text = question.text.text.replace(reference, image.file.url)
        file.content = ""
        file.image_id = image.pk


def embedded_images_export(question: ir.Question) -> list[str]:
    """Read the media library's images back into ``<file>`` form; German notes of images now missing."""
    missing = []
    if not question.text_files:
        return missing
    images = get_image_model().objects.in_bulk([f.image_id for f in question.text_files if f.image_id])
    kept = []
    for file in question.text_files:
        image = images.get(file.image_id) if file.image_id else None
        if image is None:
            if file.content:
                kept.append(file)
            else:
                missing.append(f"„{question.name}“: Das Bild „{file.name}“ fehlt in der Medienbibliothek.")
            continue
        with image.file.open("rb") as handle:
            file.content = base64.b64encode(handle.read()).decode("ascii")
        question.text.text = question.text.text.replace(image.file.url, _references(file.name)[0])
        file.image_id = None
        kept.append(file)
    question.text_files = kept
    return missing
