"""When the checks run: once per version of an article's content, for the panel, never on open or save.

The edit view renders the panel's frame; its content comes from the findings view the editor's
script fetches once the page has loaded (``_panel`` asks for it the same way).
"""

import pytest
from django.urls import reverse

from gazette.editorial import services
from gazette.editorial.models import ArticleFinding, DeskWord
from tests.factories import ImageFactory, make_article

pytestmark = pytest.mark.django_db

TROUBLED = "<p>The police reached Banraul in 1931. Stalinhad signed the order.</p>"


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(user)
    return user


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def _panel(client, page):
    html = client.get(_edit_url(page)).content.decode()
    url = reverse("gazette_editorial:findings", args=(page.pk,))
    assert f'data-w-swap-src-value="{url}"' in html
    response = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    return response.content.decode()


def _new_draft(page, text):
    """A new draft revision of ``page`` with this first paragraph, as the editor's save makes."""
    draft = page.get_latest_revision_as_object()
    draft.body = [("paragraph", text)]
    draft.save_revision()
    return draft


def test_opening_and_saving_run_no_check(client, editor, elena, gazetteer):
    page = make_article(authors=[elena], body=[("paragraph", TROUBLED)], publish=False)
    response = client.get(_edit_url(page))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Editorial checks" in html and "Checking the last saved version of this article" in html
    assert "Banraul" not in html.split('id="gazette-editorial-findings-')[1][:400]
    assert not ArticleFinding.objects.exists()

    # The panel's own request checks the article.
    html = _panel(client, page)
    assert "&#x27;Banraul&#x27; is not a place in the gazetteer; did you mean &#x27;Barnaul&#x27;?" in html
    assert "Replace with “Stalin had”" in html


def test_an_unchanged_version_is_checked_once(client, editor, elena, gazetteer, monkeypatch):
    page = make_article(authors=[elena], body=[("paragraph", TROUBLED)], publish=False)
    _panel(client, page)
    stored = sorted(ArticleFinding.objects.filter(page=page).values_list("pk", flat=True))
    assert stored

    runs = []
    monkeypatch.setattr(services, "run_checks", lambda draft: runs.append(draft) or [])
    html = _panel(client, page)
    # A new revision with the same content (a publication, a save without changes) reuses them too.
    page.get_latest_revision_as_object().save_revision()
    html_after_save = _panel(client, page)
    assert runs == []
    assert sorted(ArticleFinding.objects.filter(page=page).values_list("pk", flat=True)) == stored
    assert "<q>Banraul</q>" in html and "<q>Banraul</q>" in html_after_save


def test_a_changed_version_is_never_shown_earlier_findings(client, editor, elena, gazetteer):
    page = make_article(authors=[elena], body=[("paragraph", TROUBLED)], publish=False)
    assert "<q>Banraul</q>" in _panel(client, page)

    _new_draft(page, "<p>The police reached Barnaul in 1931 and Tomsk in 1932.</p>")
    html = _panel(client, page)
    assert "Banraul" not in html and "Stalinhad" not in html
    assert "The checks found nothing to look at in the last saved version." in html

    _new_draft(page, "<p>The train reached Novosibrisk at dawn.</p>")
    html = _panel(client, page)
    assert "<q>Novosibrisk</q>" in html and "Replace with “Novosibirsk”" in html
    assert [f.text for f in ArticleFinding.objects.filter(page=page)] == ["Novosibrisk"]


def test_the_desk_list_and_pictures_count_as_what_was_checked(client, editor, elena, gazetteer):
    lead = ImageFactory(credit="")
    page = make_article(
        authors=[elena],
        lead_image=lead,
        body=[("paragraph", "<p>Scientists in Akademka protested.</p>")],
        publish=False,
    )
    html = _panel(client, page)
    assert "<q>Akademka</q>" in html and "has no credit" in html

    # Neither change makes a new revision of the article; both change what the checks find.
    DeskWord.objects.create(word="Akademka")
    lead.credit = "Picture: the family archive"
    lead.save()
    html = _panel(client, page)
    assert "Akademka" not in html and "has no credit" not in html


def test_checks_that_fail_say_so_and_the_editor_still_opens(client, editor, elena, gazetteer, monkeypatch):
    page = make_article(authors=[elena], body=[("paragraph", TROUBLED)], publish=False)

    def broken(draft):
        raise RuntimeError("dictionary exploded")

    monkeypatch.setattr(services, "run_checks", broken)
    assert client.get(_edit_url(page)).status_code == 200
    html = _panel(client, page)
    assert "The checks could not run on the last saved version" in html
    assert "Banraul" not in html

    # Once they work again the next load checks the article.
    monkeypatch.undo()
    assert "<q>Banraul</q>" in _panel(client, page)


def test_only_articles_have_findings(client, editor, site):
    response = client.get(reverse("gazette_editorial:findings", args=(site["privacy"].pk,)))
    assert response.status_code == 404
    assert "Editorial checks" not in client.get(_edit_url(site["privacy"])).content.decode()
