"""New posts written in bulk leave the site as Wagtail's own page creation would: a valid tree,
revisions, publication history, search entries, the admin's search and reference indexes, and
reply threads; posts that need Wagtail's per-page path are mixed into the same batches."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, ReferenceIndex

from gazette.articles.models import ArticlePage, Contributor
from gazette.comments.models import ReaderComment
from gazette.search.models import SearchEntry

from .test_import import export, post, run
from .test_import_accounting import reply

pytestmark = pytest.mark.django_db


def future(days=30):
    return (timezone.now() + timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S")


def test_bulk_and_per_page_posts_share_one_valid_tree(tmp_path, site):
    password = "<wp:post_password>ferry</wp:post_password>"
    items = [
        post(1, title="Ferry one"),
        post(2, title="Ferry two", status="future", date=future()),
        post(3, title="Ferry three", status="draft"),
        post(4, title="Ferry four", extra=password),
        post(5, title="Ferry five", content=""),
        post(6, title="Ferry six"),
        post(7, title="Ferry seven", status="private"),
    ]
    report = run(export(tmp_path, items), batch_size=3)

    assert report.count("posts", "created") == 7
    assert report.mismatches() == []
    assert Page.find_problems() == ([], [], [], [], [])
    news = site["news"]
    news.refresh_from_db()
    assert news.numchild == news.get_children().count() == 7
    articles = ArticlePage.objects.all()
    names = ("one", "two", "three", "four", "five", "six", "seven")
    assert sorted(a.title for a in articles) == sorted(f"Ferry {n}" for n in names)
    assert len({a.path for a in articles}) == 7
    assert {a.url_path for a in articles} == {f"{news.url_path}post-{n}/" for n in range(1, 8)}
    live = {a.title for a in articles if a.live}
    assert live == {"Ferry one", "Ferry four", "Ferry five", "Ferry six"}
    assert not ArticlePage.objects.get(title="Ferry two").live
    assert ArticlePage.objects.get(title="Ferry two").go_live_at is not None


@pytest.mark.search_index
@pytest.mark.reference_index
def test_a_bulk_article_has_its_revision_history_and_indexes(tmp_path, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(export(tmp_path, [post(1, title="Ice closes the river crossing"), post(2, status="draft")]))

    article = ArticlePage.objects.get(live=True)
    olga = Contributor.objects.get(name="Olga Petrova")
    revision = article.latest_revision
    assert revision is not None and article.live_revision_id == revision.pk
    assert revision.as_object().title == "Ice closes the river crossing"
    assert [b["contributor"] for b in revision.content["bylines"]] == [olga.pk]
    assert not article.has_unpublished_changes
    assert article.first_published_at.year == 2024
    assert PageLogEntry.objects.filter(page=article, action="wagtail.publish", revision=revision).exists()
    draft = ArticlePage.objects.get(live=False)
    assert draft.latest_revision is not None and draft.live_revision is None and draft.has_unpublished_changes
    assert not PageLogEntry.objects.filter(page=draft).exists()

    assert list(SearchEntry.objects.values_list("page_id", flat=True)) == [article.pk]
    assert list(ArticlePage.objects.search("river")) == [article]  # Wagtail's own index (the admin's)
    assert ReferenceIndex.get_references_to(olga).filter(object_id=str(article.pk)).exists()


def test_a_bulk_article_edited_later_is_an_update_of_a_published_story(tmp_path, site):
    run(export(tmp_path, [post(1, title="Ice closes the river crossing")]))
    article = ArticlePage.objects.get()

    article.title = "Ice closes the river crossing for the winter"
    article.save_revision().publish()

    article.refresh_from_db()
    assert article.title == "Ice closes the river crossing for the winter"
    assert article.first_published_at.year == 2024
    assert article.updated_at is not None  # the earlier publication is on record


def test_bulk_comments_keep_their_threads_across_levels(tmp_path, site):
    comments = "".join([reply(1, 0), reply(2, 1), reply(3, 2), reply(4, 0), reply(5, 4)])
    run(export(tmp_path, [post(1, extra=comments), post(2, extra=reply(6, 0) + reply(7, 6))]), batch_size=10)

    by_body = {c.body: c for c in ReaderComment.objects.all()}
    first, second, third = by_body["Comment 1."], by_body["Comment 2."], by_body["Comment 3."]
    assert (second.parent, second.thread) == (first, first)
    assert (third.parent, third.thread) == (second, first)
    assert (by_body["Comment 5."].parent, by_body["Comment 5."].thread) == (by_body["Comment 4."],) * 2
    assert by_body["Comment 7."].thread == by_body["Comment 6."]
    assert by_body["Comment 7."].article.title == by_body["Comment 6."].article.title
    assert first.thread is None and first.parent is None


def test_a_rerun_of_a_bulk_import_changes_nothing(tmp_path, site):
    path = export(tmp_path, [post(n, title=f"Story {n}", extra=reply(n, 0) + reply(100 + n, n)) for n in range(1, 8)])
    first = run(path, batch_size=3)
    pages = set(Page.objects.values_list("pk", "path", "latest_revision_id"))

    again = run(path, batch_size=3)

    assert (again.count("posts", "created"), again.count("posts", "updated")) == (0, 0)
    assert (again.count("comments", "created"), again.count("comments", "updated")) == (0, 0)
    assert again.count("redirects", "created") == 0
    assert again.count("redirects", "unchanged") == first.count("redirects", "created")
    assert set(Page.objects.values_list("pk", "path", "latest_revision_id")) == pages
