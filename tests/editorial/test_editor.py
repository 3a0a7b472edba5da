"""The checks in the page editor: refusing publication, the findings panel and its buttons.

The panel's content is fetched by the editor once it has loaded; ``_panel`` does what the
editor's script does: it reads the address from the edit view's frame and asks for it.
"""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from gazette.articles.models import ArticlePage
from gazette.editorial.models import ArticleFinding, DeskWord, DismissedFinding
from tests.factories import ImageFactory, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(user)
    return user


def _post_data(title, contributors, action, *, lead_image=None, lead_credit="", body=None):
    data = nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "standfirst": "Ice closed the river early.",
            "lead_image": lead_image.pk if lead_image else "",
            "lead_caption": "",
            "lead_credit": lead_credit,
            "body": streamfield(body or [("paragraph", rich_text("<p>Text.</p>"))]),
            "bylines": inline_formset([{"contributor": c.pk} for c in contributors], min=1),
            "comment_settings": inline_formset([]),
            "comment_notifications": "",
        }
    )
    data[action] = "1"
    return data


def _add_url(site):
    return reverse("wagtailadmin_pages:add", args=("articles", "articlepage", site["news"].pk))


def test_lead_picture_without_alt_text_or_credit_refuses_publishing(client, editor, site, elena):
    bare = ImageFactory(description="", credit="")
    response = client.post(_add_url(site), _post_data("Bare lead", [elena], "action-publish", lead_image=bare))
    html = response.content.decode()
    assert response.status_code == 200
    assert "has no alt text" in html and "has no credit" in html
    assert not ArticlePage.objects.filter(title="Bare lead").exists()

    # The same story is saved as a draft: the reporter is still working on it.
    response = client.post(_add_url(site), _post_data("Bare lead", [elena], "action-save", lead_image=bare))
    assert response.status_code == 302
    page = ArticlePage.objects.get(title="Bare lead")
    assert not page.live
    # ... and the editor finds the reasons in the panel on the next load.
    html = _panel(client, page)
    assert "Blocks publishing" in html and "has no alt text" in html and "has no credit" in html
    stored = ArticleFinding.objects.filter(page=page, severity="blocking")
    assert {f.check_name for f in stored} == {"lead_image"}


def test_article_credit_and_alt_text_let_it_publish(client, editor, site, elena):
    uncredited = ImageFactory(credit="")
    response = client.post(
        _add_url(site),
        _post_data("Credited here", [elena], "action-publish", lead_image=uncredited, lead_credit="Picture: TASS"),
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert ArticlePage.objects.get(title="Credited here").live


def test_body_picture_without_credit_refuses_publishing(client, editor, site, elena):
    uncredited = ImageFactory(credit="")
    body = [("image", {"image": uncredited.pk, "caption": "The station in 1931.", "credit": ""})]
    response = client.post(_add_url(site), _post_data("Body picture", [elena], "action-publish", body=body))
    assert response.status_code == 200
    assert f"The picture &#x27;{uncredited.title}&#x27; in body block 1 has no credit" in response.content.decode()
    assert not ArticlePage.objects.filter(title="Body picture").exists()

    body[0][1]["credit"] = "Picture: the family archive"
    response = client.post(_add_url(site), _post_data("Body picture", [elena], "action-publish", body=body))
    assert response.status_code == 302
    assert ArticlePage.objects.get(title="Body picture").live


def test_submitting_for_moderation_is_refused_too(client, editor, site, elena):
    bare = ImageFactory(description="")
    response = client.post(_add_url(site), _post_data("Submitted", [elena], "action-submit", lead_image=bare))
    assert response.status_code == 200
    assert "has no alt text" in response.content.decode()


def _edit(client, page):
    return client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()


def _panel(client, page):
    """The findings panel as the editor sees it once the edit view has loaded."""
    html = _edit(client, page)
    url = reverse("gazette_editorial:findings", args=(page.pk,))
    assert f'data-w-swap-src-value="{url}"' in html
    response = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    return response.content.decode()


def _saved_troubled_article(client, site, elena):
    body = [
        ("paragraph", rich_text("<p>The police reached Banraul in 1931. Stalinhad signed the order.</p>")),
        ("paragraph", rich_text('<p>See the <a href="https://example.org/Banraul">Banraul archive</a>.</p>')),
    ]
    response = client.post(_add_url(site), _post_data("Orders from Moscow", [elena], "action-save", body=body))
    assert response.status_code == 302
    return ArticlePage.objects.get(title="Orders from Moscow")


def test_panel_lists_findings_after_a_save_and_fixes_them(client, editor, site, elena, gazetteer):
    page = _saved_troubled_article(client, site, elena)
    assert "Editorial checks" in _edit(client, page)
    html = _panel(client, page)
    assert "<q>Banraul</q>" in html and "Body block 1 (paragraph) and 1 more" in html
    assert "Replace with “Barnaul”" in html and "Replace with “Stalin had”" in html

    banraul = ArticleFinding.objects.get(page=page, text="Banraul")
    fix_url = reverse("gazette_editorial:fix", args=(banraul.pk, 0))
    assert f'data-w-action-url-value="{fix_url}"' in html
    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = client.post(fix_url, {"next": edit_url})
    assert response.status_code == 302 and response["Location"] == edit_url

    page.refresh_from_db()
    latest = page.get_latest_revision_as_object()
    paragraphs = [block.value.source for block in latest.body]
    assert "reached Barnaul in 1931" in paragraphs[0]
    # The link text changed; the link target did not.
    assert '<a href="https://example.org/Banraul">Barnaul archive</a>' in paragraphs[1]
    assert not ArticlePage.objects.get(pk=page.pk).live  # a fix is a draft, never a publication
    html = _panel(client, page)
    assert "<q>Banraul</q>" not in html and "<q>Stalinhad</q>" in html


def test_dismissals_are_remembered_for_that_article_only(client, editor, site, elena, gazetteer):
    page = _saved_troubled_article(client, site, elena)
    assert "<q>Stalinhad</q>" in _panel(client, page)
    finding = ArticleFinding.objects.get(page=page, text="Stalinhad")
    response = client.post(reverse("gazette_editorial:dismiss", args=(finding.pk,)))
    assert response.status_code == 302
    assert DismissedFinding.objects.filter(page=page, text="Stalinhad").exists()
    assert "<q>Stalinhad</q>" not in _panel(client, page)

    # Saving again recomputes the findings; the dismissal still holds for this article ...
    data = _post_data(
        "Orders from Moscow", [elena], "action-save", body=[("paragraph", rich_text("<p>Stalinhad left.</p>"))]
    )
    data["bylines-0-id"] = page.bylines.first().pk
    data["bylines-INITIAL_FORMS"] = "1"
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302
    html = _panel(client, page)
    assert ArticleFinding.objects.filter(page=page, text="Stalinhad").exists()
    assert "<q>Stalinhad</q>" not in html and "<q>Banraul</q>" not in html
    # ... but not for another article with the same word.
    client.post(
        _add_url(site),
        _post_data("Another story", [elena], "action-save", body=[("paragraph", rich_text("<p>Stalinhad left.</p>"))]),
    )
    another = ArticlePage.objects.get(title="Another story")
    assert "<q>Stalinhad</q>" in _panel(client, another)


def test_adding_a_word_to_the_desk_list_from_the_panel(client, editor, site, elena, gazetteer):
    body = [("paragraph", rich_text("<p>Scientists in Akademka protested.</p>"))]
    client.post(_add_url(site), _post_data("Protest", [elena], "action-save", body=body))
    page = ArticlePage.objects.get(title="Protest")
    assert "<q>Akademka</q>" in _panel(client, page)
    finding = ArticleFinding.objects.get(page=page, text="Akademka")
    client.post(reverse("gazette_editorial:add_word", args=(finding.pk,)))
    assert DeskWord.objects.filter(word="Akademka").exists()
    assert not ArticleFinding.objects.filter(page=page, text="Akademka").exists()
    assert "Akademka" not in _panel(client, page)
    # The desk's list is a snippet editors manage in the admin.
    listing = client.get(reverse("wagtailsnippets_editorial_deskword:list")).content.decode()
    assert "Akademka" in listing


def test_panel_is_quiet_without_findings(client, editor, site, elena, gazetteer):
    response = client.post(_add_url(site), _post_data("Ferry season ends", [elena], "action-save"))
    assert response.status_code == 302
    page = ArticlePage.objects.get(title="Ferry season ends")
    html = _panel(client, page)
    assert "The checks found nothing to look at in the last saved version." in html
    assert "gazette-editorial__finding" not in html
    assert not ArticleFinding.objects.filter(page=page).exists()
    # The add form has no panel: there is no saved version to check.
    add_form = client.get(_add_url(site)).content.decode()
    assert "Editorial checks" not in add_form and "gazette-editorial" not in add_form


def test_buttons_need_edit_permission(client, site, elena, gazetteer, django_user_model):
    page = make_article(body=[("paragraph", "<p>Stalinhad left.</p>")], publish=False)
    from gazette.editorial.services import proofread_page

    proofread_page(page)
    finding = ArticleFinding.objects.get(page=page, text="Stalinhad")
    reader = django_user_model.objects.create_user("reader", "r@example.org", "pw")
    client.force_login(reader)
    response = client.post(reverse("gazette_editorial:dismiss", args=(finding.pk,)))
    assert response.status_code in (302, 403)
    assert not DismissedFinding.objects.exists()
    response = client.get(reverse("gazette_editorial:findings", args=(page.pk,)))
    assert response.status_code in (302, 403)
    assert "Stalinhad" not in response.content.decode()
