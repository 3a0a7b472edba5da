"""The control code lives in a signed token: showing the form writes nothing, each code answers once."""

import re
import time

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gazette.comments import control_code
from gazette.comments.models import ReaderComment
from tests.comments.conftest import post_comment

pytestmark = pytest.mark.django_db


def _shown_code(html: str) -> str:
    return re.search(r'name="captcha_0" value="([^"]+)"', html).group(1)


def _answer(token: str) -> str:
    return control_code.challenge_text(control_code.nonce_of(token))


def test_showing_the_form_writes_nothing(client, article):
    client.get(f"/comments/{article.pk}/form/")  # the session, Wagtail's site cache: warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/comments/{article.pk}/form/")
    assert response.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert "captcha_captchastore" not in " ".join(q["sql"] for q in queries)


def test_each_form_gets_its_own_code_and_its_picture(client, article):
    first = _shown_code(client.get(f"/comments/{article.pk}/form/").content.decode())
    second = _shown_code(client.get(f"/comments/{article.pk}/form/").content.decode())
    assert first != second
    picture = client.get(f"/captcha/image/{first}/")
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG")
    # The same code, the same picture; twice the size for high-density screens.
    assert client.get(f"/captcha/image/{first}/").content == picture.content
    assert len(client.get(f"/captcha/image/{first}@2/").content) > len(picture.content)


def test_the_code_cannot_be_read_from_the_page(client, article):
    html = client.get(f"/comments/{article.pk}/form/").content.decode()
    token = _shown_code(html)
    assert _answer(token) not in html
    assert _answer(token) not in token.upper()


def test_the_typed_code_is_accepted_once(client, article, settings):
    settings.GAZETTE_TEST_CAPTCHA_ANSWER = ""
    token = _shown_code(client.get(f"/comments/{article.pk}/form/").content.decode())
    assert post_comment(client, article, captcha_0=token, captcha_1=_answer(token).lower()).status_code == 302
    again = post_comment(client, article, captcha_0=token, captcha_1=_answer(token), body="The same code again")
    assert again.status_code == 200
    assert "The control code did not match" in again.content.decode()
    assert ReaderComment.objects.count() == 1


def test_a_wrong_answer_uses_the_code_up(client, article, settings):
    settings.GAZETTE_TEST_CAPTCHA_ANSWER = ""
    token = control_code.new_challenge()
    wrong = post_comment(client, article, captcha_0=token, captcha_1="ZZZZZ", body="Kept words")
    assert "The control code did not match" in wrong.content.decode()
    assert "Kept words" in wrong.content.decode()
    # The form shown again has a new code; the old one cannot be tried a second time.
    assert _shown_code(wrong.content.decode()) != token
    right_too_late = post_comment(client, article, captcha_0=token, captcha_1=_answer(token))
    assert right_too_late.status_code == 200
    assert ReaderComment.objects.count() == 0


def test_forged_and_expired_codes_are_refused(client, article, settings):
    settings.GAZETTE_TEST_CAPTCHA_ANSWER = ""
    forged = "abcdefghijklmnop:1aBcDe:forgedsignature"
    assert "did not match" in post_comment(client, article, captcha_0=forged, captcha_1="ABCDE").content.decode()
    assert client.get(f"/captcha/image/{forged}/").status_code == 410
    old = signing.TimestampSigner(salt=control_code.SALT).sign("an-old-nonce")
    settings.GAZETTE_COMMENT_FORM_MAX_AGE = 1
    time.sleep(2)
    answer = control_code.challenge_text("an-old-nonce")
    assert "did not match" in post_comment(client, article, captcha_0=old, captcha_1=answer).content.decode()
    assert client.get(f"/captcha/image/{old}/").status_code == 410
    assert ReaderComment.objects.count() == 0


def test_an_empty_answer_asks_for_the_code(client, article, settings):
    settings.GAZETTE_TEST_CAPTCHA_ANSWER = ""
    html = post_comment(client, article, captcha_0=control_code.new_challenge(), captcha_1="").content.decode()
    assert "Please type the control code." in html


def test_the_test_answer_still_works(client, article):
    assert post_comment(client, article, captcha_0="nokey", captcha_1="TESTS-PASS").status_code == 302
