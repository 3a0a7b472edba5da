import pytest
from django.core.management import call_command
from wagtail.images import get_image_model

from gazette.articles.models import ArticlePage, Contributor
from gazette.cities.models import City
from gazette.images.renditions import ALL_SPECS
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def test_image_model_carries_caption_credit_and_alt_text():
    image = ImageFactory(
        caption="Barnaul station, 1913.", credit="State Archives of the Altai region", description="A brick station"
    )
    image.refresh_from_db()
    assert image.caption == "Barnaul station, 1913."
    assert image.credit == "State Archives of the Altai region"
    # Wagtail's own description field is the alt text: its renditions and embeds read it.
    assert image.default_alt_text == "A brick station"
    assert image.get_rendition("width-160").alt == "A brick station"
    image.description = ""
    assert image.default_alt_text == image.title


def test_the_image_edit_form_has_one_alt_text_field(client):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("picture-editor", "pe@example.org", "pw")
    client.force_login(admin)
    image = ImageFactory(description="A brick station")
    html = client.get(f"/admin/images/{image.pk}/").content.decode()
    assert html.count('id="id_description"') == 1 and "alt_text" not in html
    assert "Alt text" in html and 'value="A brick station"' in html


def test_renditions_are_made_when_an_image_is_saved(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = ImageFactory()
    assert image.renditions.count() == len(ALL_SPECS)


def test_loading_the_demo_twice_changes_nothing(capsys):
    call_command("load_demo")
    counts = (
        ArticlePage.objects.count(),
        Contributor.objects.count(),
        get_image_model().objects.count(),
        City.objects.count(),
        ArticlePage.objects.live().count(),
    )
    revisions = sorted(ArticlePage.objects.values_list("pk", "latest_revision_id"))
    call_command("load_demo")
    assert counts == (
        ArticlePage.objects.count(),
        Contributor.objects.count(),
        get_image_model().objects.count(),
        City.objects.count(),
        ArticlePage.objects.live().count(),
    )
    assert revisions == sorted(ArticlePage.objects.values_list("pk", "latest_revision_id"))
    assert counts[0] >= 12 and counts[1] >= 6
    out = capsys.readouterr().out
    assert "nothing changed" in out and "Demo editor login: editor / " in out
    # One article has three co-authors; archive stories are years old; cities are spread.
    assert any(len(a.contributors) == 3 for a in ArticlePage.objects.all())
    assert ArticlePage.objects.filter(first_published_at__year__lte=2014).exists()
    assert City.objects.filter(articles__isnull=False).distinct().count() >= 6
