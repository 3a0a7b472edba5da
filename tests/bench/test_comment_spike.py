"""The comment spike's readers, commenters and check, run for a few seconds against a live server.

``make bench`` runs ``bench/comment_spike.py`` for 60 s on a production-like site (granian, both
databases); preparing that site takes minutes, so this test runs the same clients and the same
check (:func:`bench.comment_spike.verify`) against the test server on SQLite, with a handful of
readers and commenters, so the benchmark cannot rot. It then damages the stored data and checks
that the check says so.
"""

import time

import pytest

from bench.comment_spike import CommentSpike, server_errors, verify
from gazette.comments import classifier
from gazette.comments.choices import CommentStatus
from gazette.comments.models import CommentSettings, CommentStatusChange, ReaderComment
from tests.comments.conftest import ensure_migrated_data
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def spike_site(settings):
    """An article with published comments to answer and report, under the spike's rules."""
    ensure_migrated_data()
    settings.GAZETTE_COMMENT_RATE_PER_IP = "1000000/m"
    settings.GAZETTE_COMMENT_RATE_PER_ARTICLE = "1000000/m"
    settings.GAZETTE_COMMENT_REPORT_RATE = "1000000/m"
    article = make_article(title="Ice road closes early")
    rules = CommentSettings.for_site(article.get_site())
    rules.first_time_threshold = 0
    rules.hold_after_days = 0
    rules.hold_links = True
    rules.reports_to_hold = 3
    rules.save()
    for n in range(1, 4):
        ReaderComment.objects.create(
            article=article, author_name=f"Reader {n}", body=f"Comment {n} on the ice road.", status="published"
        )
    return article


def test_a_short_spike_stores_every_accepted_comment_once_as_the_rules_decide(live_server, spike_site):
    article = spike_site
    classifier.current_model()  # loaded once, before the clock starts, as the bench's warm-up does
    spike = CommentSpike(
        live_server.url,
        article.url,
        article.pk,
        "test",
        time.monotonic() + 10,
        readers=3,
        commenters=6,
        answer="tests-pass",  # gazette/settings/test.py's GAZETTE_TEST_CAPTCHA_ANSWER
        typing_seconds=0.3,
    )
    spike.run()
    evidence = spike.evidence()
    result = verify(evidence)

    assert server_errors(spike) == 0
    assert result["violations"] == []
    figures = result["figures"]
    assert figures["accepted"] >= 3
    assert figures["stored once"] == figures["accepted"]
    assert figures["replies"] >= 1
    assert figures["replies to the right parent"] == figures["replies"]
    assert figures["decided as the rules give"] == figures["stored once"] + figures["stored untold"]
    assert spike.ledger.reports["taken"] >= 1, spike.ledger.reports
    assert figures["reports stored"] >= spike.ledger.reports["taken"]

    # The check sees a comment stored twice, and a decision the rules do not give.
    stored = ReaderComment.objects.filter(body__startswith="Spike test ").order_by("pk")
    first, second = stored[0], stored[1]
    twin = ReaderComment.objects.create(article=article, author_name="Twin", body=first.body, status="published")
    CommentStatusChange.objects.create(comment=twin, old_status="", new_status="published")
    wrong = CommentStatus.SPAM if second.status == CommentStatus.PUBLISHED else CommentStatus.PUBLISHED
    CommentStatusChange.objects.filter(comment=second, old_status="").update(new_status=wrong)
    violations = verify(evidence)["violations"]
    assert f"stored twice: {first.body}" in violations
    assert any(v.startswith(f"comment {second.pk} arrived {wrong}") for v in violations)
