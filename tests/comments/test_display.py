"""What readers see under an article: count, format, order, plain text, pagination."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gazette.comments.choices import CommentStatus
from gazette.comments.models import CommentSettings, ReaderComment

pytestmark = pytest.mark.django_db


def add(article, body="A comment.", status=CommentStatus.PUBLISHED, at=None, **fields):
    return ReaderComment.objects.create(
        article=article,
        author_name=fields.pop("author_name", "Irina"),
        body=body,
        status=status,
        created_at=at or datetime(2016, 10, 21, 22, 13, tzinfo=UTC),
        **fields,
    )


def test_count_format_and_order(client, article):
    add(article, "Second", at=datetime(2016, 10, 21, 23, 0, tzinfo=UTC), author_name="Pavel", author_location="Omsk")
    add(article, "First", at=datetime(2016, 10, 21, 22, 13, tzinfo=UTC), author_location="Berdsk")
    add(article, "Waiting", status=CommentStatus.PENDING)
    add(article, "Binned", status=CommentStatus.SPAM)
    add(article, "Refused", status=CommentStatus.REJECTED)
    html = client.get(article.url).content.decode()
    assert "Comments (2)" in html
    assert "Waiting" not in html and "Binned" not in html and "Refused" not in html
    # 22:13 UTC is 05:13 next morning in Novosibirsk.
    # Name, comma and place are one item of the meta line's row, with no gap before the comma.
    assert (
        '<p class="comment__meta"><span class="comment__by"><span class="comment__author">Irina</span>,'
        ' <span class="comment__location">Berdsk</span></span>' in html
    )
    assert ">22/10/2016 05:13</time>" in html
    assert html.index("First") < html.index("Second")


def test_plain_text_with_paragraphs_and_links_only_when_allowed(client, article):
    body = "Line one\nline two\n\nNew paragraph <b>bold</b> see https://example.org/x"
    comment = add(article, body)
    html = client.get(article.url).content.decode()
    assert "<p>Line one<br>line two</p>" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert 'href="https://example.org/x"' not in html
    comment.links_allowed = True
    comment.save()
    html = client.get(article.url).content.decode()
    assert '<a href="https://example.org/x" rel="nofollow">https://example.org/x</a>' in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_pagination_and_constant_queries(client, article, site):
    settings_row = CommentSettings.for_site(article.get_site())
    settings_row.per_page = 10
    settings_row.save()
    start = datetime(2020, 1, 1, tzinfo=UTC)
    ReaderComment.objects.bulk_create(
        [
            ReaderComment(
                article=article,
                author_name=f"Reader {i}",
                body=f"Comment number {i}",
                status=CommentStatus.PUBLISHED,
                created_at=start + timedelta(minutes=i),
            )
            for i in range(25)
        ]
    )
    html = client.get(article.url).content.decode()
    assert "Comments (25)" in html
    assert "Comment number 0<" in html and "Comment number 9<" in html and "Comment number 10<" not in html
    assert "Page 1 of 3" in html
    page3 = client.get(article.url + "?comments_page=3").content.decode()
    assert "Comment number 24<" in page3 and "Comment number 19<" not in page3

    with CaptureQueriesContext(connection) as small:
        client.get(article.url)
    ReaderComment.objects.bulk_create(
        [
            ReaderComment(article=article, author_name="R", body="x", status="published", created_at=start)
            for _ in range(2000)
        ]
    )
    with CaptureQueriesContext(connection) as big:
        client.get(article.url)
    assert len(big) == len(small)
    comment_queries = [q["sql"] for q in big.captured_queries if "comments_readercomment" in q["sql"]]
    # One COUNT of all and of first-level comments, one LIMIT; none of them is a reply, so no replies query.
    assert len(comment_queries) == 2
    assert any("LIMIT 10" in sql for sql in comment_queries)


def test_published_notice_shows_the_last_page(client, article):
    settings_row = CommentSettings.for_site(article.get_site())
    settings_row.per_page = 2
    settings_row.save()
    for i in range(5):
        add(article, f"Comment {i}", at=datetime(2020, 1, 1, 0, i, tzinfo=UTC))
    html = client.get(article.url + "?comment=published").content.decode()
    assert "Comment 4<" in html and "your comment is published" in html


def test_publishing_purges_the_article(article, django_capture_on_commit_callbacks):
    from gazette.comments.services import moderate
    from gazette.core.invalidation import tags_purged

    comment = add(article, status=CommentStatus.PENDING)
    received = []

    def receiver(sender, tags, **kwargs):
        received.append(tags)

    tags_purged.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            moderate([comment], "approve", None)
    finally:
        tags_purged.disconnect(receiver)
    assert frozenset({f"article:{article.pk}"}) in received
