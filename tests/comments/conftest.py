import pytest

from gazette.comments.forms import make_stamp
from tests.factories import make_article


@pytest.fixture
def article(site):
    return make_article(title="Ferry season ends early")


@pytest.fixture
def moderator(db):
    """A member of the Moderators group (as a migration sets it up)."""
    from django.contrib.auth.models import Group

    from gazette.users.models import User

    user = User.objects.create_user("mod", "mod@example.org", "pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


# Comments moderators decided, in numbers a retrain can learn from and choose thresholds on.
SPAMMY = [
    f"Earn {n} dollars a day from home, message me on WhatsApp, ask for {name}"
    for n in (300, 400, 500, 700, 900, 1200)
    for name in ("Anna", "Maria", "Olga", "Kate", "Rose", "Lena", "Vera", "Nina")
]
FRIENDLY = [
    f"Thanks for the {what}, {how}."
    for what in ("report", "photos", "interview", "update", "explainer", "story", "map", "column")
    for how in ("very clear", "well done", "much appreciated", "good to know", "helpful", "great work", "useful")
]


@pytest.fixture
def small_training(monkeypatch, settings, tmp_path):
    """Retrain on a 24th of the shipped corpus rows and the team's examples (seconds, not a minute),
    writing models to a temporary directory."""
    from gazette.comments import classifier

    classifier.base_model()  # the real base model stays in this process's cache
    rows = classifier.shipped_training_rows()[::24] + classifier.team_rows()
    monkeypatch.setattr(classifier, "shipped_training_rows", lambda: rows)
    settings.GAZETTE_COMMENT_MODEL_DIR = tmp_path


def form_data(article, **overrides):
    """What a reader's browser sends: the fields, a valid stamp and the test CAPTCHA answer."""
    data = {
        "name": "Irina",
        "location": "Berdsk",
        "email": "",
        "body": "Thank you for the report.",
        "website": "",
        "stamp": make_stamp(article.pk),
        "captcha_0": "nokey",
        "captcha_1": "tests-pass",
    }
    data.update(overrides)
    return data


def post_comment(client, article, REMOTE_ADDR="127.0.0.1", **overrides):
    return client.post(f"/comments/{article.pk}/form/", form_data(article, **overrides), REMOTE_ADDR=REMOTE_ADDR)


def ensure_migrated_data():
    """Recreate what data migrations made (root page, root collection, locale, Moderators).

    A transactional test ends by flushing the database, which removes rows that migrations
    created; a later transactional test (live server, threads) calls this first.
    """
    from django.conf import settings
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.utils.translation import get_supported_language_variant
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=get_supported_language_variant(settings.LANGUAGE_CODE))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)))
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=("moderate_readercomment", "export_commenter_data", "erase_commenter_data", "access_admin")
        ),
    )
