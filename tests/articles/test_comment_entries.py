"""The comments under an article are built in Python, one entry per comment, and read exactly as
the same markup written as a Django template: same escaping, same translations, same whitespace."""

from datetime import UTC, datetime

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from gazette.comments.models import ReaderComment
from gazette.comments.templatetags.comments_tags import _CommentEntries

# One comment's markup as a template says it (the reference the Python entries are held to).
REFERENCE = (
    "{% load i18n gazette_tags comments_tags %}"
    '<p class="comment__meta">{% if comment.author_location %}<span class="comment__by">{% endif %}'
    '<span class="comment__author">{{ comment.author_name }}</span>'
    '{% if comment.author_location %}, <span class="comment__location">{{ comment.author_location }}</span>'
    "</span>{% endif %}\n"
    '  <time class="comment__time" datetime="{{ comment.created_at|iso_datetime }}">'
    "{{ comment.created_at|comment_time }}</time>\n"
    '  {% if in_reply_to.removed %}<span class="comment__reply-to">'
    '{% translate "in reply to a comment that was removed" %}</span>'
    '{% elif in_reply_to %}<span class="comment__reply-to">'
    "{% blocktranslate trimmed with name=in_reply_to.name pk=in_reply_to.pk %}"
    'in reply to <a href="#comment-{{ pk }}">{{ name }}</a>{% endblocktranslate %}</span>{% endif %}</p>\n'
    '<div class="comment__body">{% comment_paragraphs comment %}</div>\n'
    '<p class="comment__actions">{% if not closed %}<a class="comment__reply" '
    'href="{{ form_url }}?reply_to={{ comment.pk }}" rel="nofollow">'
    "{% blocktranslate trimmed with name=comment.author_name %}"
    'Reply<span class="visually-hidden"> to {{ name }}</span>{% endblocktranslate %}</a>{% endif %}\n'
    '  <a class="comment__report" href="{% url \'comments:report\' comment.pk %}" rel="nofollow">'
    "{% blocktranslate trimmed with name=comment.author_name %}"
    'Report<span class="visually-hidden"> the comment by {{ name }}</span>{% endblocktranslate %}</a></p>\n'
)

HOSTILE = "<script>alert('x')</script> & \"Tom\" %(name)s {{ pk }}"


def comment(pk, name="Anna Petrova", location="", body="First line\nsecond line\n\nA new paragraph.", links=False):
    return ReaderComment(
        pk=pk,
        author_name=name,
        author_location=location,
        body=body,
        links_allowed=links,
        created_at=datetime(2026, 2, 26, 21, 45, 7, tzinfo=UTC),
    )


CASES = {
    "plain": (comment(11), None),
    "with a location": (comment(12, location="Kolyvan"), None),
    "answering a named comment": (comment(13, name="Pavel"), {"name": "Anna Petrova", "pk": 11}),
    "answering a removed comment": (comment(14), {"removed": True}),
    "hostile name, place and text": (
        comment(15, name=HOSTILE, location=HOSTILE, body=HOSTILE),
        {"name": HOSTILE, "pk": 12},
    ),
    "a link a moderator allowed": (comment(16, body="See https://example.org/a?b=1&c=2 now", links=True), None),
}


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("closed", ["", "Comments on this article are closed."])
@pytest.mark.parametrize("case", CASES)
def test_each_entry_reads_as_the_template_markup(case, closed, language):
    reader_comment, in_reply_to = CASES[case]
    form_url = reverse("comments:form", args=[7])
    reference = engines["django"].from_string(REFERENCE)
    with translation.override(language):
        expected = reference.render(
            {"comment": reader_comment, "in_reply_to": in_reply_to, "form_url": form_url, "closed": closed}
        )
        built = _CommentEntries(form_url, closed)(reader_comment, in_reply_to)
    assert built == expected
    assert "<script>" not in built


@pytest.mark.django_db
def test_an_article_page_shows_its_comments_and_replies_as_built(client, site):
    from gazette.comments.choices import CommentStatus
    from tests.factories import make_article

    article = make_article(title="Ferry season ends", slug="ferry-season-ends")
    first = ReaderComment.objects.create(
        article=article, author_name="Anna", body="When?", status=CommentStatus.PUBLISHED
    )
    reply = ReaderComment.objects.create(
        article=article,
        author_name="Pavel",
        body="In May.",
        parent=first,
        thread=first,
        status=CommentStatus.PUBLISHED,
    )
    html = client.get(article.url).content.decode()
    assert "Comments (2)" in html
    replies = html.split('<ol class="comments__replies">', 1)[1]
    assert '<span class="comment__author">Pavel</span>' in replies
    assert f'href="{reverse("comments:report", args=[reply.pk])}"' in replies
    assert f'href="{reverse("comments:form", args=[article.pk])}?reply_to={reply.pk}"' in replies
    assert f'<li class="comment" id="comment-{first.pk}">' in html
