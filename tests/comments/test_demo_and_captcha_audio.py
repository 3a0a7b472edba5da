"""The demo newsroom's comments, the spoken control code, and the production guard."""

import os
import shutil
import subprocess
import sys

import pytest

from gazette.comments import classifier
from gazette.comments.models import ReaderComment
from gazette.comments.services import describe_reasons

pytestmark = pytest.mark.django_db


def test_demo_has_published_comments_and_one_in_the_queue(client, site):
    from gazette.comments.demo import load_demo_comments
    from tests.factories import make_article

    train = make_article(slug="secret-train-through-five-siberian-cities", lead_image=False)
    make_article(slug="barnaul-bakers-revive-rye-loaf", lead_image=False)
    assert load_demo_comments() == 4
    held = ReaderComment.objects.pending().get()
    # Scored and reasoned by the pipeline a reader's comment goes through, so the demo's queue
    # shows what a real one does: the scores, the model that gave them and every reason.
    assert "looks like promotion" in describe_reasons(held.reasons)
    assert held.reason_codes == " first_time links promotion spam "
    assert held.scores["spam"] >= 0.5 and held.scores["links"] == 1
    assert held.model_version == classifier.current_version()
    published = ReaderComment.objects.published()
    assert all(c.model_version and c.reason_codes == " first_time " for c in published)
    assert load_demo_comments() == 0
    train.refresh_from_db()
    html = client.get(train.url).content.decode()
    assert "Comments (3)" in html
    reply = ReaderComment.objects.get(external_id="demo-train-3")
    assert reply.parent.external_id == "demo-train-2"
    assert html.index("Which one is right?") < html.index('class="comments__replies"') < html.index("station book")


@pytest.mark.skipif(not shutil.which("flite"), reason="flite is installed by scripts/install-test-deps.sh")
def test_the_control_code_can_be_heard(client, article):
    html = client.get(f"/comments/{article.pk}/form/").content.decode()
    assert "Listen to the code" in html
    start = html.index("/captcha/audio/")
    url = html[start : html.index('"', start)]
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response).startswith(b"RIFF")


def test_production_refuses_the_test_captcha_answer():
    env = {**os.environ, "DJANGO_SECRET_KEY": "x" * 50, "GAZETTE_TEST_CAPTCHA_ANSWER": "pass"}
    env["DJANGO_SETTINGS_MODULE"] = "gazette.settings.production"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "GAZETTE_TEST_CAPTCHA_ANSWER is for tests only" in result.stderr
