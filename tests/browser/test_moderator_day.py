"""In Chromium: a moderator's day in the Wagtail admin.

Sign in, approve and bin from the queue, filter it, restore from Spam, act on everything at
once and undo it, open a commenter, download their data and erase it after confirming. Each
admin screen is saved at 1280 and 375 px (var/screenshots/moderation-*.png) for review.
"""

import json

import pytest
from django.contrib.auth.models import Group

from gazette.comments import services
from gazette.comments.choices import CommentStatus
from gazette.comments.identity import commenter_key
from gazette.comments.models import ReaderComment
from gazette.users.models import User
from tests.browser.conftest import screenshots, sign_in
from tests.comments.conftest import ensure_migrated_data
from tests.factories import make_article, site_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-password-1"


def held(article, name, body, reasons, **fields):
    return ReaderComment.objects.create(
        article=article,
        author_name=name,
        body=body,
        status=fields.pop("status", CommentStatus.PENDING),
        reasons=reasons,
        reason_codes=services.reason_codes(reasons),
        scores=fields.pop("scores", {"spam": 0.2, "offensive": 0.0, "links": 0}),
        **fields,
    )


def message(page) -> str:
    return page.locator(".messages").inner_text()


def test_a_moderators_day(live_server, page):
    ensure_migrated_data()
    site_tree()
    article = make_article(title="Ferry season ends early")
    moderator = User.objects.create_user("mod", "mod@example.org", PASSWORD)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    irina = commenter_key("irina@example.org")
    held(article, "Oleg", "The timetable changed in May.", [{"code": "first_time"}])
    held(
        article,
        "Irina",
        "See the river port's notice at https://port.example.org/ferries for the dates.",
        [{"code": "first_time"}, {"code": "links", "count": 1}],
        author_email="irina@example.org",
        email_hash=irina,
        scores={"spam": 0.4, "offensive": 0.0, "links": 1},
    )
    held(article, "Pavel", "Who pays for the new pier?", [{"code": "old_article", "days": 30}])
    held(
        article,
        "Promo",
        "Cheap ferry tickets, order now at tickets.example.com",
        [{"code": "spam", "score": 0.99, "words": ["cheap", "__link__", "order"]}],
        status=CommentStatus.SPAM,
        scores={"spam": 0.99, "offensive": 0.0, "links": 1},
    )

    # Without animations, the screenshots at each width show the settled layout.
    page.emulate_media(reduced_motion="reduce")
    sign_in(page, live_server.url, "mod", PASSWORD, "/admin/comments/")
    page.wait_for_url("**/admin/comments/")
    rows = page.locator("tr.comment-row")
    assert rows.count() == 3
    irina_row = rows.filter(has_text="Irina")
    assert "first comment from this person" in irina_row.inner_text() and "1 link" in irina_row.inner_text()
    assert "article older than 30 days" in rows.filter(has_text="Pavel").inner_text()
    screenshots(page, "moderation-queue")

    # Approve one, bin another, each with its own button.
    rows.filter(has_text="Oleg").get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    assert "1 comment approved." in message(page)
    rows.filter(has_text="Pavel").get_by_role("button", name="Spam").click()
    page.wait_for_load_state()
    assert "1 comment marked as spam." in message(page)
    assert [r.inner_text().split(",")[0].split("·")[0].strip() for r in page.locator(".comment-row__author").all()] == [
        "Irina"
    ]

    # Filter by reason through the admin's filter drop-down.
    page.get_by_role("button", name="Show filters").click()
    page.get_by_role("button", name="Reason held").click()
    page.locator("#id_reason").select_option("links")
    page.wait_for_url("**reason=links**")
    page.locator(".comment-row").first.wait_for()
    assert page.locator("tr.comment-row").count() == 1
    assert "Irina" in page.locator("tr.comment-row").inner_text()
    page.locator(".comments-summary").click()  # a click outside closes the drop-down
    page.locator("#id_reason").wait_for(state="hidden")
    screenshots(page, "moderation-filtered-queue")

    # The Spam view: what the filter and the moderator binned, restorable with one click.
    page.get_by_role("link", name="Spam (2)").click()
    page.wait_for_url("**status=binned**")
    spam_rows = page.locator("tr.comment-row")
    assert spam_rows.count() == 2
    promo = spam_rows.filter(has_text="Promo")
    assert "looks like spam: 0.99" in promo.inner_text() and "cheap, a link, order" in promo.inner_text()
    assert "kept here for 30 days" in page.locator(".comments-summary").inner_text()
    screenshots(page, "moderation-spam")
    spam_rows.filter(has_text="Pavel").get_by_role("button", name="Restore to the queue").click()
    page.wait_for_load_state()
    assert "1 comment restored to the queue." in message(page)
    assert page.locator("tr.comment-row").count() == 1

    # Everything in the queue at once, then undone.
    page.get_by_role("link", name="Queue (2)").click()
    page.wait_for_url("**/admin/comments/")
    page.get_by_label("Select all").check()
    assert page.locator("input[name=ids]:checked").count() == 2
    page.locator(".comments-queue__actions").get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    assert "2 comments approved." in message(page)
    assert page.locator("tr.comment-row").count() == 0
    page.locator(".messages").get_by_role("button", name="Undo").click()
    page.wait_for_load_state()
    assert "2 comments put back as they were." in message(page)
    assert page.locator("tr.comment-row").count() == 2
    assert set(ReaderComment.objects.filter(author_name__in=["Irina", "Pavel"]).values_list("status", flat=True)) == {
        CommentStatus.PENDING
    }

    # A commenter's page, from their name in the queue.
    page.locator("tr.comment-row").filter(has_text="Irina").get_by_role("link", name="Irina").click()
    page.wait_for_url(f"**/admin/comments/commenter/{irina}/")
    assert "1 comment sent with irina@example.org." in page.locator(".commenter__summary").inner_text()
    screenshots(page, "moderation-commenter")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export their data (JSON)").click()
    download = download_info.value
    assert download.suggested_filename == f"commenter-{irina[:12]}.json"
    data = json.loads(open(download.path(), encoding="utf-8").read())
    assert data["email"] == "irina@example.org"
    assert [c["name"] for c in data["comments"]] == ["Irina"]

    page.get_by_role("link", name="Erase their data…").click()
    assert "Erase Irina's comment, sent with irina@example.org, and its history?" in page.locator(
        ".commenter-erase__question"
    ).inner_text().replace("\n", " ")
    screenshots(page, "moderation-erase-confirm")
    page.get_by_role("button", name="Yes, erase").click()
    page.wait_for_url("**/admin/comments/")
    assert "1 comment and its history erased." in message(page)
    assert page.locator("tr.comment-row").count() == 1
    assert not ReaderComment.objects.filter(email_hash=irina).exists()
    assert page.dialogs == []
