"""Proofing Russian text: the Russian dictionary, misspelt Russian city names in their own case,
places in the gazetteer, and each alphabet judged only by its own dictionary."""

from dataclasses import replace
from pathlib import Path

import pytest

from gazette.editorial.checks import ArticleDraft, run_checks, warning_findings
from gazette.editorial.lexicon import WORD_RE
from tests.factories import CityFactory, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def russian_gazetteer(db):
    """Editions with their Russian names, as the seed command stores them."""
    return {
        "novosibirsk": CityFactory(name="Novosibirsk", slug="novosibirsk", name_ru="Новосибирск"),
        "tomsk": CityFactory(name="Tomsk", slug="tomsk", name_ru="Томск"),
        "omsk": CityFactory(name="Omsk", slug="omsk", name_ru="Омск"),
        "barnaul": CityFactory(name="Barnaul", slug="barnaul", name_ru="Барнаул"),
        "khanty": CityFactory(name="Khanty-Mansiysk", slug="khanty-mansiysk", name_ru="Ханты-Мансийск"),
    }


def _findings(*paragraphs, title="Новости Сибири"):
    body = [("paragraph", f"<p>{p}</p>") for p in paragraphs]
    page = make_article(title=title, body=body, publish=False)
    return {f.text: f for f in warning_findings(ArticleDraft.from_page(page))}


def test_correct_russian_news_text_has_no_findings(russian_gazetteer):
    found = _findings(
        "Первый снег выпал в Новосибирске в ночь на понедельник, сообщили синоптики.",
        "Из Томска и Омска в Барнаул отправили дополнительные автобусы; под Барнаулом расчистили трассу.",
        "В Ханты-Мансийске ёлку поставят на центральной площади, а в Тобольске откроют каток.",
    )
    assert found == {}


@pytest.mark.parametrize(
    ("misspelt", "right"),
    [
        ("Новосибрск", "Новосибирск"),
        ("Новосибрске", "Новосибирске"),
        ("Новосибрска", "Новосибирска"),
        ("Новосибрском", "Новосибирском"),
        ("Барнуалом", "Барнаулом"),
        ("Ханты-Мансийсе", "Ханты-Мансийске"),
    ],
)
def test_a_misspelt_russian_city_is_offered_in_the_same_case(russian_gazetteer, misspelt, right):
    found = _findings(f"Мэр прилетел вчера, и {misspelt} встретил его морозом.")
    assert found[misspelt].check == "place"
    assert found[misspelt].replacements == (right,)
    assert right in found[misspelt].message


def test_a_real_place_is_never_turned_into_another(russian_gazetteer):
    found = _findings(
        "Из Томска выехал поезд до Омска. Томском и Омском управляют разные губернаторы.",
        "В Тобольске и Тюмени, которых нет среди изданий сайта, тоже ждут снега.",
    )
    assert found == {}


def test_english_places_of_the_gazetteer_are_known_without_city_records(db):
    # No City rows at all (a site without the demo): the gazetteer still knows the places.
    found = _findings("Trains from Rubtsovsk and Biysk reached Tobolsk.", title="Winter trains")
    assert found == {}
    found = _findings("Trains from Rubtsovsk reached Tobolsk; the platfrom was icy.", title="Winter trains")
    assert set(found) == {"platfrom"}


def test_russian_misspellings_are_flagged_with_suggestions(russian_gazetteer):
    found = _findings("Синоптики обещают сильный морос и метель в выходные.")
    assert found["морос"].check == "spelling"
    assert "мороз" in found["морос"].replacements
    assert "Russian dictionary" in found["морос"].message


def test_run_together_russian_words_are_split(russian_gazetteer):
    found = _findings("Автобусы вернулись вгараж только к утру.")
    assert found["вгараж"].check == "run_together"
    assert found["вгараж"].replacements == ("в гараж",)


def test_english_checks_never_judge_cyrillic_and_russian_never_latin(russian_gazetteer):
    found = _findings(
        "Корреспондент The Siberian Times написал, что Новосибирск готовится к зиме.",
        "The mayor of Novosibirsk said the city is ready; в Томске тоже готовы.",
        title="Winter in Siberia",
    )
    assert found == {}
    found = _findings("Ice closed the rvier. Лёд сковал рвку.", title="Ice")
    assert set(found) == {"rvier", "рвку"}
    assert "British or American" in found["rvier"].message
    assert "Russian dictionary" in found["рвку"].message


def test_russian_place_check_runs_beside_the_blocking_checks(russian_gazetteer):
    page = make_article(title="Снег", body=[("paragraph", "<p>Снег в Новосибрске.</p>")], publish=False)
    found = run_checks(replace(ArticleDraft.from_page(page), headline=""))
    checks = {(f.check, f.text) for f in found}
    assert ("headline", "") in checks
    assert ("place", "Новосибрске") in checks


def test_correct_russian_news_gets_at_most_one_flag_per_thousand_words(russian_gazetteer):
    text = (Path(__file__).resolve().parent.parent / "fixtures" / "russian" / "news.txt").read_text(encoding="utf-8")
    words = len(WORD_RE.findall(text))
    assert words >= 2000
    found = _findings(*text.split("\n\n"))
    assert len(found) * 1000 / words <= 1, sorted(found)


def test_a_word_typed_in_two_alphabets_is_offered_in_one(russian_gazetteer):
    # "Томcк" and "пoезд" with a Latin c and o; "Barnаul" with a Cyrillic а.
    found = _findings("Томcк встретил пoезд.", "The train left Barnаul late.")
    assert found["Томcк"].check == "mixed_script"
    assert found["Томcк"].replacements == ("Томск",)
    assert found["пoезд"].replacements == ("поезд",)
    assert found["Barnаul"].replacements == ("Barnaul",)
