"""The moderation queue: who may use it, bulk decisions, filters, audit log, notices, digest."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail

from gazette.comments.choices import CommentStatus
from gazette.comments.models import CommentStatusChange, ReaderComment
from gazette.comments.services import reason_codes, send_moderation_digest
from gazette.users.models import User

pytestmark = pytest.mark.django_db
QUEUE = "/admin/comments/"
REASONS = [
    {"code": "links", "count": 3},
    {"code": "offensive", "score": 0.97, "words": ["idiot"]},
    {"code": "first_time"},
    {"code": "promotion", "signals": ["subscribe"]},
]


@pytest.fixture
def moderator(db):
    user = User.objects.create_user("mod", "mod@example.org", "pw", first_name="Mo", last_name="Derator")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def editor(db):
    user = User.objects.create_user("ed", "ed@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def pending(article, n=3, **fields):
    return [
        ReaderComment.objects.create(
            article=article,
            author_name=f"Reader {i}",
            body=f"Pending comment {i}",
            status=CommentStatus.PENDING,
            reasons=REASONS,
            reason_codes=reason_codes(REASONS),
            scores={"spam": 0.42, "offensive": 0.97, "links": 3},
            **fields,
        )
        for i in range(n)
    ]


def test_moderators_group_holds_the_permission(moderator):
    group = Group.objects.get(name="Moderators")
    codes = set(group.permissions.values_list("codename", flat=True))
    assert {"moderate_readercomment", "access_admin"} <= codes
    assert moderator.has_perm("comments.moderate_readercomment")


def test_queue_shows_reasons_scores_and_dashboard_count(client, moderator, article):
    pending(article, 2)
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    for reason in ("3 links", "offensive language: 0.97", "first comment from this person", "looks like promotion"):
        assert reason in html
    assert "spam 0.42" in html and article.title in html
    assert "2 comments awaiting moderation" in html
    home = client.get("/admin/").content.decode()
    assert "2 comments awaiting moderation" in home
    assert 'href="/admin/comments/"' in home


def test_bulk_approve_reject_spam_with_audit_log_and_notice(
    client, moderator, article, django_capture_on_commit_callbacks
):
    a, b, c = pending(article, 3, author_email="reader@example.org")
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(QUEUE, {"action": "approve", "ids": [a.pk, b.pk]})
    assert response.status_code == 302
    client.post(QUEUE, {"action": "spam", "ids": [c.pk]})
    statuses = dict(ReaderComment.objects.values_list("pk", "status"))
    assert statuses == {a.pk: "published", b.pk: "published", c.pk: "spam"}
    a.refresh_from_db()
    assert a.moderated_by == moderator and a.published_at is not None
    log = CommentStatusChange.objects.filter(comment=a).first()
    assert (log.old_status, log.new_status, log.user_name) == ("pending", "published", "mod")
    assert len(mail.outbox) == 2 and mail.outbox[0].to == ["reader@example.org"]
    assert "is now published" in mail.outbox[0].body
    html = client.get(QUEUE + "history/").content.decode()
    assert "Awaiting moderation → Published" in html and "mod" in html
    page = client.get(article.url).content.decode()
    assert "Comments (2)" in page and "Pending comment 0" in page
    client.post(QUEUE, {"action": "reject", "ids": [a.pk]})
    assert ReaderComment.objects.get(pk=a.pk).status == CommentStatus.REJECTED
    assert "Comments (1)" in client.get(article.url).content.decode()
    assert len(mail.outbox) == 2  # told once


def test_filters(client, moderator, article, site):
    from tests.factories import make_article

    other = make_article(title="Another story")
    pending(article, 1)
    ReaderComment.objects.create(article=other, author_name="Zed", body="Plain", status="pending", reasons=[])
    ReaderComment.objects.create(article=other, author_name="Old", body="Done", status="published")
    client.force_login(moderator)
    assert client.get(QUEUE).context["page_obj"].paginator.count == 2
    assert client.get(QUEUE + "?reason=links").context["page_obj"].paginator.count == 1
    assert client.get(QUEUE + f"?article={other.pk}").context["page_obj"].paginator.count == 1
    assert client.get(QUEUE + "?status=all").context["page_obj"].paginator.count == 3
    assert client.get(QUEUE + "?status=published&q=done").context["page_obj"].paginator.count == 1


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_readers_and_editors_without_the_permission_cannot_moderate(client, editor, article, who):
    (comment,) = pending(article, 1)
    if who == "editor":
        client.force_login(editor)
    response = client.post(QUEUE, {"action": "approve", "ids": [comment.pk]})
    assert response.status_code == 302
    assert "/login/" in response["Location"] or response["Location"] == "/admin/"
    assert client.get(QUEUE + "history/").status_code == 302
    assert ReaderComment.objects.get(pk=comment.pk).status == CommentStatus.PENDING
    if who == "editor":
        assert "awaiting moderation" not in client.get("/admin/").content.decode()


def test_digest_goes_to_moderators_only_when_something_waits(moderator, editor, article):
    assert send_moderation_digest() == 0
    pending(article, 2)
    assert send_moderation_digest() == 1
    (message,) = mail.outbox
    assert message.to == ["mod@example.org"]
    assert message.subject == "2 comments awaiting moderation"
    assert "Pending comment 1" in message.body and "http://testserver/admin/comments/" in message.body


def test_allow_links_makes_them_clickable(client, moderator, article):
    comment = ReaderComment.objects.create(
        article=article, author_name="R", body="See https://example.org/a", status="published"
    )
    client.force_login(moderator)
    client.post(QUEUE, {"action": "allow_links", "ids": [comment.pk]})
    assert 'href="https://example.org/a"' in client.get(article.url).content.decode()


def test_per_article_rules_are_edited_in_the_page_editor(admin_client, article):
    html = admin_client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "Comment rules" in html and "comment_settings-TOTAL_FORMS" in html


def test_menu_item_only_for_moderators(client, moderator, editor):
    client.force_login(editor)
    assert "/admin/comments/" not in client.get("/admin/").content.decode()
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert '"url": "/admin/comments/"' in html.replace("&quot;", '"') or "/admin/comments/" in html
