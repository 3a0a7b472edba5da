"""In Chromium: what the scorer decided, as a moderator reads it in the queue.

A returning commenter's spam waits in the queue with a reason saying so; a stranger's abusive
Russian comment waits with the offensive words; each row names the model version that decided
it. Screens saved at 1280 and 375 px (var/screenshots/scorer-queue-*.png).
"""

import pytest
from django.contrib.auth.models import Group

from gazette.comments import classifier, services
from gazette.comments.choices import CommentStatus
from gazette.comments.identity import commenter_key
from gazette.comments.models import ReaderComment
from gazette.users.models import User
from tests.browser.conftest import screenshots, sign_in
from tests.comments.conftest import ensure_migrated_data
from tests.factories import make_article, site_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-password-1"


def test_the_queue_says_why_the_scorer_held_each_comment(live_server, page):
    ensure_migrated_data()
    site_tree()
    article = make_article(title="Ferry season ends early")
    moderator = User.objects.create_user("mod", "mod@example.org", PASSWORD)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    ReaderComment.objects.create(
        article=article,
        author_name="Olga",
        body="Thanks for the timetable.",
        status=CommentStatus.PUBLISHED,
        email_hash=commenter_key("olga@example.org"),
    )
    spam = services.submit_comment(
        article,
        name="Olga",
        body="I made 4000 this week with crypto trading, DM me and I will show you how",
        email="olga@example.org",
    )
    abuse = services.submit_comment(article, name="Gleb", body="Автор — полный дебил", email="")
    friendly = services.submit_comment(
        article, name="Olga", body="Good to hear the ferry will run all winter.", email="olga@example.org"
    )
    assert spam.status == CommentStatus.PENDING and abuse.status == CommentStatus.PENDING
    assert friendly.status == CommentStatus.PUBLISHED

    page.emulate_media(reduced_motion="reduce")
    sign_in(page, live_server.url, "mod", PASSWORD, "/admin/comments/")
    page.wait_for_url("**/admin/comments/")
    rows = page.locator("tr.comment-row")
    assert rows.count() == 2
    olga = rows.filter(has_text="Olga").inner_text()
    assert "looks like spam from a returning commenter: " in olga
    assert f"scored by model {classifier.current_version()}" in olga
    gleb = rows.filter(has_text="Gleb").inner_text()
    assert "offensive language: 0.99" in gleb and "дебил" in gleb
    assert "first comment from this person" in gleb
    screenshots(page, "scorer-queue")
