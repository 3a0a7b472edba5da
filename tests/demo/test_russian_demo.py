"""The demo newsroom in the site's language: Russian stories on a Russian site (language ``ru``,
Russian bylines, captions, comments and section titles, clean under proofing, their cities found
in their text), the English ones unchanged on an English site, and either loaded idempotently."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from wagtail.images import get_image_model

from gazette.articles.models import ArticleIndexPage, ArticlePage, Contributor
from gazette.cities.services import article_text, find_cities
from gazette.comments.models import ReaderComment
from gazette.demo import content, content_ru
from gazette.demo.loader import load_demo
from gazette.editorial.checks import ArticleDraft, run_checks
from gazette.home.models import HomePage, StandardPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rendition_warming")]

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _load(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def _state():
    """What a second load must leave exactly as it was."""
    return (
        sorted(ArticlePage.objects.values_list("slug", "latest_revision_id", "language")),
        sorted(Contributor.objects.values_list("slug", "name")),
        sorted(get_image_model().objects.values_list("title", "caption", "credit")),
        sorted(ReaderComment.objects.values_list("external_id", "status")),
        sorted(ArticlePage.topics.through.objects.values_list("content_object__slug", "tag__name")),
        ArticleIndexPage.objects.count(),
        StandardPage.objects.count(),
        HomePage.objects.count(),
    )


def test_a_russian_site_loads_the_russian_newsroom_once(russian_site, client):
    _load()
    articles = ArticlePage.objects.live()
    assert sorted(a.slug for a in articles) == sorted(spec["slug"] for spec in content_ru.ARTICLES)
    assert {a.language for a in articles} == {"ru"}
    for article in articles:
        assert not LATIN_WORD.search(article.title + article.standfirst), article.title
    assert HomePage.objects.get().title == "Сибирская газета"
    assert ArticleIndexPage.objects.get().title == "Новости"
    assert StandardPage.objects.get(slug="privacy-policy").title == "Политика конфиденциальности"
    assert "Что мы храним" in StandardPage.objects.get(slug="privacy-policy").body
    assert not Contributor.objects.filter(slug__in=[c["slug"] for c in content.CONTRIBUTORS]).exists()

    train = ArticlePage.objects.get(slug="sekretnyi-poezd-1928-goda")
    assert [c.name for c in train.contributors] == ["Наталья Волкова", "Светлана Лебедева", "Ирина Мельникова"]
    html = client.get(train.url).content.decode()
    assert '<article class="article" lang="ru"' in html
    byline = re.search(r'<span class="byline">(.*?)</span>', html, re.S).group(1)
    assert "Наталья Волкова, Светлана Лебедева и Ирина Мельникова" in re.sub(r"<[^>]+>", "", byline)
    assert "Пассажирский поезд конца двадцатых годов на линии к востоку от Омска." in html
    assert "Привокзальная площадь Новониколаевска в двадцатые годы (вверху)." in html
    assert "Архив газеты" in html
    assert 'alt="Чёрный паровоз тянет четыре вагона по серой равнине"' in html
    assert "Где правильно?" in html and "Бабушка рассказывала про поезд" in html
    front = client.get("/").content.decode()
    assert "Сибирскими Афинами" in front
    assert "Купол новосибирского оперного театра снова серебряный" in front

    # Reader comments in Russian, a reply among them, and one held for a moderator.
    comments = ReaderComment.objects.all()
    assert sorted(c.external_id for c in comments) == sorted(f"demo-{c[1]}" for c in content_ru.COMMENTS)
    assert all(re.search("[а-яё]", c.body) for c in comments)
    assert ReaderComment.objects.get(external_id="demo-ru-train-3").parent.external_id == "demo-ru-train-2"
    held = ReaderComment.objects.pending().get()
    assert held.article.slug == "barnaulskie-pekari-vernuli-rzhanoi-khleb"
    assert held.reason_codes == " first_time links promotion spam "
    assert held.model_version
    promotion = next(r for r in held.reasons if r["code"] == "promotion")
    assert {"скидк", "заказ", "доставка"} <= set(promotion["signals"])

    before = _state()
    assert "ничего не изменилось" in _load()
    assert _state() == before


def test_the_russian_stories_pass_proofing_and_name_their_cities(russian_site):
    _load()
    findings, cities = {}, {}
    for article in ArticlePage.objects.all():
        found = run_checks(ArticleDraft.from_page(article))
        if found:
            findings[article.slug] = [(f.check, f.text, f.message) for f in found]
        named = {c.slug for c in find_cities(article_text(article))}
        if named != {c.slug for c in article.cities.all()}:
            cities[article.slug] = named
    assert findings == {}
    assert cities == {}


def test_an_english_site_keeps_the_english_newsroom():
    _load()
    articles = ArticlePage.objects.all()
    assert sorted((a.slug, a.title, a.standfirst) for a in articles) == sorted(
        (spec["slug"], spec["title"], spec["standfirst"]) for spec in content.ARTICLES
    )
    assert {a.language for a in articles} == {"en"}
    assert {a.slug: [t.name for t in a.topic_list] for a in articles} == {
        spec["slug"]: sorted(spec["topics"]) for spec in content.ARTICLES
    }
    assert HomePage.objects.get().title == "The Siberian Gazette"
    assert ArticleIndexPage.objects.get().title == "News"
    assert StandardPage.objects.get(slug="privacy-policy").title == "Privacy policy"
    assert sorted(get_image_model().objects.values_list("title", "caption")) == sorted(
        (p[0], p[4]) for p in content.PICTURES.values()
    )
    assert ReaderComment.objects.filter(external_id__startswith="demo-ru-").count() == 0
    assert ReaderComment.objects.count() == 5
    before = _state()
    _load()
    assert _state() == before


def test_a_language_without_a_newsroom_is_refused_before_anything_is_written(russian_site):
    with pytest.raises(CommandError, match="invalid choice"):
        _load("--language", "de")
    with translation.override("en"), pytest.raises(ValueError, match="no demo newsroom in “de”"):
        load_demo("de")
    with translation.override("ru"), pytest.raises(ValueError, match="Демонстрационной редакции на языке «de» нет"):
        load_demo("de")
    assert not ArticlePage.objects.exists() and not Contributor.objects.exists()
    assert not get_image_model().objects.exists()


def test_both_newsrooms_have_the_same_shape():
    assert len(content_ru.ARTICLES) == len(content.ARTICLES)
    assert len(content_ru.CONTRIBUTORS) == len(content.CONTRIBUTORS)
    assert [c["role"] for c in content_ru.CONTRIBUTORS] == [c["role"] for c in content.CONTRIBUTORS]
    assert content_ru.PICTURES.keys() == content.PICTURES.keys()
    # Same drawings: motif, palette and seed of every picture.
    assert {k: p[1:4] for k, p in content_ru.PICTURES.items()} == {k: p[1:4] for k, p in content.PICTURES.items()}
    for english, russian in zip(content.ARTICLES, content_ru.ARTICLES, strict=True):
        assert len(russian["authors"]) == len(english["authors"])
        assert russian["cities"] == english["cities"] and russian["lead"] == english["lead"]
        assert len(russian["topics"]) == len(english["topics"]) >= 1
        assert [item[0] for item in russian["body"]] == [item[0] for item in english["body"]]
    assert len(content_ru.COMMENTS) == len(content.COMMENTS)


def test_a_russian_site_names_its_cities_in_russian_and_quotes_in_guillemets(russian_site, client):
    _load()
    front = client.get("/").content.decode()
    assert "&laquo;" in front or "«" in front
    assert 'class="masthead__teaser"><a href="' in front and 'lang="ru"' in front
    assert "&lsquo;" not in front

    article = ArticlePage.objects.live().filter(cities__isnull=False).distinct().first()
    city = article.cities.first()
    assert city.name_ru and city.name_ru != city.name
    html = client.get(article.url).content.decode()
    assert f'<span class="tag">{city.name_ru}</span>' in html
    assert f'<span class="tag">{city.name}</span>' not in html
    city_front = client.get(city.get_absolute_url()).content.decode()
    assert f"<h1>{city.name_ru}</h1>" in city_front


def test_an_english_site_keeps_english_city_names_and_single_quotes(client):
    _load()
    front = client.get("/").content.decode()
    assert "&lsquo;" in front and "&laquo;" not in front
    article = ArticlePage.objects.live().filter(cities__isnull=False).distinct().first()
    city = article.cities.first()
    assert f'<span class="tag">{city.name}</span>' in client.get(article.url).content.decode()
