"""User uploads never run script on our origin: SVG is refused, /media/ is served caged."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

pytestmark = pytest.mark.django_db

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>fetch('/admin/').then(r => r.text()).then(t => alert(t))</script></svg>"
)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def image_form(filename: str, data: bytes):
    from wagtail.images.forms import get_image_form
    from wagtail.images.models import Image

    form_class = get_image_form(Image)
    return form_class(
        data={"title": "Bild", "collection": 1},
        files={"file": SimpleUploadedFile(filename, data)},
        user=None,
    )


def test_svg_is_not_an_allowed_image_type(settings):
    assert "svg" not in [ext.lower() for ext in settings.WAGTAILIMAGES_EXTENSIONS]


def test_svg_image_upload_is_refused_with_a_german_message():
    form = image_form("logo.svg", SVG)

    assert not form.is_valid()
    assert "file" in form.errors


def test_svg_content_under_a_raster_name_is_refused():
    form = image_form("logo.png", SVG)

    assert not form.is_valid()
    assert "file" in form.errors


def test_real_png_is_accepted():
    form = image_form("logo.png", png_bytes())

    assert form.is_valid(), form.errors


@pytest.fixture
def media(settings):
    settings.SERVE_MEDIA = True
    root = settings.MEDIA_ROOT
    root.mkdir(parents=True, exist_ok=True)
    (root / "original_images").mkdir(exist_ok=True)
    (root / "original_images" / "logo.svg").write_bytes(SVG)
    (root / "original_images" / "foto.png").write_bytes(png_bytes())
    (root / "documents").mkdir(exist_ok=True)
    (root / "documents" / "seite.html").write_bytes(b"<script>alert(1)</script>")
    (root / "documents" / "fake.png").write_bytes(b"<html><script>alert(1)</script></html>")
    return root


def assert_caged(response):
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy.split(";")[0] or "sandbox" in [p.strip() for p in policy.split(";")]
    assert "default-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["original_images/logo.svg", "documents/seite.html"])
def test_active_uploads_are_served_as_caged_attachments(client, media, path):
    response = client.get(f"/media/{path}")

    assert response.status_code == 200
    assert_caged(response)
    assert response["Content-Disposition"].startswith("attachment")


def test_raster_image_is_shown_inline_but_caged(client, media):
    response = client.get("/media/original_images/foto.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "Content-Disposition" not in response or response["Content-Disposition"].startswith("inline")
    assert_caged(response)


def test_html_under_a_raster_name_is_never_rendered_as_html(client, media):
    response = client.get("/media/documents/fake.png")

    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert_caged(response)


def test_media_path_cannot_leave_the_media_root(client, media):
    response = client.get("/media/../settings.py")

    assert response.status_code == 404


def test_media_is_not_served_when_switched_off(client, media, settings):
    settings.SERVE_MEDIA = False
    response = client.get("/media/original_images/foto.png")

    assert response.status_code == 404
