"""The comment scorer's page in the admin: the model in force, the thresholds it decides with in
the moderator's words, every retraining, and a retrain a moderator asks for."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gazette.comments import classifier, services, tasks
from gazette.comments.models import ClassifierModel, ReaderComment
from gazette.users.models import User
from tests.comments.conftest import FRIENDLY, SPAMMY

pytestmark = pytest.mark.django_db
PAGE = "/admin/comments/scorer/"


@pytest.fixture
def settings_thresholds(settings):
    settings.GAZETTE_COMMENT_HOLD_SPAM = 0.5
    settings.GAZETTE_COMMENT_HOLD_OFFENSIVE = 0.2
    settings.GAZETTE_COMMENT_SPAM_THRESHOLD = 1.0
    settings.GAZETTE_COMMENT_BIN_OFFENSIVE = 0.99


def retrain_run(status, **fields):
    return DBTaskResult.objects.create(
        status=status,
        task_path=tasks.retrain_comment_classifier.module_path,
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path=fields.pop("exception_class_path", ""),
        traceback="",
        **fields,
    )


def test_a_new_site_decides_with_the_settings_and_says_so(client, moderator, settings_thresholds):
    client.force_login(moderator)
    html = client.get(PAGE).content.decode()
    assert f"<strong>{classifier.base_version()}</strong>, learnt from the shipped comment corpora only." in html
    assert (
        "A comment that no rule holds is published by itself when its spam score is under 0.50 and its "
        "offensive score under 0.20." in html
    )
    assert "A spam score of 1.00 or more sends it to the bin." in html
    assert "An abuse score of 0.99 or more sends it to the bin." in html
    assert "These are the site&#x27;s settings" in html
    assert "Moderators have made 0 decisions the scorer can learn from" in html
    assert "No retraining has learnt from moderator decisions yet." in html
    assert "Brier score<br>this model / before" in html and "lower is better." in html
    assert "The worker retrains next " in html and ">Retrain now</button>" in html
    # Found from the queue's menu.
    assert PAGE in client.get("/admin/comments/").content.decode()


def test_only_moderators_see_it(client):
    editor = User.objects.create_user("ed", "ed@example.org", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    response = client.get(PAGE)
    assert response.status_code == 302 and "Retrain now" not in response.content.decode()
    assert client.post(PAGE).status_code == 302
    assert not ClassifierModel.objects.exists()


def test_a_moderator_asks_for_a_retrain_and_sees_what_it_chose(
    client, moderator, article, small_training, settings, settings_thresholds
):
    settings.GAZETTE_COMMENT_PUBLISH_WRONG_BUDGET = 0.3  # a bound this small sample can meet
    for texts, action in ((SPAMMY, services.SPAM), (FRIENDLY, services.APPROVE)):
        comments = [ReaderComment.objects.create(article=article, author_name="R", body=t) for t in texts]
        services.moderate(comments, action, moderator)
    client.force_login(moderator)
    assert f"Moderators have made {len(SPAMMY) + len(FRIENDLY)} decisions" in client.get(PAGE).content.decode()

    # The tests' task backend runs the retrain at once; the worker would run it in the background.
    html = client.post(PAGE, follow=True).content.decode()
    assert "Retraining asked for." in html
    record = ClassifierModel.objects.get(active=True)
    assert f"<strong>{record.version}</strong>, trained " in html
    assert f"on the shipped corpora and {record.site_decisions} moderator decisions." in html
    chosen = classifier.Thresholds.from_dict(record.thresholds)
    assert "published by itself when its spam score is under " + f"{chosen.hold_spam:.2f}" in html
    assert f"Chosen at the latest retraining on {chosen.decisions} moderator decisions" in html
    assert "at most 30% of the comments the scores publish are unwanted" in html
    row = html[html.index('class="scorer-row"') :]
    assert record.holdout_decisions and f"{record.holdout_loss:.4f} / {record.previous_loss:.4f}" in row
    assert record.version in row and "in force" in row and f"held from spam {chosen.hold_spam:.2f} or abuse" in row


def test_thresholds_that_publish_nothing_are_explained(client, moderator, settings_thresholds):
    ClassifierModel.objects.create(
        version=classifier.base_version(),
        thresholds={"hold_spam": 0, "hold_abuse": 0, "bin_spam": 1.01, "bin_abuse": 0.99, "decisions": 120},
    )
    client.force_login(moderator)
    html = client.get(PAGE).content.decode()
    assert (
        "The scores publish nothing by themselves yet: the 120 moderator decisions they were checked on show the "
        "settings publishing more than 2% unwanted comments and vouch for no stricter thresholds." in html
    )
    assert (
        "At a budget of 2% unwanted they need at least 149 decisions on comments they would publish, none of them "
        "wrong, before they publish by themselves." in html
    )
    assert "The spam score never sends a comment to the bin." in html
    assert "The bins were chosen at the latest retraining on 120 moderator decisions." in html
    assert "so that at most 2% of the comments the scores publish are unwanted" not in html
    assert "held from spam 0.00 or abuse 0.00; spam never binned; abuse binned from 0.99" in html
    assert "nothing to compare on yet" in html


def test_settings_the_decisions_do_not_show_wrong_are_said_to_stand(client, moderator, settings_thresholds):
    standing = classifier.Thresholds(0.5, 0.2, 0.98, 0.99, decisions=12, settings_stand=True)
    ClassifierModel.objects.create(version=classifier.base_version(), thresholds=standing.as_dict())
    client.force_login(moderator)
    html = client.get(PAGE).content.decode().replace("&#x27;", "'")
    assert "published by itself when its spam score is under 0.50 and its offensive score under 0.20" in html
    assert (
        "These publish thresholds are the site's settings: the 12 moderator decisions checked at the latest "
        "retraining do not show them publishing more than 2% unwanted comments. The bins were chosen on them." in html
    )
    assert "A spam score of 0.98 or more sends it to the bin." in html
    assert "held from spam 0.50 or abuse 0.20 (the settings, not shown wrong); spam binned from 0.98" in html
    assert "publish nothing" not in html and "Chosen at the latest retraining" not in html


def test_a_waiting_retrain_is_not_asked_for_twice_and_a_failed_one_is_shown(client, moderator):
    retrain_run(
        TaskResultStatus.FAILED,
        finished_at=timezone.now() - timedelta(hours=2),
        exception_class_path="builtins.OSError",
    )
    client.force_login(moderator)
    html = client.get(PAGE).content.decode()
    assert "The last retraining failed " in html and "(OSError); the model in force goes on scoring." in html
    retrain_run(TaskResultStatus.READY)
    html = client.get(PAGE).content.decode()
    assert "A retraining is waiting for the worker or running." in html and "Retrain now" not in html
    html = client.post(PAGE, follow=True).content.decode()
    assert "A retraining is already waiting for the worker or running." in html
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    assert not ClassifierModel.objects.exists()


def test_a_retrain_cut_off_long_ago_does_not_block_another(client, moderator):
    retrain_run(TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(hours=5))
    client.force_login(moderator)
    assert "Retrain now" in client.get(PAGE).content.decode()
    retrain_run(TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=2))
    assert "Retrain now" not in client.get(PAGE).content.decode()
