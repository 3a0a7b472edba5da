"""Moving Gazette's own alt text into Wagtail's description field keeps every word written."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("images", "0002_initial")]
AFTER = [("images", "0003_use_wagtail_description_as_alt_text")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.fixture(autouse=True)
def _schema_restored():
    """Whatever happens in the test, the next test finds every migration applied."""
    yield
    call_command("migrate", verbosity=0)


def test_alt_text_is_copied_where_the_description_is_empty_and_a_description_is_kept():
    images = [ImageFactory(description="") for _ in range(3)]
    old_apps = _migrate(BEFORE)
    OldImage = old_apps.get_model("images", "GazetteImage")
    OldImage.objects.filter(pk=images[0].pk).update(alt_text="A brick station", description="")
    OldImage.objects.filter(pk=images[1].pk).update(alt_text="Gazette's words", description="Wagtail's words")
    OldImage.objects.filter(pk=images[2].pk).update(alt_text="", description="")
    _migrate(AFTER)
    for image in images:
        image.refresh_from_db()
    assert [i.description for i in images] == ["A brick station", "Wagtail's words", ""]


def test_going_back_restores_the_alt_text():
    image = ImageFactory(description="A wooden church")
    old_apps = _migrate(BEFORE)
    assert old_apps.get_model("images", "GazetteImage").objects.get(pk=image.pk).alt_text == "A wooden church"
    _migrate(AFTER)
    image.refresh_from_db()
    assert image.description == "A wooden church"
