"""A form post whose text is not UTF-8 is refused with a 400 that says why, and nothing is stored."""

from urllib.parse import urlencode

import pytest

from gazette.comments.models import ReaderComment
from tests.comments.conftest import form_data
from tests.factories import make_article

pytestmark = pytest.mark.django_db

BOUNDARY = "----gazette-test-boundary"


@pytest.fixture
def article(site):
    return make_article(title="Ferry season ends early")


def _url(article) -> str:
    return f"/comments/{article.pk}/form/"


def _urlencoded(article, **raw: bytes) -> bytes:
    """A urlencoded body of the comment form, with ``raw`` fields' bytes put in unencoded."""
    fields = form_data(article)
    body = urlencode({k: v for k, v in fields.items() if k not in raw}).encode()
    return body + b"".join(b"&" + name.encode() + b"=" + value for name, value in raw.items())


def _multipart(article, files: dict[str, bytes] | None = None, **raw: bytes) -> bytes:
    parts = [(name, str(value).encode(), None) for name, value in form_data(article).items() if name not in raw]
    parts += [(name, value, None) for name, value in raw.items()]
    parts += [(name, content, f"{name}.bin") for name, content in (files or {}).items()]
    body = b""
    for name, value, filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n".encode()
        if filename:
            body += b"Content-Type: application/octet-stream\r\n"
        body += b"\r\n" + value + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


def test_raw_latin1_in_a_urlencoded_post_is_refused(client, article):
    body = _urlencoded(article, name=b"Ir\xe8ne", body=b"caf\xe9 au lait")
    response = client.post(_url(article), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()
    assert "nothing was saved" in response.content.decode()
    assert ReaderComment.objects.count() == 0


def test_invalid_utf8_in_a_multipart_text_field_is_refused(client, article):
    body = _multipart(article, body=b"caf\xe9 au lait \xff\xfe")
    response = client.post(_url(article), body, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()
    assert ReaderComment.objects.count() == 0


def test_utf8_posts_and_binary_uploads_pass(client, article):
    body = _urlencoded(article, body="café au lait".encode())
    response = client.post(_url(article), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    # A file's bytes are not text: an upload beside UTF-8 fields is not refused.
    body = _multipart(article, files={"attachment": bytes(range(256))}, body="Ещё раз".encode())
    response = client.post(_url(article), body, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 302
    assert sorted(ReaderComment.objects.values_list("body", flat=True)) == ["café au lait", "Ещё раз"]


def test_a_urlencoded_post_declaring_another_charset_is_told_why(client, article):
    body = _urlencoded(article, body="café au lait".encode("iso-8859-1"))
    # (The test client encodes a text body in the declared charset: the bytes sent are Latin-1.)
    response = client.post(
        _url(article), body.decode("iso-8859-1"), content_type="application/x-www-form-urlencoded; charset=iso-8859-1"
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()
    assert ReaderComment.objects.count() == 0
