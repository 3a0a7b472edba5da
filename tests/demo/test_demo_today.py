"""The demo newsroom leads with a story published hours before it was loaded, and a reader
commenting on it meets the rules of a new story, not the old-story hold every archive piece has."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from gazette.articles.models import ArticlePage
from gazette.comments.choices import CommentStatus
from gazette.comments.models import ReaderComment
from gazette.demo import content
from tests.comments.conftest import post_comment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rendition_warming")]

TODAY = "novosibirsk-asks-where-new-crossings-should-go"


def test_the_front_page_leads_with_a_story_published_today(client):
    before = timezone.now()
    call_command("load_demo", stdout=io.StringIO())
    story = ArticlePage.objects.get(slug=TODAY)
    assert before - timedelta(hours=3, minutes=1) <= story.first_published_at <= timezone.now() - timedelta(hours=3)
    assert story.last_published_at == story.first_published_at
    front = client.get("/").content.decode()
    newest_archive_story = max((spec for spec in content.ARTICLES if "date" in spec), key=lambda spec: spec["date"])
    assert front.index(story.title) < front.index(newest_archive_story["title"])
    assert "Anna Petrova" in client.get(story.url).content.decode()


def test_a_returning_reader_comments_on_todays_story_and_is_published(client):
    call_command("load_demo", stdout=io.StringIO())
    story = ArticlePage.objects.get(slug=TODAY)
    reader = {"name": "Lev", "location": "Novosibirsk", "email": "lev@example.com"}

    post_comment(client, story, body="The corner of Lenina and Frunze needs one: children cross there daily.", **reader)
    first = ReaderComment.objects.get(article=story)
    # Held only because nobody has approved this reader yet: the story is new.
    assert first.status == CommentStatus.PENDING
    assert first.reason_codes == " first_time "

    first.status = CommentStatus.PUBLISHED
    first.save()
    post_comment(client, story, body="Thank you for asking us before painting them.", **reader)
    second = ReaderComment.objects.filter(article=story).latest("created_at")
    assert second.status == CommentStatus.PUBLISHED, second.reasons
    page = client.get(story.url).content.decode()
    assert "Thank you for asking us before painting them." in page
