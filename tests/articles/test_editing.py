"""The editors' forms through Django's test client: slugs filled on the server, drafts saved
with anything missing, and publishing refused (now, scheduled, on workflow approval) with the
message on the field that blocks it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.blocks import StreamBlockValidationError
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from gazette.articles.models import ArticlePage, Contributor
from gazette.cities.models import City
from gazette.core.slugs import slug_from_title, unique_slug
from gazette.home.models import StandardPage
from tests.factories import CityFactory, ContributorFactory, ImageFactory, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(user)
    return user


@pytest.fixture
def elena(db):
    return ContributorFactory(name="Elena Kuznetsova", slug="elena-kuznetsova")


def article_data(title, action, *, slug="", bylines=None, lead_image=None, lead_credit="", body=None, **extra):
    """What the article editor posts. ``bylines`` are rows as the admin sends them (an
    untouched 'Author 1' row is ``{"contributor": ""}`` with its ORDER, like the browser's)."""
    rows = bylines if bylines is not None else [{"contributor": ""}]
    for number, row in enumerate(rows, start=1):
        row.setdefault("id", "")
        row.setdefault("ORDER", str(number))
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "standfirst": "",
            "lead_image": lead_image.pk if lead_image else "",
            "lead_caption": "",
            "lead_credit": lead_credit,
            "body": streamfield(body or [("paragraph", rich_text("<p>The ice road opened.</p>"))]),
            "bylines": inline_formset(rows, min=1),
            "comment_settings": inline_formset([]),
            "comment_notifications": "",
            **extra,
        }
    )
    if action:
        data[action] = "1"
    return data


def add_url(site):
    return reverse("wagtailadmin_pages:add", args=("articles", "articlepage", site["news"].pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


# --- slugs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Новосибирск", "novosibirsk"),
        ("Хабаровск, Щучье и Берёзовский", "khabarovsk-shchuche-i-berezovskiy"),  # as the browser makes it
        ("Объявление: ice road — open!", "obyavlenie-ice-road-open"),
        ("Ханты-Мансийск", "khanty-mansiysk"),
        ("!!!", ""),
    ],
)
def test_titles_become_latin_slugs(title, slug):
    assert slug_from_title(title) == slug


def test_a_taken_slug_gets_the_first_free_suffix():
    taken = {"ferry", "ferry-2"}
    assert unique_slug("ferry", taken.__contains__) == "ferry-3"
    assert unique_slug("boat", taken.__contains__) == "boat"
    assert unique_slug("a" * 10, {"a" * 10}.__contains__, max_length=10) == "a" * 8 + "-2"


def test_contributor_and_city_slugs_are_made_from_the_name_and_never_clash(db):
    anna = Contributor.objects.create(name="Anna Petrova")
    assert anna.slug == "anna-petrova"
    again = Contributor(name="Anna Petrova")
    again.full_clean()
    again.save()
    assert again.slug == "anna-petrova-2"
    assert Contributor.objects.create(name="Анна Петрова").slug == "anna-petrova-3"
    anna.name = "Anna Petrova-Sidorova"
    anna.save()
    assert Contributor.objects.get(pk=anna.pk).slug == "anna-petrova"  # a public address stays

    CityFactory(name="Omsk", slug="omsk")
    assert City.objects.create(name="Омск").slug == "omsk-2"
    typed = City(name="Tara", slug="omsk")  # an editor typed a slug in use
    typed.full_clean()
    assert typed.slug == "omsk-3"


def test_contributor_added_in_the_admin_with_only_a_name(client, editor):
    ContributorFactory(name="Maria Orlova", slug="maria-orlova")
    response = client.post(
        reverse("wagtailsnippets_articles_contributor:add"),
        {"name": "Maria Orlova", "slug": "", "role": "reporter", "bio": "", "photo": ""},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Contributor.objects.filter(name="Maria Orlova").order_by("pk").last().slug == "maria-orlova-2"
    form = client.get(reverse("wagtailsnippets_articles_contributor:add")).content.decode()
    assert 'data-w-slug-formatters-value="' in form and 'data-w-sync-target-value="#id_slug"' in form


def test_article_slug_from_a_cyrillic_headline_and_a_sibling_clash(client, editor, site, elena):
    response = client.post(add_url(site), article_data("Новосибирск встречает зиму", "action-save"))
    assert response.status_code == 302
    assert ArticlePage.objects.get(title="Новосибирск встречает зиму").slug == "novosibirsk-vstrechaet-zimu"

    make_article(title="Ferry season ends", slug="ferry-season-ends", authors=[elena])
    response = client.post(
        add_url(site),
        article_data(
            "Ferry season ends", "action-publish", slug="ferry-season-ends", bylines=[{"contributor": elena.pk}]
        ),
    )
    assert response.status_code == 302
    assert ArticlePage.objects.filter(title="Ferry season ends", live=True).count() == 2
    assert ArticlePage.objects.order_by("pk").last().slug == "ferry-season-ends-2"


def test_standard_page_slug_filled_on_the_server(client, editor, site):
    url = reverse("wagtailadmin_pages:add", args=("home", "standardpage", site["home"].pk))
    data = nested_form_data({"title": "О газете", "slug": "", "body": rich_text("<p>About us.</p>")})
    data["action-publish"] = "1"
    assert client.post(url, data).status_code == 302
    assert StandardPage.objects.get(title="О газете").slug == "o-gazete"


# --- drafts --------------------------------------------------------------------------------


def test_a_draft_saves_with_no_author_no_standfirst_and_an_untouched_author_row(client, editor, site):
    response = client.post(add_url(site), article_data("Ice road opens", "action-save"))
    assert response.status_code == 302
    page = ArticlePage.objects.get(title="Ice road opens")
    assert not page.live and page.slug == "ice-road-opens" and page.standfirst == ""
    assert not page.bylines.exists()


def test_an_author_chosen_after_an_autosave_is_kept(client, editor, site, elena):
    """The autosave counts the untouched row as saved (INITIAL_FORMS 1, no id); choosing a
    contributor in it later must still save the byline."""
    page = make_article(title="Ice road", authors=[], publish=False, live=False)
    data = article_data("Ice road", "action-save", slug=page.slug, bylines=[{"contributor": elena.pk}])
    data["bylines-INITIAL_FORMS"] = "1"
    assert client.post(edit_url(page), data).status_code == 302
    assert ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().contributors == [elena]


# --- publishing refused --------------------------------------------------------------------


def byline_errors(response):
    return [str(e) for e in response.context["form"].formsets["bylines"].non_form_errors()]


def test_publishing_without_a_byline_is_refused_beside_the_byline(client, editor, site):
    response = client.post(add_url(site), article_data("No byline", "action-publish"))
    assert response.status_code == 200
    assert byline_errors(response) == [
        "Add at least one author: choose a contributor under 'Byline' before publishing."
    ]
    assert "Add at least one author" in response.content.decode()
    assert not ArticlePage.objects.filter(title="No byline").exists()


def test_scheduling_without_a_byline_is_refused_the_same_way(client, editor, site):
    page = make_article(title="Later story", authors=[], publish=False, live=False)
    go_live = (timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    response = client.post(
        edit_url(page), article_data("Later story", "action-publish", slug=page.slug, go_live_at=go_live)
    )
    assert response.status_code == 200
    assert byline_errors(response) and "Add at least one author" in byline_errors(response)[0]
    assert not page.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_a_contributor_without_a_real_name_is_refused_beside_the_byline(client, editor, site):
    ghost = ContributorFactory(name="Real Name", slug="ghost")
    Contributor.objects.filter(pk=ghost.pk).update(name="0")  # as an old import left it
    response = client.post(add_url(site), article_data("Ghost", "action-publish", bylines=[{"contributor": ghost.pk}]))
    assert response.status_code == 200
    assert byline_errors(response) == [
        "Contributor '0' has no real name: give them one under Snippets > Contributors, or remove them from the byline."
    ]


def test_pictures_without_a_credit_are_refused_beside_their_credit(client, editor, site, elena):
    lead, figure = ImageFactory(credit=""), ImageFactory(credit="")
    body = [
        ("paragraph", rich_text("<p>Text.</p>")),
        ("image", {"image": figure.pk, "caption": "The station.", "credit": ""}),
    ]
    data = article_data("Pictures", "action-publish", bylines=[{"contributor": elena.pk}], lead_image=lead, body=body)
    response = client.post(add_url(site), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["lead_credit"] == [
        f"The lead picture '{lead.title}' has no credit: fill in 'Lead credit' or the image's own credit."
    ]
    stream_error = errors.as_data()["body"][0]
    assert isinstance(stream_error, StreamBlockValidationError)
    credit = stream_error.block_errors[1].block_errors["credit"]
    assert credit.messages == [
        f"The picture '{figure.title}' in body block 2 has no credit: "
        "fill in the block's credit or the image's own credit."
    ]
    assert "lead_image" not in errors and "bylines" not in errors

    # The same story is kept as a draft, pictures and all.
    data = article_data("Pictures", "action-save", bylines=[{"contributor": elena.pk}], lead_image=lead, body=body)
    assert client.post(add_url(site), data).status_code == 302


# --- workflow approval ---------------------------------------------------------------------


def in_moderation(page, user):
    page.save_revision(user=user)
    workflow = page.get_workflow()
    assert workflow is not None, "the default 'Moderators approval' workflow covers the site"
    workflow.start(page, user)
    return page.current_workflow_task_state


def test_approving_in_the_editor_is_refused_beside_the_byline(client, editor, site, elena):
    page = make_article(title="For approval", authors=[elena], publish=False, live=False)
    in_moderation(page, editor)
    data = article_data(
        "For approval", None, slug=page.slug, bylines=[{"contributor": ""}], **{"workflow-action-name": "approve"}
    )
    data["action-workflow-action"] = "1"
    response = client.post(edit_url(page), data)
    assert response.status_code == 200
    assert "Add at least one author" in byline_errors(response)[0]
    assert not ArticlePage.objects.get(pk=page.pk).live

    # Asking for changes publishes nothing, so nothing is refused.
    data["workflow-action-name"] = "reject"
    assert client.post(edit_url(page), data).status_code == 302


def test_approving_from_the_dashboard_is_refused_and_changes_nothing(client, editor, site, elena):
    page = make_article(title="Approved elsewhere", authors=[elena], publish=False, live=False)
    task_state = in_moderation(page, editor)
    Contributor.objects.filter(pk=elena.pk).update(name="0")  # the byline lost its name since
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    # Refused with the reasons, not Wagtail's generic "no permission"; the task is still waiting
    # for a moderator and the page is not live.
    response = client.post(url, follow=True)
    assert response.redirect_chain[0] == (reverse("wagtailadmin_home"), 302)
    shown = [str(m) for m in response.context["messages"]]
    assert any("'Approved elsewhere' cannot be published" in m and "real name" in m for m in shown), shown
    assert not any("do not have permission" in m for m in shown), shown
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert WorkflowState.objects.get(pk=task_state.workflow_state_id).status == WorkflowState.STATUS_IN_PROGRESS
    assert not ArticlePage.objects.get(pk=page.pk).live

    Contributor.objects.filter(pk=elena.pk).update(name="Elena Kuznetsova")
    assert client.post(url).status_code == 302
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_APPROVED
    assert ArticlePage.objects.get(pk=page.pk).live


def test_approving_in_the_dashboards_dialog_goes_back_with_the_reasons(client, editor, site, elena):
    page = make_article(title="Approved in a dialog", authors=[elena], publish=False, live=False)
    task_state = in_moderation(page, editor)
    Contributor.objects.filter(pk=elena.pk).update(name="0")
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    dashboard = "http://testserver" + reverse("wagtailadmin_home")
    response = client.post(url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest", "referer": dashboard})
    assert response.status_code == 200
    assert response.json() == {"step": "success", "redirect": dashboard}
    shown = [str(m) for m in client.get(reverse("wagtailadmin_home")).context["messages"]]
    assert any("'Approved in a dialog' cannot be published" in m for m in shown), shown
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert not ArticlePage.objects.get(pk=page.pk).live


def test_the_refusal_itself_names_the_reasons(db, elena, django_user_model):
    from gazette.articles.models import PublishRefused

    user = django_user_model.objects.create_superuser("mod", "mod@example.org", "pw")
    page = make_article(
        title="Direct approval", authors=[elena], lead_image=ImageFactory(credit=""), publish=False, live=False
    )
    task_state = in_moderation(page, user)
    with pytest.raises(PublishRefused, match="'Direct approval' cannot be published: The lead picture"):
        task_state.task.specific.on_action(task_state, user, "approve")
    assert not ArticlePage.objects.get(pk=page.pk).live


def test_city_added_in_the_admin_with_only_a_name(client, editor):
    CityFactory(name="Omsk", slug="omsk")
    response = client.post(
        reverse("wagtailsnippets_cities_city:add"),
        {
            "name": "Омск-на-Иртыше",
            "slug": "",
            "region": "",
            "sort_order": "0",
            "is_active": "on",
            "alternate_names": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert City.objects.get(name="Омск-на-Иртыше").slug == "omsk-na-irtyshe"


def test_a_draft_needs_only_its_headline(client, editor, site):
    data = article_data("Just a headline", "action-save")
    data["body-count"] = "0"
    assert client.post(add_url(site), data).status_code == 302
    assert ArticlePage.objects.get(title="Just a headline").slug == "just-a-headline"


def test_bulk_publish_from_the_listing_is_refused_for_a_failing_article(client, editor, site, elena):
    fine = make_article(title="Fine story", authors=[elena], publish=False, live=False)
    bare = make_article(title="No byline story", authors=[], publish=False, live=False)
    for page in (fine, bare):
        page.save_revision(user=editor)
    listing = reverse("wagtailadmin_explore", args=(site["news"].pk,))
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    query = f"?id={fine.pk}&id={bare.pk}&next={listing}"
    response = client.post(url + query, {"include_descendants": ""}, follow=True)
    assert "&#x27;No byline story&#x27; cannot be published: Add at least one author" in response.content.decode()
    assert not ArticlePage.objects.filter(live=True, pk__in=[fine.pk, bare.pk]).exists()

    response = client.post(url + f"?id={fine.pk}&next={listing}", {"include_descendants": ""})
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=fine.pk).live


def test_an_autosave_with_an_untouched_author_row_succeeds(client, editor, site):
    page = make_article(title="Ice road", authors=[], publish=False, live=False)
    data = article_data("Ice road", None, slug=page.slug)
    response = client.post(edit_url(page), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["success"] is True
    assert response.json()["field_updates"] == {"bylines-INITIAL_FORMS": "1"}
