"""The publishing core: articles as a reader sees them, bylines, and the refusal to publish."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from gazette.articles.models import ArticlePage, Contributor
from gazette.articles.templatetags.articles_tags import byline, join_names
from gazette.core.templatetags.gazette_tags import masthead_date
from tests.factories import ContributorFactory, ImageFactory, make_article

pytestmark = pytest.mark.django_db


def test_join_names():
    assert join_names(["Anna"]) == "Anna"
    assert join_names(["Anna", "Igor"]) == "Anna and Igor"
    assert join_names(["Anna", "Igor", "Olga"]) == "Anna, Igor and Olga"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Anna Petrova"], "By Anna Petrova"),
        (["Anna Petrova", "Igor Vasiliev"], "By Anna Petrova and Igor Vasiliev"),
        (["Anna Petrova", "Igor Vasiliev", "Olga Belova"], "By Anna Petrova, Igor Vasiliev and Olga Belova"),
    ],
)
def test_byline_joins_names_and_links_each(names, expected):
    people = [ContributorFactory(name=n, slug=n.lower().replace(" ", "-")) for n in names]
    html = str(byline(people))
    text = html.replace("</a>", "")
    import re

    assert re.sub(r"<[^>]+>", "", text) == expected
    for person in people:
        assert f'href="/contributors/{person.slug}/"' in html


def test_byline_never_prints_placeholders():
    """The reference page printed 'By 0 and 0 and 0'; a placeholder name is never printed."""
    zero = Contributor(name="0", slug="zero")
    assert str(byline([zero, zero, zero])) == ""


def test_a_contributors_role_reads_in_the_active_language():
    editor = Contributor(name="Anna Petrova", slug="anna", role="editor")
    with translation.override("en"):
        assert editor.get_role_display() == "Editor"
    with translation.override("ru"):
        assert editor.get_role_display() == "Редактор"
    # A role no longer offered (left by an old import) shows as it was stored.
    assert Contributor(name="Anna Petrova", slug="anna", role="stringer").get_role_display() == "stringer"


def test_article_page_shows_what_a_reader_needs(client):
    authors = [
        ContributorFactory(name="Elena Kuznetsova", slug="elena"),
        ContributorFactory(name="Anna Petrova", slug="anna"),
        ContributorFactory(name="Maria Orlova", slug="maria"),
    ]
    top, bottom = (
        ImageFactory(credit="State Archive of the Omsk Region"),
        ImageFactory(credit="State Archive of the Omsk Region"),
    )
    page = make_article(
        title="The secret train of 1928",
        authors=authors,
        lead_image=ImageFactory(caption="The train east of Omsk.", credit="State Archives of the Novosibirsk region"),
        body=[
            ("paragraph", "<p>In the autumn of 1928 a special train left.</p>"),
            ("quote", {"quote": "The stations were emptied.", "attribution": "A historian"}),
            (
                "image_group",
                {"images": [top, bottom], "caption": "The square (top). The river (bottom).", "credit": ""},
            ),
        ],
        # 20:00 UTC on 15 October is 03:00 on 16 October in Novosibirsk.
        published=datetime(2014, 10, 15, 20, 0, tzinfo=UTC),
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="article__headline">The secret train of 1928</h1>' in html
    assert "Elena Kuznetsova</a>, <a" in html and "Anna Petrova</a> and <a" in html and "Maria Orlova</a>" in html
    assert '<time class="article__date" datetime="2014-10-16T03:00:00+07:00">16 October 2014</time>' in html
    figcaptions = html.split("<figcaption>")[1:]
    lead = figcaptions[0].split("</figcaption>")[0]
    assert "The train east of Omsk." in lead and "Picture: State Archives of the Novosibirsk region" in lead
    group = next(f for f in figcaptions if "(top)" in f).split("</figcaption>")[0]
    assert "The square (top). The river (bottom)." in group
    assert "Pictures: State Archive of the Omsk Region" in group
    assert 'loading="eager"' in html and 'type="image/webp"' in html and 'width="' in html


def test_a_deleted_picture_leaves_no_empty_figure_and_keeps_the_text(client):
    figure, document, grouped, kept = (ImageFactory(caption=f"Picture {i}.") for i in range(4))
    page = make_article(
        title="The archive opens",
        lead_image=False,
        body=[
            ("image", {"image": figure, "caption": "", "credit": ""}),
            (
                "document",
                {"image": document, "title": "The order", "transcription": "<p>Close the pier.</p>", "caption": ""},
            ),
            ("image_group", {"images": [grouped, kept], "caption": "Two views.", "credit": ""}),
        ],
    )
    for image in (figure, document, grouped):
        image.delete()
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Close the pier." in html and "Two views." in html
    assert html.count("<picture>") == 1  # the one picture left, in its group
    assert '<figure class="figure">' not in html and "figure--document" not in html
    assert "Picture 0." not in html and "Picture 1." not in html


def test_front_page_lists_latest_stories_paginated(client, site):
    older = make_article(title="Older story", published=datetime(2016, 4, 12, 8, tzinfo=UTC))
    newer = make_article(title="Newer story", published=datetime(2024, 2, 20, 8, tzinfo=UTC))
    for i in range(10):
        make_article(title=f"Filler {i}", published=datetime(2020, 1, 1 + i, tzinfo=UTC))
    html = client.get("/").content.decode()
    assert html.index("Newer story") < html.index("Filler 9") < html.index("Filler 1")
    assert "Older story" not in html  # eleventh and twelfth are on page 2
    assert "20 February 2024" in html and newer.bylines.first().contributor.name in html
    page2 = client.get("/?page=2").content.decode()
    assert "Older story" in page2
    assert older.standfirst in page2


def test_contributor_page_lists_their_articles(client):
    anna = ContributorFactory(name="Anna Petrova", slug="anna-petrova", bio="Covers city hall.")
    make_article(title="Opera dome repainted", authors=[anna])
    make_article(title="Somebody else's story")
    html = client.get(reverse("articles:contributor", kwargs={"slug": "anna-petrova"})).content.decode()
    assert "Anna Petrova" in html and "Covers city hall." in html
    assert "Opera dome repainted" in html and "Somebody else" not in html


@freeze_time("2024-02-25T20:30:00Z")
def test_masthead_date_is_today_in_the_site_zone(client, site):
    assert masthead_date() == "Monday, Feb 26 2024"
    assert "Monday, Feb 26 2024" in client.get("/").content.decode()


def _article_post(title, contributors, action):
    data = nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "standfirst": "A standfirst.",
            "lead_caption": "",
            "lead_credit": "",
            "body": streamfield([("paragraph", rich_text("<p>Text.</p>"))]),
            "bylines": inline_formset([{"contributor": c.pk} for c in contributors], min=1),
            "comment_settings": inline_formset([]),
            "comment_notifications": "",
        }
    )
    data[action] = "1"
    return data


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")


def test_publishing_without_a_byline_is_refused(client, editor, site):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", site["news"].pk))
    response = client.post(url, _article_post("No byline here", [], "action-publish"))
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(title="No byline here", live=True).exists()
    assert "The page could not be created due to validation errors" in response.content.decode()

    # A draft without a byline may be saved: the reporter is still writing.
    response = client.post(url, _article_post("Draft without byline", [], "action-save"))
    assert response.status_code == 302
    assert ArticlePage.objects.get(title="Draft without byline").live is False


def test_publishing_with_an_unnamed_contributor_is_refused(client, editor, site):
    ghost = ContributorFactory(name="Real Name", slug="ghost")
    Contributor.objects.filter(pk=ghost.pk).update(name="0")  # as an old import left it
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", site["news"].pk))
    response = client.post(url, _article_post("Ghost byline", [ghost], "action-publish"))
    assert response.status_code == 200
    assert "has no real name" in response.content.decode()
    assert not ArticlePage.objects.filter(title="Ghost byline").exists()


def test_publishing_with_a_byline_succeeds(client, editor, site):
    anna = ContributorFactory(name="Anna Petrova", slug="anna")
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", site["news"].pk))
    response = client.post(url, _article_post("Proper story", [anna], "action-publish"))
    assert response.status_code == 302, response.content.decode()[-3000:]
    page = ArticlePage.objects.get(title="Proper story")
    assert page.live and page.contributors == [anna]


def test_contributor_name_must_be_a_real_name():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Contributor(name="0", slug="zero").full_clean()
    Contributor(name="Igor Vasiliev", slug="igor").full_clean()


def test_updated_date_shown_only_when_republished_later(client):
    page = make_article(title="Story", published=datetime(2020, 5, 1, tzinfo=UTC))
    assert "Updated" not in client.get(page.url).content.decode()
    page.standfirst = "A corrected standfirst."
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.updated_at is not None
    assert "Updated" in client.get(page.url).content.decode()
