"""An editor's day in the admin, in Chromium: write, save, be refused, fix, publish, schedule.

Each step checks what the editor sees on the screen (the slug filled in, the message beside the
byline, the story on the front page); the database is read only to confirm what was stored.
"""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from playwright.sync_api import expect

from gazette.articles.models import ArticlePage, Contributor
from tests.browser.conftest import screenshots
from tests.factories import CityFactory, ContributorFactory, ImageFactory, make_article, site_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "snow on the Ob river"
# How long a published story may take to reach the front page, a city front and the feed.
VISIBLE_WITHIN_MS = 2000


@pytest.fixture(autouse=True)
def _no_autosave(settings):
    """Drafts are saved with the Save draft button: the autosave's timing (it starts once the
    editor's scripts take their first look at the form) cannot be pinned down by a robot typing
    at once; tests/articles/test_editing.py posts what it sends."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


@pytest.fixture
def desk(live_server, django_user_model):
    home, news, _privacy = site_tree()
    django_user_model.objects.create_superuser("olga", "olga@example.org", PASSWORD)
    return {
        "news": news,
        "novosibirsk": CityFactory(name="Novosibirsk", slug="novosibirsk"),
        "elena": ContributorFactory(name="Elena Kuznetsova", slug="elena-kuznetsova"),
        "anna": ContributorFactory(name="Anna Petrova", slug="anna-petrova"),
        "picture": ImageFactory(title="The ice road at dawn", credit="Photo: Ivan Sokolov"),
    }


def log_in(page, live_server):
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.get_by_label("Username").fill("olga")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(settings.WAGTAIL_SITE_NAME)


def headline_box(page):
    return page.get_by_role("textbox", name="Headline*")


def new_article(page, live_server, news):
    page.goto(live_server.url + reverse("wagtailadmin_pages:add", args=("articles", "articlepage", news.pk)))
    expect(headline_box(page)).to_be_visible()
    page.wait_for_load_state("networkidle")  # the editor's scripts have started


def slug_shown(page) -> str:
    """What the Promote tab's slug field shows (the tab is opened and closed again)."""
    page.get_by_role("tab", name="Promote").click()
    slug = page.get_by_role("textbox", name="Slug")
    expect(slug).to_be_visible()
    value = slug.input_value()
    page.get_by_role("tab", name="Content").click()
    return value


def add_paragraph(page, text):
    body = page.locator("#panel-child-content-body-section")
    body.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").click()
    body.locator(".Draftail-Editor [contenteditable=true]").first.press_sequentially(text)
    # The rich-text editor writes its hidden input once the typing settles; a person pauses
    # before pressing Save, a robot must wait for it.
    value = page.locator("input[name='body-0-value']")
    expect(value).to_have_value(re.compile(re.escape(text.split()[0])), timeout=10_000)


def save_draft(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()


def publish(page, label="Publish"):
    page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()


def choose_contributor(page, row: int, name: str):
    page.locator(f"#inline_child_bylines-{row}").get_by_role("button", name="Choose contributor").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name=name).click()
    expect(modal).to_be_hidden()


def messages_say(page, text):
    """The admin's message bar shows ``text`` (its script shows it after the page has loaded,
    late on a busy machine)."""
    expect(page.get_by_text(text).first).to_be_visible(timeout=20_000)


def shows_within(page, url: str, text: str):
    """The text appears on the page at ``url`` within VISIBLE_WITHIN_MS, reloading until it does."""
    page.goto(url)
    deadline = timezone.now() + timedelta(milliseconds=VISIBLE_WITHIN_MS)
    while text not in page.content() and timezone.now() < deadline:
        page.wait_for_timeout(100)
        page.goto(url)
    assert text in page.content(), f"{text!r} not at {url}"


def test_editor_writes_is_refused_without_a_byline_then_publishes(live_server, page, desk):
    log_in(page, live_server)
    new_article(page, live_server, desk["news"])
    screenshots(page, "editor-article-new")

    # Only a headline and one paragraph: the slug follows the headline as she types.
    headline = "Ice road to Salekhard opens early"
    headline_box(page).press_sequentially(headline)
    add_paragraph(page, "The winter road across the Ob opened on Monday, a week early.")
    assert slug_shown(page) == "ice-road-to-salekhard-opens-early"
    save_draft(page)
    messages_say(page, f"Page '{headline}' created.")
    expect(page.locator("#panel-child-content-byline-section .error-message")).to_have_count(0)
    article = ArticlePage.objects.get(title=headline)
    assert article.slug == "ice-road-to-salekhard-opens-early" and not article.live
    screenshots(page, "editor-article-draft")

    # Publishing without an author is refused, and the reason stands beside the byline.
    publish(page)
    byline_error = page.locator("#panel-child-content-byline-section .error-message")
    expect(byline_error).to_contain_text("Add at least one author")
    messages_say(page, "The page could not be saved due to validation errors.")
    screenshots(page, "editor-refusal-byline")
    assert not ArticlePage.objects.get(pk=article.pk).live

    # Two authors, a credited picture and a city; a look at the preview; then publish.
    choose_contributor(page, 0, "Elena Kuznetsova")
    page.get_by_role("button", name="Add an author").click()
    choose_contributor(page, 1, "Anna Petrova")
    page.locator("#panel-child-content-lead_picture-section").get_by_role("button", name="Choose an image").click()
    page.locator(".modal-dialog").get_by_role("link", name="The ice road at dawn").click()
    expect(page.locator(".modal-dialog")).to_be_hidden()
    page.get_by_role("listbox", name="Cities").select_option(label="Novosibirsk")
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(headline)
    expect(preview.locator(".article__meta .byline")).to_have_text("By Elena Kuznetsova and Anna Petrova")
    screenshots(page, "editor-preview")
    page.get_by_role("button", name="Toggle preview").click()
    publish(page)
    messages_say(page, f"Page '{headline}' has been published.")
    screenshots(page, "editor-page-listing")

    shows_within(page, live_server.url + "/", headline)
    shows_within(page, live_server.url + reverse("cities:front", args=("novosibirsk",)), headline)
    shows_within(page, live_server.url + reverse("feeds:site-rss"), headline)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=headline).click()
    expect(page.locator(".article__meta .byline")).to_have_text("By Elena Kuznetsova and Anna Petrova")
    expect(page.locator("figure.figure--lead figcaption")).to_contain_text("Photo: Ivan Sokolov")
    assert page.dialogs == []


def test_editor_schedules_a_story_and_it_goes_live(live_server, page, desk):
    story = make_article(title="Ferries return to Tomsk", authors=[desk["elena"]], publish=False, live=False)
    log_in(page, live_server)
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=(story.pk,)))

    # A minute ahead, in the newsroom's time as the admin shows it.
    go_live = (timezone.now() + timedelta(minutes=2)).replace(second=0, microsecond=0)
    local = go_live.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m-%d %H:%M")
    page.get_by_role("button", name="Toggle status").click()
    page.get_by_role("button", name="Set schedule").click()
    dialog = page.locator("#schedule-publishing-dialog")
    dialog.get_by_label("Go live date/time").fill(local)
    picker = page.locator(".xdsoft_datetimepicker:visible")
    expect(picker).to_have_count(1)
    dialog.get_by_role("heading", name="Set publishing schedule").click()  # closes the date picker
    expect(picker).to_have_count(0)
    with page.expect_navigation():  # the schedule is saved with the draft
        dialog.get_by_role("button", name="Save schedule").click()
    publish(page, "Schedule to publish")
    messages_say(page, "has been scheduled for publishing")
    screenshots(page, "editor-scheduled")
    page.goto(live_server.url + "/")
    assert "Ferries return to Tomsk" not in page.content()

    # The scheduler's job (Wagtail's publish_scheduled) runs once the minute has passed.
    with freeze_time(go_live + timedelta(seconds=5)):
        call_command("publish_scheduled", verbosity=0)
    assert ArticlePage.objects.get(pk=story.pk).live
    shows_within(page, live_server.url + "/", "Ferries return to Tomsk")


@pytest.mark.search_index
def test_editor_gives_a_story_a_topic_and_a_reader_follows_it(live_server, page, desk):
    story = make_article(
        title="Ice road to Salekhard opens early",
        authors=[desk["elena"]],
        topics=["Roads"],
        published=timezone.now() - timedelta(days=2),
    )
    make_article(
        title="Winter road traffic counted",
        authors=[desk["anna"]],
        topics=["winter roads"],
        published=timezone.now() - timedelta(days=1),
    )
    log_in(page, live_server)
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=(story.pk,)))
    page.wait_for_load_state("networkidle")
    topics = page.locator("#panel-child-content-topics-section")
    expect(topics.locator(".tagit-label")).to_have_text(["Roads"])
    typed = topics.locator("ul.tagit input").first
    typed.press_sequentially("Winter roads")
    typed.press("Enter")
    expect(topics.locator(".tagit-label")).to_have_text(["Roads", re.compile("Winter roads")])
    screenshots(page, "editor-topics")
    publish(page)
    messages_say(page, f"Page '{story.title}' has been published.")

    # The reader sees the topics under the story, and one leads to every story on it.
    shows_within(page, live_server.url + story.url, "winter roads")  # the topic there already was
    expect(page.locator(".article__topics")).to_have_text("Topics: Roads winter roads")
    page.get_by_role("link", name="winter roads").click()
    expect(page.locator("h1")).to_have_text("Topic: winter roads")
    expect(page.locator(".search-hit__headline")).to_have_text(
        ["Winter road traffic counted", "Ice road to Salekhard opens early"]
    )
    screenshots(page, "reader-topic")
    page.get_by_role("link", name="Any topic").click()
    expect(page.locator("h1")).to_have_text("Search")


def test_cyrillic_headline_and_a_contributor_from_a_name(live_server, page, desk):
    log_in(page, live_server)
    new_article(page, live_server, desk["news"])
    headline_box(page).press_sequentially("Новосибирск встречает зиму")
    add_paragraph(page, "Snow fell on the city overnight.")
    assert slug_shown(page) == "novosibirsk-vstrechaet-zimu"
    save_draft(page)
    messages_say(page, "Page 'Новосибирск встречает зиму' created.")
    assert ArticlePage.objects.get(title="Новосибирск встречает зиму").slug == "novosibirsk-vstrechaet-zimu"

    page.goto(live_server.url + reverse("wagtailsnippets_articles_contributor:add"))
    page.get_by_role("textbox", name="Name*").press_sequentially("Maria Orlova")
    expect(page.get_by_role("textbox", name="Slug")).to_have_value("maria-orlova")
    screenshots(page, "editor-contributor-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").first.click()
    messages_say(page, "Contributor 'Maria Orlova' created.")
    screenshots(page, "editor-contributor-listing")
    assert Contributor.objects.get(name="Maria Orlova").slug == "maria-orlova"


def test_approving_from_the_dashboard_is_refused_with_the_reasons(live_server, page, desk, django_user_model):
    olga = django_user_model.objects.get(username="olga")
    story = make_article(title="Ice road closes", authors=[desk["elena"]], publish=False, live=False)
    story.save_revision(user=olga)
    story.get_workflow().start(story, olga)
    Contributor.objects.filter(pk=desk["elena"].pk).update(name="0")  # the byline lost its real name since

    log_in(page, live_server)
    review = page.locator("section", has_text="Awaiting your review")
    expect(review.get_by_text("Ice road closes")).to_be_visible()
    screenshots(page, "editor-dashboard-review")
    review.get_by_role("button", name="Actions").first.click()
    with page.expect_navigation():
        review.get_by_role("button", name="Approve", exact=True).first.click()
    messages_say(page, "'Ice road closes' cannot be published")
    expect(page.get_by_text("do not have permission")).to_have_count(0)
    screenshots(page, "editor-dashboard-approval-refused")
    assert not ArticlePage.objects.get(pk=story.pk).live
