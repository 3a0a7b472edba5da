"""A Russian site shows readers no English of its own; an editor who chose Russian gets the
admin's Gazette screens in Russian. Pages are fetched through Django's test client and read as
a person does: the text, the alternative texts, the labels and the page's metadata."""

import re

import lxml.etree
import lxml.html
import pytest
from django.contrib.auth.models import Group
from wagtail.users.models import UserProfile

from gazette.comments.choices import CommentStatus
from gazette.comments.models import ReaderComment
from gazette.rates.parsers import parse_daily
from gazette.rates.services import store_table
from gazette.users.models import User
from tests.factories import CityFactory, ContributorFactory, ImageFactory, make_article
from tests.rates.conftest import daily

from .conftest import russian_site_tree

pytestmark = pytest.mark.django_db

SEEN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


def visible_text(content: bytes, xml=False) -> list[str]:
    """Every piece of text a person may read or hear on the page, one per element."""
    if xml:
        root = lxml.etree.fromstring(content)
        return [" ".join(t.split()) for t in root.itertext() if t.strip()]
    root = lxml.html.fromstring(content)
    for hidden in root.xpath("//script|//style|//template"):
        hidden.drop_tree()
    pieces = [" ".join(t.split()) for t in root.itertext() if t.strip()]
    for element in root.iter():
        for name in SEEN_ATTRIBUTES:
            if element.get(name):
                pieces.append(" ".join(element.get(name).split()))
    pieces += root.xpath("//meta[@name='description']/@content")
    return pieces


def english_left(pieces: list[str], english_of_catalogue) -> list[str]:
    phrases, words = english_of_catalogue
    text = " ".join(pieces)
    found = sorted(p for p in phrases if re.search(r"(?<![A-Za-z])" + re.escape(p) + r"(?![A-Za-z])", text))
    found += sorted(w for w in words if w in set(pieces))
    return found


@pytest.fixture
def russian_content(site):
    russian_site_tree()
    store_table(parse_daily(daily("2024-03-28")), origin="test")
    tomsk = CityFactory(name="Томск", slug="tomsk", region="Томская область")
    author = ContributorFactory(name="Анна Кузнецова", slug="anna-kuznetsova")
    second = ContributorFactory(name="Пётр Соколов", slug="pyotr-sokolov")
    picture = ImageFactory(
        title="Ледоход",
        caption="Лёд на Томи у Коммунального моста.",
        credit="Иван Иванов",
        description="Льдины на реке у моста",
    )
    article = make_article(
        title="Ледоход на Томи начался на неделю раньше",
        standfirst="Лёд тронулся у Коммунального моста в субботу утром.",
        body=[("paragraph", "<p>Спасатели просят не выходить на лёд.</p>")],
        authors=[author, second],
        cities=[tomsk],
        lead_image=picture,
    )
    ReaderComment.objects.create(
        article=article,
        author_name="Ирина",
        author_location="Северск",
        body="Спасибо за новость!",
        status=CommentStatus.PUBLISHED,
    )
    return {"article": article, "city": tomsk, "author": author}


def test_reader_pages_show_no_english_of_the_catalogue(client, russian_site, russian_content, english_of_catalogue):
    article = russian_content["article"]
    pages = {
        "front": "/",
        "city front": "/city/tomsk/",
        "city editions": "/cities/",
        "article with comments": article.url,
        "comment form": f"/comments/{article.pk}/form/",
        "search": "/search/?q=ледоход",
        "rates": "/rates/",
        "currency history": "/rates/USD/",
        "contributor": "/contributors/anna-kuznetsova/",
        "privacy policy": "/privacy-policy/",
        "page not found": "/no-such-page/",
    }
    leaks = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "page not found" else 200), name
        html = response.content.decode()
        assert '<html lang="ru">' in html, name
        left = english_left(visible_text(response.content), english_of_catalogue)
        if left:
            leaks[name] = left
    assert not leaks, leaks


def test_the_search_form_names_cities_as_the_masthead_does(client, russian_site, russian_content):
    CityFactory(name="Biysk", name_ru="Бийск", slug="biysk")
    for page in ("/", "/search/?q=ледоход"):
        shown = " ".join(visible_text(client.get(page).content))
        assert "Бийск" in shown and "Biysk" not in shown, page
    assert '<option value="biysk">Бийск</option>' in client.get("/search/").content.decode()


def test_russian_pages_read_as_russian(client, russian_site, russian_content):
    front = " ".join(visible_text(client.get("/").content))
    assert "Все города" in front and "Выберите город" in front
    assert re.search(r"(Понедельник|Вторник|Среда|Четверг|Пятница|Суббота|Воскресенье), \d{1,2} [а-я]+я \d{4}", front)
    page = " ".join(visible_text(client.get(russian_content["article"].url).content))
    assert "Авторы: Анна Кузнецова и Пётр Соколов" in page
    assert "Комментарии (1)" in page
    rates = " ".join(visible_text(client.get("/rates/").content))
    assert "Официальные курсы валют Банка России на 28 марта 2024" in rates
    assert "Доллар США" in rates


def test_feeds_say_russian(client, russian_site, russian_content, english_of_catalogue):
    for url in ("/feed/rss/", "/city/tomsk/feed/rss/", "/contributors/anna-kuznetsova/feed/rss/"):
        response = client.get(url)
        assert b"<language>ru</language>" in response.content, url
        assert not english_left(visible_text(response.content, xml=True), english_of_catalogue), url
    atom = client.get("/feed/atom/").content
    assert b'xml:lang="ru"' in atom


def test_article_metadata_names_russian(client, russian_site, russian_content):
    html = client.get(russian_content["article"].url).content.decode()
    assert '"inLanguage": "ru"' in html or '"inLanguage":"ru"' in html
    assert '<meta property="og:locale" content="ru_RU">' in html


@pytest.fixture
def russian_editor(db):
    """A moderator and editor who chose Russian for the admin in their account."""
    user = User.objects.create_superuser("redaktor", "redaktor@example.org", "pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "ru"
    profile.save()
    return user


def test_admin_screens_in_the_editors_russian(client, russian_catalogue, russian_content, russian_editor):
    """The site stays English (LANGUAGE_CODE en-gb); the editor's own choice makes the admin Russian."""
    # The admin shows the configured site name (GAZETTE_SITE_NAME): a name, not text to translate.
    russian_catalogue.WAGTAIL_SITE_NAME = "Сибирская газета"
    article = russian_content["article"]
    ReaderComment.objects.create(
        article=article, author_name="Олег", body="Когда откроют переправу?", status=CommentStatus.PENDING
    )
    client.force_login(russian_editor)
    phrases_words = _catalogue_english()
    screens = {
        "dashboard": "/admin/",
        "article edit": f"/admin/pages/{article.pk}/edit/",
        "moderation queue": "/admin/comments/",
        "rates status": "/admin/rates/status/",
    }
    leaks = {}
    for name, url in screens.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert 'lang="ru"' in response.content.decode()[:500], name
        left = english_left(visible_text(response.content), phrases_words)
        if left:
            leaks[name] = left
    assert not leaks, leaks
    # One comment's state is said of one comment: a reply names its parent's.
    ReaderComment.objects.create(
        article=article,
        author_name="Нина",
        body="Говорят, в мае.",
        parent=ReaderComment.objects.get(author_name="Ирина"),
        status=CommentStatus.PENDING,
    )
    queue = " ".join(visible_text(client.get("/admin/comments/").content))
    assert "Ждёт модерации" in queue and "Ждут модерации" in queue  # a comment's state; the tab
    assert re.search(r"В ответ на комментарий Ирина \(№\d+, Опубликован\)", queue)
    # The reader site is still English for readers.
    assert '<html lang="en-gb">' in client.get("/").content.decode()


def _catalogue_english():
    from .conftest import catalogue, english_fragments

    phrases, words = set(), set()
    for entry in catalogue():
        if entry.msgctxt and "format" in entry.msgctxt:
            continue
        p, w = english_fragments(entry)
        phrases |= p
        words |= w
    return phrases, words


def test_the_editors_add_buttons_read_as_russian(client, russian_catalogue, russian_content, russian_editor):
    """Wagtail's "Add %(label)s" would put the row's heading in the nominative ("Добавить Автор")."""
    client.force_login(russian_editor)
    page = client.get(f"/admin/pages/{russian_content['article'].pk}/edit/").content.decode()
    assert "Добавить автора" in page
    assert "Добавить Автор" not in page
