"""``load_demo`` counts what it made in the reader's language, with the right plural form:
English's two, Russian's three (1 and 21 take one form, 2 another, 5 a third)."""

import pytest
from django.utils import translation

from gazette.demo.management.commands.load_demo import summary

COUNTS = (1, 2, 5, 21)


@pytest.mark.parametrize(
    ("kind", "english", "russian"),
    [
        (
            "users",
            ["1 user", "2 users", "5 users", "21 users"],
            ["1 пользователь", "2 пользователя", "5 пользователей", "21 пользователь"],
        ),
        (
            "articles",
            ["1 article", "2 articles", "5 articles", "21 articles"],
            ["1 статья", "2 статьи", "5 статей", "21 статья"],
        ),
        (
            "pictures",
            ["1 picture", "2 pictures", "5 pictures", "21 pictures"],
            ["1 снимок", "2 снимка", "5 снимков", "21 снимок"],
        ),
        (
            "exchange-rate tables",
            ["1 exchange-rate table", "2 exchange-rate tables", "5 exchange-rate tables", "21 exchange-rate tables"],
            ["1 таблица курсов валют", "2 таблицы курсов валют", "5 таблиц курсов валют", "21 таблица курсов валют"],
        ),
    ],
)
def test_counts_take_each_languages_plural_forms(russian_catalogue, kind, english, russian):
    with translation.override("en"):
        assert [summary({kind: n}) for n in COUNTS] == english
    with translation.override("ru"):
        assert [summary({kind: n}) for n in COUNTS] == russian


def test_the_summary_lists_what_was_made_and_leaves_out_what_was_not(russian_catalogue):
    made = {"pages": 2, "articles": 0, "users": 1, "cities": 5, "contributors": 21, "comments": 3}
    with translation.override("en"):
        assert summary(made) == "2 pages, 1 user, 5 cities, 21 contributors, 3 comments"
    with translation.override("ru"):
        assert summary(made) == "2 страницы, 1 пользователь, 5 городов, 21 автор, 3 комментария"
