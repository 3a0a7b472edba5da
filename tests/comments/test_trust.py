"""Trust lifts the first-time hold for ordinary comments; it never publishes spam or abuse."""

import pytest

from gazette.comments.choices import CommentStatus
from gazette.comments.identity import commenter_key
from gazette.comments.models import ReaderComment
from gazette.comments.services import describe_reasons, submit_comment

pytestmark = pytest.mark.django_db

RETURNING = "returning@example.org"

FRIENDLY = [
    "Thanks for the clear explanation of the new parking rules.",
    "I was at the festival too, the choir was lovely.",
    "Good to hear the ferry will run all winter this year.",
    "Could you tell us when the road works on the bridge should end?",
    "Спасибо за подробный рассказ о ремонте набережной.",
    "Были на ярмарке в субботу, всё понравилось, особенно мёд.",
    "Хорошо, что автобус теперь ходит до поздна.",
    "Подскажите, а запись в кружки уже открыта?",
]
SPAM = [
    "Earn 500 dollars a day from home, message me on WhatsApp",
    "I made 4000 this week with crypto trading, DM me and I will show you how",
    "Заработок от 5000 рублей в день без вложений, пиши в лс",
    "Удалённая работа, доход от 100 тысяч, подробности в личке",
]


def returning(article, n=1):
    for _ in range(n):
        ReaderComment.objects.create(
            article=article,
            author_name="R",
            body="ok",
            status=CommentStatus.PUBLISHED,
            email_hash=commenter_key(RETURNING),
        )


def post(article, body, email=RETURNING):
    return submit_comment(article, name="Reader", body=body, email=email)


@pytest.mark.parametrize("body", FRIENDLY)
def test_a_returning_commenters_friendly_comment_is_published(article, body):
    returning(article)
    comment = post(article, body)
    assert comment.status == CommentStatus.PUBLISHED, describe_reasons(comment.reasons)


@pytest.mark.parametrize("body", FRIENDLY[:1] + FRIENDLY[4:5])
def test_a_first_time_commenter_waits_for_a_moderator(article, body):
    comment = post(article, body, email="new@example.org")
    assert comment.status == CommentStatus.PENDING
    assert describe_reasons(comment.reasons) == ["first comment from this person"]


@pytest.mark.parametrize("body", SPAM)
def test_trust_never_publishes_spam(article, body):
    returning(article, 3)
    comment = post(article, body)
    assert comment.status in (CommentStatus.PENDING, CommentStatus.SPAM)
    spam = next(r for r in comment.reasons if r["code"] == "spam")
    assert spam["returning"] is True
    assert any(
        text.startswith("looks like spam from a returning commenter: ") for text in describe_reasons(comment.reasons)
    )


def test_a_returning_commenters_certain_spam_is_binned_and_says_why(article):
    returning(article)
    comment = post(article, "Check out my channel and subscribe!!! http://my-music.example.com please subscribe")
    assert comment.status == CommentStatus.SPAM
    assert describe_reasons(comment.reasons)[0] == "looks like spam from a returning commenter: 1.00"


def test_trust_never_publishes_abuse(article):
    returning(article, 3)
    for body in ("Автор — полный дебил", "Ты xуйлo, а не журналист", "You are a worthless idiot, shut up"):
        comment = post(article, body)
        assert comment.status == CommentStatus.PENDING, body
        assert " offensive " in comment.reason_codes, body
