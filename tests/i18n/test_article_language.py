"""Each article has a language (a new one starts in the site's); a quotation may have its own."""

import json
import re

import pytest

from gazette.articles.choices import site_language
from gazette.articles.models import ArticlePage
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def _json_ld_languages(html: str) -> list[str]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    found = []
    for block in blocks:
        data = json.loads(block)
        for item in data.get("@graph", [data]):
            if "inLanguage" in item:
                found.append(item["inLanguage"])
    return found


def test_a_new_article_is_in_the_sites_language(settings, site):
    assert ArticlePage().language == "en"
    settings.LANGUAGE_CODE = "ru"
    assert site_language() == "ru"
    assert ArticlePage().language == "ru"


def test_a_russian_story_on_an_english_site_is_marked_russian(client, site):
    article = make_article(
        title="Ледоход на Томи",
        language="ru",
        body=[
            ("paragraph", "<p>Лёд тронулся у Коммунального моста.</p>"),
            ("quote", {"quote": "The ice went early this year.", "attribution": "A visitor", "language": "en"}),
        ],
    )
    html = client.get(article.url).content.decode()
    assert '<html lang="en-gb">' in html
    assert '<article class="article" lang="ru">' in html
    assert '<figure class="quote" lang="en">' in html
    assert _json_ld_languages(html) == ["ru"]


def test_a_quote_in_the_articles_language_carries_no_lang_of_its_own(client, site):
    article = make_article(body=[("quote", {"quote": "We waited all winter.", "attribution": "A ferryman"})])
    html = client.get(article.url).content.decode()
    assert '<article class="article" lang="en">' in html
    assert '<figure class="quote">' in html
    assert _json_ld_languages(html) == ["en"]
