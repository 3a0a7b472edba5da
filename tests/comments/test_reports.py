"""Readers report a comment: the Report page, distinct readers, back to the queue, what moderators see."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gazette.comments import services
from gazette.comments.choices import CommentStatus
from gazette.comments.identity import commenter_key
from gazette.comments.models import CommentReport, CommentSettings, CommentStatusChange, ReaderComment

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(article):
    return ReaderComment.objects.create(
        article=article, author_name="Troll", body="You are all idiots.", status=CommentStatus.PUBLISHED
    )


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_superuser("mod", "mod@example.org", "pw")


def report(client, comment, ip, reason="abuse", text="", **extra):
    return client.post(
        f"/comments/report/{comment.pk}/", {"reason": reason, "text": text, "website": "", **extra}, REMOTE_ADDR=ip
    )


def test_each_published_comment_has_a_report_page_with_reasons(client, article, comment):
    html = client.get(article.url).content.decode()
    assert f'href="/comments/report/{comment.pk}/"' in html
    page = client.get(f"/comments/report/{comment.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Report a comment" in text and "You are all idiots." in text
    assert '<select name="reason"' in text and "Abuse or a personal attack" in text
    assert "csrfmiddlewaretoken" in text
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_three_distinct_readers_send_a_comment_back_to_the_queue(client, article, comment):
    response = report(client, comment, "203.0.113.1", text="Insults everyone.")
    assert response.status_code == 200
    assert "Thank you: your report was sent to the moderators." in response.content.decode()
    # The same reader again counts once.
    again = report(client, comment, "203.0.113.1", reason="spam")
    assert "You have already reported this comment." in again.content.decode()
    report(client, comment, "203.0.113.2")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert "You are all idiots." in client.get(article.url).content.decode()

    report(client, comment, "2001:db8::7", reason="hate")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert comment.reasons == [{"code": "reported", "count": 3}]
    assert comment.reason_codes == " reported "
    change = CommentStatusChange.objects.filter(comment=comment).first()
    assert (change.old_status, change.new_status, change.note) == ("published", "pending", "reported by readers")
    assert "You are all idiots." not in client.get(article.url).content.decode()
    # Reporter addresses are stored only as fingerprints.
    stored = list(CommentReport.objects.values_list("reporter", flat=True))
    assert len(stored) == 3 and all(len(r) == 64 and "203.0.113" not in r for r in stored)
    # A fourth reader finds it gone from the page.
    late = report(client, comment, "203.0.113.9")
    assert late.status_code == 404


def test_the_threshold_is_a_site_setting(client, article, comment):
    rules = CommentSettings.for_site(article.get_site())
    rules.reports_to_hold = 1
    rules.save()
    report(client, comment, "203.0.113.1")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING

    rules.reports_to_hold = 0
    rules.save()
    other = ReaderComment.objects.create(article=article, author_name="B", body="Text.", status="published")
    for i in range(5):
        report(client, other, f"203.0.113.{i + 10}")
    other.refresh_from_db()
    assert other.status == CommentStatus.PUBLISHED and other.reports.count() == 5


def test_reports_before_a_moderator_approved_it_again_do_not_count_twice(client, article, comment, moderator):
    for i in range(3):
        report(client, comment, f"203.0.113.{i}")
    services.moderate([comment], "approve", moderator)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    report(client, comment, "203.0.113.50")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED  # one new report, not four


def test_moderators_see_the_reports_in_the_queue_and_on_the_commenter_page(client, article, comment, moderator):
    comment.author_email = "troll@example.org"
    comment.email_hash = commenter_key("troll@example.org")
    comment.save()
    report(client, comment, "203.0.113.1", text="Insults everyone.")
    report(client, comment, "203.0.113.2", reason="abuse")
    report(client, comment, "203.0.113.3", reason="spam", text="<script>alert(1)</script>")
    client.force_login(moderator)
    queue = client.get("/admin/comments/?reason=reported").content.decode()
    assert "reported by 3 readers" in queue
    assert "Reported by 3 readers:" in queue
    assert "Abuse or a personal attack (2)" in queue and "Spam or advertising (1)" in queue
    assert "“Insults everyone.”" in queue
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in queue and "<script>alert(1)" not in queue
    commenter = client.get(f"/admin/comments/commenter/{comment.email_hash}/").content.decode()
    assert "Reported by 3 readers:" in commenter


def test_bad_reports_are_refused_clearly(client, article, comment):
    missing = report(client, comment, "203.0.113.1", reason="")
    assert missing.status_code == 200 and "Please choose a reason." in missing.content.decode()
    invented = report(client, comment, "203.0.113.1", reason="nonsense")
    assert "Please choose a reason." in invented.content.decode()
    long = report(client, comment, "203.0.113.1", text="x" * 501)
    assert "Please keep it under 500 characters" in long.content.decode()
    trap = report(client, comment, "203.0.113.1", website="http://spam.example")
    assert "Your report could not be accepted." in trap.content.decode()
    assert not CommentReport.objects.exists()
    for bad in ("/comments/report/0/", "/comments/report/999999/"):
        assert client.get(bad).status_code == 404
    held = ReaderComment.objects.create(article=article, author_name="H", body="Held.", status="pending")
    assert client.get(f"/comments/report/{held.pk}/").status_code == 404
    assert client.get("/comments/report/abc/").status_code == 404


def test_reports_are_rate_limited_per_address(client, article, settings):
    settings.RATELIMIT_ENABLE = True
    settings.GAZETTE_COMMENT_REPORT_RATE = "2/h"
    rules = CommentSettings.for_site(article.get_site())
    rules.reports_to_hold = 0
    rules.save()
    comments = [
        ReaderComment.objects.create(article=article, author_name=f"A{i}", body=f"Text {i}.", status="published")
        for i in range(3)
    ]
    assert report(client, comments[0], "198.51.100.1").status_code == 200
    assert report(client, comments[1], "198.51.100.1").status_code == 200
    limited = report(client, comments[2], "198.51.100.1", text="Keep my words.")
    assert limited.status_code == 429
    assert "You have sent several reports in a short time." in limited.content.decode()
    assert "Keep my words." in limited.content.decode()
    assert report(client, comments[2], "198.51.100.2").status_code == 200
    assert CommentReport.objects.count() == 3


def test_old_reporter_fingerprints_are_blanked_the_reports_stay(article, comment):
    services.report_comment(comment, reason="spam", ip="203.0.113.1")
    CommentReport.objects.update(created_at=timezone.now() - timedelta(days=31))
    services.report_comment(comment, reason="abuse", ip="203.0.113.2")
    assert services.forget_old_reporters(dry_run=True) == 1
    assert services.forget_old_reporters() == 1
    assert sorted(CommentReport.objects.values_list("reason", "reporter")) == [
        ("abuse", services.reporter_hash("203.0.113.2")),
        ("spam", ""),
    ]


def test_comments_under_a_private_section_can_be_neither_written_nor_reported(client, article, comment):
    from wagtail.models import PageViewRestriction

    assert client.get(f"/comments/{article.pk}/form/").status_code == 200
    assert client.get(f"/comments/report/{comment.pk}/").status_code == 200
    PageViewRestriction.objects.create(
        page=article.get_parent(), restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert client.get(f"/comments/{article.pk}/form/").status_code == 404
    assert client.get(f"/comments/report/{comment.pk}/").status_code == 404
    assert report(client, comment, "203.0.113.1").status_code == 404
    assert not CommentReport.objects.exists()
