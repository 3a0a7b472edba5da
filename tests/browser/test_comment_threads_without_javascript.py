"""In Chromium with JavaScript off: a thread as readers see it, a reply, a held comment, reports.

Readers reach the site through a proxy the site trusts (``X-Forwarded-For``), so each browser
context is a reader of its own address, as the per-address report limit and the count of
distinct reporters see them.
"""

import json

import pytest
from django.contrib.auth.models import Group

from gazette.comments import services
from gazette.comments.choices import CommentStatus
from gazette.comments.models import CommentReport, CommentSettings, ReaderComment
from gazette.users.models import User
from tests.browser.conftest import screenshots, sign_in
from tests.comments.conftest import ensure_migrated_data
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def reader(browser, address: str):
    context = browser.new_context(java_script_enabled=False, extra_http_headers={"X-Forwarded-For": address})
    return context.new_page()


def comment(article, name, body, parent=None):
    return ReaderComment.objects.create(article=article, author_name=name, body=body, status="published", parent=parent)


def report(page, base, target, reason="abuse"):
    page.goto(f"{base}/comments/report/{target.pk}/")
    page.get_by_label("What is wrong with this comment?").select_option(reason)
    page.get_by_role("button", name="Send the report").click()


def test_a_reader_without_javascript_reads_a_thread_replies_and_reports(live_server, browser, settings):
    ensure_migrated_data()
    settings.GAZETTE_TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    settings.GAZETTE_COMMENT_REPORT_RATE = "2/h"
    article = make_article(title="Ferry season ends early")
    rules = CommentSettings.for_site(article.get_site())
    rules.first_time_threshold = 0
    rules.hold_after_days = 0
    rules.hold_links = True
    rules.reports_to_hold = 2
    rules.save()
    irina = comment(article, "Irina", "The ferry stops on Friday.")
    pavel = comment(article, "Pavel", "It ran until Sunday last year.", parent=irina)
    oleg = comment(article, "Oleg", "Only fools believe the timetable.", parent=pavel)
    gone = comment(article, "Gone", "A comment the moderator will remove.")
    anna = comment(article, "Anna", "I agree with the removed one.", parent=gone)
    moderator = User.objects.create_user("mod", "mod@example.org", "a-long-password-1")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    services.moderate([gone], "reject", moderator)
    base = live_server.url

    page = reader(browser, "203.0.113.1")
    page.goto(base + article.url)
    assert page.locator("#comments-heading").inner_text() == "Comments (4)"
    assert page.locator(".comment__reply").count() == 4
    assert page.locator(".comment__report").count() == 4
    # One level of indentation: Pavel under Irina, and Oleg, who answered Pavel, beside him.
    replies = page.locator(f"#comment-{irina.pk} > .comments__replies > li")
    assert [li.get_attribute("id") for li in replies.all()] == [f"comment-{pavel.pk}", f"comment-{oleg.pk}"]
    assert page.locator(f"#comment-{oleg.pk} .comment__reply-to").inner_text() == "in reply to Pavel"
    assert page.locator(f"#comment-{pavel.pk} .comment__reply-to").count() == 0
    removed = page.locator(f"#comments-heading ~ ol > #comment-{anna.pk} .comment__reply-to")
    assert removed.inner_text() == "in reply to a comment that was removed"
    assert "A comment the moderator will remove." not in page.locator("#comments").inner_text()
    ld = [json.loads(s) for s in page.locator('script[type="application/ld+json"]').all_text_contents()]
    assert [d["commentCount"] for d in ld if "commentCount" in d] == [4]
    screenshots(page, "reader-thread-without-javascript")

    # A reply through the Reply link: its own page, no script needed.
    page.locator(f"#comment-{irina.pk} > .comment__actions .comment__reply").click()
    assert "Replying to Irina" in page.locator(".comment-form__replying").inner_text()
    page.get_by_label("Name*").fill("Vera")
    page.get_by_label("Comment*").fill("The timetable changed in May.")
    page.get_by_label("Control code*").fill("tests-pass")
    screenshots(page, "reader-reply-form-without-javascript")
    page.get_by_role("button", name="Send reply").click()
    assert page.locator(".comments__notice").inner_text() == "Thank you: your comment is published."
    vera = ReaderComment.objects.get(author_name="Vera")
    assert vera.parent_id == irina.pk
    assert page.locator(f"#comment-{irina.pk} > .comments__replies > #comment-{vera.pk}").count() == 1
    assert page.locator("#comments-heading").inner_text() == "Comments (5)"

    # A comment with a link is held, and the reader is told so, here and in the form's frame.
    page.get_by_role("link", name="Open the comment form on its own page").click()
    page.get_by_label("Name*").fill("Vera")
    page.get_by_label("Comment*").fill("The new timetable: https://example.org/ferry")
    page.get_by_label("Control code*").fill("tests-pass")
    page.get_by_role("button", name="Send comment").click()
    notice = "Thank you: your comment is held for a moderator. It is not shown until a moderator approves it."
    assert page.locator(".comments__notice").inner_text() == notice
    assert page.locator("#comments-heading").inner_text() == "Comments (5)"
    mine = page.frame_locator("iframe[title='Add your comment']").locator(".comment-form__mine li")
    assert [li.get_attribute("data-outcome") for li in mine.all()] == ["published", "held"]
    screenshots(page, "reader-outcome-without-javascript")

    # Reports: two distinct readers send Oleg's comment back to the queue; a third report from
    # one address within the hour is refused.
    report(page, base, oleg)
    assert "your report was sent to the moderators" in page.locator(".comment-report__thanks").inner_text()
    screenshots(page, "reader-report-sent-without-javascript")
    assert ReaderComment.objects.get(pk=oleg.pk).status == CommentStatus.PUBLISHED
    report(page, base, oleg)
    assert "You have already reported this comment." in page.locator(".comment-form__message").inner_text()
    other = reader(browser, "203.0.113.2")
    other.goto(f"{base}/comments/report/{oleg.pk}/")
    other.get_by_label("What is wrong with this comment?").select_option("spam")
    other.get_by_label("Anything the moderator should know (optional)").fill("Calls readers fools.")
    screenshots(other, "reader-report-form-without-javascript")
    other.get_by_role("button", name="Send the report").click()
    assert "your report was sent" in other.locator(".comment-report__thanks").inner_text()
    oleg.refresh_from_db()
    assert oleg.status == CommentStatus.PENDING and " reported " in oleg.reason_codes
    other.goto(base + article.url)
    assert "Only fools believe the timetable." not in other.locator("#comments").inner_text()
    assert other.locator("#comments-heading").inner_text() == "Comments (4)"
    report(other, base, irina)
    assert "your report was sent" in other.locator(".comment-report__thanks").inner_text()
    report(other, base, anna)
    assert "You have sent several reports in a short time." in other.locator(".comment-form__message").inner_text()
    assert CommentReport.objects.filter(comment=anna).count() == 0
    assert CommentReport.objects.filter(comment=oleg).count() == 2

    # The moderator finds the comment in the queue with both readers' reports.
    admin = browser.new_context().new_page()
    sign_in(admin, base, "mod", "a-long-password-1", "/admin/comments/?reason=reported")
    admin.wait_for_url("**/admin/comments/?reason=reported")
    row = admin.locator(f"tr.comment-row[data-comment='{oleg.pk}']")
    assert "reported by 2 readers" in row.locator(".comment-row__reasons").inner_text()
    reports = row.locator(".comment-row__reports").inner_text()
    assert "Abuse or a personal attack (1)" in reports and "Calls readers fools." in reports
    screenshots(admin, "moderator-reports-from-two-readers")
    for context in (page.context, other.context, admin.context):
        context.close()
