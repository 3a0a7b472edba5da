"""One date style per kind of place, as readers see it on the pages."""

import re
from datetime import UTC, date, datetime

import pytest
from freezegun import freeze_time

from gazette.comments.models import ReaderComment
from gazette.core import dates
from gazette.rates.parsers import parse_daily
from gazette.rates.services import store_table
from tests.factories import make_article
from tests.rates.conftest import daily

pytestmark = pytest.mark.django_db

# 20:00 UTC on 15 October 2014 is 03:00 on 16 October in Novosibirsk, the site's time zone.
PUBLISHED = datetime(2014, 10, 15, 20, 0, tzinfo=UTC)


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_the_styles():
    assert dates.long_date(PUBLISHED) == "16 October 2014"
    assert dates.long_date(date(2024, 3, 2)) == "2 March 2024"
    assert dates.timestamp(datetime(2016, 10, 21, 22, 13, tzinfo=UTC)) == "22/10/2016 05:13"
    assert dates.timestamp(datetime(2016, 10, 22, 10, 5, tzinfo=UTC)) == "22/10/2016 17:05"  # 24-hour
    assert dates.iso_datetime(PUBLISHED) == "2014-10-16T03:00:00+07:00"
    assert dates.iso_date(PUBLISHED) == "2014-10-16"
    assert dates.long_date(None) == dates.timestamp(None) == dates.iso_date(None) == ""


@freeze_time("2024-02-25T20:30:00Z")
def test_masthead_shows_the_long_weekday_date_of_today_in_the_site_zone(client, site):
    html = client.get("/").content.decode()
    assert '<time datetime="2024-02-26">Monday, Feb 26 2024</time>' in html


@pytest.mark.search_index
def test_dateline_listings_and_comment_times(client, site):
    article = make_article(title="The secret train of 1928", published=PUBLISHED)
    ReaderComment.objects.create(
        article=article,
        author_name="Irina",
        body="I remember it.",
        status="published",
        created_at=datetime(2016, 10, 21, 22, 13, tzinfo=UTC),
    )
    page = client.get(article.url).content.decode()
    assert '<time class="article__date" datetime="2014-10-16T03:00:00+07:00">16 October 2014</time>' in page
    assert ">22/10/2016 05:13</time>" in page
    for listing in ("/", "/news/", "/search/?q=secret+train"):
        html = client.get(listing).content.decode()
        assert '<time datetime="2014-10-16T03:00:00+07:00">16 October 2014</time>' in html, listing


def test_feeds_keep_their_standard_formats(client, site):
    make_article(title="The secret train of 1928", published=PUBLISHED)
    rss = client.get("/feed/rss/").content.decode()
    atom = client.get("/feed/atom/").content.decode()
    assert "<pubDate>Thu, 16 Oct 2014 03:00:00 +0700</pubDate>" in rss  # RFC 822
    assert "<published>2014-10-16T03:00:00+07:00</published>" in atom  # RFC 3339


@freeze_time("2024-03-28T09:30:00Z")
def test_rates_pages_use_the_long_date_and_the_timestamp(client, site):
    store_table(parse_daily(daily("2024-03-28")), origin="test")
    store_table(parse_daily(daily("2023-11-02")), origin="test")
    table = words(client.get("/rates/").content.decode())
    assert "The Bank of Russia official exchange rates on 28 March 2024" in table
    assert "Previous table: 2 November 2023" in table
    assert "Fetched 28/03/2024 16:30." in table  # 09:30 UTC in Novosibirsk
    front = client.get("/").content.decode()
    assert '<time datetime="2024-03-28">28 March 2024</time>' in front
    assert "Change since 2 November 2023." in words(front)
    history = words(client.get("/rates/USD/").content.decode())
    assert "28 March 2024 1 92.5919" in history
    assert not re.search(r"\b\d\d\.\d\d\.\d{4}\b", table + front + history)
