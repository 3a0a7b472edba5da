"""Cities named in Russian text, in any grammatical case, and the Russian names the seed stores."""

import json
from pathlib import Path

import pytest

from gazette.cities.models import City, CitySuggestion
from gazette.cities.services import RUSSIAN_NAMES, find_cities, seed_cities, update_suggestions
from tests.factories import CityFactory, make_article

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "russian" / "city_sentences.json"


@pytest.fixture
def ru_cities(db):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return {c["slug"]: CityFactory(slug=c["slug"], name=c["name"], name_ru=c["name_ru"]) for c in data["cities"]}


def _slugs(text: str) -> list[str]:
    return sorted(c.slug for c in find_cities(text))


@pytest.mark.parametrize(
    ("text", "slugs"),
    [
        ("Новосибирск встретил первый снег.", ["novosibirsk"]),
        ("Делегация из Новосибирска прибыла на форум.", ["novosibirsk"]),
        ("Губернатор вручил Новосибирску знамя.", ["novosibirsk"]),
        ("Академгородок связан с Новосибирском автобусом.", ["novosibirsk"]),
        ("В Новосибирске открылся мост.", ["novosibirsk"]),
        ("Из Томска выехал поезд.", ["tomsk"]),
        ("Под Барнаулом нашли стоянку древних людей.", ["barnaul"]),
        ("В Ханты-Мансийске завершился фестиваль.", ["khanty-mansiysk"]),
        ("Омск и Томск часто путают.", ["omsk", "tomsk"]),
        ("Жители Омска спорят с жителями Томска.", ["omsk", "tomsk"]),
        ("Trains from Novosibirsk reached Barnaul on time.", ["barnaul", "novosibirsk"]),
    ],
)
def test_a_city_is_found_in_any_case(ru_cities, text, slugs):
    assert _slugs(text) == slugs


@pytest.mark.parametrize(
    "text",
    [
        "Археологи раскопали курган скифской эпохи.",  # a common word, lower case
        "Курган насыпали над могилой вождя.",  # the common word at a sentence's start
        "Молоко разлили в стеклянную тару.",
        "Стороны подписали мирный договор.",
        "Улица Куйбышева перекрыта.",  # a street named after the person
        "Валериан Куйбышев был революционером.",  # the person, by his first name
        "Куйбышев Валериан Владимирович был революционером.",
        "Томская область граничит с Омской.",  # the regions, not the cities
    ],
)
def test_words_and_people_with_a_citys_name_are_not_the_city(ru_cities, text):
    assert _slugs(text) == []


@pytest.mark.parametrize(
    ("text", "slugs"),
    [
        ("В Кургане открыли больницу.", ["kurgan"]),
        ("Город Тара основан в 1594 году.", ["tara"]),
        ("Алмазы добывают в Мирном.", ["mirny"]),
        ("Дорога из Куйбышева в Барнаул отремонтирована.", ["barnaul", "kuybyshev"]),
    ],
)
def test_a_city_that_is_also_a_word_is_found_where_it_names_the_city(ru_cities, text, slugs):
    assert _slugs(text) == slugs


def test_precision_and_recall_on_the_written_sentences(ru_cities):
    sentences = json.loads(FIXTURE.read_text(encoding="utf-8"))["sentences"]
    assert len(sentences) >= 60
    tp = fp = fn = 0
    for sentence in sentences:
        found, expected = set(_slugs(sentence["text"])), set(sentence["cities"])
        tp, fp, fn = tp + len(found & expected), fp + len(found - expected), fn + len(expected - found)
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn) >= 0.95


def test_seeding_stores_the_russian_names(site):
    seed_cities()
    novosibirsk = City.objects.get(geonames_id=1496747)
    assert novosibirsk.name_ru == "Новосибирск"
    assert City.objects.get(slug="narym").name_ru == "Нарым"
    assert set(City.objects.exclude(geonames_id=None).values_list("name_ru", flat=True)) == set(RUSSIAN_NAMES.values())


def test_reseeding_keeps_an_editors_russian_name(site):
    seed_cities()
    City.objects.filter(geonames_id=1496153).update(name_ru="Омск-на-Иртыше")
    seed_cities()
    assert City.objects.get(geonames_id=1496153).name_ru == "Омск-на-Иртыше"


def test_a_russian_article_gets_suggestions(ru_cities, site):
    page = make_article(
        title="Зима пришла в Сибирь",
        body=[("paragraph", "<p>Под Барнаулом замело трассу, а из Томска не вылетели самолёты.</p>")],
        publish=False,
    )
    pending = update_suggestions(page)
    assert sorted(s.city.slug for s in pending) == ["barnaul", "tomsk"]
    assert CitySuggestion.objects.filter(page=page, city__slug="omsk").count() == 0
