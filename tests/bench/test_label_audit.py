"""The team's reading of held-out comments (``bench/label_audit.tsv``) still matches the corpora.

The benchmark sets each reading beside its comment's label; a corpus file edited or a change to
which rows are held out would silently pair readings with other comments, so the bench refuses,
and this test says so before a benchmark run does.
"""

import dataclasses
import re

import pytest

from bench.comments_classifier import UNCLEAR, audited_positions, label_audit
from gazette.comments import classifier
from gazette.comments.choices import CommentStatus

READINGS = {classifier.WANTED, classifier.SPAM, classifier.ABUSE, UNCLEAR}


def test_every_reading_belongs_to_a_held_out_comment():
    evaluation = classifier.evaluation_rows()
    positions, readings = audited_positions(evaluation)
    rows = [evaluation[i] for i in positions]
    assert len(rows) == len(readings) == 800
    assert set(readings) <= READINGS
    assert all(classifier.is_evaluation_row(r.text) for r in rows)


def test_readings_paired_with_other_comments_are_refused():
    evaluation = classifier.evaluation_rows()
    first = evaluation[audited_positions(evaluation)[0][0]]
    changed = [dataclasses.replace(r, text=r.text + " ") if r is first else r for r in evaluation]
    with pytest.raises(SystemExit, match="no longer matches"):
        audited_positions(changed)


def test_the_audit_counts_every_reading_and_lists_each_contradiction(capsys):
    evaluation = classifier.evaluation_rows()
    label_audit(evaluation, [CommentStatus.PENDING] * len(evaluation))
    out = capsys.readouterr().out
    table = re.findall(r"^  (\S+\.(?:csv|tsv))\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$", out, flags=re.MULTILINE)
    assert table
    assert sum(int(n) for _, n, _, _, _ in table) == 800
    for _, n, agree, contradict, unclear in table:
        assert int(agree) + int(contradict) + int(unclear) == int(n)
    listed = out.split("Contradicted")[1].strip().splitlines()[1:]
    assert len(listed) == sum(int(c) for _, _, _, c, _ in table)
    assert "settled 0.0%" in out  # every comment held: nothing settled, by either judge
