"""Fragments: the parts of a page built once per change, so a page-cache miss is cheap.

Every test here changes something through a real commit and requests the page again with a
query string the page cache has not seen, so what it shows comes from the fragments.
"""

import itertools
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import PageViewRestriction, Site

from gazette.comments.choices import CommentStatus
from gazette.comments.models import CommentSettings, ReaderComment
from gazette.core.invalidation import add_cache_tags
from tests.factories import CityFactory, ContributorFactory, make_article, site_tree

pytestmark = pytest.mark.django_db

_fresh = itertools.count()


def _miss(client, url: str) -> str:
    """The page, rendered (a query string the page cache has not seen), as text."""
    response = client.get(f"{url}{'&' if '?' in url else '?'}miss={next(_fresh)}")
    assert response.status_code == 200
    return response.content.decode()


def _comment(page, n, status=CommentStatus.PUBLISHED):
    return ReaderComment.objects.create(article=page, author_name=f"Reader {n}", body=f"Comment {n}.", status=status)


def _thread_of_five(title, committed):
    """An article with five published comments, two to a page."""
    page = make_article(title=title, lead_image=False)
    with committed():
        rules = CommentSettings.for_site(Site.objects.get(is_default_site=True))
        rules.per_page = 2
        rules.save()
    for n in range(5):
        _comment(page, n)
    return page


def test_editing_an_article_rebuilds_its_text(client, committed):
    page = make_article(title="Bridge opens", lead_image=False)
    assert "Bridge opens" in _miss(client, page.url)
    with committed():
        page.title = "Bridge opens in May"
        page.save_revision().publish()
    html = _miss(client, page.url)
    assert "Bridge opens in May" in html and "<title>Bridge opens in May" in html


def test_comment_pages_and_notices_are_fragments_of_their_own(client, committed):
    page = _thread_of_five("Long thread", committed)
    for _ in range(2):  # built, then from the fragment
        first, second = _miss(client, page.url), _miss(client, page.url + "?comments_page=2")
        assert "Reader 0" in first and "Reader 2" not in first
        assert "Reader 2" in second and "Reader 0" not in second
    # A made-up page number shares the first page's fragment.
    assert "Reader 0" in _miss(client, page.url + "?comments_page=../../etc")
    assert "is held for a moderator" in _miss(client, page.url + "?comment=pending")
    assert "held for a moderator" not in _miss(client, page.url)
    assert "held for a moderator" not in _miss(client, page.url + "?comment=<script>")


def test_a_made_up_page_number_does_not_reach_the_shared_head(client):
    page = make_article(title="Paged story", lead_image=False)
    _miss(client, page.url + "?page=12345")  # a number too long for a key of its own: the first page's head
    html = _miss(client, page.url)
    assert f'rel="canonical" href="http://testserver{page.url}"' in html and "12345" not in html


def test_site_comment_rules_change_every_comments_section(client, committed):
    page = make_article(title="Rules change", lead_image=False)
    for n in range(3):
        _comment(page, n)
    assert "Reader 2" in _miss(client, page.url)
    with committed():
        rules = CommentSettings.for_site(Site.objects.get(is_default_site=True))
        rules.per_page = 1
        rules.save()
    html = _miss(client, page.url)
    assert "Reader 0" in html and "Reader 2" not in html


def test_contributor_rename_rebuilds_the_byline(client, committed):
    anna = ContributorFactory(name="Anna Petrova", slug="anna")
    page = make_article(title="Opera dome", authors=[anna], lead_image=False)
    assert "Anna Petrova" in _miss(client, page.url)
    with committed():
        anna.name = "Anna Sidorova"
        anna.save()
    html = _miss(client, page.url)
    assert "Anna Sidorova" in html and "Anna Petrova" not in html


def test_renaming_the_site_rebuilds_the_article_head(client, committed):
    page = make_article(title="Site renamed", lead_image=False)
    assert '"og:site_name" content="The Siberian Gazette"' in _miss(client, page.url)
    with committed():
        site = Site.objects.get(is_default_site=True)
        site.site_name = "The Tomsk Courier"
        site.save()
    html = _miss(client, page.url)
    assert '"og:site_name" content="The Tomsk Courier"' in html and "Siberian Gazette" not in html


@pytest.mark.parametrize("built_on", ["editions page", "front"])
def test_the_edition_selector_follows_a_city_rename_wherever_the_masthead_was_built(client, committed, built_on):
    city = CityFactory(name="Omsk", slug="omsk")
    page = make_article(title="Any story", lead_image=False)
    # Both pages declare ``cities`` before their masthead is rendered: its fragment still needs it.
    first, then = (reverse("cities:index"), page.url) if built_on == "editions page" else ("/", "/")
    _miss(client, first)
    assert ">Omsk</a>" in _miss(client, then)
    with committed():
        city.name = "Omsk City"
        city.save()
    assert ">Omsk City</a>" in _miss(client, then)


def test_a_restricted_page_keeps_nothing_in_any_cache(client, committed):
    page = make_article(title="Members only", lead_image=False)
    assert "Members only" in _miss(client, page.url)
    with committed():
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="secret")
    html = _miss(client, page.url)
    assert "Members only</h1>" not in html and 'name="password"' in html


def test_moving_a_section_under_a_restricted_one_covers_its_articles_at_once(client, committed):
    home, news, _privacy = site_tree()
    page = make_article(title="Moved story", lead_image=False)
    section = home.add_child(instance=type(news)(title="Members", slug="members"))
    with committed():
        PageViewRestriction.objects.create(page=section, restriction_type="password", password="secret")
    assert "Moved story" in _miss(client, page.url)
    with committed():
        news.move(section, pos="last-child")  # the article moves with its section
    page.refresh_from_db()
    html = _miss(client, page.url)
    assert "Moved story</h1>" not in html and 'name="password"' in html


def test_unpublishing_is_seen_though_the_route_is_remembered(client, committed):
    page = make_article(title="Short-lived", lead_image=False)
    _miss(client, page.url)
    _miss(client, page.url)  # the route is now remembered
    with committed():
        page.unpublish()
    assert client.get(f"{page.url}?miss={next(_fresh)}").status_code == 404


def test_deleting_is_seen_though_the_route_is_remembered(client, committed):
    page = make_article(title="Deleted soon", lead_image=False)
    _miss(client, page.url)
    _miss(client, page.url)
    url = page.url
    with committed():
        page.delete()
    assert client.get(f"{url}?miss={next(_fresh)}").status_code == 404


def test_moving_a_section_changes_its_articles_addresses_at_once(client, committed):
    home, news, _privacy = site_tree()
    page = make_article(title="Travelling story", lead_image=False)
    archive = home.add_child(instance=type(news)(title="Archive", slug="archive"))
    old_url = page.url
    _miss(client, old_url)
    _miss(client, old_url)
    lists = ["/", "/feed/rss/"]  # pages linking to the article, from the page cache
    for url in lists:
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT" and old_url in client.get(url).content.decode()
    with committed():
        news.move(archive, pos="last-child")
    page.refresh_from_db()
    assert page.url != old_url and "Travelling story" in _miss(client, page.url)
    old = client.get(f"{old_url}?miss={next(_fresh)}")
    assert old.status_code == 301 and old["Location"] == page.url  # Wagtail's redirect, not the old page
    for url in lists:  # they link to the new address, not through the redirect
        html = client.get(url).content.decode()
        assert page.url in html and old_url not in html.replace(page.url, "")  # (a suffix of the new)


def test_a_fragment_re_declares_its_tags_and_skips_previews(settings):
    settings.GAZETTE_FRAGMENT_CACHE = True
    template = Template('{% load gazette_tags %}{% fragment "t" key %}{{ value }}{% endfragment %}')
    rf = RequestFactory()

    def render(value, preview=False, tags=("article:1",)):
        request = rf.get("/")
        request.is_preview = preview
        add_cache_tags(request, *tags)
        html = template.render(Context({"request": request, "key": "k", "value": value}))
        return html, request.cache_tags

    assert render("first") == ("first", {"article:1"})
    html, tags = render("second", tags=())
    assert html == "first" and tags == {"article:1"}  # served with the tags it was built under
    assert render("draft", preview=True)[0] == "draft"
    assert render("untagged", tags=())[0] == "first"


def test_renaming_a_section_changes_its_articles_addresses_at_once(client, committed):
    _home, news, _privacy = site_tree()
    page = make_article(title="Renamed section story", lead_image=False)
    old_url = page.url
    client.get(old_url)
    assert client.get(old_url)["X-Cache"] == "HIT"
    news.refresh_from_db()
    with committed():
        news.slug = "stories"
        news.save_revision().publish()
    page.refresh_from_db()
    assert page.url == old_url.replace("/news/", "/stories/")
    html = _miss(client, page.url)
    assert f'rel="canonical" href="http://testserver{page.url}"' in html and old_url not in html
    response = client.get(old_url)  # not the old copy: Wagtail's redirect to the new address
    assert response.status_code == 301 and response["Location"] == page.url


def test_comments_closing_by_themselves_end_the_cached_article_then(client):
    """Comments close N days after publication with no event to purge the page: it expires then."""
    from datetime import UTC, datetime

    from freezegun import freeze_time

    page = make_article(title="Ferry timetable for May", published=datetime(2024, 5, 1, 8, tzinfo=UTC))
    rules = CommentSettings.for_site(Site.objects.get(is_default_site=True))
    rules.close_after_days = 3
    rules.save()
    with freeze_time("2024-05-04 07:00Z") as clock:  # an hour before they close
        response = client.get(page.url)
        assert "comments__frame" in response.content.decode()
        assert client.get(page.url)["X-Cache"] == "HIT"
        s_maxage = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
        assert 3590 <= s_maxage <= 3601
        clock.move_to("2024-05-04 08:00:02Z")
        response = client.get(page.url)
        html = response.content.decode()
        assert response["X-Cache"] == "MISS"
        assert "Comments close 3 days after an article is published." in html and "comments__frame" not in html
        # The article's text and comments fragment expired with it, not only the page.
        assert "comments__frame" not in _miss(client, page.url)


@pytest.mark.parametrize("number", ["99999", "%2B2", "%202", "1_0"])
def test_a_page_number_without_a_key_of_its_own_renders_the_first_page(client, committed, number):
    """What shares the first page's fragment must show the first page, or it poisons it."""
    page = _thread_of_five("Poisoned thread", committed)
    _miss(client, page.url + f"?comments_page={number}")
    html = _miss(client, page.url)
    assert "Reader 0" in html and "Reader 4" not in html
