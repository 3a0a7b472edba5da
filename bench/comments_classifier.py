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

Where the errors come from: the same figures per source corpus.

Ranking: each head's area under the ROC curve on the held-out quarter, per language (and the
abuse head per abuse corpus), with a bootstrap 95 % interval: how well the scores order
comments, whatever the thresholds.

Calibration: for each head and language, the held-out comments in bands of score, their mean
score beside the share that carried that label, the Brier score and the expected calibration
error: a calibrated score of 0.2 should be right about one time in five.

Ceiling: settling 90 % with under 1 % of the settled wrong leaves at most 10 % of comments held
and under 1 % published unwanted, so at least the unwanted share less 11 points must be binned,
and no wanted comment with them. Beside that, the most that bin thresholds can bin with no wanted
comment binned (and with 5, 10 or 20 binned), thresholds chosen on the very rows measured (per
language, unrounded scores): an upper bound on what any thresholds give with these scores.

Label audit: how far the corpora's labels say what their texts say. The 800 held-out comments
whose hash (``AUDIT_SALT``) comes first were read by the team without their labels or scores and
marked wanted, spam, abuse or unclear (the text alone does not tell: a reply that needs its
thread) in ``bench/label_audit.tsv`` (a key from each text's hash, the reading, in hash order);
the bench prints where the reading contradicts the label, per source, with Clopper-Pearson
intervals, and the default rules' settled and wrong shares on those rows judged by either.

Identity words: the share held by the abuse score of held-out comments with and without words
that say who someone is (``classifier.IDENTITY_TERMS``), wanted and abusive, and of the team's
friendly and hateful sentences about each such word (``bench/identity_sentences.py``).

Trade-off: the decision thresholds are tuned on a validation fifth carved from the *training*
rows (a model trained on the other four fifths scores it); for each budget of wrong settled
comments the thresholds that settle most on validation (no wanted comment binned) are applied
to the base model on the held-out quarter (a bin threshold of 1.01 means that head never
bins). This shows how far the labels let the scorer go.

Replay (a site whose comments the corpora do not know): one source at a time, ScamSpot's
Instagram comments (spam new to the model) and the Russian VK news comments (abuse new to it),
is left out of the replay's base model. Its training rows arrive as moderator decisions (stored
comments, approved, marked spam or rejected by a moderator through ``services.moderate``): the
first 30, as on a new site, then up to each quarter of them; after each chunk
``classifier.retrain`` runs as the worker runs it (held-out fifth of the decisions, swap only if
at least as good). Share settled, wrong and settled rightly (settled and not wrong, of all) are
measured on the source's held-out rows, which no model in the replay trains on, with the model
in force and the thresholds the retrain chose for it on the held-out decisions
(``GAZETTE_COMMENT_PUBLISH_WRONG_BUDGET``); rows ``5%`` and ``10%`` show the same model with the
thresholds chosen for those budgets. ``--replay-source=FILE`` replays one source;
``--no-trade-off`` and ``--no-replay`` skip those parts; ``--replay-only`` runs the replay alone
(about nine minutes for both sources on a shared 2-core machine).

Run: ``.venv/bin/python bench/comments_classifier.py`` (``make bench`` runs it at the end).
"""

import csv
import hashlib
import itertools
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gazette.settings.test")

import django

django.setup()

from django.conf import settings
from django.test.utils import override_settings

from gazette.comments import classifier, scoring, services
from gazette.comments.choices import CommentStatus

PARTS = 5
T_95_4DF = 2.776
RULES = services.Rules(first_time_threshold=0)
# A site's own comments differ from the corpora: its spam (Instagram scam offers) or its abuse
# (Russian news comments) is new to the replay's base model.
REPLAY_SOURCES = ("spam_en_instagram_scamspot.csv", "abuse_ru_vk_news_comments_distorted_toxicity.csv")
REPLAY_CHUNKS = 4
REPLAY_FIRST_FEW = 30
WRONG_BUDGETS = (0.02, 0.05, 0.10)
ALTERNATIVE_BUDGETS = (0.05, 0.10)  # the replay also shows the thresholds a site with these publish budgets gets
HOLD_GRID = (0.02, 0.05, 0.1, 0.2, 0.3, 0.5)
BIN_GRID = (0.9, 0.95, 0.98, 0.99, 1.0, 1.01)  # 1.01: that head never bins
DECISIONS = {CommentStatus.PUBLISHED: "published", CommentStatus.PENDING: "held", CommentStatus.SPAM: "binned"}


def part(text: str) -> int:
    return int.from_bytes(hashlib.sha256(("part:" + text).encode()).digest()[:4], "big") % PARTS


def decisions(model, rows, thresholds=None):
    """``services.decide`` for every row with ``model``'s scores (batch-scored, same rule) and ``thresholds``."""
    spam, abuse = model.probabilities([r.text for r in rows])
    out = []
    for row, s, a in zip(rows, spam, abuse, strict=True):
        scores = classifier.TextScores(round(float(s), 2), round(float(a), 2), [], [], model.version, thresholds)
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
        f"bin (abuse) at the scorer's abuse >= {settings.GAZETTE_COMMENT_BIN_OFFENSIVE}, "
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


def per_source(rows, statuses):
    print()
    print(f"{'source':52}{'rows':>6} {'settled':>8} {'wrong':>7}  unwanted published, wanted binned")
    for source in sorted({r.source for r in rows}):
        sub = [(r, s) for r, s in zip(rows, statuses, strict=True) if r.source == source]
        f = figures([r for r, _ in sub], [s for _, s in sub])
        published_unwanted = sum(1 for r, s in sub if s == CommentStatus.PUBLISHED and r.label != classifier.WANTED)
        print(
            f"{source:52}{f['n']:>6} {f['settled']:8.1%} {f['wrong']:7.1%}  {published_unwanted:>18}, "
            f"{f['wanted_binned']:>13}"
        )


def ranking(rows, model):
    """Each head's area under the ROC curve on ``rows``: per language, and the abuse head per abuse corpus."""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    spam, abuse = model.probabilities([r.text for r in rows])
    print()
    print("Ranking (area under the ROC curve on the held-out rows, bootstrap 95 % interval over 200 resamples):")
    rng = np.random.default_rng(classifier.SEED)

    def auc(chosen, scores, label):
        truth = np.asarray([rows[i].label == label for i in chosen])
        values = np.asarray([scores[i] for i in chosen])
        samples = []
        for _ in range(200):
            pick = rng.integers(0, len(chosen), len(chosen))
            if 0 < truth[pick].sum() < len(pick):
                samples.append(roc_auc_score(truth[pick], values[pick]))
        low, high = np.percentile(samples, [2.5, 97.5])
        return f"{roc_auc_score(truth, values):.3f} ({low:.3f}-{high:.3f})"

    for lang in (classifier.EN, classifier.RU):
        chosen = [i for i, r in enumerate(rows) if r.lang == lang]
        heads = f"abuse head {auc(chosen, abuse, classifier.ABUSE)}, spam head {auc(chosen, spam, classifier.SPAM)}"
        print(f"  {lang}: {heads}")
    for source in sorted({r.source for r in rows if r.label == classifier.ABUSE}):
        chosen = [i for i, r in enumerate(rows) if r.source == source]
        print(f"  abuse head on {source}: {auc(chosen, abuse, classifier.ABUSE)}")


CALIBRATION_BINS = (0.0, 0.05, 0.2, 0.5, 0.8, 0.95, 1.01)


def calibration(rows, model):
    """Whether the scores mean what they say: per head and language, the held-out comments in each
    band of score, their mean score and the share of them that really were spam (or abuse), with
    the Brier score and the expected calibration error (the count-weighted gap between the two)."""
    import numpy as np

    spam, abuse = model.probabilities([r.text for r in rows])
    print()
    print("Calibration on the held-out rows (each band: comments, mean score -> share that were so labelled):")
    for head, scores, label in (("spam", spam, classifier.SPAM), ("abuse", abuse, classifier.ABUSE)):
        for lang in (classifier.EN, classifier.RU):
            chosen = [i for i, r in enumerate(rows) if r.lang == lang]
            values = np.asarray([scores[i] for i in chosen])
            truth = np.asarray([rows[i].label == label for i in chosen], dtype=float)
            cells, gap = [], 0.0
            for low, high in itertools.pairwise(CALIBRATION_BINS):
                band = (values >= low) & (values < high)
                if band.any():
                    mean, share = values[band].mean(), truth[band].mean()
                    gap += band.sum() * abs(mean - share)
                    closing = "]" if high > 1 else ")"
                    cells.append(f"[{low:g}, {min(high, 1):g}{closing} {band.sum()}: {mean:.2f} -> {share:.2f}")
            brier = float(np.mean((values - truth) ** 2))
            error = gap / len(values)
            print(f"  {head:5} {lang}: Brier {brier:.3f}, calibration error {error:.3f}; " + "; ".join(cells))


def ceiling(rows, model):
    """What the targets ask of the bin beside the most that bin thresholds give on these scores.

    With at most 10 % of comments held and under 1 % of them published unwanted, at least
    ``unwanted - 11 %`` of all comments must be binned, none of them wanted. A pair of bin
    thresholds bins the comments scoring at least one of them; the most it bins while binning at
    most ``k`` wanted comments is found by trying, for each head, the scores of the wanted comments
    that score highest on it (each head's threshold need only sit just above one of them).
    """
    import numpy as np

    spam, abuse = (np.asarray(v) for v in model.probabilities([r.text for r in rows]))
    allowances = (0, 5, 10, 20)
    print()
    print(
        "Ceiling (targets 90 % settled, under 1 % wrong, no wanted binned): the share of unwanted comments "
        "that must be binned, and the most that bin thresholds chosen on these rows bin with at most "
        + ", ".join(str(k) for k in allowances)
        + " wanted comments binned"
    )
    for lang in (classifier.EN, classifier.RU):
        chosen = np.asarray([r.lang == lang for r in rows])
        wanted = chosen & np.asarray([r.label == classifier.WANTED for r in rows])
        unwanted = chosen & ~wanted
        candidates = [
            np.append(np.unique(scores[wanted])[::-1][: max(allowances) + 1], np.inf) for scores in (spam, abuse)
        ]
        best = dict.fromkeys(allowances, 0)
        for top_spam in candidates[0]:
            for top_abuse in candidates[1]:
                binned = (spam > top_spam) | (abuse > top_abuse)
                wanted_binned, unwanted_binned = int((binned & wanted).sum()), int((binned & unwanted).sum())
                for k in allowances:
                    if wanted_binned <= k:
                        best[k] = max(best[k], unwanted_binned)
        share = unwanted.sum() / chosen.sum()
        print(
            f"  {lang}: unwanted {share:.1%} of {chosen.sum()}; at least {max(0.0, share - 0.11) / share:.1%} of them "
            f"must be binned; thresholds bin at most "
            + ", ".join(f"{best[k] / unwanted.sum():.1%}" for k in allowances)
            + f" of them (of {wanted.sum()} wanted, that many binned)"
        )


AUDIT_SALT = "audit:"
AUDIT_FILE = Path(__file__).resolve().parent / "label_audit.tsv"
UNCLEAR = "unclear"


def audited_positions(rows):
    """Where in ``rows`` the comments the team read are, in hash order, and each one's reading (``AUDIT_FILE``)."""
    with AUDIT_FILE.open(encoding="utf-8", newline="") as f:
        readings = list(csv.DictReader(f, delimiter="\t"))
    order = sorted(range(len(rows)), key=lambda i: hashlib.sha256((AUDIT_SALT + rows[i].text).encode()).hexdigest())
    positions = order[: len(readings)]
    for i, reading in zip(positions, readings, strict=True):
        if hashlib.sha256(rows[i].text.encode()).hexdigest()[:16] != reading["key"]:
            raise SystemExit(f"{AUDIT_FILE.name} no longer matches the held-out rows: the corpora changed.")
    return positions, [reading["reading"] for reading in readings]


def label_audit(rows, statuses):
    """Where a reading of the text contradicts the corpus label, and what the rules' figures are judged by each."""
    positions, readings = audited_positions(rows)
    chosen = [rows[i] for i in positions]
    decided = [statuses[i] for i in positions]

    def kind(label):
        return label if label == UNCLEAR else (classifier.WANTED if label == classifier.WANTED else "unwanted")

    def share(k, n):
        low, high = classifier.lower_bound(k, n, 0.975), classifier.upper_bound(k, n, 0.975)
        return f"{k} of {n} ({k / n if n else 0:.1%}, 95 % {low:.1%}-{high:.1%})"

    print()
    print(
        f"Label audit: {len(chosen)} held-out comments read without their labels or scores "
        f"({AUDIT_FILE.name}); a reading contradicts a label when it calls a wanted comment spam or abuse "
        "or the reverse"
    )
    print(f"  {'source':50}{'rows':>5} {'agree':>6} {'contradict':>11} {'unclear':>8}")
    for source in sorted({r.source for r in chosen}):
        pairs = [(kind(r.label), kind(m)) for r, m in zip(chosen, readings, strict=True) if r.source == source]
        unclear = sum(m == UNCLEAR for _, m in pairs)
        agree = sum(label == m for label, m in pairs)
        print(f"  {source:50}{len(pairs):>5} {agree:>6} {len(pairs) - agree - unclear:>11} {unclear:>8}")
    for lang in (classifier.EN, classifier.RU):
        lang_pairs = [(r, m) for r, m in zip(chosen, readings, strict=True) if r.lang == lang]
        for label, other in ((classifier.WANTED, "unwanted"), ("unwanted", classifier.WANTED)):
            labelled = [m for r, m in lang_pairs if kind(r.label) == label]
            print(
                f"  {lang}: labelled {label}, read as {other}: "
                + share(sum(kind(m) == other for m in labelled), len(labelled))
                + f"; unclear {sum(m == UNCLEAR for m in labelled)}"
            )
        beyond = sum(m == UNCLEAR or kind(r.label) != kind(m) for r, m in lang_pairs)
        print(
            f"  {lang}: the text contradicts the label or does not tell: {share(beyond, len(lang_pairs))}; "
            "the targets leave at most 11 % of comments to hold or settle wrongly"
        )
    clear = [(r, m, s) for r, m, s in zip(chosen, readings, decided, strict=True) if m != UNCLEAR]
    by_label = figures([r for r, _, _ in clear], [s for _, _, s in clear])
    by_reading = figures([classifier.Row(r.text, m, r.lang, r.source) for r, m, _ in clear], [s for _, _, s in clear])
    unclear_settled = sum(s != CommentStatus.PENDING for m, s in zip(readings, decided, strict=True) if m == UNCLEAR)
    print(
        f"  Default rules on the {len(clear)} rows read clearly: settled {by_label['settled']:.1%}; wrong of settled "
        f"{by_label['wrong']:.1%} by the labels, {by_reading['wrong']:.1%} by the reading; wanted binned "
        f"{by_label['wanted_binned']} / {by_reading['wanted_binned']}. Unclear rows settled: "
        f"{unclear_settled} of {len(readings) - len(clear)}"
    )
    print(
        "  A scorer deciding as the reading does (unclear held, wanted published, spam and abuse binned), "
        "by the labels:"
    )
    as_read = [
        CommentStatus.PENDING
        if m == UNCLEAR
        else CommentStatus.PUBLISHED
        if m == classifier.WANTED
        else CommentStatus.SPAM
        for m in readings
    ]
    for lang in (classifier.EN, classifier.RU):
        sub = [(r, s) for r, s in zip(chosen, as_read, strict=True) if r.lang == lang]
        f = figures([r for r, _ in sub], [s for _, s in sub])
        print(
            f"    {lang}: settled {f['settled']:.1%} (target >= 90 %), wrong of settled {f['wrong']:.1%} (< 1 %), "
            f"wanted binned {f['wanted_binned']} of {sum(r.label == classifier.WANTED for r, _ in sub)} (0)"
        )
    print("  Contradicted (source, label -> reading, decision, text):")
    for r, m, s in clear:
        if kind(r.label) != kind(m):
            text = " ".join(r.text.split())[:70]
            print(f"    {r.source[:24]:24} {r.label:>6} -> {m:6} {DECISIONS[s]:9} {text}")


def identity_words_check(rows, model):
    """Whether identity words alone move the abuse score: the share held by the default abuse hold
    of held-out comments that use identity words and of those that do not, and of the team's
    friendly and hateful sentences about each identity word (``bench/identity_sentences.py``)."""
    from bench.identity_sentences import sentences

    hold = settings.GAZETTE_COMMENT_HOLD_OFFENSIVE
    _, abuse = model.probabilities([r.text for r in rows])

    def held(scores):
        return (
            f"{sum(round(float(a), 2) >= hold for a in scores) / len(scores):5.1%} of {len(scores)}" if scores else "-"
        )

    print()
    print(f"Identity words (abuse score >= {hold:g} holds): held-out comments, then the team's sentences")
    written = sentences()
    _, written_abuse = model.probabilities([text for text, _, _ in written])
    for lang in (classifier.EN, classifier.RU):
        cells = []
        for label in (classifier.WANTED, classifier.ABUSE):
            for named in (True, False):
                scores = [
                    a
                    for r, a in zip(rows, abuse, strict=True)
                    if r.lang == lang and r.label == label and bool(classifier.identity_words(r.text)) == named
                ]
                cells.append(f"{label} {'with' if named else 'without'} {held(scores)}")
        for hateful in (False, True):
            scores = [a for (_, h, lg), a in zip(written, written_abuse, strict=True) if lg == lang and h == hateful]
            cells.append(f"{'hateful' if hateful else 'friendly'} sentences {held(scores)}")
        print(f"  {lang}: " + "; ".join(cells))


def is_validation_row(text: str) -> bool:
    return int.from_bytes(hashlib.sha256(("validation:" + text).encode()).digest()[:4], "big") % 5 == 0


def decide_all(rows, spam, abuse, thresholds):
    hold_spam, hold_abuse, bin_spam, bin_abuse = thresholds
    with override_settings(
        GAZETTE_COMMENT_HOLD_SPAM=hold_spam,
        GAZETTE_COMMENT_HOLD_OFFENSIVE=hold_abuse,
        GAZETTE_COMMENT_SPAM_THRESHOLD=bin_spam,
        GAZETTE_COMMENT_BIN_OFFENSIVE=bin_abuse,
    ):
        return [
            services.decide(
                r.text,
                approved=0,
                rules=RULES,
                text_scores=classifier.TextScores(round(float(s), 2), round(float(a), 2), [], [], ""),
            ).status
            for r, s, a in zip(rows, spam, abuse, strict=True)
        ]


def rule_on_scores(rows, spam, abuse, thresholds):
    """``services.decide`` for many thresholds at once: its rule applied to arrays of rounded scores.

    What the thresholds do not change (links, promotion, the word list) is read once per row,
    from ``services.decide`` itself; the chosen thresholds are then checked through
    ``services.decide`` (:func:`decide_all`) on the held-out quarter.
    """
    import numpy as np

    hold_spam, hold_abuse, bin_spam, bin_abuse = thresholds
    key = id(rows)
    if key not in _fixed:
        held = [
            services.decide(
                r.text, approved=0, rules=RULES, text_scores=classifier.TextScores(0.0, 0.0, [], [], "")
            ).status
            == CommentStatus.PENDING
            for r in rows
        ]
        listed = [scoring.offensive_score(r.text) for r in rows]
        _fixed[key] = (np.asarray(held), np.asarray(listed), np.round(spam, 2), np.round(abuse, 2))
    held, listed, spam, abuse = _fixed[key]
    binned = (spam >= bin_spam) | (abuse >= bin_abuse)
    pending = held | (spam >= hold_spam) | (np.maximum(abuse, listed) >= hold_abuse)
    return [
        CommentStatus.SPAM if b else CommentStatus.PENDING if p else CommentStatus.PUBLISHED
        for b, p in zip(binned, pending, strict=True)
    ]


_fixed = {}


def trade_off(evaluation, model):
    training = classifier.shipped_training_rows()
    validation = [r for r in training if r.source != classifier.TEAM_FILE and is_validation_row(r.text)]
    fit = [r for r in training if r not in set(validation)]
    started = time.perf_counter()
    tuner = classifier.train(fit, version="validation")
    spam, abuse = tuner.probabilities([r.text for r in validation])
    print()
    print(
        f"Trade-off: thresholds tuned on {len(validation)} validation rows carved from the training rows "
        f"(model trained on the other {len(fit)} in {time.perf_counter() - started:.0f} s), "
        "then applied to the held-out quarter"
    )
    candidates = []
    for thresholds in itertools.product(HOLD_GRID, HOLD_GRID, BIN_GRID, BIN_GRID):
        f = figures(validation, rule_on_scores(validation, spam, abuse, thresholds))
        if f["wanted_binned"] == 0:
            candidates.append((f["settled"], f["wrong"], thresholds))
    spam_e, abuse_e = model.probabilities([r.text for r in evaluation])
    print(f"{'wrong budget':>12} {'hold spam/abuse, bin spam/abuse':>32} {'validation':>18}   held-out EN, RU")
    for budget in WRONG_BUDGETS:
        fitting = [c for c in candidates if c[1] < budget]
        if not fitting:
            print(f"{budget:12.0%}  no thresholds settle anything within it")
            continue
        settled, wrong, thresholds = max(fitting)
        statuses = decide_all(evaluation, spam_e, abuse_e, thresholds)
        cells = []
        for lang in (classifier.EN, classifier.RU):
            sub = [(r, s) for r, s in zip(evaluation, statuses, strict=True) if r.lang == lang]
            f = figures([r for r, _ in sub], [s for _, s in sub])
            cells.append(f"{f['settled']:.1%} settled, {f['wrong']:.1%} wrong, {f['wanted_binned']} wanted binned")
        print(
            f"{budget:12.0%} {' / '.join(f'{t:g}' for t in thresholds):>32} "
            f"{settled:7.1%} / {wrong:5.1%}   " + "; ".join(cells)
        )


def replay(model_dir, source):
    """Run :func:`stream_decisions` in a database of its own (removed afterwards)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(Path(model_dir) / "replay.sqlite3")
    database = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        stream_decisions(source)
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)


def stream_decisions(source):
    from django.contrib.auth import get_user_model

    from gazette.comments.models import ClassifierModel, ReaderComment
    from tests.factories import make_article

    shipped = [r for r in classifier.shipped_training_rows() if r.source != source]
    stream = [r for r in classifier.corpus_rows() if r.source == source and not classifier.is_evaluation_row(r.text)]
    test = [r for r in classifier.evaluation_rows() if r.source == source]
    started = time.perf_counter()
    base = classifier.train(shipped, version="replay-base")
    classifier.save(base)
    ClassifierModel.objects.create(version=base.version, active=True)
    print()
    print(
        f"Replay: {source} left out of the base model ({len(shipped)} rows, "
        f"{time.perf_counter() - started:.0f} s); its {len(stream)} training rows arrive as moderator decisions "
        f"(the first {REPLAY_FIRST_FEW}, then in {REPLAY_CHUNKS} chunks); measured on its {len(test)} held-out rows"
    )
    print(
        f"Thresholds: hold spam/abuse, bin spam/abuse, as the model in force decides with them (budget "
        f"{settings.GAZETTE_COMMENT_PUBLISH_WRONG_BUDGET:.0%} wrong among published, "
        f"bound {classifier.CONFIDENCE:.0%}); "
        "rows '5%', '10%': the same model with the thresholds chosen for that budget"
    )
    print(
        f"{'decisions':>10} {'settled':>8} {'wrong':>7} {'right':>7} {'held':>6}  {'thresholds':24} "
        "model in force (retrain: swapped?, holdout Brier new vs old)"
    )
    article = make_article(title="Replay", lead_image=False, authors=[])
    moderator = get_user_model().objects.create_user("replay-moderator")
    actions = {classifier.WANTED: "approve", classifier.SPAM: "spam", classifier.ABUSE: "reject"}

    def line(label, model, thresholds, note):
        f = figures(test, decisions(model, test, thresholds))
        right = f["settled"] * (1 - f["wrong"])
        limits = " / ".join(
            f"{t:g}" for t in (thresholds.hold_spam, thresholds.hold_abuse, thresholds.bin_spam, thresholds.bin_abuse)
        )
        print(f"{label:>10} {f['settled']:8.1%} {f['wrong']:7.1%} {right:7.1%} {f['held']:6.1%}  {limits:24} {note}")

    def measure(seen, note, evidence=((), (), ())):
        model = classifier.current_model()
        thresholds = classifier.thresholds_for(model.version)
        line(seen, model, thresholds, f"{model.version} {note}")
        for budget in ALTERNATIVE_BUDGETS if len(evidence[0]) else ():
            alternative = classifier.thresholds_on(*evidence, budget=budget)
            line(f"{budget:.0%}", model, alternative, "")

    measure(0, "")
    size = math.ceil(len(stream) / REPLAY_CHUNKS)
    # A new site's first few decisions, then the chunks.
    cuts = [0, REPLAY_FIRST_FEW, *range(size, len(stream), size), len(stream)]
    for start, end in itertools.pairwise(cuts):
        arrived = stream[start:end]
        for label, action in actions.items():
            comments = [
                ReaderComment.objects.create(
                    article=article, author_name="Reader", body=r.text, status=CommentStatus.PENDING
                )
                for r in arrived
                if r.label == label
            ]
            services.moderate(comments, action, moderator)
        result = classifier.retrain(shipped=shipped)
        chosen = "settings stand, checked" if result.thresholds.settings_stand else "thresholds chosen"
        measure(
            end,
            f"({'swapped' if result.swapped else 'kept'}: {result.new_loss:.4f} vs {result.old_loss:.4f}); "
            f"{chosen} on {result.thresholds.decisions} decisions",
            result.evidence,
        )


def main():
    if "--replay-only" in sys.argv:
        run_replays()
        return
    evaluation = classifier.evaluation_rows()
    started = time.perf_counter()
    model = classifier.base_model()
    print(
        f"Comment scorer {model.version}: trained on {model.trained_rows} rows (or loaded) in "
        f"{time.perf_counter() - started:.1f} s; held out {len(evaluation)} corpus comments never trained on"
    )
    statuses = decisions(model, evaluation)
    per_language(evaluation, statuses)
    per_source(evaluation, statuses)
    ranking(evaluation, model)
    calibration(evaluation, model)
    ceiling(evaluation, model)
    label_audit(evaluation, statuses)
    identity_words_check(evaluation, model)
    if "--no-trade-off" not in sys.argv:
        trade_off(evaluation, model)
    if "--no-replay" not in sys.argv:
        run_replays()


def run_replays():
    chosen = [a.split("=", 1)[1] for a in sys.argv if a.startswith("--replay-source=")] or REPLAY_SOURCES
    for source in chosen:
        with tempfile.TemporaryDirectory(prefix="comment-replay-") as model_dir:
            with override_settings(GAZETTE_COMMENT_MODEL_DIR=Path(model_dir)):
                replay(model_dir, source)


if __name__ == "__main__":
    main()
