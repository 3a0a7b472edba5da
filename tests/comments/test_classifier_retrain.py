"""Learning from the moderators: every decision is training data; a new model is used only if not worse."""

import pytest
from django.contrib.auth import get_user_model

from gazette.comments import classifier, services
from gazette.comments.choices import CommentStatus
from gazette.comments.models import ClassifierModel, ReaderComment
from gazette.core.scheduler import load_schedule

pytestmark = pytest.mark.django_db

SPAMMY = [
    f"Earn {n} dollars a day from home, message me on WhatsApp, ask for {name}"
    for n in (300, 400, 500, 700, 900)
    for name in ("Anna", "Maria", "Olga", "Kate", "Rose", "Lena", "Vera", "Nina")
]
NOVEL = [
    f"Zorblax {thing} now at the zorblax corner, {name} has zorblax deals"
    for thing in ("vitamins", "tonic", "powder", "drops", "tablets")
    for name in ("Anna", "Maria", "Olga", "Kate", "Rose", "Lena", "Vera", "Nina")
]
FRIENDLY = [
    f"Thanks for the {what}, {how}."
    for what in ("report", "photos", "interview", "update", "explainer")
    for how in (
        "very clear",
        "well done",
        "much appreciated",
        "good to know",
        "helpful",
        "great work",
        "nice",
        "useful",
    )
]


@pytest.fixture
def moderator():
    return get_user_model().objects.create_user("mod", "mod@example.org", "pw")


def decided(article, moderator, texts, action):
    comments = [ReaderComment.objects.create(article=article, author_name="R", body=t) for t in texts]
    services.moderate(comments, action, moderator)
    return comments


def test_decisions_by_people_are_training_rows(article, moderator):
    decided(article, moderator, ["approved one"], "approve")
    decided(article, moderator, ["binned one"], "spam")
    decided(article, moderator, ["rejected one"], "reject")
    restored = decided(article, moderator, ["restored one"], "spam")
    services.moderate(restored, "restore", moderator)
    undone = decided(article, moderator, ["approval taken back"], "approve")
    services.moderate(undone, "restore", moderator)
    ReaderComment.objects.create(article=article, author_name="R", body="pipeline only", status=CommentStatus.SPAM)
    rows = {(r.text, r.label) for r in classifier.site_decisions()}
    assert rows == {
        ("approved one", "wanted"),
        ("binned one", "spam"),
        ("rejected one", "abuse"),
        ("restored one", "wanted"),
    }
    assert all(r.weight == classifier.SITE_WEIGHT for r in classifier.site_decisions())
    # The scorer page counts them in the database, with the same rules.
    assert classifier.site_decision_count() == len(classifier.site_decisions()) == 4


def test_with_no_decisions_the_base_model_stays(small_training):
    result = classifier.retrain()
    assert not result.swapped and result.version == result.previous == classifier.base_version()
    assert classifier.current_version() == classifier.base_version()


def test_a_model_that_learned_the_sites_decisions_is_swapped_in(article, moderator, small_training):
    decided(article, moderator, NOVEL, "spam")
    decided(article, moderator, FRIENDLY, "approve")
    before = classifier.assess_text(NOVEL[0] + " today").spam
    result = classifier.retrain()
    assert result.holdout_rows > 0 and result.site_rows > 0
    assert result.swapped and result.new_loss <= result.old_loss
    assert classifier.current_version() == result.version != classifier.base_version()
    assert ClassifierModel.objects.get(active=True).version == result.version
    assert classifier.model_path(result.version).exists()
    assert classifier.assess_text(NOVEL[0] + " today").spam > before
    comment = services.submit_comment(article, name="R", body="Zorblax drops at the zorblax corner", email="")
    assert comment.model_version == result.version


def test_a_worse_model_is_recorded_but_not_used(article, moderator, small_training):
    # Moderators approved these by mistake, except the held-out ones, which they binned: a model
    # that learns the mistakes does worse on the held-out decisions than the current one.
    held = [t for t in SPAMMY if classifier.is_site_holdout(t)]
    assert held
    decided(article, moderator, [t for t in SPAMMY if t not in held], "approve")
    decided(article, moderator, held, "spam")
    result = classifier.retrain()
    assert not result.swapped and result.new_loss > result.old_loss
    assert classifier.current_version() == classifier.base_version()
    record = ClassifierModel.objects.get(version=result.version)
    assert not record.active and record.holdout_decisions == len(held)
    assert not classifier.model_path(result.version).exists()


def test_the_worker_retrains_daily_and_on_demand(small_training, capsys):
    from django.core.management import call_command

    jobs = {job.task_path: job for job in load_schedule()}
    assert jobs["gazette.comments.tasks.retrain_comment_classifier"].every == 24 * 3600
    from gazette.comments.tasks import retrain_comment_classifier

    result = retrain_comment_classifier.enqueue()
    assert result.return_value.startswith(classifier.base_version())
    call_command("train_comment_classifier")
    assert "Nothing new to learn" in capsys.readouterr().out


def test_retraining_can_learn_from_other_corpus_rows_than_the_shipped_ones(article, moderator, small_training):
    # The benchmark's replay leaves a source out: the new model learns those rows plus the decisions.
    decided(article, moderator, NOVEL, "spam")
    decided(article, moderator, FRIENDLY, "approve")
    corpus = classifier.shipped_training_rows()[::2]
    result = classifier.retrain(shipped=corpus)
    assert result.swapped
    assert classifier.load(result.version).trained_rows == len(corpus) + result.site_rows


def test_a_model_trained_with_older_features_gives_way_to_the_base_model(small_training):
    import dataclasses

    old = dataclasses.replace(classifier.base_model(), version="older-features", features_version="0")
    classifier.save(old)
    ClassifierModel.objects.create(version=old.version, active=True)
    model = classifier.current_model()
    assert model.version == classifier.base_version()
    assert model.probabilities(["Thanks for the report"])[0].shape == (1,)
