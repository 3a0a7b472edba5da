"""The decision rule on the scorer's calibrated scores: publish needs both low, bin needs certainty."""

import pytest

from gazette.comments import classifier, scoring
from gazette.comments.choices import CommentStatus
from gazette.comments.services import OFFENSIVE, SPAM_SCORE, Rules, decide, describe_reasons

NO_FIRST_TIME_HOLD = Rules(first_time_threshold=0)
PLAIN = "The ferry was late again this morning."


def scores(spam, abuse):
    return classifier.TextScores(spam, abuse, [], [], "test-model")


def codes(assessment):
    return [reason["code"] for reason in assessment.reasons]


@pytest.mark.parametrize(
    ("spam", "abuse", "status"),
    [
        (0.01, 0.01, CommentStatus.PUBLISHED),
        (0.49, 0.19, CommentStatus.PUBLISHED),
        (0.5, 0.01, CommentStatus.PENDING),
        (0.01, 0.2, CommentStatus.PENDING),  # one in five abusive is too likely to publish unseen
        (0.99, 0.01, CommentStatus.PENDING),  # likely spam, but not certain: a person decides
        (1.0, 0.01, CommentStatus.SPAM),
        (0.01, 0.98, CommentStatus.PENDING),
        (0.01, 0.99, CommentStatus.SPAM),
    ],
)
def test_publish_needs_both_scores_low_and_bin_needs_a_certain_one(spam, abuse, status):
    assert decide(PLAIN, approved=0, rules=NO_FIRST_TIME_HOLD, text_scores=scores(spam, abuse)).status == status


def test_certain_abuse_goes_to_the_bin_and_says_why():
    decided = decide(PLAIN, approved=0, rules=NO_FIRST_TIME_HOLD, text_scores=scores(0.02, 0.99))
    assert decided.status == CommentStatus.SPAM
    assert codes(decided) == [OFFENSIVE]
    assert describe_reasons(decided.reasons) == ["offensive language: 0.99"]


def test_a_returning_commenters_certain_abuse_is_binned_too():
    decided = decide(PLAIN, approved=5, rules=Rules(first_time_threshold=1), text_scores=scores(0.02, 1.0))
    assert decided.status == CommentStatus.SPAM and codes(decided) == [OFFENSIVE]


def test_certain_spam_is_binned_with_the_spam_reason_first():
    decided = decide(PLAIN, approved=0, rules=NO_FIRST_TIME_HOLD, text_scores=scores(1.0, 1.0))
    assert decided.status == CommentStatus.SPAM and codes(decided)[0] == SPAM_SCORE


def test_a_listed_word_alone_holds_but_never_bins():
    body = "Автор — полный дебил"
    assert scoring.offensive_score(body) == 0.99
    decided = decide(body, approved=5, rules=Rules(first_time_threshold=1), text_scores=scores(0.01, 0.1))
    assert decided.status == CommentStatus.PENDING
    assert codes(decided) == [OFFENSIVE] and decided.scores["offensive"] == 0.99


@pytest.mark.parametrize("threshold", [0.9, 2.0])
def test_the_abuse_bin_follows_its_setting(settings, threshold):
    settings.GAZETTE_COMMENT_BIN_OFFENSIVE = threshold
    decided = decide(PLAIN, approved=0, rules=NO_FIRST_TIME_HOLD, text_scores=scores(0.01, 0.95))
    assert decided.status == (CommentStatus.SPAM if threshold <= 0.95 else CommentStatus.PENDING)
