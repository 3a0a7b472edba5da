"""No wasted work: a page's database queries do not grow with what it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ContributorFactory, ImageFactory, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_time(monkeypatch):
    """Pages are rendered on every request; site-wide fragments stay cached, as in production."""
    monkeypatch.setattr("gazette.core.middleware.lookup", lambda request: None)


@pytest.fixture
def no_page_fragments(monkeypatch):
    """Each page's own fragments (an article's text and comments) are rendered every time too."""
    monkeypatch.setattr("gazette.core.templatetags.gazette_tags.FragmentNode.render", _render_inside)


def _render_inside(node, context):
    return node.nodelist.render(context)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _figure(image):
    return ("image", {"image": image, "caption": "", "credit": ""})


def test_article_queries_do_not_grow_with_coauthors_or_pictures(
    client, no_page_fragments, django_assert_max_num_queries
):
    small = make_article(
        title="One author, one picture",
        authors=[ContributorFactory()],
        body=[("paragraph", "<p>Text.</p>"), _figure(ImageFactory())],
    )
    large = make_article(
        title="Three authors, many pictures",
        authors=[ContributorFactory() for _ in range(3)],
        body=[("paragraph", "<p>Text.</p>"), *(_figure(ImageFactory()) for _ in range(5))],
    )
    # Site settings, routes and view restrictions are read once per change, not per request.
    client.get(small.url)
    client.get(large.url)
    baseline = _queries(client, small.url)
    with django_assert_max_num_queries(baseline):
        html = client.get(large.url).content.decode()
    assert html.count("<picture>") == 6 and html.count('rel="author"') == 3


def test_a_page_cache_miss_renders_only_what_changed(
    client, django_assert_max_num_queries, committed, django_user_model
):
    """Between changes an article costs two queries (the site-wide data's token, the page); a
    comment rebuilds its text only."""
    from gazette.comments.choices import CommentStatus
    from gazette.comments.models import ReaderComment
    from gazette.comments.services import APPROVE, moderate

    page = make_article(
        title="Ferry season ends early",
        authors=[ContributorFactory() for _ in range(3)],
        body=[("paragraph", "<p>Text.</p>"), *(_figure(ImageFactory()) for _ in range(3))],
    )
    for n in range(20):
        ReaderComment.objects.create(article=page, author_name=f"Reader {n}", body="Seen it.", status="published")
    cold = _queries(client, page.url)
    with django_assert_max_num_queries(2):
        html = client.get(page.url + "?utm_source=feed").content.decode()
    assert "Comments (20)" in html and html.count("<picture>") == 4
    comment = ReaderComment.objects.create(
        article=page, author_name="Vera", body="The ferry left without us.", status=CommentStatus.PENDING
    )
    moderator = django_user_model.objects.create_superuser("mod", "m@example.org", "pw")
    with committed():
        moderate([comment], APPROVE, moderator)
    again = _queries(client, page.url + "?after=approval")
    assert 2 < again < cold  # the text and comments again, not the site, masthead or rates
    html = client.get(page.url).content.decode()
    assert "Comments (21)" in html and "The ferry left without us." in html


def test_front_and_listing_queries_do_not_grow_with_articles(client, site, django_assert_max_num_queries):
    make_article(title="First", authors=[ContributorFactory()])
    client.get("/")
    baseline = {url: _queries(client, url) for url in ("/", "/news/")}
    for i in range(5):
        make_article(title=f"Story {i}", authors=[ContributorFactory() for _ in range(3)])
    for url, count in baseline.items():
        with django_assert_max_num_queries(count):
            html = client.get(url).content.decode()
        assert "Story 4" in html and "Story 0" in html and html.count("<picture>") == 6


def test_contributor_page_queries_do_not_grow_with_articles(client, django_assert_max_num_queries):
    anna = ContributorFactory(name="Anna Petrova", slug="anna")
    make_article(title="First", authors=[anna])
    client.get(anna.get_absolute_url())
    one = _queries(client, anna.get_absolute_url())
    for i in range(4):
        make_article(title=f"Story {i}", authors=[anna, ContributorFactory()])
    with django_assert_max_num_queries(one):
        assert "Story 3" in client.get(anna.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "url",
    ["/feed/rss/", "/feed/atom/", "/city/omsk/feed/rss/", "/contributors/anna-petrova/feed/atom/"],
)
def test_feed_queries_do_not_grow_with_articles_coauthors_or_pictures(client, site, url, django_assert_max_num_queries):
    from gazette.cities.models import City

    omsk = City.objects.create(name="Omsk", slug="omsk")
    anna = ContributorFactory(name="Anna Petrova", slug="anna-petrova")
    make_article(title="First", authors=[anna], cities=[omsk])
    baseline = _queries(client, url)
    for i in range(5):
        make_article(title=f"Story {i}", authors=[anna, ContributorFactory(), ContributorFactory()], cities=[omsk])
    with django_assert_max_num_queries(baseline):
        body = client.get(url).content.decode()
    # Rendered afresh (every new story is in it), each with its three authors and its picture.
    assert "Story 0" in body and "Story 4" in body
    assert body.count("Anna Petrova") >= 6


def _listing_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in ctx.captured_queries]


def test_listings_cost_the_same_at_two_archive_sizes_and_never_count_the_archive(client, site):
    """A listing reads one page (and a probe row) whatever the archive's size: no ``COUNT(*)``."""
    from gazette.cities.models import City

    omsk = City.objects.create(name="Omsk", slug="omsk")
    anna = ContributorFactory(name="Anna Petrova", slug="anna-petrova")
    urls = ("/", "/news/", "/city/omsk/", "/contributors/anna-petrova/")
    for i in range(2):
        make_article(title=f"Early {i}", authors=[anna], cities=[omsk], lead_image=False)
    for url in urls:
        client.get(url)
    small = {url: _listing_queries(client, url) for url in urls}
    for i in range(11):
        make_article(title=f"Later {i}", authors=[anna, ContributorFactory()], cities=[omsk], lead_image=False)
    for url in urls:
        large = _listing_queries(client, url)
        assert len(large) == len(small[url]), url
        assert not [sql for sql in large if "COUNT(" in sql.upper()], url
        html = client.get(url).content.decode()
        # Thirteen stories: ten on the first page, newest first, and a way to the older three.
        assert "Later 10" in html and "Early 0" not in html, url
        assert 'rel="next" href="?page=2"' in html and 'rel="prev"' not in html, url
        older = client.get(url + "?page=2").content.decode()
        assert "Early 0" in older and "Later 10" not in older and 'rel="next"' not in older, url
        assert client.get(url + "?page=3").status_code == 404, url
        assert client.get(url + "?page=nonsense").content.decode().count("Later 10") >= 1, url
