"""In Chromium, on a Russian site: a reader reads the front page and an article with its
comments in Russian, and sends a comment in Russian through the form."""

import pytest
from wagtail.models import Site

from gazette.comments.choices import CommentStatus
from gazette.comments.models import ReaderComment
from gazette.core.models import MastheadSettings
from tests.browser.conftest import axe_violations, screenshots
from tests.comments.conftest import ensure_migrated_data
from tests.factories import CityFactory, ContributorFactory, ImageFactory, make_article, site_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def russian_live_site(settings, tmp_path):
    import polib

    from tests.i18n.conftest import CATALOGUE

    target = tmp_path / "locale" / "ru" / "LC_MESSAGES"
    target.mkdir(parents=True)
    polib.pofile(str(CATALOGUE)).save_as_mofile(str(target / "django.mo"))
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]
    settings.LANGUAGE_CODE = "ru"
    return settings


def test_a_reader_reads_and_comments_in_russian(russian_live_site, live_server, page):
    ensure_migrated_data()
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
    tomsk = CityFactory(name="Томск", slug="tomsk")
    article = make_article(
        title="Ледоход на Томи начался на неделю раньше",
        standfirst="Лёд тронулся у Коммунального моста в субботу утром.",
        body=[("paragraph", "<p>Спасатели просят не выходить на лёд и не подходить к берегу.</p>")],
        authors=[ContributorFactory(name="Анна Кузнецова"), ContributorFactory(name="Пётр Соколов")],
        cities=[tomsk],
        lead_image=ImageFactory(caption="Лёд на Томи.", credit="Иван Иванов", description="Льдины на реке"),
    )
    ReaderComment.objects.create(
        article=article,
        author_name="Ольга",
        author_location="Северск",
        body="Вчера ещё стоял лёд.",
        status=CommentStatus.PUBLISHED,
    )

    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator(".editions summary").inner_text() == "Выберите город"
    date = page.locator(".masthead__date").inner_text()
    assert date.split(",")[0] in {"Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"}
    assert page.locator(".card__meta .byline").first.inner_text() == "Авторы: Анна Кузнецова и Пётр Соколов"
    assert page.locator(".rates-widget h2").inner_text() == "Официальные курсы иностранных валют Банка России"
    screenshots(page, "russian-front")
    assert axe_violations(page) == []

    page.goto(live_server.url + article.url)
    assert page.locator("#comments-heading").inner_text() == "Комментарии (1)"
    assert page.locator("li.comment .comment__author").inner_text() == "Ольга"
    frame = page.frame_locator("iframe[title='Оставьте комментарий']")
    frame.get_by_label("Имя*").fill("Ирина")
    frame.get_by_label("Откуда вы").fill("Бердск")
    frame.get_by_label("Комментарий*").fill("Спасибо за новость! У нас в Бердске лёд ещё стоит.")
    frame.get_by_label("Контрольный код*").fill("tests-pass")
    screenshots(page, "russian-article-form")
    frame.get_by_role("button", name="Отправить комментарий").click()
    page.wait_for_url("**?comment=pending#comments")
    assert page.locator(".comments__notice").inner_text() == (
        "Спасибо: ваш комментарий ждёт модератора. Он не появится, пока модератор его не одобрит."
    )
    stored = ReaderComment.objects.get(author_name="Ирина")
    assert stored.body == "Спасибо за новость! У нас в Бердске лёд ещё стоит."
    assert stored.author_location == "Бердск"
    screenshots(page, "russian-article-sent")
    assert axe_violations(page) == []
    assert page.dialogs == []
