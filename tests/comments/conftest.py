import pytest

from gazette.comments.forms import make_stamp
from tests.browser.conftest import browser, page  # noqa: F401 - Chromium fixtures for test_browser.py
from tests.factories import make_article


@pytest.fixture
def article(site):
    return make_article(title="Ferry season ends early")


def form_data(article, **overrides):
    """What a reader's browser sends: the fields, a valid stamp and the test CAPTCHA answer."""
    data = {
        "name": "Irina",
        "location": "Berdsk",
        "email": "",
        "body": "Thank you for the report.",
        "website": "",
        "stamp": make_stamp(article.pk),
        "captcha_0": "nokey",
        "captcha_1": "tests-pass",
    }
    data.update(overrides)
    return data


def post_comment(client, article, REMOTE_ADDR="127.0.0.1", **overrides):  # noqa: N803 - the WSGI name
    return client.post(f"/comments/{article.pk}/form/", form_data(article, **overrides), REMOTE_ADDR=REMOTE_ADDR)
