"""Hostile input through the reply and report fields: never a server error, never markup of its own,
on the article page, in its JSON-LD, in the feeds, on the moderators' screens or in their e-mail.

Every string of the Big List of Naughty Strings (both files in tests/fixtures/blns, which include
its script-injection and SQL-injection sections) goes into a reply's text, a report's words and
the ``reply_to`` parameter. The views are called directly (RequestFactory): the test client's
template instrumentation would make thousands of renders slow.
"""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.test import override_settings

from gazette.comments import services
from gazette.comments.choices import CommentStatus
from gazette.comments.identity import commenter_key
from gazette.comments.models import CommentReport, CommentSettings, ReaderComment
from gazette.comments.views import comment_form, report_comment
from tests.comments.conftest import form_data
from tests.factories import make_article

pytestmark = pytest.mark.django_db

BLNS = Path(__file__).resolve().parents[1] / "fixtures" / "blns"
# Around the loops: the masthead and footer of each form page, which no string reaches, built
# once for all the strings rather than per response.
SHARED_FRAGMENTS = override_settings(GAZETTE_FRAGMENT_CACHE=True)
ACTIONS = re.compile(r'<p class="comment__actions">.*?</p>', flags=re.DOTALL)
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
SCRIPT_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', flags=re.DOTALL)


def naughty_strings() -> list[str]:
    lines = (BLNS / "blns.txt").read_text(encoding="utf-8").split("\n")
    strings = [line for line in lines if line.strip() and not line.startswith("#")]
    strings += [s for s in json.loads((BLNS / "blns.json").read_text(encoding="utf-8")) if s not in strings]
    return strings


def tags(html: str) -> list[str]:
    """The elements that could run or load something, leaving out each comment's own two links."""
    return re.findall(r"<(script|img|iframe|svg|object|embed|a|form|input|style|link)\b", ACTIONS.sub("", html), re.I)


@pytest.fixture
def open_article(site, settings):
    settings.RATELIMIT_ENABLE = False
    article = make_article(title="Naughty replies")
    rules = CommentSettings.for_site(article.get_site())
    rules.per_page = 2000
    rules.first_time_threshold = 0
    rules.hold_links = False
    rules.hold_after_days = 0
    rules.reports_to_hold = 0
    rules.save()
    return article


def call(view, request, *args):
    request._dont_enforce_csrf_checks = True
    return view(request, *args)


def test_naughty_replies_are_stored_and_shown_as_text(rf, open_article):
    article = open_article
    parent = ReaderComment.objects.create(article=article, author_name="Root", body="Root.", status="published")
    quiet = make_article(title="Quiet")
    quiet_root = ReaderComment.objects.create(article=quiet, author_name="Root", body="Root.", status="published")
    ReaderComment.objects.create(article=quiet, author_name="A", body="plain", status="published", parent=quiet_root)
    strings = naughty_strings()
    assert len(strings) > 600
    stored = 0
    with SHARED_FRAGMENTS:
        for s in strings:
            data = form_data(article, name=s[:100] or "x", body=s, reply_to=str(parent.pk), email="reader@example.org")
            response = call(comment_form, rf.post(f"/comments/{article.pk}/form/", data), article.pk)
            assert response.status_code in (200, 302), s
            stored += response.status_code == 302
    assert stored > 550
    replies = ReaderComment.objects.filter(article=article, parent=parent)
    assert replies.count() == stored
    replies.update(status=CommentStatus.PUBLISHED)

    html = article.serve(rf.get(article.url)).render().content.decode()
    quiet_html = quiet.serve(rf.get(quiet.url)).render().content.decode()
    assert f"Comments ({stored + 1})" in html
    assert tags(html) == tags(quiet_html)
    # The JSON-LD holds every text as data: it parses, and nothing in it can close the element.
    (payload,) = [p for p in SCRIPT_JSON.findall(html) if "commentCount" in p]
    data = json.loads(payload)
    assert data["commentCount"] == stored + 1
    assert {c["text"] for c in data["comment"]} >= {r.body for r in replies[:50]}
    assert "<" not in payload


def test_naughty_reply_to_values_are_clear_errors(rf, open_article):
    article = open_article
    with SHARED_FRAGMENTS:
        for s in naughty_strings():
            shown = call(comment_form, rf.get(f"/comments/{article.pk}/form/", {"reply_to": s}), article.pk)
            page = shown.content.decode()
            if s.strip():
                assert shown.status_code == 400, s
                assert "You can still comment on the article." in page, s
            else:  # blank: no reply asked for, the plain form
                assert shown.status_code == 200 and "Replying to" not in page
            assert tags(page).count("script") <= 1  # the frame script or none, never the value's
            sent = call(
                comment_form,
                rf.post(f"/comments/{article.pk}/form/", form_data(article, body="Kept text.", reply_to=s)),
                article.pk,
            )
            if s.strip():
                assert sent.status_code == 200, s
                assert "Kept text." in sent.content.decode()
            else:
                assert sent.status_code == 302
    blank = sum(1 for s in naughty_strings() if not s.strip())
    assert ReaderComment.objects.filter(article=article).count() == blank
    assert not ReaderComment.objects.filter(article=article, parent__isnull=False).exists()


def test_naughty_report_texts_reach_the_moderator_as_text(rf, client, open_article, django_user_model):
    article = open_article
    comment = ReaderComment.objects.create(article=article, author_name="Target", body="Text.", status="published")
    strings = naughty_strings()
    taken = 0
    with SHARED_FRAGMENTS:
        for i, s in enumerate(strings):
            request = rf.post(f"/comments/report/{comment.pk}/", {"reason": "other", "text": s, "website": ""})
            request.META["REMOTE_ADDR"] = f"10.0.{i // 256}.{i % 256}"
            response = call(report_comment, request, comment.pk)
            assert response.status_code == 200, s
            taken += CommentReport.objects.filter(comment=comment).count() > taken
    assert taken > 550
    ReaderComment.objects.filter(pk=comment.pk).update(status=CommentStatus.PENDING)

    plain = ReaderComment.objects.create(article=article, author_name="Plain", body="Text.", status="pending")
    CommentReport.objects.create(comment=plain, reason="other", text="plain words", reporter="x")
    moderator = django_user_model.objects.create_superuser("mod", "mod@example.org", "pw")
    client.force_login(moderator)
    naughty_queue = client.get(f"/admin/comments/?q=&article={article.pk}").content.decode()
    assert "Reported by" in naughty_queue
    plain_queue_row = tags(_row(naughty_queue, plain.pk))
    naughty_row = tags(_row(naughty_queue, comment.pk))
    # The row of the comment with 600 naughty reports has the same active elements as the row
    # with one plain report (its own buttons and links), however the texts were written.
    assert naughty_row == plain_queue_row

    # The moderators' digest e-mail is plain text: nothing in it is rendered.
    mail.outbox.clear()
    services.send_moderation_digest()
    assert mail.outbox and not getattr(mail.outbox[0], "alternatives", [])
    assert mail.outbox[0].content_subtype == "plain"


def _row(html: str, pk: int) -> str:
    start = html.index(f'data-comment="{pk}"')
    end = html.find('<tr class="comment-row"', start)
    return html[start : end if end != -1 else html.index("</tbody>", start)]


# Script-injection strings: those of the list with markup, and those the browser tests send.
XSS = list(
    dict.fromkeys(
        [s for s in naughty_strings() if re.search(r"<[a-zA-Z/!]", s)]
        + [
            "Good story.\n\n<script>alert('x')</script><img src=x onerror=\"alert('y')\">",
            "<img src=x onerror=\"alert('r')\"> calls people names",
        ]
    )
)
ACTIVE = re.compile(r"<(script|img|iframe|svg|object|embed|a|form|input|style|link|button|textarea)\b", re.I)


def _held_thread(article, texts: list[str], email: str):
    """A published comment answered by one held reply per text, and one reported by every text."""
    root = ReaderComment.objects.create(article=article, author_name="Root", body="Root.", status="published")
    for n, text in enumerate(texts):
        ReaderComment.objects.create(
            article=article,
            parent=root,
            author_name=text[:100] or "x",
            author_email=email,
            email_hash=commenter_key(email),
            body=text,
            status=CommentStatus.PENDING,
            reasons=[{"code": "links", "count": 1}],
            reason_codes=" links ",
            created_at=START + timedelta(seconds=n),
        )
    target = ReaderComment.objects.create(
        article=article, author_name="Target", body="Text.", status="published", created_at=START - timedelta(hours=1)
    )
    for n, text in enumerate(texts):
        CommentReport.objects.create(comment=target, reason="other", text=text, reporter=f"reader-{n}")
    ReaderComment.objects.filter(pk=target.pk).update(
        status=CommentStatus.PENDING,
        reasons=[{"code": services.REPORTED, "count": len(texts)}],
        reason_codes=f" {services.REPORTED} ",
    )
    first = ReaderComment.objects.filter(parent=root).order_by("created_at").first()
    return first, target


def test_naughty_replies_and_reports_on_every_moderator_screen_and_in_the_digest(
    client, open_article, django_user_model
):
    """The queue, the reported comments, a comment's history and the commenter's page show the
    naughty texts as text: each page has the same active elements as the same page made of
    plain texts, and no string's markup appears unescaped. The digest e-mail is plain text and
    says the reasons in words."""
    naughty_article = open_article
    plain_article = make_article(title="Plain replies")
    naughty_reply, naughty_target = _held_thread(naughty_article, XSS, "naughty@example.org")
    plain_reply, plain_target = _held_thread(
        plain_article, [f"Plain reply {n}." for n in range(len(XSS))], "plain@example.org"
    )
    moderator = django_user_model.objects.create_superuser("mod", "mod@example.org", "pw")
    client.force_login(moderator)

    def screens(article, reply, email):
        return {
            "queue": f"/admin/comments/?article={article.pk}",
            "reported": f"/admin/comments/?reason=reported&article={article.pk}",
            "history": f"/admin/comments/history/?comment={reply.pk}",
            "commenter": f"/admin/comments/commenter/{commenter_key(email)}/",
        }

    naughty = screens(naughty_article, naughty_reply, "naughty@example.org")
    plain = screens(plain_article, plain_reply, "plain@example.org")
    for name, url in naughty.items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        plain_html = client.get(plain[name]).content.decode()
        shown = html.replace(naughty_article.title, plain_article.title).replace(
            f"{naughty_article.pk}", f"{plain_article.pk}"
        )
        assert ACTIVE.findall(shown) == ACTIVE.findall(plain_html), name
        leaked = [s for s in XSS if s in html]
        assert leaked == [], name
    assert "Reported by" in client.get(naughty["reported"]).content.decode()

    mail.outbox.clear()
    services.send_moderation_digest()
    (digest,) = mail.outbox
    assert digest.content_subtype == "plain" and not getattr(digest, "alternatives", [])
    assert "1 link" in digest.body and f"reported by {len(XSS)} readers" in digest.body
    assert "{'code'" not in digest.body


def test_naughty_replies_never_reach_the_feeds(client, open_article):
    """The feeds carry articles, never readers' comments, whatever they hold."""
    root = ReaderComment.objects.create(article=open_article, author_name="Root", body="Root.", status="published")
    for text in XSS:
        ReaderComment.objects.create(article=open_article, parent=root, author_name="x", body=text, status="published")
    for url in ("/feed/rss/", "/feed/atom/"):
        response = client.get(url)
        assert response.status_code == 200
        feed = response.content.decode()
        assert open_article.title in feed
        assert "onerror" not in feed and "alert(" not in feed
