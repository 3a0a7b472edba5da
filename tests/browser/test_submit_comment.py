"""In Chromium: a reader comments, a moderator approves it in the admin, the reader sees it.

The comment carries markup and script; nothing of it may run or appear as an element, on the
article or in the moderation queue. axe-core finds nothing on the article or the form page.
"""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Site

from gazette.core.models import MastheadSettings
from gazette.users.models import User
from tests.browser.conftest import axe_violations, sign_in
from tests.comments.conftest import ensure_migrated_data
from tests.factories import make_article, site_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = "Good story.\n\n<script>alert('x')</script><img src=x onerror=\"alert('y')\">"


def test_reader_posts_moderator_approves_reader_sees(live_server, page, browser):
    ensure_migrated_data()
    _home, _news, privacy = site_tree()
    masthead = MastheadSettings.for_site(Site.objects.get(is_default_site=True))
    masthead.privacy_page = privacy
    masthead.save()
    article = make_article(title="Ferry season ends early")
    moderator = User.objects.create_user("mod", "mod@example.org", "a-long-password-1")
    moderator.groups.add(Group.objects.get(name="Moderators"))

    page.goto(live_server.url + article.url)
    assert page.locator("#comments-heading").inner_text() == "Comments (0)"
    assert axe_violations(page) == []
    frame = page.frame_locator("iframe[title='Add your comment']")
    frame.get_by_label("Name*").fill("Irina")
    frame.get_by_label("Location").fill("Berdsk <b>")
    frame.get_by_label("Comment*").fill(HOSTILE)
    frame.get_by_label("Control code*").fill("tests-pass")
    frame.get_by_role("button", name="Send comment").click()
    page.wait_for_url("**?comment=pending#comments")
    assert "is held for a moderator" in page.locator(".comments__notice").inner_text()
    assert page.locator("#comments-heading").inner_text() == "Comments (0)"

    admin = browser.new_context().new_page()
    admin_dialogs = []
    admin.on("dialog", lambda d: (admin_dialogs.append(d.message), d.dismiss()))
    sign_in(admin, live_server.url, "mod", "a-long-password-1", "/admin/comments/")
    admin.wait_for_url("**/admin/comments/")
    row = admin.locator("tr.comment-row")
    assert row.count() == 1
    assert "first comment from this person" in row.inner_text()
    assert row.locator(".comment-row__body img, .comment-row__body script").count() == 0
    row.locator("input[type=checkbox]").check()
    admin.locator(".comments-queue__actions").get_by_role("button", name="Approve").click()
    admin.wait_for_load_state()
    assert "1 comment approved." in admin.content()
    assert admin_dialogs == []
    admin.context.close()

    page.goto(live_server.url + article.url)
    assert page.locator("#comments-heading").inner_text() == "Comments (1)"
    comment = page.locator("li.comment")
    assert comment.locator(".comment__author").inner_text() == "Irina"
    assert comment.locator(".comment__location").inner_text() == "Berdsk <b>"
    assert "<script>alert('x')</script>" in comment.locator(".comment__body").inner_text()
    assert comment.locator(".comment__body *:not(p):not(br)").count() == 0
    assert comment.locator(".comment__body a").count() == 0
    assert page.dialogs == []
    assert axe_violations(page) == []

    page.goto(live_server.url + f"/comments/{article.pk}/form/")
    assert axe_violations(page) == []
    assert page.dialogs == []
