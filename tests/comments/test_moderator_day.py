"""A moderator's day through the admin: filters, bulk actions and their undo, the reasons shown,
the Spam view and its retention, what a reader is told, a commenter's page with export and
erasure (audit log, permissions)."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from wagtail.models import ModelLogEntry

from gazette.comments import classifier, services
from gazette.comments.choices import CommentStatus
from gazette.comments.identity import commenter_key
from gazette.comments.models import CommentSettings, CommentStatusChange, ReaderComment
from gazette.users.models import User
from tests.comments.conftest import post_comment
from tests.factories import make_article

pytestmark = pytest.mark.django_db
QUEUE = "/admin/comments/"
SPAM_TEXT = "Check out my channel and subscribe!!! http://my-music.example.com please subscribe"


@pytest.fixture
def plain_moderator(db):
    """May moderate, but holds neither commenter-data permission."""
    user = User.objects.create_user("plain", "plain@example.org", "pw")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=("access_admin", "moderate_readercomment")),
    )
    return user


def comment(article, status=CommentStatus.PENDING, reasons=(), scores=None, **fields):
    reasons = list(reasons)
    return ReaderComment.objects.create(
        article=article,
        author_name=fields.pop("author_name", "Reader"),
        body=fields.pop("body", "A comment"),
        status=status,
        reasons=reasons,
        reason_codes=services.reason_codes(reasons),
        scores=scores or {},
        **fields,
    )


def listed(client, query="") -> set[str]:
    response = client.get(QUEUE + query)
    assert response.status_code == 200
    return {c.body for c in response.context["object_list"]}


# Filters


def test_status_filter_and_the_spam_view(client, moderator, article):
    comment(article, body="waiting")
    comment(article, CommentStatus.PUBLISHED, body="shown")
    comment(article, CommentStatus.SPAM, body="spam")
    comment(article, CommentStatus.REJECTED, body="rejected")
    client.force_login(moderator)
    assert listed(client) == {"waiting"}
    assert listed(client, "?status=pending") == {"waiting"}
    assert listed(client, "?status=published") == {"shown"}
    assert listed(client, "?status=binned") == {"spam", "rejected"}
    assert listed(client, "?status=all") == {"waiting", "shown", "spam", "rejected"}
    html = client.get(QUEUE + "?status=binned").content.decode()
    assert "kept here for 30 days after the decision" in html
    assert "Restore to the queue" in html and "Queue (1)" in html
    assert "Spam (2)" in client.get(QUEUE).content.decode()


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("first", {"first", "few"}),
        ("links", {"links"}),
        ("old", {"old"}),
        ("spam", {"spam"}),
        ("offensive", {"offensive"}),
        ("promotion", {"promotion"}),
        ("premoderated", {"all"}),
    ],
)
def test_reason_filter(client, moderator, article, key, expected):
    comment(article, body="first", reasons=[{"code": "first_time"}])
    comment(article, body="few", reasons=[{"code": "few_approved", "approved": 1}])
    comment(article, body="links", reasons=[{"code": "links", "count": 2}])
    comment(article, body="old", reasons=[{"code": "old_article", "days": 30}])
    comment(article, body="spam", reasons=[{"code": "spam", "score": 0.97, "words": ["subscribe"]}])
    comment(article, body="offensive", reasons=[{"code": "offensive", "score": 0.99, "words": ["идиот"]}])
    comment(article, body="promotion", reasons=[{"code": "promotion", "signals": ["discount"]}])
    comment(article, body="all", reasons=[{"code": "hold_all"}])
    client.force_login(moderator)
    assert listed(client, f"?reason={key}") == expected


def test_article_date_and_score_filters_and_search(client, moderator, article):
    other = make_article(title="Another story")
    now = timezone.now()
    comment(article, body="low, today", scores={"spam": 0.1}, created_at=now)
    comment(article, body="high, last week", scores={"spam": 0.96}, created_at=now - timedelta(days=7))
    comment(other, body="middle, other", scores={"spam": 0.5}, author_email="irina@example.org", created_at=now)
    client.force_login(moderator)
    assert listed(client, f"?article={other.pk}") == {"middle, other"}
    week_ago = timezone.localdate(now - timedelta(days=7)).isoformat()
    two_days_ago = timezone.localdate(now - timedelta(days=2)).isoformat()
    assert listed(client, f"?created_at_from={week_ago}&created_at_to={two_days_ago}") == {"high, last week"}
    assert listed(client, f"?created_at_from={two_days_ago}") == {"low, today", "middle, other"}
    assert listed(client, "?spam_score_min=0.5") == {"high, last week", "middle, other"}
    assert listed(client, "?spam_score_min=0.2&spam_score_max=0.6") == {"middle, other"}
    assert listed(client, "?q=irina@example.org") == {"middle, other"}
    # Filters combine, and an article that is not a choice is an invalid filter, not a crash.
    assert listed(client, f"?article={other.pk}&spam_score_max=0.2") == set()
    assert listed(client, "?article=999999&spam_score_min=0.9") == {"high, last week"}
    assert listed(client, "?status=deleted") == {"low, today", "high, last week", "middle, other"}


def test_filter_controls_are_wagtails_own(client, moderator, article):
    comment(article)
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    assert 'id="filters-drilldown"' in html
    for name in ("status", "reason", "article", "created_at", "spam_score"):
        assert f'aria-controls="drilldown-id_{name}"' in html
    results = client.get(QUEUE + "results/?status=binned")
    assert results.status_code == 200 and "<html" not in results.content.decode()


# Bulk actions and undo


def test_bulk_approve_then_undo_restores_each_previous_status(client, moderator, article):
    a = comment(article, body="a")
    b = comment(article, CommentStatus.SPAM, body="b")
    comment(article, body="c")
    client.force_login(moderator)
    response = client.post(QUEUE, {"action": "approve", "ids": [a.pk, b.pk], "next_query": "status=all"}, follow=True)
    html = response.content.decode()
    assert "2 comments approved." in html and ">Undo</button>" in html
    assert dict(ReaderComment.objects.values_list("body", "status")) == {
        "a": "published",
        "b": "published",
        "c": "pending",
    }
    assert "Comments (2)" in client.get(article.url).content.decode()

    token = client.session["comments_undo"]["token"]
    response = client.post(QUEUE + "undo/", {"token": token, "next": QUEUE + "?status=all"})
    assert response.status_code == 302 and response["Location"] == QUEUE + "?status=all"
    assert dict(ReaderComment.objects.values_list("body", "status")) == {"a": "pending", "b": "spam", "c": "pending"}
    assert "Comments (0)" in client.get(article.url).content.decode()
    history = CommentStatusChange.objects.filter(comment=b).first()
    assert (history.old_status, history.new_status, history.note, history.user_name) == (
        "published",
        "spam",
        "undone",
        "mod",
    )
    # Undo works once.
    again = client.post(QUEUE + "undo/", {"token": token}, follow=True).content.decode()
    assert "There is nothing to undo" in again
    assert ReaderComment.objects.get(pk=a.pk).status == CommentStatus.PENDING


def test_undo_leaves_a_comment_changed_again_since(client, moderator, article):
    a, b = comment(article, body="a"), comment(article, body="b")
    client.force_login(moderator)
    client.post(QUEUE, {"action": "spam", "ids": [a.pk, b.pk]})
    token = client.session["comments_undo"]["token"]
    services.moderate([b], services.APPROVE, moderator)  # someone published b meanwhile
    html = client.post(QUEUE + "undo/", {"token": token}, follow=True).content.decode()
    assert "1 comment put back as it was." in html and "1 was changed again since" in html
    assert dict(ReaderComment.objects.values_list("body", "status")) == {"a": "pending", "b": "published"}


def test_a_rows_own_button_acts_on_that_comment_only(client, moderator, article):
    a, b = comment(article, body="a"), comment(article, body="b")
    client.force_login(moderator)
    html = client.post(QUEUE, {"one": f"spam:{a.pk}", "ids": [b.pk]}, follow=True).content.decode()
    assert "1 comment marked as spam." in html
    assert dict(ReaderComment.objects.values_list("body", "status")) == {"a": "spam", "b": "pending"}


def test_bulk_action_without_selection_or_action_says_so(client, moderator, article):
    a = comment(article)
    client.force_login(moderator)
    assert "Select at least one comment." in client.post(QUEUE, {"action": "approve"}, follow=True).content.decode()
    assert "Choose an action." in client.post(QUEUE, {"action": "delete", "ids": [a.pk]}, follow=True).content.decode()
    assert ReaderComment.objects.get(pk=a.pk).status == CommentStatus.PENDING


# Reasons


def test_reasons_are_stored_at_assessment_with_the_words_that_drove_them(client, moderator, article):
    site = article.get_site()
    rules = CommentSettings.for_site(site)
    rules.hold_after_days = 0
    rules.save()
    services.submit_comment(article, name="Spammer", body=SPAM_TEXT, email="spammer@example.org")
    services.submit_comment(article, name="Angry", body="Автор — полный дебил", email="angry@example.org")
    spam = ReaderComment.objects.get(author_name="Spammer")
    angry = ReaderComment.objects.get(author_name="Angry")
    assert spam.status == CommentStatus.SPAM
    spam_reason = next(r for r in spam.reasons if r["code"] == "spam")
    assert spam_reason["score"] >= 0.99 and "subscribe" in spam_reason["words"]
    assert " spam " in spam.reason_codes and " links " in spam.reason_codes
    assert angry.status == CommentStatus.PENDING
    assert {"code": "first_time"} in angry.reasons
    offensive = next(r for r in angry.reasons if r["code"] == "offensive")
    assert offensive["words"] == ["дебил"]

    client.force_login(moderator)
    queue = client.get(QUEUE).content.decode()
    assert "first comment from this person" in queue
    assert "offensive language: 0.99" in queue and "words: дебил" in queue
    binned = client.get(QUEUE + "?status=binned").content.decode()
    assert "looks like spam: " in binned and "words: " in binned and "subscribe" in binned
    assert "a link" in binned or "my-music.example.com" in binned or "1 link" in binned


def test_old_story_reason(article):
    article.first_published_at = timezone.now() - timedelta(days=45)
    article.save()
    held = services.submit_comment(article, name="R", body="The ferry was late again this morning.", email="")
    assert held.status == CommentStatus.PENDING
    assert services.describe_reasons(held.reasons)[:2] == [
        "article older than 30 days",
        "first comment from this person",
    ]
    assert held.reason_codes.startswith(" old_article first_time ")


# Spam view, restore, retention


def test_restore_from_spam_to_the_queue_or_straight_to_publication(client, moderator, article):
    a = comment(article, CommentStatus.SPAM, body="a")
    b = comment(article, CommentStatus.REJECTED, body="b")
    client.force_login(moderator)
    html = client.post(QUEUE, {"one": f"restore:{a.pk}", "next_query": "status=binned"}, follow=True).content.decode()
    assert "1 comment restored to the queue." in html
    assert listed(client, "?status=binned") == {"b"}
    assert listed(client) == {"a"}
    client.post(QUEUE, {"one": f"approve:{b.pk}"})
    assert ReaderComment.objects.get(pk=b.pk).status == CommentStatus.PUBLISHED
    # Both decisions teach the scorer "wanted": a restore takes a comment out of the bin.
    assert {(r.text, r.label) for r in classifier.site_decisions()} == {("a", "wanted"), ("b", "wanted")}


def test_binned_comments_are_kept_at_least_30_days(article, settings):
    now = timezone.now()
    auto = comment(article, CommentStatus.SPAM, body="auto", created_at=now - timedelta(days=29))
    decided = comment(
        article, CommentStatus.REJECTED, body="decided", created_at=now - timedelta(days=90), moderated_at=now
    )
    old = comment(article, CommentStatus.SPAM, body="old", created_at=now - timedelta(days=31))
    waiting = comment(article, body="waiting", created_at=now - timedelta(days=400))
    assert services.purge_binned(dry_run=True) == 1
    assert services.purge_binned() == 1
    assert set(ReaderComment.objects.values_list("pk", flat=True)) == {auto.pk, decided.pk, waiting.pk}
    assert not ReaderComment.objects.filter(pk=old.pk).exists()
    # A shorter setting is not honoured: 30 days is the least a binned comment stays.
    settings.GAZETTE_COMMENT_BIN_RETENTION_DAYS = 5
    assert services.bin_retention_days() == 30
    assert services.purge_binned(now=now + timedelta(days=1)) == 0
    assert services.purge_binned(now=now + timedelta(days=2)) == 1  # "auto" is now past 30 days
    settings.GAZETTE_COMMENT_BIN_RETENTION_DAYS = 60
    assert services.purge_binned(now=now + timedelta(days=45)) == 0


def test_purge_is_a_scheduled_task(settings):
    tasks = [job["task"] for job in settings.GAZETTE_SCHEDULE]
    assert "gazette.comments.tasks.purge_binned_comments" in tasks


# What the reader is told


@pytest.mark.parametrize(
    ("body", "email", "trusted", "status", "outcome"),
    [
        ("Thank you for the report.", "trusted@example.org", True, CommentStatus.PUBLISHED, "published"),
        ("Thank you for the report.", "new@example.org", False, CommentStatus.PENDING, "pending"),
        (SPAM_TEXT, "spammer@example.org", False, CommentStatus.SPAM, "pending"),
    ],
)
def test_the_reader_is_told_the_truth(client, moderator, article, body, email, trusted, status, outcome):
    if trusted:
        comment(article, CommentStatus.PUBLISHED, email_hash=commenter_key(email))
    response = post_comment(client, article, body=body, email=email)
    assert response["Location"] == f"{article.url}?comment={outcome}#comments"
    stored = ReaderComment.objects.latest("pk")
    assert stored.status == status
    notice = client.get(response["Location"].split("#")[0]).content.decode()
    if outcome == "published":
        assert "your comment is published" in notice and "held for a moderator" not in notice
        assert body in notice
    else:
        assert "your comment is held for a moderator. It is not shown until a moderator approves it." in notice
        assert "will appear" not in notice and body not in notice
        # ... and it is true: a moderator sees it, in the queue or in the Spam view.
        client.force_login(moderator)
        view = "?status=binned" if status == CommentStatus.SPAM else ""
        assert stored.body in listed(client, view)


# A commenter's page, export, erasure


def _commenter(article):
    first = comment(
        article,
        CommentStatus.PUBLISHED,
        author_name="Irina",
        author_email="Irina@example.org",
        email_hash=commenter_key("irina@example.org"),
        body="First words",
        ip_address="10.1.2.3",
    )
    second = comment(
        article,
        author_name="Irina",
        author_email="irina@example.org",
        email_hash=commenter_key("irina@example.org"),
        body="Second words",
    )
    comment(article, author_name="Someone else", body="Not hers", author_email="x@example.org")
    return commenter_key("irina@example.org"), first, second


def test_commenter_found_by_email_or_from_the_queue(client, moderator, article):
    fingerprint, _first, _second = _commenter(article)
    client.force_login(moderator)
    queue = client.get(QUEUE + "?status=all").content.decode()
    assert f'href="/admin/comments/commenter/{fingerprint}/"' in queue
    assert "Open this commenter's page" in client.get(QUEUE + "?status=all&q=irina@example.org").content.decode()
    response = client.post(QUEUE + "commenter/", {"email": "IRINA@example.org"})
    assert response.status_code == 302 and response["Location"] == f"/admin/comments/commenter/{fingerprint}/"
    page = client.get(response["Location"]).content.decode()
    assert "First words" in page and "Second words" in page and "Not hers" not in page
    assert "2 comments sent with irina@example.org" in page
    assert "Export their data (JSON)" in page and "Erase their data" in page
    missing = client.post(QUEUE + "commenter/", {"email": "nobody@example.org"}).content.decode()
    assert "No comments were sent with this address." in missing
    assert "Enter a valid email address." in client.post(QUEUE + "commenter/", {"email": "nobody"}).content.decode()
    assert client.get(QUEUE + "commenter/0000/").status_code == 404


def test_export_downloads_json_and_is_audited(client, moderator, article):
    fingerprint, first, second = _commenter(article)
    client.force_login(moderator)
    response = client.post(f"{QUEUE}commenter/{fingerprint}/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == f'attachment; filename="commenter-{fingerprint[:12]}.json"'
    data = json.loads(response.content)
    assert data["email"] == "irina@example.org"
    assert {c["text"] for c in data["comments"]} == {"First words", "Second words"}
    exported = next(c for c in data["comments"] if c["id"] == first.pk)
    assert exported["ip_address"] == "10.1.2.3" and exported["article"] == article.title
    entry = ModelLogEntry.objects.get(action="comments.export_commenter_data")
    assert entry.user == moderator and entry.data == {"commenter": fingerprint[:12], "comments": 2}
    assert entry.object_id == str(second.pk) and "irina" not in json.dumps(entry.data) + entry.label
    assert client.get(f"{QUEUE}commenter/{fingerprint}/export/").status_code == 405
    history = client.get("/admin/reports/site-history/").content.decode()
    assert "Export commenter data" in history or "Exported everything stored about a commenter" in history


def test_erase_asks_first_then_erases_and_is_audited(client, moderator, article):
    fingerprint, first, second = _commenter(article)
    client.force_login(moderator)
    confirm = client.get(f"{QUEUE}commenter/{fingerprint}/erase/")
    html = confirm.content.decode()
    assert "Erase all 2 comments of Irina, sent with irina@example.org, and their history?" in html
    assert "Yes, erase" in html and "No, go back" in html
    assert ReaderComment.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
    assert "Comments (1)" in client.get(article.url).content.decode()
    response = client.post(f"{QUEUE}commenter/{fingerprint}/erase/", follow=True)
    assert "2 comments and their history erased." in response.content.decode()
    assert not ReaderComment.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert not CommentStatusChange.objects.filter(comment_id__in=[first.pk, second.pk]).exists()
    assert ReaderComment.objects.filter(author_name="Someone else").exists()
    assert "Comments (0)" in client.get(article.url).content.decode()
    entry = ModelLogEntry.objects.get(action="comments.erase_commenter_data")
    assert entry.user == moderator and entry.deleted and entry.data["comments"] == 2
    assert "irina" not in (entry.label + json.dumps(entry.data)).lower()
    assert client.get(f"{QUEUE}commenter/{fingerprint}/").status_code == 404


def test_the_command_uses_the_same_services_and_is_audited(article):
    from django.core.management import call_command

    _commenter(article)
    call_command("commenter_data", "irina@example.org", "--erase")
    entry = ModelLogEntry.objects.get(action="comments.erase_commenter_data")
    assert entry.user is None and entry.data["comments"] == 2


def test_without_the_permissions_no_buttons_and_403(client, plain_moderator, article):
    fingerprint, first, _second = _commenter(article)
    client.force_login(plain_moderator)
    page = client.get(f"{QUEUE}commenter/{fingerprint}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "First words" in html and "Export their data" not in html and "Erase their data" not in html
    assert client.post(f"{QUEUE}commenter/{fingerprint}/export/").status_code == 403
    assert client.get(f"{QUEUE}commenter/{fingerprint}/erase/").status_code == 403
    assert client.post(f"{QUEUE}commenter/{fingerprint}/erase/").status_code == 403
    assert ReaderComment.objects.filter(pk=first.pk).exists()
    assert not ModelLogEntry.objects.filter(action__startswith="comments.").exists()


def test_editors_cannot_open_a_commenters_page(client, article):
    fingerprint, _first, _second = _commenter(article)
    editor = User.objects.create_user("ed", "ed@example.org", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(f"{QUEUE}commenter/{fingerprint}/").status_code == 302
    assert client.post(f"{QUEUE}commenter/{fingerprint}/export/").status_code == 403
    assert client.post(f"{QUEUE}commenter/{fingerprint}/erase/").status_code == 403
    assert client.post(QUEUE + "undo/", {"token": "x"}).status_code == 302


def test_moderators_group_may_export_and_erase(moderator):
    assert moderator.has_perm("comments.export_commenter_data")
    assert moderator.has_perm("comments.erase_commenter_data")


def test_reasons_stored_as_phrases_before_become_records():
    from importlib import import_module

    migration = import_module("gazette.comments.migrations.0005_structure_reasons_and_grant_commenter_data")
    old = [
        "all comments are pre-moderated",
        "article older than 30 days",
        "only 2 approved comments from this person",
        "1 link",
        "offensive language: 0.97",
        "looks like spam: 0.96",
        "something else",
    ]
    records = [migration.structured(r) for r in old]
    assert records == [
        {"code": "hold_all"},
        {"code": "old_article", "days": 30},
        {"code": "few_approved", "approved": 2},
        {"code": "links", "count": 1},
        {"code": "offensive", "score": 0.97, "words": []},
        {"code": "spam", "score": 0.96, "words": []},
        {"code": "other", "text": "something else"},
    ]
    assert services.describe_reasons(records) == old
