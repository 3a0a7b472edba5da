import pytest

from tests.factories import CityFactory, ContributorFactory


@pytest.fixture
def gazetteer(db):
    """The cities the purpose-written articles below mention, with their other spellings."""
    return {
        "barnaul": CityFactory(name="Barnaul", slug="barnaul"),
        "novosibirsk": CityFactory(
            name="Novosibirsk", slug="novosibirsk", alternate_names="Novonikolayevsk\nNovo-Nikolaevsk"
        ),
        "khanty": CityFactory(
            name="Khanty-Mansiysk", slug="khanty-mansiysk", alternate_names="Khanty-Mansyisk\nOstyako-Vogulsk"
        ),
        "tomsk": CityFactory(name="Tomsk", slug="tomsk"),
        "omsk": CityFactory(name="Omsk", slug="omsk"),
    }


@pytest.fixture
def elena(db):
    return ContributorFactory(name="Elena Kuznetsova", slug="elena-kuznetsova")


# A story with the reference article's kinds of mistakes: a run-together word, misspelt cities,
# a misspelt institution and one city spelt two ways.
TROUBLED_BODY = [
    (
        "paragraph",
        "<p>In the winter of 1931 the secret police reached Banraul with orders from Moscow. "
        "Stalinhad signed them himself, Kuznetsova writes.</p>",
    ),
    (
        "paragraph",
        "<p>Students of the Tomsk Polytechic Institute were sent on to Khanty-Mansyisk; "
        'the <a href="https://example.org/Banraul">archive</a> in Khanty-Mansiysk still keeps their letters.</p>',
    ),
    ("quote", {"quote": "The train reached Novosibrisk at dawn and Omsk by night.", "attribution": "A guard"}),
]
