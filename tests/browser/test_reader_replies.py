"""In Chromium: a reader replies to a comment and reports another; the moderator sees the reports.

The reader follows the Reply link under a comment (no script needed), sees "Replying to", sends,
and finds the reply indented under the comment with the truthful notice; the form then lists
what became of their comments. The reader reports a comment; reported by enough readers (one,
in this site's settings), it leaves the page and waits in the moderator's queue with the report.
"""

import pytest
from django.contrib.auth.models import Group

from gazette.comments.choices import CommentStatus
from gazette.comments.models import CommentSettings, ReaderComment
from gazette.users.models import User
from tests.browser.conftest import axe_violations, screenshots, sign_in
from tests.comments.conftest import ensure_migrated_data
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE_REASON = "<img src=x onerror=\"alert('r')\"> calls people names"


def test_reader_replies_and_reports_moderator_sees_the_report(live_server, page, browser):
    ensure_migrated_data()
    article = make_article(title="Ferry season ends early")
    rules = CommentSettings.for_site(article.get_site())
    rules.first_time_threshold = 0
    rules.hold_after_days = 0
    rules.reports_to_hold = 1
    rules.save()
    first = ReaderComment.objects.create(
        article=article,
        author_name="Irina",
        author_location="Berdsk",
        body="The ferry stops on Friday.",
        status="published",
    )
    rude = ReaderComment.objects.create(
        article=article, author_name="Troll", body="Only fools take the ferry.", status="published"
    )
    moderator = User.objects.create_user("mod", "mod@example.org", "a-long-password-1")
    moderator.groups.add(Group.objects.get(name="Moderators"))

    page.goto(live_server.url + article.url)
    assert page.locator("#comments-heading").inner_text() == "Comments (2)"
    page.locator(f"#comment-{first.pk} .comment__reply").click()
    page.wait_for_url(f"**/comments/{article.pk}/form/?reply_to={first.pk}")
    assert "Replying to Irina" in page.locator(".comment-form__replying").inner_text()
    assert page.locator(".comment-form__quote").inner_text() == "The ferry stops on Friday."
    assert (
        page.get_by_role("link", name="Cancel the reply").get_attribute("href") == f"{article.url}#comment-{first.pk}"
    )
    screenshots(page, "reader-reply-form")
    assert axe_violations(page) == []
    page.get_by_label("Name*").fill("Pavel")
    page.get_by_label("Comment*").fill("It ran until Sunday last year.\n\n<script>alert('x')</script>")
    page.get_by_label("Control code*").fill("tests-pass")
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_url("**?comment=published&comments_page=1#comment-*")
    assert page.locator(".comments__notice").inner_text() == "Thank you: your comment is published."
    assert page.locator("#comments-heading").inner_text() == "Comments (3)"
    reply = ReaderComment.objects.get(author_name="Pavel")
    assert reply.parent_id == first.pk
    indented = page.locator(f"#comment-{first.pk} .comments__replies #comment-{reply.pk}")
    assert indented.count() == 1
    assert "<script>alert('x')</script>" in indented.locator(".comment__body").inner_text()
    assert indented.locator(".comment__body script").count() == 0
    # The frame, which no cache keeps, tells this browser what became of its comment.
    frame = page.frame_locator("iframe[title='Add your comment']")
    assert "published" in frame.locator(".comment-form__mine").inner_text()
    screenshots(page, "reader-thread")
    assert axe_violations(page) == []

    page.locator(f"#comment-{rude.pk} .comment__report").click()
    page.wait_for_url(f"**/comments/report/{rude.pk}/")
    assert "Only fools take the ferry." in page.locator(".comment-report__comment").inner_text()
    page.get_by_label("What is wrong with this comment?").select_option("abuse")
    page.get_by_label("Anything the moderator should know (optional)").fill(HOSTILE_REASON)
    screenshots(page, "reader-report-form")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send the report").click()
    assert "your report was sent to the moderators" in page.locator(".comment-report__thanks").inner_text()
    rude.refresh_from_db()
    assert rude.status == CommentStatus.PENDING

    page.goto(live_server.url + article.url)
    assert "Only fools take the ferry." not in page.locator("#comments").inner_text()
    assert page.locator("#comments-heading").inner_text() == "Comments (2)"

    admin = browser.new_context().new_page()
    admin_dialogs = []
    admin.on("dialog", lambda d: (admin_dialogs.append(d.message), d.dismiss()))
    sign_in(admin, live_server.url, "mod", "a-long-password-1", "/admin/comments/")
    admin.wait_for_url("**/admin/comments/")
    row = admin.locator(f"tr.comment-row[data-comment='{rude.pk}']")
    assert "reported by 1 reader" in row.locator(".comment-row__reasons").inner_text()
    reports = row.locator(".comment-row__reports")
    assert "Abuse or a personal attack (1)" in reports.inner_text()
    assert HOSTILE_REASON in reports.inner_text()
    assert reports.locator("img").count() == 0
    screenshots(admin, "moderator-reported-comment")
    # The reason filter finds reported comments.
    admin.goto(live_server.url + "/admin/comments/?reason=reported")
    assert admin.locator("tr.comment-row").count() == 1
    row = admin.locator(f"tr.comment-row[data-comment='{rude.pk}']")
    row.get_by_role("button", name="Reject").click()
    admin.wait_for_load_state()
    assert "1 comment rejected." in admin.content()
    assert admin_dialogs == []
    admin.context.close()
    assert page.dialogs == []
