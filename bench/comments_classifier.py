"""How many comments the scorer settles without a moderator, and how many of those it gets wrong.

Data: the quarter of the public corpora (``gazette/comments/data/``) that no training run ever
sees, chosen by a fixed hash of each text (``classifier.is_evaluation_row``): about 2,350
comments, English and Russian, spam, abuse and wanted ones. The model is the base model (the
shipped data minus that quarter), exactly as a fresh site runs it.

Each comment goes through ``services.decide`` with the default rules except the first-time
hold (which would hold every comment on an empty site), as a new commenter on a fresh article:

* *settled* — published or binned without a moderator; the rest are held for one;
* *wrong* — among settled ones, unwanted comments published plus wanted comments binned;
* *wanted binned* — wanted comments sent to spam (target 0).

Figures per language, as the mean over five fixed parts of the held-out quarter (split by a
second hash) with a 95 % confidence interval (Student's t, four degrees of freedom).

Replay: the held-out quarter's first three parts arrive as a stream of moderator decisions
(decisions in a fixed hashed order); after 0, 250, 500, 1000 and all of them the model is
retrained on the shipped data plus the decisions so far (as ``classifier.retrain`` does), and
the share settled and the share wrong are measured on the last two parts, which no model in
the replay trains on.

Run: ``.venv/bin/python bench/comments_classifier.py`` (``make bench`` runs it at the end).
"""

import hashlib
import math
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gazette.settings.test")

import django

django.setup()

from django.conf import settings

from gazette.comments import classifier, services
from gazette.comments.choices import CommentStatus

PARTS = 5
T_95_4DF = 2.776
RULES = services.Rules(first_time_threshold=0)
REPLAY_STEPS = (0, 250, 500, 1000, None)
DECISIONS = {CommentStatus.PUBLISHED: "published", CommentStatus.PENDING: "held", CommentStatus.SPAM: "binned"}


def part(text: str) -> int:
    return int.from_bytes(hashlib.sha256(("part:" + text).encode()).digest()[:4], "big") % PARTS


def decisions(model, rows):
    """``services.decide`` for every row with ``model``'s scores (batch-scored, same rule)."""
    spam, abuse = model.probabilities([r.text for r in rows])
    out = []
    for row, s, a in zip(rows, spam, abuse, strict=True):
        scores = classifier.TextScores(round(float(s), 2), round(float(a), 2), [], [], model.version)
        out.append(services.decide(row.text, approved=0, rules=RULES, text_scores=scores).status)
    return out


def figures(rows, statuses):
    settled = wrong = wanted_binned = 0
    for row, status in zip(rows, statuses, strict=True):
        if status == CommentStatus.PENDING:
            continue
        settled += 1
        if status == CommentStatus.PUBLISHED and row.label != classifier.WANTED:
            wrong += 1
        if status == CommentStatus.SPAM and row.label == classifier.WANTED:
            wrong += 1
            wanted_binned += 1
    n = len(rows)
    return {
        "n": n,
        "settled": settled / n if n else 0.0,
        "wrong": wrong / settled if settled else 0.0,
        "wanted_binned": wanted_binned,
        "held": (n - settled) / n if n else 0.0,
    }


def interval(values):
    mean = statistics.fmean(values)
    half = T_95_4DF * statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return f"{mean:6.1%} ± {half:4.1%}"


def per_language(rows, statuses):
    print(
        f"Decision rule: bin (spam) at spam >= {settings.GAZETTE_COMMENT_SPAM_THRESHOLD}, hold at spam >= "
        f"{settings.GAZETTE_COMMENT_HOLD_SPAM} or offensive >= {settings.GAZETTE_COMMENT_HOLD_OFFENSIVE}, "
        "links and promotion held; no first-time hold."
    )
    print(f"{'':9}{'rows':>6} {'settled (target >= 90 %)':>26} {'wrong of settled (< 1 %)':>26} {'wanted binned':>14}")
    for lang in (classifier.EN, classifier.RU):
        chosen = [(r, s) for r, s in zip(rows, statuses, strict=True) if r.lang == lang]
        per_part = []
        for p in range(PARTS):
            sub = [(r, s) for r, s in chosen if part(r.text) == p]
            per_part.append(figures([r for r, _ in sub], [s for _, s in sub]))
        whole = figures([r for r, _ in chosen], [s for _, s in chosen])
        print(
            f"{lang:9}{whole['n']:>6} {interval([f['settled'] for f in per_part]):>26} "
            f"{interval([f['wrong'] for f in per_part]):>26} {whole['wanted_binned']:>14}"
        )
        for label in (classifier.WANTED, classifier.SPAM, classifier.ABUSE):
            kind = [s for r, s in chosen if r.label == label]
            if kind:
                shares = {status: kind.count(status) / len(kind) for status in DECISIONS}
                print(
                    f"  {label:7}{len(kind):>6} "
                    + ", ".join(f"{name} {shares[status]:6.1%}" for status, name in DECISIONS.items())
                )


def replay(evaluation):
    stream = sorted(
        (r for r in evaluation if part(r.text) < 3), key=lambda r: hashlib.sha256(r.text.encode()).hexdigest()
    )
    test = [r for r in evaluation if part(r.text) >= 3]
    shipped = classifier.shipped_training_rows()
    print()
    print(f"Replay: {len(stream)} moderator decisions arriving, measured on {len(test)} other held-out comments")
    print(f"{'decisions':>10} {'settled':>8} {'wrong':>7} {'train s':>8}")
    for step in REPLAY_STEPS:
        seen = stream if step is None else stream[:step]
        site = [classifier.Row(r.text, r.label, r.lang, "site", classifier.SITE_WEIGHT) for r in seen]
        started = time.perf_counter()
        model = classifier.train(shipped + site, version=f"replay-{len(site)}")
        took = time.perf_counter() - started
        f = figures(test, decisions(model, test))
        print(f"{len(site):>10} {f['settled']:8.1%} {f['wrong']:7.1%} {took:8.1f}")


def main():
    evaluation = classifier.evaluation_rows()
    started = time.perf_counter()
    model = classifier.base_model()
    print(
        f"Comment scorer {model.version}: trained on {model.trained_rows} rows (or loaded) in "
        f"{time.perf_counter() - started:.1f} s; held out {len(evaluation)} corpus comments never trained on"
    )
    statuses = decisions(model, evaluation)
    per_language(evaluation, statuses)
    if "--no-replay" not in sys.argv:
        replay(evaluation)


if __name__ == "__main__":
    main()
