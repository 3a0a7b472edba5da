"""The reader-experience budget on a Russian site (``GAZETTE_LANGUAGE=ru``): the front page and
an article with comments, written in Russian, held to the English pages' bars. Lighthouse
(mobile): 100 in accessibility, best practices and SEO, at least 90 in performance; axe-core: no
violations; the Nu HTML checker: no errors.

The site is switched to Russian as settings make it (``LANGUAGE_CODE = "ru"``, the repository's
catalogue compiled for the run) for the whole module: the live server reads the settings on each
request. Two pages only, so the module adds about a minute.
"""

import io

import polib
import pytest
from django.test import override_settings

from bench.stack import lighthouse_failures, lighthouse_scores
from tests.budget.conftest import PERFORMANCE_FLOOR, Budget, _restore_migrated_data, measure, require_tools
from tests.i18n.conftest import CATALOGUE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = ["front", "article"]
COMMENT = "Спасибо за новость! У нас в Бердске лёд ещё стоит."


def _picture(**fields):
    """A picture as a newsroom publishes it, wider than the widest rendition (as the demo's are)."""
    from django.core.files.images import ImageFile

    from tests.factories import ImageFactory, _jpeg

    return ImageFactory(file=ImageFile(io.BytesIO(_jpeg(1600, 1000)), name="ledokhod.jpg"), **fields)


def _russian_content() -> str:
    """A Russian front page and article with a published comment; returns the article's path."""
    from wagtail.models import Site

    from gazette.comments.choices import CommentStatus
    from gazette.comments.models import ReaderComment
    from gazette.core.models import MastheadSettings
    from gazette.rates.parsers import parse_daily
    from gazette.rates.services import store_table
    from tests.factories import CityFactory, ContributorFactory, make_article, site_tree
    from tests.rates.conftest import daily

    home, _news, privacy = site_tree()
    home.title = "Сибирская газета"
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Сибирская газета"
    site.save()
    privacy.title = "Политика конфиденциальности"
    privacy.save_revision().publish()
    masthead = MastheadSettings.for_site(site)
    masthead.privacy_page = privacy
    masthead.save()
    store_table(parse_daily(daily("2024-03-28")), origin="test")
    tomsk = CityFactory(name="Томск", slug="tomsk")
    authors = [ContributorFactory(name="Анна Кузнецова"), ContributorFactory(name="Пётр Соколов")]
    make_article(
        title="В Северске открыли новую переправу",
        standfirst="Понтонный мост через Томь примет первые машины в понедельник.",
        authors=authors[1:],
        cities=[tomsk],
        lead_image=_picture(caption="Понтоны у берега.", credit="Иван Иванов", description="Понтоны на реке"),
    )
    article = make_article(
        title="Ледоход на Томи начался на неделю раньше",
        standfirst="Лёд тронулся у Коммунального моста в субботу утром.",
        body=[
            ("paragraph", "<p>Спасатели просят не выходить на лёд и не подходить к берегу.</p>"),
            ("paragraph", "<p>По словам гидрологов, вода поднимется ещё на полметра к среде.</p>"),
        ],
        authors=authors,
        cities=[tomsk],
        lead_image=_picture(caption="Лёд на Томи.", credit="Иван Иванов", description="Льдины на реке"),
    )
    ReaderComment.objects.create(
        article=article, author_name="Ирина", author_location="Бердск", body=COMMENT, status=CommentStatus.PUBLISHED
    )
    return article.url


@pytest.fixture(scope="module")
def russian_budget(django_db_setup, django_db_blocker, live_server, tmp_path_factory):
    from django.core.cache import cache
    from django.core.management import call_command

    require_tools()
    out = tmp_path_factory.mktemp("russian-budget")
    catalogue = out / "locale" / "ru" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    polib.pofile(str(CATALOGUE)).save_as_mofile(str(catalogue / "django.mo"))

    with override_settings(LANGUAGE_CODE="ru", LOCALE_PATHS=[str(out / "locale")]), django_db_blocker.unblock():
        _restore_migrated_data()
        article_path = _russian_content()
        cache.clear()  # no page or widget may come from an English run
        pages = {"front": "/", "article": article_path}
        result = Budget(live_server.url, pages, {}, COMMENT)
        measure(result, out, prefix="ru-")
        for name, html in result.html.items():
            assert '<html lang="ru">' in html, f"{pages[name]} is not served as Russian"
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        cache.clear()
    yield result
    with django_db_blocker.unblock():
        _restore_migrated_data()


@pytest.mark.parametrize("name", PAGES)
def test_lighthouse_scores_on_russian_pages(russian_budget, name):
    assert name not in russian_budget.lighthouse_errors, russian_budget.lighthouse_errors.get(name)
    report = russian_budget.lighthouse[name]
    scores = lighthouse_scores(report)
    failures = {
        category: lighthouse_failures(report, category)
        for category in ("accessibility", "best-practices", "seo")
        if scores[category] != 100
    }
    assert failures == {}, f"{name}: {scores}"
    assert scores["performance"] >= PERFORMANCE_FLOOR * 100, lighthouse_failures(report, "performance")


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations_on_russian_pages(russian_budget, name):
    assert russian_budget.axe[name] == []


@pytest.mark.parametrize("name", PAGES)
def test_nu_html_checker_finds_no_errors_on_russian_pages(russian_budget, name):
    assert russian_budget.vnu[name] == []


def test_the_russian_article_reads_with_javascript_off(russian_budget):
    seen = russian_budget.no_js
    assert seen["headline"] == "Ледоход на Томи начался на неделю раньше"
    assert seen["byline"] == "Авторы: Анна Кузнецова и Пётр Соколов"
    assert seen["body_visible"] and seen["comment_visible"]
    assert seen["scroll_width"] <= 320, "the article scrolls sideways at 320 px"
