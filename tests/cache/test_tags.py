"""Cache tags: built by ``gazette.core.tags`` only, and exactly the ones a page depends on."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from gazette.core import tags
from tests.factories import CityFactory, ContributorFactory, make_article

GAZETTE = Path(__file__).resolve().parents[2] / "gazette"
KEYED = ("page", "article", "city", "contributor")
PLAIN = ("front", "feeds", "sitemaps", "rates", "cities", "masthead", "comment-settings", "sites")
# A keyed tag spelt out ("article:", f"city:{...}"), or a plain one handed to a tag function.
_KEYED = "|".join(KEYED)
_PLAIN = "|".join(PLAIN)
SPELT_KEYED = re.compile(rf"""["']({_KEYED}):""")
SPELT_PLAIN = re.compile(rf"""(add_cache_tags|purge_tags|cached_fragment|store_fragment)\([^)]*["']({_PLAIN})["']""")
SPELT_IN_SET = re.compile(rf"""\{{\s*["']({_PLAIN})["']\s*[,}}]""")  # a set, not a dict key


# In a template, tags come from an expression (``tags=settings.core.MastheadSettings.cache_tags``).
SPELT_IN_TEMPLATE = re.compile(r"""\{%\s*fragment[^%]*tags=["']""")


def test_no_tag_is_spelt_outside_the_tag_module():
    found = []
    for path in sorted(GAZETTE.rglob("*.py")):
        if path == GAZETTE / "core" / "tags.py":
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (SPELT_KEYED, SPELT_PLAIN, SPELT_IN_SET):
            found.extend(f"{path.relative_to(GAZETTE)}: {m.group(0)}" for m in pattern.finditer(text))
    for path in sorted(GAZETTE.rglob("*.html")):
        found.extend(f"{path.relative_to(GAZETTE)}: {m.group(0)}" for m in SPELT_IN_TEMPLATE.finditer(path.read_text()))
    assert found == []


def test_the_check_above_finds_a_tag_spelt_by_hand():
    # The patterns, held against lines as they were written before the tag module existed.
    assert SPELT_KEYED.search('add_cache_tags(request, f"contributor:{contributor.pk}")')
    assert SPELT_PLAIN.search('add_cache_tags(request, "front", "cities")')
    assert SPELT_IN_SET.search('purge_tags({"rates"})')
    assert SPELT_IN_TEMPLATE.search('{% fragment "masthead" edition.slug tags="masthead sites" shared %}')
    assert not SPELT_IN_SET.search('render(request, "cities/city_index.html", {"cities": cities})')


def test_tags_are_words_a_frontend_cache_header_accepts():
    assert tags.article(12) == "article:12"
    assert tags.city("omsk-city") == "city:omsk-city"
    assert tags.comment_settings() == "comment-settings"
    for bad in ("", "omsk city", "omsk|tomsk", "омск", "a.*"):
        with pytest.raises(ValueError):
            tags.city(bad)


@pytest.mark.django_db
def test_an_article_carries_exactly_the_tags_that_change_it(client):
    omsk = CityFactory(name="Omsk")
    anna = ContributorFactory(name="Anna Petrova", slug="anna")
    page = make_article(title="Bridge repairs", cities=[omsk], authors=[anna], lead_image=False)
    response = client.get(page.url)
    assert response["X-Cache"] == "MISS"
    assert set(response["xkey"].split()) == {
        tags.page(page.pk),
        tags.article(page.pk),
        tags.masthead(),
        tags.sites(),
        tags.cities(),
        tags.rates(),
        tags.comment_settings(),
    }


@pytest.mark.django_db
def test_a_city_front_and_a_contributor_page_carry_their_own_tags(client):
    omsk = CityFactory(name="Omsk")
    anna = ContributorFactory(name="Anna Petrova", slug="anna")
    make_article(title="Bridge repairs", cities=[omsk], authors=[anna], lead_image=False)
    city_front = set(client.get(reverse("cities:front", kwargs={"slug": "omsk"}))["xkey"].split())
    assert {tags.city("omsk"), tags.cities()} <= city_front
    assert tags.front() not in city_front
    contributor = set(client.get(reverse("articles:contributor", kwargs={"slug": "anna"}))["xkey"].split())
    assert tags.contributor(anna.pk) in contributor
    assert not {t for t in contributor if t.startswith("city:")}
