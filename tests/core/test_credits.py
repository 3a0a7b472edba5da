"""The one rule that writes picture credits, and the figures, groups and lead pictures using it."""

import pytest

from gazette.images.credits import combined_credit, credit_line, credit_name, has_prefix
from tests.factories import ImageFactory, make_article

TYPED_PREFIXES = [
    "Photo: Ivan Petrov",
    "Photo by Ivan Petrov",
    "Picture by Ivan Petrov",
    "Pictures: Ivan Petrov",
    "Credit: Ivan Petrov",
    "Фото: Иван Петров",
    "photo: Ivan Petrov",
    "PHOTO BY Ivan Petrov",
    "picture BY Ivan Petrov",
    "CREDIT: Ivan Petrov",
    "фото: Иван Петров",
    "ФОТО: Иван Петров",
]


@pytest.mark.parametrize("typed", TYPED_PREFIXES)
def test_a_credit_with_its_own_prefix_is_shown_as_typed(typed):
    assert has_prefix(typed)
    assert credit_line(typed) == typed
    assert credit_line(typed, pictures=3) == typed
    assert credit_name(typed) in ("Ivan Petrov", "Иван Петров")


def test_one_picture_gets_picture_and_a_group_gets_pictures():
    assert credit_line("State Archives of the Altai region") == "Picture: State Archives of the Altai region"
    assert credit_line("State Archives of the Altai region", pictures=2) == (
        "Pictures: State Archives of the Altai region"
    )
    assert credit_line("  ") == credit_line("") == ""


@pytest.mark.parametrize("name", ["Images of Siberia Ltd", "Photo-Archive of Tomsk", "Photographer's Guild", "Ivan"])
def test_a_name_that_only_begins_like_a_prefix_gets_one(name):
    assert not has_prefix(name)
    assert credit_line(name) == f"Picture: {name}"
    assert credit_name(name) == name


def test_a_group_made_of_its_pictures_credits_names_each_holder_once_without_prefixes():
    assert combined_credit(["Photo: TASS", "TASS", "Фото: РИА", "", "Reuters"]) == "TASS; РИА; Reuters"


def _captions(html: str) -> list[str]:
    return [part.split("</figcaption>")[0] for part in html.split("<figcaption>")[1:]]


@pytest.mark.django_db
def test_pages_write_credits_by_the_one_rule(client):
    typed, plain = ImageFactory(credit="Photo by Anna Orlova"), ImageFactory(credit="Omsk Museum")
    page = make_article(
        lead_image=ImageFactory(caption="Lead.", credit="Фото: Иван Петров"),
        body=[
            ("image", {"image": plain, "caption": "One.", "credit": ""}),
            ("image", {"image": plain, "caption": "Typed.", "credit": "Credit: the family archive"}),
            ("image_group", {"images": [typed, plain], "caption": "Group.", "credit": ""}),
            ("image_group", {"images": [plain, plain], "caption": "Own.", "credit": "Pictures: TASS"}),
        ],
    )
    html = client.get(page.url).content.decode()
    captions = {c.split("</span>")[0].removeprefix('<span class="caption">'): c for c in _captions(html)}
    assert '<span class="credit">Фото: Иван Петров</span>' in captions["Lead."]
    assert '<span class="credit">Picture: Omsk Museum</span>' in captions["One."]
    assert '<span class="credit">Credit: the family archive</span>' in captions["Typed."]
    assert '<span class="credit">Pictures: Anna Orlova; Omsk Museum</span>' in captions["Group."]
    assert '<span class="credit">Pictures: TASS</span>' in captions["Own."]
    assert "Picture: Photo" not in html and "Pictures: Pictures" not in html and "Picture: Фото" not in html
