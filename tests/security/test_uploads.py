"""Hostile uploads posted through the Wagtail admin are refused with a message, and nothing is stored;
documents are always downloaded, never shown as a page of the site."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import UploadedFile

pytestmark = pytest.mark.django_db

Image = get_image_model()
Document = get_document_model()
PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.domain)</script><rect width='10' height='10'/></svg>"
)


def picture(fmt: str, size=(64, 48), mode="RGB") -> bytes:
    out = io.BytesIO()
    PILImage.new(mode, size).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload_image(client, name: str, content: bytes) -> dict:
    """Upload through the admin's "Add images" screen (its upload posts one file at a time)."""
    response = client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile(name, content)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    return response.json()


def assert_refused(client, name: str, content: bytes, message: str):
    before = stored_files()
    answer = upload_image(client, name, content)
    assert answer["success"] is False
    assert message in answer["error_message"]
    assert Image.objects.count() == 0 and UploadedFile.objects.count() == 0
    assert stored_files() == before


def test_a_genuine_picture_is_accepted(editor):
    answer = upload_image(editor, "ferry.jpg", picture("JPEG"))
    assert answer["success"] is True
    assert Image.objects.get().file.name.startswith("original_images/ferry")


def test_a_picture_over_the_byte_limit_is_refused(editor):
    # Noise does not compress: a PNG of random pixels is as big as its pixels, just over the limit.
    side = int((settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE / 3) ** 0.5) + 10
    noise = PILImage.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    noise.save(out, format="PNG", compress_level=0)
    assert len(out.getvalue()) > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    assert_refused(editor, "noise.png", out.getvalue(), "This file is too big")


def test_a_picture_over_the_pixel_limit_is_refused(editor):
    width = 8000
    height = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // width + 1
    assert_refused(
        editor,
        "huge.png",
        picture("PNG", (width, height), mode="1"),
        f"This file has too many pixels ({width * height})",
    )


def test_a_decompression_bomb_is_refused_before_it_is_decoded(editor):
    # 400 megapixels in about 50 KB: decoding it would take 400 MB of memory.
    bomb = picture("PNG", (20_000, 20_000), mode="1")
    assert len(bomb) < 100_000
    assert_refused(editor, "bomb.png", bomb, "This file has too many pixels")


def test_a_page_named_as_a_picture_is_refused(editor):
    assert_refused(editor, "holiday.jpg", PAGE, "Upload a valid image")


def test_a_picture_whose_name_lies_about_its_format_is_refused(editor):
    assert_refused(editor, "ferry.jpg", picture("PNG"), "The extension does not match the file format (png)")


def test_a_drawing_with_a_script_is_refused(editor):
    assert_refused(editor, "logo.svg", SVG, "Not a supported image format. Supported formats: AVIF, GIF, JPG")


def test_a_drawing_named_as_a_photograph_is_refused(editor):
    assert_refused(editor, "logo.jpg", SVG, "The extension does not match the file format (svg)")


def test_the_single_upload_form_refuses_a_page_too(editor):
    before = stored_files()
    response = editor.post(
        "/admin/images/add/",
        {"title": "Holiday", "file": SimpleUploadedFile("holiday.jpg", PAGE)},
    )
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert Image.objects.count() == 0 and stored_files() == before


def test_a_document_of_a_type_not_allowed_is_refused(editor):
    before = stored_files()
    response = editor.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("notice.html", b"<script>alert(1)</script>")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    answer = response.json()
    assert answer["success"] is False and "“html” is not allowed" in answer["error_message"]
    assert Document.objects.count() == 0 and UploadedFile.objects.count() == 0 and stored_files() == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("timetable.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        ("notice.txt", b"<html><body><script>alert(document.cookie)</script></body></html>"),
    ],
)
def test_documents_are_downloads_that_run_nothing(client, name, content):
    document = Document.objects.create(title=name, file=ContentFile(content, name=name))
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
