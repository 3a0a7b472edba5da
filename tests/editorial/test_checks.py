"""Each editorial check on purpose-written articles: what it finds and what it leaves alone."""

import pytest
from django.test import override_settings
from django.utils import translation

from gazette.editorial import lexicon
from gazette.editorial.checks import ArticleDraft, blocking_findings, run_checks, warning_findings
from gazette.editorial.models import DeskWord
from tests.editorial.conftest import TROUBLED_BODY
from tests.factories import ContributorFactory, ImageFactory, make_article

pytestmark = pytest.mark.django_db


def _by_text(findings):
    return {f.text: f for f in findings}


def test_troubled_story_gets_each_kind_of_warning(gazetteer, elena):
    page = make_article(title="The secret train", authors=[elena], body=TROUBLED_BODY, publish=False)
    found = _by_text(run_checks(ArticleDraft.from_page(page)))

    assert found["Banraul"].check == "place"
    assert found["Banraul"].replacements == ("Barnaul",)
    assert found["Novosibrisk"].check == "place"
    assert found["Novosibrisk"].replacements == ("Novosibirsk",)
    assert found["Stalinhad"].check == "run_together"
    assert found["Stalinhad"].replacements == ("Stalin had",)
    assert found["Polytechic"].check == "spelling"
    assert "Polytechnic" in found["Polytechic"].replacements
    assert found["Khanty-Mansyisk"].check == "consistency"
    assert found["Khanty-Mansyisk"].replacements == ("Khanty-Mansiysk",)
    assert "Body block 2 (paragraph)" in found["Khanty-Mansyisk"].where
    # Known names: the byline's contributor, the gazetteer's cities, dictionary words.
    for fine in ("Kuznetsova", "Khanty-Mansiysk", "Tomsk", "Omsk", "Moscow", "Institute", "police"):
        assert fine not in found
    # A story without a blocking problem: every finding is a warning.
    assert all(not f.is_blocking for f in found.values())


def test_a_clean_story_has_no_findings(gazetteer, elena):
    page = make_article(
        title="Ferry season ends early in Barnaul",
        authors=[elena],
        body=[
            (
                "paragraph",
                "<p>The last ferry crossed the river on Saturday, Kuznetsova writes from Tomsk; "
                "Khanty-Mansiysk’s film festival and Barnaul's market closed too.</p>",
            )
        ],
        publish=False,
    )
    assert run_checks(ArticleDraft.from_page(page)) == []


def test_misspelt_contributor_name_is_suggested_from_the_site(gazetteer, elena):
    page = make_article(
        authors=[elena], body=[("paragraph", "<p>Kuznetsva said the ice came early.</p>")], publish=False
    )
    found = _by_text(warning_findings(ArticleDraft.from_page(page)))
    assert found["Kuznetsva"].check == "spelling"
    assert found["Kuznetsva"].replacements[0] == "Kuznetsova"


def test_desk_word_list_silences_a_word(gazetteer, elena):
    page = make_article(
        authors=[elena], body=[("paragraph", "<p>Scientists in Akademka protested.</p>")], publish=False
    )
    assert "Akademka" in _by_text(warning_findings(ArticleDraft.from_page(page)))
    DeskWord.objects.create(word="akademka")
    assert "Akademka" not in _by_text(warning_findings(ArticleDraft.from_page(page)))


def test_close_names_that_are_all_right_are_not_a_consistency_problem(gazetteer, elena):
    igor = ContributorFactory(name="Igor Barnaev", slug="igor-barnaev")
    page = make_article(
        authors=[elena, igor],
        body=[
            (
                "paragraph",
                "<p>Trains from Tomsk and Omsk, and letters from Barnaul, met in Novosibirsk. "
                "Barnaev read them all.</p>",
            )
        ],
        publish=False,
    )
    assert warning_findings(ArticleDraft.from_page(page)) == []


def test_caption_naming_more_positions_than_pictures(gazetteer, elena):
    three = [ImageFactory(), ImageFactory(), ImageFactory()]
    page = make_article(
        authors=[elena],
        body=[
            ("image_group", {"images": three, "caption": "The square (top). The river (bottom).", "credit": ""}),
            ("image_group", {"images": three[:2], "caption": "The square (top). The river (bottom).", "credit": ""}),
        ],
        publish=False,
    )
    found = [f for f in warning_findings(ArticleDraft.from_page(page)) if f.check == "caption_positions"]
    assert len(found) == 1
    assert "names 2 positions ((top), (bottom)) but the group has 3 pictures" in found[0].message
    assert found[0].where == "Body block 1 (picture group caption)"


@override_settings(GAZETTE_HEADLINE_MAX=40, GAZETTE_STANDFIRST_MAX=60)
def test_headline_and_standfirst_longer_than_previews_show(gazetteer, elena):
    page = make_article(
        title="A headline that runs on well past what a listing shows",
        standfirst="Short enough.",
        authors=[elena],
        publish=False,
    )
    found = [f for f in warning_findings(ArticleDraft.from_page(page)) if f.check == "length"]
    assert [f.where for f in found] == ["Headline"]
    assert "has 54 characters" in found[0].message and "show 40" in found[0].message


def test_blocking_rules(gazetteer):
    ghost = ContributorFactory(name="Real Name", slug="ghost")
    ghost.name = "0"
    no_alt = ImageFactory(description="", credit="")
    uncredited = ImageFactory(credit="")
    draft = ArticleDraft(
        headline="  ",
        lead_image=no_alt,
        lead_credit="",
        body=make_article(
            body=[
                ("image", {"image": uncredited, "caption": "", "credit": ""}),
                ("image", {"image": uncredited, "caption": "", "credit": "Picture: the family archive"}),
                ("image_group", {"images": [ImageFactory(), uncredited], "caption": "Two (left, right)", "credit": ""}),
            ],
            publish=False,
        ).body,
        contributors=[ghost],
    )
    found = blocking_findings(draft)
    checks = [f.check for f in found]
    assert checks.count("headline") == 1
    assert checks.count("byline") == 1 and "'0' has no real name" in found[checks.index("byline")].message
    lead = [f.message for f in found if f.check == "lead_image"]
    assert any("no alt text" in m for m in lead) and any("no credit" in m for m in lead)
    body = [f for f in found if f.check == "body_image_credit"]
    assert [f.where for f in body] == ["Body block 1 (picture)", "Body block 3 (picture group)"]
    assert all(f.is_blocking and not f.dismissible for f in found)

    # The article's own lead credit stands in for the image's.
    draft.lead_credit = "Picture: the family archive"
    assert not any("no credit" in f.message for f in blocking_findings(draft) if f.check == "lead_image")
    assert blocking_findings(ArticleDraft(headline="Fine", contributors=[])) and not blocking_findings(
        ArticleDraft(headline="Fine", contributors=[ContributorFactory()])
    )


def test_a_missing_dictionary_reports_itself_and_the_rest_run(gazetteer, elena, tmp_path):
    page = make_article(authors=[elena], body=TROUBLED_BODY, publish=False)
    lexicon.reset_speller()
    try:
        with override_settings(GAZETTE_HUNSPELL_DICTIONARIES=[str(tmp_path / "xx_XX")]):
            found = warning_findings(ArticleDraft.from_page(page))
    finally:
        lexicon.reset_speller()
    unavailable = [f for f in found if f.check == "unavailable"]
    assert len(unavailable) == 1
    assert "spelling check could not run" in unavailable[0].message and "xx_XX.aff is missing" in unavailable[0].message
    assert {"Banraul", "Novosibrisk", "Khanty-Mansyisk"} <= {f.text for f in found}


def test_a_failing_gazetteer_reports_itself(elena, monkeypatch):
    def broken():
        raise RuntimeError("gazetteer table is locked")

    monkeypatch.setattr("gazette.editorial.checks.load_gazetteer", broken)
    page = make_article(authors=[elena], body=TROUBLED_BODY, publish=False)
    found = warning_findings(ArticleDraft.from_page(page))
    assert any(f.check == "unavailable" and "gazetteer table is locked" in f.message for f in found)
    assert any(f.text == "Stalinhad" for f in found)


def test_a_missing_dictionary_is_reported_in_the_editors_language(gazetteer, elena, tmp_path):
    """The failure is found once per process, then read by editors in either language."""
    page = make_article(authors=[elena], body=TROUBLED_BODY, publish=False)
    lexicon.reset_speller()
    try:
        with override_settings(GAZETTE_HUNSPELL_DICTIONARIES=[str(tmp_path / "xx_XX")]):
            with translation.override("en"):
                english = [f for f in warning_findings(ArticleDraft.from_page(page)) if f.check == "unavailable"]
            with translation.override("ru"):
                russian = [f for f in warning_findings(ArticleDraft.from_page(page)) if f.check == "unavailable"]
    finally:
        lexicon.reset_speller()
    assert "xx_XX.aff is missing" in english[0].message
    assert "xx_XX.aff" in russian[0].message
    assert "is missing" not in russian[0].message and "could not" not in russian[0].message
    assert "не найден" in russian[0].message
