"""Replies: the reply link and form, one level of indentation, counts and JSON-LD, removed parents."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from gazette.comments import services
from gazette.comments.choices import CommentStatus
from gazette.comments.identity import commenter_key
from gazette.comments.models import CommentSettings, ReaderComment
from tests.comments.conftest import post_comment
from tests.factories import make_article

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def add(article, body, name="Irina", status=CommentStatus.PUBLISHED, minute=0, parent=None):
    return ReaderComment.objects.create(
        article=article,
        author_name=name,
        body=body,
        status=status,
        parent=parent,
        created_at=START + timedelta(minutes=minute),
    )


def trusting(article, **fields):
    rules = CommentSettings.for_site(article.get_site())
    rules.first_time_threshold = 0
    rules.hold_links = False
    rules.hold_after_days = 0
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.save()


def comment_block(html: str, pk: int) -> str:
    """The <li> of one comment, up to where its own text ends."""
    start = html.index(f'id="comment-{pk}"')
    return html[start : html.index("comment__actions", start)]


def json_ld(html: str) -> dict:
    for payload in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.DOTALL):
        data = json.loads(payload)
        if "commentCount" in data:
            return data
    raise AssertionError("no comment JSON-LD")


def test_each_published_comment_has_a_reply_link_to_the_form(client, article):
    first = add(article, "The ferry stops on Friday.")
    html = client.get(article.url).content.decode()
    assert f'href="/comments/{article.pk}/form/?reply_to={first.pk}"' in html

    form = client.get(f"/comments/{article.pk}/form/?reply_to={first.pk}")
    page = form.content.decode()
    assert form.status_code == 200
    assert "Replying to <strong>Irina</strong>" in page
    assert "The ferry stops on Friday." in page
    assert f'name="reply_to" value="{first.pk}"' in page
    assert f'href="{article.url}#comment-{first.pk}" target="_top">Cancel the reply</a>' in page
    # The plain form (the frame) is unchanged: no reply, the frame's own page.
    plain = client.get(f"/comments/{article.pk}/form/").content.decode()
    assert "Replying to" not in plain and "comment-frame.js" in plain


def test_a_reply_is_stored_with_its_parent_and_shown_indented_under_it(client, article):
    trusting(article)
    first = add(article, "The ferry stops on Friday.")
    later = add(article, "A later comment on the article.", name="Oleg", minute=30)
    response = post_comment(client, article, name="Pavel", body="It ran until Sunday last year.", reply_to=first.pk)
    reply = ReaderComment.objects.get(author_name="Pavel")
    assert reply.parent == first and reply.thread == first and reply.status == CommentStatus.PUBLISHED
    assert response["Location"] == f"{article.url}?comment=published&comments_page=1#comment-{reply.pk}"

    html = client.get(response["Location"]).content.decode()
    assert "Comments (3)" in html
    # Under its parent, before the later top-level comment, inside the replies list.
    replies_at = html.index('<ol class="comments__replies">')
    assert (
        html.index("The ferry stops") < replies_at < html.index("It ran until Sunday") < html.index("A later comment")
    )
    assert f'<li class="comment comment--reply" id="comment-{reply.pk}">' in html
    assert "in reply to" not in comment_block(html, reply.pk)  # its parent is just above it
    assert later.pk


def test_a_reply_to_a_reply_stays_at_the_first_level_and_names_whom_it_answers(client, article):
    first = add(article, "Root comment.")
    second = add(article, "First answer.", name="Pavel", minute=1, parent=first)
    third = add(article, "Answer to the answer.", name="Oleg", minute=2, parent=second)
    assert third.parent == second and third.thread == first
    html = client.get(article.url).content.decode()
    assert html.count('class="comments__replies"') == 1
    block = comment_block(html, third.pk)
    assert "comment--reply" in html[html.rindex("<li", 0, html.index(f'id="comment-{third.pk}"')) :][:80]
    assert f'in reply to <a href="#comment-{second.pk}">Pavel</a>' in block


def test_counts_and_json_ld_include_replies(client, article):
    first = add(article, "Root comment.")
    reply = add(article, "Answer.", name="Pavel", minute=1, parent=first)
    add(article, "Held answer.", name="Held", minute=2, parent=first, status=CommentStatus.PENDING)
    html = client.get(article.url).content.decode()
    assert "Comments (2)" in html
    data = json_ld(html)
    assert data["@type"] == "NewsArticle" and data["@id"].endswith(f"{article.url}#article")
    assert data["commentCount"] == 2
    items = {item["@id"].rsplit("#", 1)[1]: item for item in data["comment"]}
    assert set(items) == {f"comment-{first.pk}", f"comment-{reply.pk}"}
    assert items[f"comment-{reply.pk}"]["parentItem"]["@id"].endswith(f"#comment-{first.pk}")
    assert items[f"comment-{reply.pk}"]["author"] == {"@type": "Person", "name": "Pavel"}
    assert "parentItem" not in items[f"comment-{first.pk}"]


@pytest.mark.parametrize("removal", ["reject", "spam", "erase", "purge"])
def test_a_reply_outlives_its_parent_and_says_so(client, article, django_user_model, removal):
    moderator = django_user_model.objects.create_superuser("mod", "mod@example.org", "pw")
    first = add(article, "Root comment that goes away.", name="Gone")
    first.author_email = "gone@example.org"
    first.email_hash = commenter_key("gone@example.org")
    first.save()
    reply = add(article, "A reply that stays.", name="Pavel", minute=1, parent=first)
    if removal in ("reject", "spam"):
        services.moderate([first], removal, moderator)
    elif removal == "erase":
        assert services.erase_commenter("gone@example.org") == 1
    else:
        services.moderate([first], "spam", moderator)
        ReaderComment.objects.filter(pk=first.pk).update(moderated_at=START - timedelta(days=365))
        assert services.purge_binned() == 1
    reply.refresh_from_db()
    assert reply.status == CommentStatus.PUBLISHED
    assert reply.is_reply
    html = client.get(article.url).content.decode()
    assert "Comments (1)" in html
    assert "Root comment that goes away." not in html
    assert "in reply to a comment that was removed" in comment_block(html, reply.pk)
    assert 'class="comments__replies"' not in html  # shown at the first level now
    assert "parentItem" not in json.dumps(json_ld(html))


def test_replies_of_a_page_conversation_follow_it_across_pagination(client, article):
    trusting(article, per_page=2)
    a = add(article, "Conversation A.", minute=0)
    add(article, "Conversation B.", minute=1)
    add(article, "Conversation C.", minute=2)
    response = post_comment(client, article, name="Late", body="A late answer to A.", reply_to=a.pk)
    assert "comments_page=1#comment-" in response["Location"]
    page1 = client.get(article.url).content.decode()
    page2 = client.get(article.url + "?comments_page=2").content.decode()
    assert "A late answer to A." in page1 and "A late answer to A." not in page2
    assert "Comments (4)" in page1 and "Page 1 of 2" in page1


def test_moderation_rules_apply_to_replies(client, article):
    first = add(article, "Root comment.")
    # The site holds first-time commenters: a reply from one is held like any comment.
    response = post_comment(client, article, name="New", body="Answer from a newcomer.", reply_to=first.pk)
    reply = ReaderComment.objects.get(author_name="New")
    assert reply.status == CommentStatus.PENDING and reply.parent == first
    assert [r["code"] for r in reply.reasons] == ["first_time"]
    assert response["Location"] == f"{article.url}?comment=pending#comments"
    assert "Answer from a newcomer." not in client.get(article.url).content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "This reply link is not valid."),
        ("-1", "This reply link is not valid."),
        ("1e3", "This reply link is not valid."),
        ("99999999999999999999999", "This reply link is not valid."),
        ("999999", "is not on this article"),
        ("OTHER", "is not on this article"),
        ("HELD", "is no longer shown"),
        ("BINNED", "is no longer shown"),
    ],
)
def test_a_bad_reply_to_is_a_clear_error_and_the_text_is_kept(client, article, value, message):
    trusting(article)
    other = make_article(title="Another story")
    refs = {
        "OTHER": add(other, "On another story.").pk,
        "HELD": add(article, "Waiting.", status=CommentStatus.PENDING).pk,
        "BINNED": add(article, "Binned.", status=CommentStatus.SPAM).pk,
    }
    value = str(refs.get(value, value))
    shown = client.get(f"/comments/{article.pk}/form/", {"reply_to": value})
    assert shown.status_code == 400
    assert message in shown.content.decode() and "Replying to" not in shown.content.decode()

    response = post_comment(client, article, name="Vera", body="My careful answer.", reply_to=value)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "My careful answer." in page
    assert '<input type="hidden" name="reply_to" id="id_reply_to">' in page  # emptied: sent again, a comment
    assert not ReaderComment.objects.filter(author_name="Vera").exists()
    # Sent again as it is shown, it is a comment on the article.
    again = post_comment(client, article, name="Vera", body="My careful answer.", reply_to="")
    assert again.status_code == 302
    assert ReaderComment.objects.get(author_name="Vera").parent is None


def test_the_parent_removed_while_the_reader_writes(client, article, django_user_model):
    trusting(article)
    first = add(article, "Root comment.")
    form = client.get(f"/comments/{article.pk}/form/?reply_to={first.pk}")
    assert form.status_code == 200
    services.moderate([first], "reject", django_user_model.objects.create_superuser("m", "m@example.org", "pw"))
    response = post_comment(client, article, name="Vera", body="Too late to answer.", reply_to=first.pk)
    assert response.status_code == 200
    assert "is no longer shown" in response.content.decode()
    assert "Too late to answer." in response.content.decode()
    assert not ReaderComment.objects.filter(author_name="Vera").exists()


def test_no_reply_link_when_comments_are_closed(client, article):
    first = add(article, "Root comment.")
    trusting(article, close_after_days=1)
    article.first_published_at = START - timedelta(days=30)
    article.save()
    html = client.get(article.url).content.decode()
    assert "reply_to=" not in html
    assert f'href="/comments/report/{first.pk}/"' in html


def test_the_commenter_is_told_in_the_form_what_became_of_each_comment(client, article, django_user_model):
    first = add(article, "Root comment.")
    post_comment(client, article, name="New", body="Held answer.", reply_to=first.pk)
    held = ReaderComment.objects.get(author_name="New")
    form = client.get(f"/comments/{article.pk}/form/").content.decode()
    assert "Your comments on this article" in form
    assert 'data-outcome="held"' in form and "held for a moderator" in form

    services.moderate([held], "approve", django_user_model.objects.create_superuser("m", "m@example.org", "pw"))
    form = client.get(f"/comments/{article.pk}/form/").content.decode()
    assert 'data-outcome="published"' in form
    assert f"{article.url}?comments_page=1#comment-{held.pk}" in form

    # Another browser (no cookie) is told nothing; a forged cookie is ignored.
    other = client.__class__()
    assert "Your comments on this article" not in other.get(f"/comments/{article.pk}/form/").content.decode()
    other.cookies["gazette_my_comments"] = f"{held.pk}"
    assert "Your comments on this article" not in other.get(f"/comments/{article.pk}/form/").content.decode()


def test_a_comment_binned_by_the_filter_is_held_to_its_author_until_a_moderator_decides(
    client, article, django_user_model
):
    comment = add(article, "Buy now.", status=CommentStatus.SPAM)
    assert services.commenter_outcome(comment) == services.HELD
    services.moderate([comment], "restore", django_user_model.objects.create_superuser("m", "m@example.org", "pw"))
    comment.refresh_from_db()
    assert services.commenter_outcome(comment) == services.HELD
    services.moderate([comment], "reject", django_user_model.objects.get(username="m"))
    comment.refresh_from_db()
    assert services.commenter_outcome(comment) == services.NOT_PUBLISHED


def test_a_commenters_export_says_what_each_comment_answered(article):
    first = add(article, "Root comment.")
    reply = add(article, "Answer.", name="Pavel", minute=1, parent=first)
    ReaderComment.objects.filter(pk=reply.pk).update(author_email="pavel@example.org")
    data = services.export_commenter("pavel@example.org")
    assert [(c["id"], c["in_reply_to"]) for c in data["comments"]] == [(reply.pk, first.pk)]
