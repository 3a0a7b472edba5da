"""The comment form: what a reader sees, what is refused and why, and that their text survives."""

import time

import pytest
from django.core import signing

from gazette.comments import control_code
from gazette.comments.choices import CommentStatus
from gazette.comments.forms import STAMP_SALT
from gazette.comments.identity import commenter_key
from gazette.comments.models import ArticleCommentSettings, ReaderComment
from tests.comments.conftest import form_data, post_comment

pytestmark = pytest.mark.django_db


def test_article_page_embeds_the_form_without_token_or_captcha(client, article):
    html = client.get(article.url).content.decode()
    assert "Comments (0)" in html
    assert (
        f'<iframe class="comments__frame" title="Add your comment" loading="lazy" src="/comments/{article.pk}/form/"'
        in html
    )
    assert "csrfmiddlewaretoken" not in html
    assert "captcha" not in html.lower()


def test_form_page_shows_every_field_and_is_never_cached(client, article, site):
    from wagtail.models import Site

    from gazette.core.models import MastheadSettings

    masthead = MastheadSettings.for_site(Site.objects.get(is_default_site=True))
    masthead.privacy_page = site["privacy"]
    masthead.save()
    response = client.get(f"/comments/{article.pk}/form/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    for text in ("Name*", "Location", "E-mail", "Comment*", "Control code*", "Type the code", "* obligatory"):
        assert text in html, text
    assert 'target="_top"' in html
    assert "csrfmiddlewaretoken" in html
    assert "/captcha/image/" in html
    assert "healthy debate" in html
    assert '<a href="/privacy-policy/" target="_top">privacy policy</a>' in html


def test_a_published_comment_redirects_to_the_article_with_a_notice(client, article):
    ArticleCommentSettings.objects.create(page=article)
    response = post_comment(client, article, email="irina@example.org")
    comment = ReaderComment.objects.get()
    assert comment.status == CommentStatus.PENDING  # first comment from this person
    assert response.status_code == 302
    assert response["Location"] == f"{article.url}?comment=pending#comments"
    page = client.get(response["Location"]).content.decode()
    assert "is held for a moderator" in page


def test_a_trusted_commenter_is_published_at_once(client, article):
    ReaderComment.objects.create(
        article=article,
        author_name="Irina",
        body="Earlier",
        status=CommentStatus.PUBLISHED,
        email_hash=commenter_key("Irina@Example.org"),
    )
    response = post_comment(client, article, email="irina@example.org ", body="The timetable changed twice.")
    assert ReaderComment.objects.latest("pk").reasons == []
    assert response["Location"] == f"{article.url}?comment=published#comments"
    page = client.get(response["Location"]).content.decode()
    assert "your comment is published" in page
    assert "Comments (2)" in page


def test_the_real_captcha_right_and_wrong(client, article):
    key = control_code.new_challenge()
    wrong = post_comment(client, article, captcha_0=key, captcha_1="zzzzzz", body="My careful words.")
    html = wrong.content.decode()
    assert wrong.status_code == 200
    assert "The control code did not match" in html
    assert "My careful words." in html  # the reader's text is kept
    assert f'<h1 class="article__headline">{article.title}</h1>' in html
    assert ReaderComment.objects.count() == 0

    key = control_code.new_challenge()
    answer = control_code.challenge_text(control_code.nonce_of(key))
    right = post_comment(client, article, captcha_0=key, captcha_1=answer.lower())
    assert right.status_code == 302
    assert ReaderComment.objects.count() == 1


def test_new_code_keeps_the_text_and_shows_no_error(client, article):
    response = post_comment(client, article, new_code="1", body="Half-written thought", captcha_1="")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Half-written thought" in html
    assert "field__error" not in html
    assert ReaderComment.objects.count() == 0


def test_validation_errors_keep_the_text(client, article):
    response = post_comment(client, article, name="", body="Words I do not want to lose")
    html = response.content.decode()
    assert "Please give your name." in html
    assert "Words I do not want to lose" in html
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_empty_and_over_long_text(client, article):
    html = post_comment(client, article, body="   \n  ").content.decode()
    assert "Please write your comment." in html
    html = post_comment(client, article, body="я" * 5001).content.decode()
    assert "Your comment is too long: 5001 characters, the limit is 5000." in html
    assert ReaderComment.objects.count() == 0


def test_wrong_encoding_gets_a_clear_error(client, article):
    raw = "name=Irina&body=caf%E9+au+lait&captcha_0=x&captcha_1=tests-pass&stamp=" + form_data(article)["stamp"]
    response = client.post(f"/comments/{article.pk}/form/", raw, content_type="application/x-www-form-urlencoded")
    html = response.content.decode()
    assert "an encoding we cannot read" in html
    assert ReaderComment.objects.count() == 0


def test_null_characters_are_refused(client, article):
    html = post_comment(client, article, body="abc\x00def").content.decode()
    assert "Null characters are not allowed" in html


def test_too_fast_and_too_old(client, article, settings):
    settings.GAZETTE_COMMENT_MIN_SECONDS = 3
    html = post_comment(client, article).content.decode()
    assert "That was very quick" in html
    old = signing.dumps({"a": article.pk, "t": time.time() - 10, "n": "abc", "r": False}, salt=STAMP_SALT)
    assert post_comment(client, article, stamp=old).status_code == 302
    settings.GAZETTE_COMMENT_FORM_MAX_AGE = -1
    html = post_comment(client, article, stamp=old).content.decode()
    assert "open for too long" in html


def test_a_forged_or_foreign_stamp_is_refused(client, article, site):
    assert "could not be checked" in post_comment(client, article, stamp="forged").content.decode()
    foreign = signing.dumps({"a": article.pk + 1000, "t": 0, "n": "x", "r": True}, salt=STAMP_SALT)
    assert "belongs to another article" in post_comment(client, article, stamp=foreign).content.decode()


def test_a_replayed_submission_is_stored_once(client, article):
    data = form_data(article, body="Only once please")
    assert client.post(f"/comments/{article.pk}/form/", data).status_code == 302
    again = client.post(f"/comments/{article.pk}/form/", data)
    assert "This form was already sent" in again.content.decode()
    assert ReaderComment.objects.filter(body="Only once please").count() == 1


def test_honeypot(client, article):
    html = post_comment(client, article, website="http://spam.example").content.decode()
    assert "could not be accepted" in html
    assert ReaderComment.objects.count() == 0


def test_rate_limit_per_ip_keeps_the_text(client, article, settings):
    settings.GAZETTE_COMMENT_RATE_PER_IP = "2/m"
    for i in range(2):
        assert post_comment(client, article, body=f"Comment {i}").status_code == 302
    response = post_comment(client, article, body="The third one")
    assert response.status_code == 429
    html = response.content.decode()
    assert "several comments in a short time" in html and "The third one" in html
    assert ReaderComment.objects.count() == 2
    other = post_comment(client, article, body="From elsewhere", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_rate_limit_per_article_across_addresses(client, article, settings):
    settings.GAZETTE_COMMENT_RATE_PER_ARTICLE = "3/m"
    codes = [post_comment(client, article, REMOTE_ADDR=f"10.0.0.{i}").status_code for i in range(4)]
    assert codes == [302, 302, 302, 429]


def test_closed_by_hand_and_after_days(client, article):
    rules = ArticleCommentSettings.objects.create(page=article, closed=True)
    assert "Comments on this article are closed." in client.get(article.url).content.decode()
    assert "Comments on this article are closed." in post_comment(client, article).content.decode()
    assert ReaderComment.objects.count() == 0
    rules.closed = False
    rules.close_after_days = 0
    rules.save()
    assert post_comment(client, article).status_code == 302


def test_rate_limits_outlive_a_flood_of_pages(client, article, settings):
    """A flood of never-seen URLs fills the page cache, and a full file cache deletes a third of
    its entries at random: the comment rate limits are kept apart, so it cannot reset them."""
    from gazette.core.caching import get_cache

    # One a day: the flood takes seconds, and must not cross into the next rate-limit window.
    settings.GAZETTE_COMMENT_RATE_PER_IP = "1/d"
    assert post_comment(client, article, body="The first one").status_code == 302
    pages = get_cache()
    for i in range(3000):  # ten times the test cache's 300 entries
        pages.set(f"flood:{i}", b"<html>")
    assert post_comment(client, article, body="The second one").status_code == 429
