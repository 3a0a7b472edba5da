"""Each newsroom role signs in and tries what every role may do: what it may do works, the rest is
refused (403, or Wagtail's redirect to the dashboard) and changes nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from gazette.articles.models import ArticlePage
from gazette.comments.choices import CommentStatus
from gazette.comments.identity import commenter_key
from gazette.comments.models import ReaderComment
from gazette.core.models import MastheadSettings
from gazette.users.models import SignInLockout
from tests.factories import ContributorFactory, make_article

pytestmark = pytest.mark.django_db
ROLES = ("Reporters", "Editors", "Moderators", "Administrators")
ADMIN_HOME = "/admin/"


def refused(response) -> bool:
    """Wagtail answers a refusal with 403, or with a redirect to the dashboard and a message."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == ADMIN_HOME)


@pytest.fixture
def users(django_user_model):
    made = {}
    for role in ROLES:
        user = django_user_model.objects.create_user(role.lower(), f"{role.lower()}@example.org", "a long passphrase")
        user.groups.add(Group.objects.get(name=role))
        made[role] = user
    return made


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def author(site):
    return ContributorFactory(name="Elena Kuznetsova", slug="elena-kuznetsova")


def story_data(title, action, author, slug=""):
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "standfirst": "",
            "lead_image": "",
            "lead_caption": "",
            "lead_credit": "",
            "body": streamfield([("paragraph", rich_text("<p>The ice road opened.</p>"))]),
            "bylines": inline_formset([{"contributor": author.pk, "id": "", "ORDER": "1"}], min=1),
            "comment_settings": inline_formset([]),
            "comment_notifications": "",
        }
    )
    if action:
        data[action] = "1"
    return data


def add_story(client, site, title, action, author):
    url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", site["news"].pk))
    return client.post(url, story_data(title, action, author))


def edit(client, page, action, author, title=None):
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    return client.post(url, story_data(title or page.title, action, author, slug=page.slug))


def draft_by(user, title="A draft"):
    page = make_article(title=title, publish=False, live=False, owner=user)
    page.save_revision(user=user)
    return page


# --- stories --------------------------------------------------------------------------------


def test_a_reporter_writes_a_draft_and_submits_it_for_an_editors_review(users, site, author):
    reporter = client_for(users["Reporters"])
    assert add_story(reporter, site, "Ice road opens", "action-submit", author).status_code == 302
    story = ArticlePage.objects.get(title="Ice road opens")
    assert not story.live and story.owner == users["Reporters"]
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(story.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.workflow.name == "Editor review"
    task_state = state.current_task_state
    assert list(task_state.task.specific.groups.values_list("name", flat=True)) == ["Editors"]

    # The reporter cannot approve their own story; an editor can, and it goes live.
    approve = reverse("wagtailadmin_pages:workflow_action", args=(story.pk, "approve", task_state.pk))
    assert refused(reporter.post(approve))
    assert not ArticlePage.objects.get(pk=story.pk).live
    assert client_for(users["Editors"]).post(approve).status_code == 302
    assert ArticlePage.objects.get(pk=story.pk).live


@pytest.mark.parametrize(("role", "allowed"), [("Reporters", False), ("Editors", True), ("Administrators", True)])
def test_publishing_is_for_editors_and_administrators(users, site, author, role, allowed):
    client = client_for(users[role])
    add_story(client, site, f"Published by {role}", "action-publish", author)
    story = ArticlePage.objects.get(title=f"Published by {role}")
    assert story.live is allowed


@pytest.mark.parametrize(("role", "allowed"), [("Reporters", False), ("Editors", True), ("Administrators", True)])
def test_scheduling_is_for_editors_and_administrators(users, site, author, role, allowed):
    client = client_for(users[role])
    story = make_article(title=f"Scheduled by {role}", authors=[], publish=False, live=False, owner=users[role])
    data = story_data(story.title, "action-publish", author, slug=story.slug)
    data["go_live_at"] = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    client.post(reverse("wagtailadmin_pages:edit", args=(story.pk,)), data)
    scheduled = story.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert scheduled is allowed
    assert not ArticlePage.objects.get(pk=story.pk).live


def test_a_moderator_cannot_write_or_edit_stories(users, site, author):
    moderator = client_for(users["Moderators"])
    assert refused(add_story(moderator, site, "By a moderator", "action-publish", author))
    assert not ArticlePage.objects.filter(title="By a moderator").exists()
    story = make_article(title="Someone's story")
    assert refused(moderator.get(reverse("wagtailadmin_pages:edit", args=(story.pk,))))
    assert refused(edit(moderator, story, "action-publish", author, title="Changed"))
    assert ArticlePage.objects.get(pk=story.pk).title == "Someone's story"


@pytest.mark.parametrize(("role", "allowed"), [("Reporters", False), ("Editors", True), ("Administrators", True)])
def test_editing_another_reporters_story(users, site, author, role, allowed):
    story = draft_by(users["Reporters"] if role != "Reporters" else users["Editors"], title="Someone else's")
    response = edit(client_for(users[role]), story, "action-save", author, title="Rewritten")
    latest = Page.objects.get(pk=story.pk).get_latest_revision_as_object()
    if allowed:
        assert response.status_code == 302 and latest.title == "Rewritten"
    else:
        assert refused(response) and latest.title == "Someone else's"


def test_a_reporter_edits_their_own_draft(users, site, author):
    story = draft_by(users["Reporters"], title="Mine")
    assert edit(client_for(users["Reporters"]), story, "action-save", author, title="Mine, better").status_code == 302
    assert Page.objects.get(pk=story.pk).get_latest_revision_as_object().title == "Mine, better"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("Reporters", False), ("Moderators", False), ("Editors", True), ("Administrators", True)],
)
def test_unpublishing_is_for_editors_and_administrators(users, site, role, allowed):
    story = make_article(title="Live story")
    response = client_for(users[role]).post(reverse("wagtailadmin_pages:unpublish", args=(story.pk,)))
    assert ArticlePage.objects.get(pk=story.pk).live is not allowed
    if not allowed:
        assert refused(response)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("Reporters", False), ("Moderators", False), ("Editors", True), ("Administrators", True)],
)
def test_proofing_runs_for_those_who_edit_the_story(users, site, role, allowed):
    story = make_article(title="Proof me")
    response = client_for(users[role]).get(reverse("gazette_editorial:findings", args=(story.pk,)))
    assert (response.status_code == 200) is allowed
    if not allowed:
        assert refused(response)


# --- comments -------------------------------------------------------------------------------


@pytest.fixture
def commenter(site):
    article = make_article(title="Commented")
    email = "irina@example.org"
    ReaderComment.objects.create(
        article=article,
        author_name="Irina",
        author_email=email,
        email_hash=commenter_key(email),
        body="First words",
        status=CommentStatus.PENDING,
        reasons=[],
        reason_codes="",
        scores={},
    )
    return commenter_key(email)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("Reporters", False), ("Editors", False), ("Moderators", True), ("Administrators", True)],
)
def test_moderating_comments_and_commenters_data_is_for_moderators(users, commenter, role, allowed):
    client = client_for(users[role])
    queue = client.get("/admin/comments/")
    page = client.get(f"/admin/comments/commenter/{commenter}/")
    export = client.post(f"/admin/comments/commenter/{commenter}/export/")
    for response in (queue, page, export):
        assert (response.status_code == 200) is allowed, response
        if not allowed:
            assert refused(response)
    erase = client.post(f"/admin/comments/commenter/{commenter}/erase/")
    assert ReaderComment.objects.exists() is not allowed
    if allowed:
        assert erase.status_code == 302
    else:
        assert refused(erase)


# --- settings, users, imports, lock-outs ------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_change_settings_users_redirect_imports_and_lockouts(users, site, role):
    client = client_for(users[role])
    allowed = role == "Administrators"
    wagtail_site = site["home"].get_site()
    masthead_url = reverse("wagtailsettings:edit", args=("core", "mastheadsettings", wagtail_site.pk))
    lockout = SignInLockout.objects.create(
        username="x", ip_address="198.51.100.9", locked_at="2026-01-01T00:00Z", expires_at="2099-01-01T00:00Z"
    )
    responses = {
        "settings": client.get(masthead_url),
        "users": client.get(reverse("wagtailusers_users:index")),
        "redirect import": client.get(reverse("wagtailredirects:start_import")),
        "lock-outs": client.get(reverse("gazette_signin_lockouts")),
    }
    for what, response in responses.items():
        assert (response.status_code == 200) is allowed, what
        if not allowed:
            assert refused(response), what
    client.post(masthead_url, {"teaser_quote": "Changed by " + role})
    assert (MastheadSettings.for_site(wagtail_site).teaser_quote == "Changed by " + role) is allowed
    client.post(reverse("gazette_signin_unlock", args=(lockout.pk,)))
    lockout.refresh_from_db()
    assert (lockout.unlocked_at is not None) is allowed


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_menu_shows_each_role_only_its_own_tools(users, role):
    home = client_for(users[role]).get(ADMIN_HOME)
    assert home.status_code == 200
    menu = home.text
    assert ("/admin/comments/" in menu) is (role in ("Moderators", "Administrators"))
    assert ("/admin/sign-in/lockouts/" in menu) is (role == "Administrators")
    assert ("/admin/users/" in menu) is (role == "Administrators")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("Reporters", True), ("Editors", True), ("Moderators", False), ("Administrators", True)],
)
def test_those_who_write_stories_list_and_add_contributors_for_bylines(users, site, author, role, allowed):
    client = client_for(users[role])
    listing = client.get(reverse("wagtailsnippets_articles_contributor:list"))
    assert (listing.status_code == 200) is allowed
    response = client.post(
        reverse("wagtailsnippets_articles_contributor:add"),
        {"name": "Pavel Orlov", "slug": "", "role": "reporter", "bio": "", "photo": ""},
    )
    assert ContributorFactory._meta.model.objects.filter(name="Pavel Orlov").exists() is allowed
    if not allowed:
        assert refused(listing) and refused(response)
