"""A naive Bayes spam classifier that learns from this site's own moderators.

:func:`spam_probability` returns P(unwanted | text) in 0..1; :func:`learn` moves one
comment's evidence into (or out of) a class. Counts live in the database (``SpamToken``: how
many unwanted and wanted comments contained each token; ``ClassifierState``: how many comments
of each class were seen), so every web process and worker shares one model, a moderator's
decision takes effect on the next comment, and the model can be inspected with SQL. A decision
changed later (approved, then marked spam) is unlearned first, so nothing is counted twice.

It is a document-frequency ("Bernoulli-style") naive Bayes over the tokens a comment contains,
with Laplace smoothing; tokens are lower-cased words plus a few shape features (a link, its
domain, shouting). It starts from the TubeSpam corpus (Alberto, Lochter & Almeida, "TubeSpam:
Comment Spam Filtering on YouTube", ICMLA 2015, CC BY 4.0), loaded the first time a score is
needed when the model is empty, and then follows the newsroom's decisions.

Why not a scikit-learn model: a pickled estimator would have to be stored, locked and
reloaded by every process after each decision; counts in rows are updated with ``F()`` and
are always current.
"""

import csv
import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import F

from .scoring import URL_RE

BOOTSTRAP_CSV = Path(__file__).resolve().parent / "data" / "TubeSpam.csv"
TOKEN_RE = re.compile(r"[^\W_]{2,30}", re.UNICODE)
MAX_TOKENS = 400
ALPHA = 1.0
# A word the model has never seen leans slightly towards a wanted comment (Graham's 0.4): spam is
# formulaic, while readers of a news site use words a YouTube corpus never had.
UNKNOWN_LOG_ODDS = math.log(0.4 / 0.6)
# Function words carry no signal and add noise; dropped in both languages.
STOP_WORDS = frozenset(
    "the an and or of to in on at is are was were be been it its this that you he she we they my your me for "
    "with as so but not no do does have has had just all im it's from by our their his her them us what "
    "и в во не на что с со как а то это по но из у за от же бы ты вы мы он она они я".split()
)
SPAM = "spam"
HAM = "ham"


def tokenize(text: str) -> set[str]:
    """The distinct features of ``text``: words, link markers and domains, shouting."""
    text = unicodedata.normalize("NFKC", text)
    tokens: set[str] = set()
    for url in URL_RE.findall(text):
        tokens.add("__link__")
        domain = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).split("/")[0]
        tokens.add(f"__domain:{domain[:50]}")
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.5:
        tokens.add("__shouting__")
    if text.count("!") >= 3:
        tokens.add("__exclamations__")
    for word in TOKEN_RE.findall(text.lower()):
        if word in STOP_WORDS:
            continue
        tokens.add(word)
        if len(tokens) >= MAX_TOKENS:
            break
    return tokens


@dataclass
class NaiveBayes:
    """The model's arithmetic over counts held in memory (the bench and the bootstrap use it)."""

    spam_docs: int = 0
    ham_docs: int = 0
    counts: dict[str, list[int]] = field(default_factory=dict)  # token -> [spam, ham]

    def learn(self, text: str, label: str) -> None:
        is_spam = label == SPAM
        if is_spam:
            self.spam_docs += 1
        else:
            self.ham_docs += 1
        for token in tokenize(text):
            pair = self.counts.setdefault(token, [0, 0])
            pair[0 if is_spam else 1] += 1

    def probability(self, text: str) -> float:
        return posterior(self.spam_docs, self.ham_docs, (self.counts.get(t) for t in tokenize(text)))


def posterior(spam_docs: int, ham_docs: int, token_counts: Iterable[list[int] | tuple[int, int] | None]) -> float:
    """P(spam | tokens) from class document counts and each token's (spam, ham) counts (None: unknown)."""
    if spam_docs == 0 or ham_docs == 0:
        return 0.5
    log_odds = math.log(spam_docs / ham_docs)
    for pair in token_counts:
        if pair is None or pair[0] + pair[1] == 0:
            log_odds += UNKNOWN_LOG_ODDS
            continue
        spam, ham = pair
        p_spam = (spam + ALPHA) / (spam_docs + 2 * ALPHA)
        p_ham = (ham + ALPHA) / (ham_docs + 2 * ALPHA)
        log_odds += math.log(p_spam / p_ham)
    log_odds = max(-50.0, min(50.0, log_odds))
    return 1.0 / (1.0 + math.exp(-log_odds))


def read_corpus(path: Path = BOOTSTRAP_CSV) -> list[tuple[str, str]]:
    """TubeSpam rows as ``(text, 'spam' | 'ham')``."""
    with path.open(encoding="utf-8", newline="") as f:
        return [(row["CONTENT"], SPAM if row["CLASS"].strip() == "1" else HAM) for row in csv.DictReader(f)]


def _state():
    from .models import ClassifierState

    state, _ = ClassifierState.objects.get_or_create(pk=1)
    return state


@functools.cache
def _corpus_model() -> NaiveBayes:
    model = NaiveBayes()
    for text, label in read_corpus():
        model.learn(text, label)
    return model


def ensure_bootstrapped() -> None:
    """Load the TubeSpam corpus into an empty model (once; later calls do nothing)."""
    from .models import ClassifierState, SpamToken

    if ClassifierState.objects.filter(pk=1, bootstrapped=True).exists():
        return
    model = _corpus_model()
    with transaction.atomic():
        state = ClassifierState.objects.select_for_update().filter(pk=1).first() or _state()
        if state.bootstrapped:
            return
        SpamToken.objects.bulk_create(
            [SpamToken(token=t, spam=s, ham=h) for t, (s, h) in model.counts.items()],
            ignore_conflicts=True,
            batch_size=500,
        )
        ClassifierState.objects.filter(pk=1).update(
            spam_docs=F("spam_docs") + model.spam_docs,
            ham_docs=F("ham_docs") + model.ham_docs,
            bootstrapped=True,
        )


def contributions(spam_docs: int, ham_docs: int, token_counts: dict[str, list[int] | tuple[int, int]]) -> dict:
    """Each known token's term in the posterior's log-odds (positive: it pushed towards spam).

    The model is linear in log-odds, so these terms are exactly what moved the score.
    """
    if spam_docs == 0 or ham_docs == 0:
        return {}
    terms = {}
    for token, (spam, ham) in token_counts.items():
        if spam + ham == 0:
            continue
        p_spam = (spam + ALPHA) / (spam_docs + 2 * ALPHA)
        p_ham = (ham + ALPHA) / (ham_docs + 2 * ALPHA)
        terms[token] = math.log(p_spam / p_ham)
    return terms


def spam_assessment(text: str, *, limit: int = 5) -> tuple[float, list[str]]:
    """P(unwanted | text), rounded to two places, and the tokens that pushed it up most.

    The tokens are the ``limit`` largest positive terms of the log-odds, strongest first;
    shape features keep their markers (``__link__``, ``__domain:example.com``, ``__shouting__``).
    """
    from .models import SpamToken

    ensure_bootstrapped()
    state = _state()
    tokens = tokenize(text)
    known = {t.token: (t.spam, t.ham) for t in SpamToken.objects.filter(token__in=[t[:64] for t in tokens])}
    probability = round(posterior(state.spam_docs, state.ham_docs, (known.get(t[:64]) for t in tokens)), 2)
    terms = contributions(state.spam_docs, state.ham_docs, known)
    drivers = sorted((t for t, v in terms.items() if v > 0), key=lambda t: (-terms[t], t))
    return probability, drivers[:limit]


def spam_probability(text: str) -> float:
    """P(unwanted | text) under the shared model, rounded to two places."""
    return spam_assessment(text)[0]


def learn(text: str, label: str, *, unlearn: str = "") -> None:
    """Count ``text`` as ``label`` (``'spam'`` or ``'ham'``), first removing an earlier ``unlearn``."""
    from .models import ClassifierState, SpamToken

    if label == unlearn:
        return
    ensure_bootstrapped()
    tokens = [t[:64] for t in tokenize(text)]
    with transaction.atomic():
        SpamToken.objects.bulk_create([SpamToken(token=t) for t in tokens], ignore_conflicts=True)
        tokens_qs = SpamToken.objects.filter(token__in=tokens)
        docs = {}
        if unlearn in (SPAM, HAM):
            column = "spam" if unlearn == SPAM else "ham"
            tokens_qs.filter(**{f"{column}__gt": 0}).update(**{column: F(column) - 1})
            docs[f"{column}_docs"] = F(f"{column}_docs") - 1
        if label in (SPAM, HAM):
            column = "spam" if label == SPAM else "ham"
            tokens_qs.update(**{column: F(column) + 1})
            docs[f"{column}_docs"] = F(f"{column}_docs") + 1
        if docs:
            ClassifierState.objects.filter(pk=1).update(**docs)
