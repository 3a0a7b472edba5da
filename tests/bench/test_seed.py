"""The bench's generated article is the size of a real one, and a reader sees all of it."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags

from bench.seed import BODY_WORDS, seed
from gazette.articles.models import ArticlePage
from gazette.comments.models import ReaderComment
from tests.migrated_data import shared_content

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo and the bench's article, made once for the module's tests (each in a savepoint)."""
    with shared_content(django_db_blocker):
        call_command("load_demo", stdout=io.StringIO())
        yield seed()


def test_article_has_a_real_articles_size(seeded):
    page = ArticlePage.objects.get(pk=seeded["article_pk"])
    text = " ".join(strip_tags(str(block.value)) for block in page.body if block.block_type == "paragraph")
    assert BODY_WORDS <= len(text.split()) < BODY_WORDS + 150
    figures = [block.value for block in page.body if block.block_type == "image"]
    assert len(figures) == 2
    assert all(figure["caption"] and figure["credit"] for figure in figures)
    assert page.lead_image and page.lead_caption and page.lead_credit
    assert len({figure["image"].pk for figure in figures} | {page.lead_image.pk}) == 3
    assert 2 <= page.bylines.count() <= 3
    assert ReaderComment.objects.filter(article=page).count() == 50


def test_reader_sees_text_pictures_credits_and_comments(client, seeded):
    page = ArticlePage.objects.get(pk=seeded["article_pk"])
    html = client.get(seeded["article_path"]).content.decode()
    figures = [block.value for block in page.body if block.block_type == "image"]
    for expected in (
        [page.lead_caption, page.lead_credit] + [f["caption"] for f in figures] + [f["credit"] for f in figures]
    ):
        assert expected in html
    assert seeded["comment_text"] in html
    assert len(re.findall(r"<img\b", html)) >= 3


def test_seeding_again_changes_nothing(seeded):
    pages, comments = ArticlePage.objects.count(), ReaderComment.objects.count()
    assert seed() == seeded
    assert (ArticlePage.objects.count(), ReaderComment.objects.count()) == (pages, comments)
