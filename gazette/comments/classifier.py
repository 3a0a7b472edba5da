"""The comment scorer: two calibrated heads, spam and abuse, for English and Russian comments.

* :func:`assess_text` returns a :class:`TextScores`: P(spam | text), P(abuse | text) (both
  calibrated, 0..1, rounded to two places), the words that pushed each up most, and the
  version of the model that scored it.
* :func:`retrain` trains a new model from the shipped corpora plus this site's moderator
  decisions and makes it current only if it is at least as good as the current one on a
  held-out slice of those decisions; :func:`current_version` names the model in force.

Features: character 2-5-grams and word uni/bigrams of the text after :func:`normalise` (NFKC,
lower case, Latin/Cyrillic look-alike letters and digits-for-letters folded into the script the
word is mostly written in, masking dots between letters removed, long repeats squeezed), plus a
few shape features (links, e-mail, phone, capitals, exclamation marks, promotion phrases, very
short text, listed Russian and English obscenities, Russian text, listed Russian insults). Each
head is an NB-weighted logistic regression (:class:`NBLogistic`: n-grams scaled by their
naive-Bayes log-count ratio, the abuse head's word n-grams by half of it, fitted by SGD with a
fixed seed) calibrated by an isotonic map learnt on its five-fold out-of-fold scores, so a
score of 0.9 means about nine in ten such comments were unwanted.

Data (``data/SOURCES.md`` names each source and its licence): TubeSpam, ScamSpot (Instagram)
and tg-spam (Russian Telegram) teach spam; Fox News, Wikipedia talk and VK news comments teach
abuse; the team-written ``team_comments.tsv`` adds ordinary friendly news comments in both
languages. Every row also counts as "not the other kind" for the other head (an abusive comment
is not spam). A fixed quarter of the corpus rows, chosen by a hash of the text
(:func:`is_evaluation_row`), is never trained on: ``bench/comments_classifier.py`` measures on it.

Moderators' decisions (:func:`site_decisions`) are training data too: approving or restoring
says "wanted", binning as spam says "spam", rejecting says "abuse". A fifth of them, again by a
hash of the text, is the held-out slice :func:`retrain` compares models on.

Thresholds: each retrain also chooses, on the same held-out decisions, the thresholds the model
in force decides with (:func:`choose_thresholds`: the settings while the decisions do not show
them publishing more unwanted comments than a budget, else the loosest whose share wrong stays
within it at a 95 % upper confidence bound) and stores them with its version
(``ClassifierModel.thresholds``); :func:`assess_text` hands them to ``services.decide`` with the
scores. A site with no held-out decisions decides with the settings' thresholds.

Storage: models are files (``joblib``) in ``GAZETTE_COMMENT_MODEL_DIR`` (under ``var/``, never in
git), named by version; :class:`~gazette.comments.models.ClassifierModel` rows record every
trained version and which one is current. Before any retraining the current model is the *base*
model, built from the shipped data alone the first time a process needs it (``make run`` builds
it ahead; about twenty-five seconds of one core) and reused by every process afterwards. Each
process keeps the model it loaded in a module-level cache and reloads only when the current
version changes.
"""

import csv
import hashlib
import logging
import math
import os
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.db import transaction

from . import scoring

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
# Bump when features or training change: the base model's version (and file) follows the code.
FEATURES_VERSION = "8"
SEED = 20240601
EVALUATION_SHARE = 25  # percent of corpus rows never trained on (the benchmark's)
SITE_HOLDOUT_SHARE = 20  # percent of moderator decisions kept to compare models on
SITE_WEIGHT = 3.0  # a decision on this site counts as much as three corpus rows

WANTED, SPAM, ABUSE = "wanted", "spam", "abuse"
STOP_WORDS = frozenset(
    "the an and or of to in on at is are was were be been it its this that you he she we they my your me for "
    "with as so but not no do does have has had just all im from by our their his her them us what will can "
    "и в во не на что с со как а то это по но из у за от же бы ты вы мы он она они я мне меня тебя".split()
)
EN, RU = "en", "ru"


@dataclass(frozen=True)
class Row:
    """One labelled comment: ``label`` is wanted, spam or abuse; ``lang`` en or ru."""

    text: str
    label: str
    lang: str
    source: str
    weight: float = 1.0


# --- normalisation -----------------------------------------------------------------------

# Letters that look alike in the two alphabets, and digits or symbols used for letters.
CYRILLIC_TO_LATIN = str.maketrans("аверкмнорстуххіј", "abepkmhopctyxxij")
LATIN_TO_CYRILLIC = str.maketrans("abcehkmnoprtuxyi", "авсенкмпорртихуи")
DIGITS_AS_LATIN = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
DIGITS_AS_CYRILLIC = str.maketrans({"0": "о", "1": "и", "3": "з", "4": "ч", "6": "б", "@": "а"})
WORD_RE = re.compile(r"[\w@$]+")
CYRILLIC_RE = re.compile(r"[а-яё]")
LATIN_RE = re.compile(r"[a-z]")


def _fold_word(match: re.Match) -> str:
    word = match.group(0)
    cyrillic = len(CYRILLIC_RE.findall(word))
    latin = len(LATIN_RE.findall(word))
    if cyrillic + latin < 2:
        return word
    if cyrillic >= latin:
        return word.translate(LATIN_TO_CYRILLIC).translate(DIGITS_AS_CYRILLIC)
    return word.translate(CYRILLIC_TO_LATIN).translate(DIGITS_AS_LATIN)


def normalise(text: str) -> str:
    """``text`` as the features see it.

    ``Х.У.Й``, ``xуй`` and ``хуууй`` all read ``хуй``; ``fr33 m0ney`` reads ``free money``.
    """
    text = unicodedata.normalize("NFKC", text).lower().replace("ё", "е")
    text = scoring.URL_RE.sub(" urlmark ", text)
    text = re.sub(r"(?<=\w)[.\-*_](?=\w\b|\w[.\-*_])", "", text)
    text = re.sub(r"([^\W\d_])\1{2,}", r"\1\1", text)  # letters only: 5000 stays 5000
    return WORD_RE.sub(_fold_word, text)


def language(text: str) -> str:
    """``ru`` when Cyrillic letters are at least a third of the letters, else ``en``."""
    letters = [c for c in text.lower() if c.isalpha()]
    if not letters:
        return EN
    cyrillic = sum(1 for c in letters if "а" <= c <= "я" or c == "ё")
    return RU if cyrillic * 3 >= len(letters) else EN


SHAPE_NAMES = (
    "__link__",
    "__email__",
    "__phone__",
    "__shouting__",
    "__exclamations__",
    "__promotion__",
    "__short__",
    "__obscenity__",
    "__russian__",
    "__insult__",
)
CYRILLIC_WORD_RE = re.compile(r"[а-я]+")


def shape_features(texts, normalised=None):
    """A sparse matrix of the shape markers (one column per :data:`SHAPE_NAMES` entry).

    ``__obscenity__`` is the number of listed obscenities (Russian and English, disguised
    spellings seen through, at most three), ``__russian__`` marks Russian text so each
    language gets its own baseline, ``__insult__`` counts listed Russian insults
    (``scoring.russian_insults``, at most three). ``normalised``: the texts as
    :func:`normalise` reads them (their first :data:`MAX_CHARS` characters), when the caller
    has them already.
    """
    import numpy as np
    from scipy import sparse

    if normalised is None:
        normalised = [normalise(t[:MAX_CHARS]) for t in texts]
    rows = []
    for text, plain in zip(texts, normalised, strict=True):
        letters = [c for c in text if c.isalpha()]
        links = scoring.count_links(text)
        rows.append(
            [
                min(links, 3) / 3,
                1.0 if scoring.EMAIL_RE.search(text) else 0.0,
                1.0 if scoring.PHONE_RE.search(text) else 0.0,
                1.0 if len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.5 else 0.0,
                1.0 if text.count("!") >= 3 else 0.0,
                min(len(scoring.promotion_signals(text)), 3) / 3,
                1.0 if len(text) < 25 else 0.0,
                min(len(scoring.russian_offences(text)) + len(scoring.english_offences(text)), 3) / 3,
                1.0 if language(text) == RU else 0.0,
                min(len(scoring.russian_insults(CYRILLIC_WORD_RE.findall(plain))), 3) / 3,
            ]
        )
    return sparse.csr_matrix(np.asarray(rows, dtype=np.float32).reshape(-1, len(SHAPE_NAMES)))


# --- data ----------------------------------------------------------------------------------


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.strip().encode("utf-8")).digest()[:8], "big")


def is_evaluation_row(text: str) -> bool:
    """A fixed quarter of corpus texts (by a hash of the text), which no training run ever sees."""
    return _digest(text) % 100 < EVALUATION_SHARE


def site_fold(text: str) -> int:
    """Which fifth of the moderator decisions a text falls in (by a hash of the text); 0 is the held-out one."""
    return _digest("site:" + text) % 100 // SITE_HOLDOUT_SHARE


def is_site_holdout(text: str) -> bool:
    """The fifth of moderator decisions (by a hash of the text) that models are compared on."""
    return site_fold(text) == 0


def _read_csv(name: str, text_column: str, label_of, lang: str | None) -> list[Row]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        return [
            Row(row[text_column], label_of(row), lang or language(row[text_column]), name)
            for row in csv.DictReader(f)
            if row[text_column].strip()
        ]


CORPORA = (
    ("TubeSpam.csv", "CONTENT", lambda r: SPAM if r["CLASS"].strip() == "1" else WANTED, EN),
    ("spam_en_instagram_scamspot.csv", "text", lambda r: SPAM if r["label"] == "spam" else WANTED, EN),
    ("spam_ru_telegram_tg-spam.csv", "text", lambda r: SPAM if r["label"] == "spam" else WANTED, None),
    ("abuse_en_foxnews_comments.csv", "text", lambda r: ABUSE if r["label"] == "hate" else WANTED, EN),
    ("abuse_en_wikipedia_talk_toxicity.csv", "text", lambda r: ABUSE if r["label"] == "toxic" else WANTED, EN),
    (
        "abuse_ru_vk_news_comments_distorted_toxicity.csv",
        "text",
        lambda r: ABUSE if r["label"] == "toxic" else WANTED,
        RU,
    ),
)
TEAM_FILE = "team_comments.tsv"


def corpus_rows() -> list[Row]:
    """Every row of the public corpora, in file order (evaluation rows included)."""
    rows = []
    for name, column, label_of, lang in CORPORA:
        rows += _read_csv(name, column, label_of, lang)
    return rows


def team_rows() -> list[Row]:
    """The team-written examples (``text``, ``label``, ``lang``); always trained on."""
    with (DATA_DIR / TEAM_FILE).open(encoding="utf-8", newline="") as f:
        return [
            Row(r["text"], r["label"], r["lang"], TEAM_FILE)
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


def shipped_training_rows() -> list[Row]:
    """What every model learns before this site's decisions: corpora minus the evaluation quarter, plus the team's."""
    return [r for r in corpus_rows() if not is_evaluation_row(r.text)] + team_rows()


def evaluation_rows() -> list[Row]:
    return [r for r in corpus_rows() if is_evaluation_row(r.text)]


def _latest_decisions():
    """Comments annotated with their latest decision by a person (``decided``, ``before``); only those with one."""
    from django.db.models import OuterRef, Subquery

    from .models import CommentStatusChange, ReaderComment

    latest = CommentStatusChange.objects.filter(comment=OuterRef("pk")).exclude(user_name="").order_by("-at", "-pk")
    return ReaderComment.objects.annotate(
        decided=Subquery(latest.values("new_status")[:1]), before=Subquery(latest.values("old_status")[:1])
    ).exclude(decided=None)


def site_decision_count() -> int:
    """How many rows :func:`site_decisions` gives, counted by the database (no text is read)."""
    from django.db.models import Q

    from .choices import CommentStatus

    teaching = Q(decided__in=(CommentStatus.PUBLISHED, CommentStatus.SPAM, CommentStatus.REJECTED)) | Q(
        decided=CommentStatus.PENDING, before__in=(CommentStatus.SPAM, CommentStatus.REJECTED)
    )
    return _latest_decisions().filter(teaching).count()


def site_decisions() -> list[Row]:
    """This site's moderator decisions as training rows, from each comment's latest decision by a person.

    Approved (published) and restored (taken out of the bin back to the queue) mean wanted;
    binned as spam means spam; rejected means abuse. A comment whose latest human decision
    undid an approval (published back to pending) teaches nothing.
    """
    from .choices import CommentStatus

    qs = _latest_decisions().order_by("pk").values_list("body", "decided", "before")
    labels = {CommentStatus.PUBLISHED: WANTED, CommentStatus.SPAM: SPAM, CommentStatus.REJECTED: ABUSE}
    rows = []
    for body, decided, before in qs.iterator():
        if decided == CommentStatus.PENDING:
            if before not in (CommentStatus.SPAM, CommentStatus.REJECTED):
                continue
            label = WANTED
        else:
            label = labels.get(decided)
            if label is None:
                continue
        rows.append(Row(body, label, language(body), "site", SITE_WEIGHT))
    return rows


# --- the model -----------------------------------------------------------------------------


MAX_CHARS = 1000  # features read the start of a long comment; spam and abuse show early


@dataclass
class Model:
    """A trained scorer: the two vectorisers and the two calibrated heads."""

    version: str
    chars: object
    words: object
    spam_head: object
    abuse_head: object
    spam_weights: object = None
    abuse_weights: object = None
    trained_rows: int = 0
    site_rows: int = 0
    names: list = field(default_factory=list)
    features_version: str = ""  # the FEATURES_VERSION it was trained with; its features only fit that code

    def transform(self, texts: list[str]):
        normalised = [normalise(t[:MAX_CHARS]) for t in texts]
        return _stack(self.chars.transform(normalised), self.words.transform(normalised), texts, normalised)

    def probabilities(self, texts: list[str]):
        """(spam, abuse) probability arrays for ``texts``."""
        x = self.transform(texts)
        return self.spam_head.predict_proba(x)[:, 1], self.abuse_head.predict_proba(x)[:, 1]

    def drivers(self, text: str, weights, limit: int = 5) -> list[str]:
        """The words (or shape markers) of ``text`` that pushed a head's score up most, strongest first.

        Function words (``me``, ``with``, ``ты``) are left out: they tell a moderator nothing.
        """
        x = self.transform([text])
        offset = len(self.chars.vocabulary_)
        terms = []
        for index, value in zip(x.indices, x.data, strict=True):
            if index < offset:
                continue  # character n-grams say little to a person
            if all(word in STOP_WORDS for word in self.names[index - offset].split()):
                continue
            contribution = float(weights[index]) * float(value)
            if contribution > 0:
                terms.append((-contribution, self.names[index - offset]))
        return [name for _, name in sorted(terms)[:limit]]


def _fingerprint(rows: list[Row]) -> str:
    digest = hashlib.sha256(FEATURES_VERSION.encode())
    for row in rows:
        digest.update(f"{row.label}\t{row.lang}\t{row.weight}\t{row.text}\n".encode())
    return digest.hexdigest()


WORD_PATTERN = r"(?u)\b\w\w+\b"
# The weight of the word columns in the abuse head. At full weight the word uni/bigrams drown
# the character n-grams there and the head ranks Russian comments (disguised spellings, rich
# inflection) worse: by five-fold cross-validation on the training rows, halving them lifts the
# abuse head's Russian ROC AUC from 0.81 to 0.83, English unchanged. The spam head keeps them
# at full weight: halved, its calibrated score reaches 1.00 (the bin) on a few wanted comments.
ABUSE_WORD_SCALE = 0.5


def _stack(chars, words, texts, normalised):
    """The feature matrix: character n-grams, then word n-grams, then the shape markers."""
    from scipy import sparse

    return sparse.hstack([chars, words, shape_features(texts, normalised)]).tocsr()


def _vectorisers():
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    common = {"lowercase": False, "min_df": 2, "sublinear_tf": True, "dtype": np.float32}
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), max_features=60000, **common)
    words = TfidfVectorizer(token_pattern=WORD_PATTERN, ngram_range=(1, 2), max_features=30000, **common)
    return chars, words


class NBLogistic:
    """A logistic regression on naive-Bayes-scaled n-grams (NB-SVM, Wang & Manning 2012).

    ``fit`` weighs each n-gram column by its log-count ratio between the two classes (how much
    more often it appears in positive rows), then fits a logistic regression by SGD (fixed
    seed) on the scaled columns; the last ``plain`` columns (the shape markers) are left
    unscaled, and the columns ``scaled`` (start, stop) are weighted by ``scale`` on top. The
    ratio is learnt inside ``fit``, so a calibration fold never sees the rows it is calibrated
    on. Strong on short, toxic and spammy texts, and fast.
    """

    _estimator_type = "classifier"

    def __init__(
        self,
        plain: int = 0,
        alpha: float = 1e-4,
        random_state: int = SEED,
        scaled: tuple = (0, 0),
        scale: float = 1.0,
    ):
        self.plain = plain
        self.alpha = alpha
        self.random_state = random_state
        self.scaled = scaled
        self.scale = scale

    def get_params(self, deep=True):
        return {
            "plain": self.plain,
            "alpha": self.alpha,
            "random_state": self.random_state,
            "scaled": self.scaled,
            "scale": self.scale,
        }

    def set_params(self, **params):
        for key, value in params.items():
            setattr(self, key, value)
        return self

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags, Tags, TargetTags

        return Tags(
            estimator_type="classifier", target_tags=TargetTags(required=True), classifier_tags=ClassifierTags()
        )

    def _scale(self, x):
        from scipy import sparse

        return (x @ sparse.diags(self.ratio_)).tocsr()

    def fit(self, x, y, sample_weight=None):
        import numpy as np
        from scipy import sparse
        from sklearn.linear_model import SGDClassifier

        y = np.asarray(y)
        self.classes_ = np.unique(y)
        weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        grams = x.shape[1] - self.plain
        present = (x[:, :grams] > 0).astype(np.float64)
        positive = 1.0 + np.asarray(present.T @ (weights * (y == 1))).ravel()
        negative = 1.0 + np.asarray(present.T @ (weights * (y != 1))).ravel()
        ratio = np.log(positive / positive.sum()) - np.log(negative / negative.sum())
        start, stop = self.scaled
        ratio[start:stop] *= self.scale
        self.ratio_ = np.concatenate([ratio, np.ones(self.plain)]).astype(np.float32)
        self.linear_ = SGDClassifier(
            loss="log_loss",
            alpha=self.alpha,
            class_weight="balanced",
            max_iter=50,
            tol=1e-4,
            random_state=self.random_state,
        )
        self.linear_.fit(sparse.csr_matrix(self._scale(x)), y, sample_weight=weights)
        return self

    def decision_function(self, x):
        return self.linear_.decision_function(self._scale(x))

    def predict_proba(self, x):
        import numpy as np

        p = 1.0 / (1.0 + np.exp(-self.decision_function(x)))
        return np.column_stack([1.0 - p, p])

    def predict(self, x):
        return self.classes_[(self.decision_function(x) > 0).astype(int)]

    @property
    def word_weights(self):
        """Each column's weight in the linear score (the coefficient times the column's ratio)."""
        return self.linear_.coef_[0] * self.ratio_


def _head(x, y, weights, *, scaled=(0, 0), scale=1.0):
    """An NB-weighted logistic regression fitted on all rows, calibrated (isotonic) on its out-of-fold scores.

    Five stratified folds give every row a score from a model that did not see it; one
    isotonic map from those scores to the labels calibrates the model fitted on all rows.
    Isotonic, not a sigmoid: there are thousands of rows, and the scores' tails (where the
    decision thresholds sit) are rarely shaped like a logistic curve. A head with fewer than
    50 rows of a class (a test's small corpus) falls back to a sigmoid. The columns ``scaled``
    (start, stop) weigh ``scale`` times their naive-Bayes ratio.
    """
    import numpy as np
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.model_selection import StratifiedKFold

    positives = int(y.sum())
    folds = min(5, positives, len(y) - positives)
    if folds < 2:
        raise ValueError("A head needs at least two examples of each class to train.")
    method = "isotonic" if min(positives, len(y) - positives) >= 50 else "sigmoid"
    base = NBLogistic(plain=len(SHAPE_NAMES), scaled=scaled, scale=scale)
    head = CalibratedClassifierCV(
        base, method=method, cv=StratifiedKFold(folds, shuffle=True, random_state=SEED), ensemble=False
    )
    head.fit(x, y, sample_weight=weights)
    # The weights of the model fitted on all rows say which words pushed a score up.
    coef = np.mean([c.estimator.word_weights for c in head.calibrated_classifiers_], axis=0)
    return head, coef.astype(np.float32)


# Words that name who someone is (sexual orientation, gender identity, religion, origin,
# disability), English and Russian stems. In the corpora they turn up more often in abusive
# comments than in others ("gay": 62 abusive, 51 not), so a head trained as is learns the word
# itself as abuse and holds "I am gay." The abuse head weighs the rows that use them towards
# abusive and other rows counting, for each word, in the same proportion as in the whole corpus
# (instance weighting; Zhang et al., "Demographics Should Not Be the Reason of Toxicity", 2020).
IDENTITY_TERMS = (
    r"gays?|lesbians?|bisexuals?|transgenders?|trans|queers?|lgbtq?|homosexuals?|heterosexuals?|"
    r"muslims?|islam\w*|jews?|jewish|judaism|christians?|christianity|catholics?|protestants?|buddhists?|"
    r"hindus?|sikhs?|atheists?|blacks?|whites?|africans?|asians?|hispanics?|latinos?|latinas?|mexicans?|"
    r"chinese|arabs?|immigrants?|migrants?|refugees?|women|woman|deaf|blind|disabled|elderly|"
    r"гей\w*|геи|лесби\w*|бисексуал\w*|трансгендер\w*|гомосексуал\w*|мусульман\w*|ислам\w*|"
    r"евре\w*|еврей\w*|иуде\w*|христиан\w*|православн\w*|католи\w*|буддист\w*|атеист\w*|"
    r"украин\w*|русск\w*|татар\w*|чечен\w*|кавказ\w*|таджик\w*|узбек\w*|мигрант\w*|"
    r"беженц\w*|женщин\w*|инвалид\w*|глух\w*|слеп\w*"
)
IDENTITY_PATTERN = re.compile(rf"(?<!\w)({IDENTITY_TERMS})(?!\w)")
IDENTITY_PRIOR_ROWS = 10  # a word seen in few rows is pulled towards the corpus's share
# Half way: fully balanced, the head also misses more hate speech, which names groups by
# definition (five-fold cross-validation on the training rows: English area under the ROC curve
# 0.930 -> 0.918 fully balanced, 0.926 half way; see docs/comments.md).
IDENTITY_BALANCE_STRENGTH = 0.5


def identity_words(text: str) -> set[str]:
    """The identity words of ``text`` (see :data:`IDENTITY_TERMS`), as written, lower case."""
    return set(IDENTITY_PATTERN.findall(normalise(text[:MAX_CHARS])))


def identity_balanced(normalised: list[str], y, weights):
    """``weights`` with each row that uses identity words (``normalised``: the rows' texts as
    :func:`train` normalises them) reweighed towards balance: at full strength, for every such
    word the weighted share of ``y`` among its rows becomes the share in all rows (its own share
    smoothed towards that by :data:`IDENTITY_PRIOR_ROWS`); a row with several words takes the
    mean of their factors, raised to :data:`IDENTITY_BALANCE_STRENGTH`."""
    import numpy as np

    total = float(weights.sum())
    share = float(weights[y == 1].sum()) / total if total else 0.0
    found = [set(IDENTITY_PATTERN.findall(text)) for text in normalised]
    positive, seen = {}, {}
    for words, label, weight in zip(found, y, weights, strict=True):
        for word in words:
            seen[word] = seen.get(word, 0.0) + weight
            positive[word] = positive.get(word, 0.0) + weight * label
    balanced = weights.copy()
    for i, words in enumerate(found):
        if not words or not 0 < share < 1:
            continue
        factors = []
        for word in words:
            local = (positive[word] + share * IDENTITY_PRIOR_ROWS) / (seen[word] + IDENTITY_PRIOR_ROWS)
            factors.append(share / local if y[i] == 1 else (1 - share) / (1 - local))
        balanced[i] = weights[i] * float(np.mean(factors)) ** IDENTITY_BALANCE_STRENGTH
    return balanced


def train(rows: list[Row], version: str | None = None) -> Model:
    """Fit the vectorisers and both heads on ``rows`` (deterministic: same rows, same model)."""
    import warnings

    import numpy as np
    from sklearn.exceptions import ConvergenceWarning

    texts = [r.text for r in rows]
    weights = np.asarray([r.weight for r in rows], dtype=np.float64)
    normalised = [normalise(t[:MAX_CHARS]) for t in texts]
    chars, words = _vectorisers()
    x = _stack(chars.fit_transform(normalised), words.fit_transform(normalised), texts, normalised)
    with warnings.catch_warnings():
        # SGD stops after max_iter epochs by design; the calibration corrects what is left.
        warnings.simplefilter("ignore", ConvergenceWarning)
        spam_head, spam_weights = _head(x, np.asarray([r.label == SPAM for r in rows], dtype=int), weights)
        is_abuse = np.asarray([r.label == ABUSE for r in rows], dtype=int)
        abuse_head, abuse_weights = _head(
            x,
            is_abuse,
            identity_balanced(normalised, is_abuse, weights),
            scaled=(len(chars.vocabulary_), len(chars.vocabulary_) + len(words.vocabulary_)),
            scale=ABUSE_WORD_SCALE,
        )
    return Model(
        version=version or f"base-{_fingerprint(rows)[:10]}",
        chars=chars,
        words=words,
        spam_head=spam_head,
        abuse_head=abuse_head,
        spam_weights=spam_weights,
        abuse_weights=abuse_weights,
        trained_rows=len(rows),
        site_rows=sum(1 for r in rows if r.source == "site"),
        names=[str(n) for n in words.get_feature_names_out()] + list(SHAPE_NAMES),
        features_version=FEATURES_VERSION,
    )


# --- storage and the per-process cache -----------------------------------------------------


def model_dir() -> Path:
    return Path(getattr(settings, "GAZETTE_COMMENT_MODEL_DIR", Path(settings.BASE_DIR) / "var" / "comment-models"))


def model_path(version: str) -> Path:
    return model_dir() / f"comment-model-{version}.joblib"


def save(model: Model) -> Path:
    """Write ``model`` under its version (atomically: readers never see half a file)."""
    import joblib

    path = model_path(model.version)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".joblib")
    os.close(fd)
    try:
        joblib.dump(model, tmp, compress=3)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def load(version: str) -> Model:
    import joblib

    return joblib.load(model_path(version))


_lock = threading.Lock()
_loaded: dict[str, Model] = {}  # version -> model; the current one and at most one other
KEEP_LOADED = 2
_base_version: list[str] = []


def _remember(version: str, model: Model) -> None:
    while len(_loaded) >= KEEP_LOADED:
        _loaded.pop(next(iter(_loaded)))
    _loaded[version] = model


def base_version() -> str:
    """The version of the model trained on the shipped data alone (follows the data and the code)."""
    if not _base_version:
        _base_version.append(f"base-{_fingerprint(shipped_training_rows())[:10]}")
    return _base_version[0]


def base_model() -> Model:
    """The shipped-data model: loaded from its file, trained and saved first if there is none."""
    version = base_version()
    with _lock:
        if version in _loaded:
            return _loaded[version]
        try:
            model = load(version)
        except FileNotFoundError:
            logger.info("Training the comment scorer's base model %s", version)
            model = train(shipped_training_rows(), version=version)
            save(model)
        _remember(version, model)
        return model


def current_version() -> str:
    """The version in force: the latest model :func:`retrain` made current, else the base model."""
    from .models import ClassifierModel

    active = ClassifierModel.objects.filter(active=True).values_list("version", flat=True).first()
    return active or base_version()


def current_model() -> Model:
    """The model in force, loaded once per process and reloaded when another process swaps it.

    The base model stands in for a current version whose file is missing or unreadable, or
    which was trained with other features (an older :data:`FEATURES_VERSION`).
    """
    version = current_version()
    with _lock:
        if version in _loaded:
            return _loaded[version]
    if version == base_version():
        return base_model()
    try:
        model = load(version)
    except (FileNotFoundError, EOFError, ValueError):
        logger.warning("Comment model %s has no readable file here; scoring with the base model", version)
        return base_model()
    if getattr(model, "features_version", "") != FEATURES_VERSION:
        # Trained by older code: its heads expect other feature columns. The next retrain replaces it.
        logger.warning("Comment model %s was trained with other features; scoring with the base model", version)
        return base_model()
    with _lock:
        _remember(version, model)
    return model


# --- the thresholds the model in force decides with ------------------------------------------

# Publish thresholds a retrain may choose (a comment is published only below both); the settings'
# hold thresholds are the loosest. 0.0 holds every comment the bins leave.
HOLD_GRID = (0.0, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
# Bin thresholds a retrain may choose; never below BIN_FLOOR; 1.01 never bins.
BIN_GRID = (0.9, 0.95, 0.98, 0.99, 1.0, 1.01)
BIN_FLOOR = 0.9
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Thresholds:
    """What :func:`services.decide` compares the scores with.

    A comment is binned when its spam score is at least ``bin_spam`` or the scorer's abuse score
    at least ``bin_abuse``; otherwise held when its spam score is at least ``hold_spam`` or its
    offensive score (the scorer's or the word list's) at least ``hold_abuse``. ``decisions`` is
    how many held-out moderator decisions they were chosen on; 0 means they are the settings.
    ``settings_stand``: the hold thresholds are the settings', kept because those decisions do
    not show them publishing more unwanted comments than the budget, nor vouch for them.
    """

    hold_spam: float
    hold_abuse: float
    bin_spam: float
    bin_abuse: float
    decisions: int = 0
    settings_stand: bool = False

    @property
    def from_site(self) -> bool:
        return self.decisions > 0

    @property
    def holds_from_site(self) -> bool:
        """The hold thresholds were chosen on this site's decisions rather than kept from the settings."""
        return self.from_site and not self.settings_stand

    @property
    def publish_nothing(self) -> bool:
        """This site's decisions vouch for no publish threshold: every comment the bins leave waits."""
        return self.from_site and not (self.hold_spam and self.hold_abuse)

    def naming_scores(self) -> "Thresholds":
        """The thresholds from which a score is named as a reason for holding: these, except that
        where they publish nothing (any score meets 0) it is the settings' hold thresholds."""
        if not self.publish_nothing:
            return self
        limit = Thresholds.from_settings()
        return replace(self, hold_spam=limit.hold_spam, hold_abuse=limit.hold_abuse)

    @classmethod
    def from_settings(cls) -> "Thresholds":
        return cls(
            hold_spam=float(getattr(settings, "GAZETTE_COMMENT_HOLD_SPAM", 0.5)),
            hold_abuse=float(getattr(settings, "GAZETTE_COMMENT_HOLD_OFFENSIVE", 0.2)),
            bin_spam=float(getattr(settings, "GAZETTE_COMMENT_SPAM_THRESHOLD", 1.0)),
            bin_abuse=float(getattr(settings, "GAZETTE_COMMENT_BIN_OFFENSIVE", 0.99)),
        )

    def as_dict(self) -> dict:
        return {
            "hold_spam": self.hold_spam,
            "hold_abuse": self.hold_abuse,
            "bin_spam": self.bin_spam,
            "bin_abuse": self.bin_abuse,
            "decisions": self.decisions,
            "settings_stand": self.settings_stand,
        }

    @classmethod
    def from_dict(cls, stored: dict) -> "Thresholds":
        """Stored thresholds, held to the limits of today's settings.

        Publish thresholds never looser than the settings' hold thresholds, bin thresholds never
        below :data:`BIN_FLOOR` nor below a publish threshold (what is published is never what
        the scores call certain). Raises ``ValueError`` for anything but the five numbers.
        """
        try:
            values = {key: float(stored[key]) for key in ("hold_spam", "hold_abuse", "bin_spam", "bin_abuse")}
            decisions = int(stored.get("decisions", 0))
            settings_stand = stored.get("settings_stand", False) is True
        except (KeyError, TypeError, AttributeError) as err:
            raise ValueError(f"Not a set of comment thresholds: {stored!r}") from err
        if not all(math.isfinite(v) for v in values.values()):
            raise ValueError(f"Not a set of comment thresholds: {stored!r}")
        limit = cls.from_settings()
        hold_spam = min(max(values["hold_spam"], 0.0), limit.hold_spam)
        hold_abuse = min(max(values["hold_abuse"], 0.0), limit.hold_abuse)
        return cls(
            hold_spam=hold_spam,
            hold_abuse=hold_abuse,
            bin_spam=max(values["bin_spam"], BIN_FLOOR, hold_spam),
            bin_abuse=max(values["bin_abuse"], BIN_FLOOR, hold_abuse),
            decisions=max(decisions, 0),
            settings_stand=settings_stand,
        )


def thresholds_for(version: str) -> Thresholds:
    """The thresholds stored with model ``version`` (chosen at its last retrain), else the settings."""
    from .models import ClassifierModel

    stored = ClassifierModel.objects.filter(version=version).values_list("thresholds", flat=True).first()
    if not stored:
        return Thresholds.from_settings()
    try:
        return Thresholds.from_dict(stored)
    except ValueError:
        logger.warning("Comment model %s has unreadable thresholds; deciding with the settings", version)
        return Thresholds.from_settings()


def upper_bound(wrong: int, n: int, confidence: float = CONFIDENCE) -> float:
    """The one-sided Clopper-Pearson upper confidence bound of a share: ``wrong`` of ``n`` (1.0 for none)."""
    if n <= 0:
        return 1.0
    if wrong >= n:
        return 1.0
    from scipy.stats import beta

    return float(beta.ppf(confidence, wrong + 1, n - wrong))


def lower_bound(wrong: int, n: int, confidence: float = CONFIDENCE) -> float:
    """The one-sided Clopper-Pearson lower confidence bound of a share: ``wrong`` of ``n`` (0.0 for none)."""
    if n <= 0 or wrong <= 0:
        return 0.0
    from scipy.stats import beta

    wrong = min(wrong, n)
    return float(beta.ppf(1 - confidence, wrong, n - wrong + 1))


def fewest_to_vouch(budget: float, confidence: float = CONFIDENCE) -> int:
    """The fewest decisions on comments the scores would publish, none of them wrong, whose
    :func:`upper_bound` is within ``budget``: 149 for 2 %, 59 for 5 % at 95 %."""
    if budget <= 0:
        raise ValueError("A budget of wrong decisions must be above 0.")
    if budget >= 1:
        return 1
    # 0 wrong of n: the bound is 1 - (1 - confidence) ** (1 / n).
    return math.ceil(math.log(1 - confidence) / math.log(1 - budget) - 1e-9)


def choose_thresholds(spam, offensive, abuse, labels, *, budget=None, bin_budget=None) -> Thresholds | None:
    """The settings' publish thresholds while these decisions do not show them publishing more
    unwanted comments than the budget, else the loosest whose share wrong stays within it.

    ``spam``, ``abuse`` (the scorer's) and ``offensive`` (the larger of the scorer's and the word
    list's) are one model's scores, rounded as :func:`assess_text` rounds them, on held-out
    moderator decisions labelled ``labels`` (wanted, spam, abuse). None for no decisions: the
    settings stand.

    * Publish: of the pairs of :data:`HOLD_GRID` no looser than the settings' hold thresholds,
      the one publishing most decisions while the upper bound (:func:`upper_bound`) of the share
      unwanted among them is at most ``budget`` (``GAZETTE_COMMENT_PUBLISH_WRONG_BUDGET``);
      of pairs publishing as many, the strictest (first in the grid's order). But the settings'
      pair stands (``settings_stand``) while the lower bound (:func:`lower_bound`) of the share
      unwanted among what it publishes is within the budget: the decisions do not show the
      newsroom's settings wrong, so a new site's first decisions do not stop the scores
      publishing, and a lower budget never publishes more. Once they show it and no pair is
      vouched for (too few decisions for the bound to be that narrow, or a model that is wrong
      here), both are 0.0: the scores publish nothing.
    * Bin, per head: the lowest of :data:`BIN_GRID` (and the setting) that bins no wanted
      decision and, below the setting, whose bound of wanted among binned is at most
      ``bin_budget`` (``GAZETTE_COMMENT_BIN_WRONG_BUDGET``). A setting that bins a wanted
      decision is raised until it bins none (1.01 never bins).
    """
    import numpy as np

    spam, offensive, abuse = (np.round(np.asarray(a, dtype=np.float64), 2) for a in (spam, offensive, abuse))
    wanted = np.asarray([label == WANTED for label in labels])
    if not len(wanted):
        return None
    budget = float(getattr(settings, "GAZETTE_COMMENT_PUBLISH_WRONG_BUDGET", 0.02) if budget is None else budget)
    bin_budget = float(
        getattr(settings, "GAZETTE_COMMENT_BIN_WRONG_BUDGET", 0.02) if bin_budget is None else bin_budget
    )
    limit = Thresholds.from_settings()

    def grid(ceiling):
        return sorted({g for g in HOLD_GRID if g < ceiling} | {ceiling})

    best = (0, 0.0, 0.0)  # published, hold spam, hold abuse; the strictest pair first
    for hold_spam in grid(limit.hold_spam):
        below_spam = spam < hold_spam
        for hold_abuse in grid(limit.hold_abuse):
            published = below_spam & (offensive < hold_abuse)
            n = int(published.sum())
            if n <= best[0]:
                continue
            if upper_bound(int((published & ~wanted).sum()), n) <= budget:
                best = (n, hold_spam, hold_abuse)
    by_settings = (spam < limit.hold_spam) & (offensive < limit.hold_abuse)
    n = int(by_settings.sum())
    settings_vouched = n > 0 and best[0] == n  # a pair publishing what they publish is vouched for
    settings_stand = not settings_vouched and lower_bound(int((by_settings & ~wanted).sum()), n) <= budget
    if settings_stand:
        best = (n, limit.hold_spam, limit.hold_abuse)

    def bin_at(scores, setting):
        for threshold in sorted({t for t in BIN_GRID if t >= BIN_FLOOR} | {setting}):
            binned = scores >= threshold
            if (binned & wanted).any():
                continue
            if threshold >= setting or upper_bound(0, int(binned.sum())) <= bin_budget:
                return threshold
        return max(BIN_GRID)

    return Thresholds(
        hold_spam=best[1],
        hold_abuse=best[2],
        bin_spam=max(bin_at(spam, limit.bin_spam), best[1]),
        bin_abuse=max(bin_at(abuse, limit.bin_abuse), best[2]),
        decisions=len(wanted),
        settings_stand=settings_stand,
    )


@dataclass(frozen=True)
class TextScores:
    """A comment's scores from the model ``version``, and the thresholds that model decides with
    (None: the settings)."""

    spam: float
    abuse: float
    spam_words: list
    abuse_words: list
    version: str
    thresholds: Thresholds | None = None


def assess_text(text: str) -> TextScores:
    """Both heads' calibrated scores for ``text``, what drove each, and the model's version.

    The words are found for a score that holds the comment, so that every spam or offensive
    reason can name them. The abuse words are the model's drivers unless the Russian list
    matches (its words are shown then, by :func:`services.decide`).
    """
    model = current_model()
    thresholds = thresholds_for(model.version)
    named = thresholds.naming_scores()
    spam, abuse = model.probabilities([text])
    spam, abuse = round(float(spam[0]), 2), round(float(abuse[0]), 2)
    return TextScores(
        spam=spam,
        abuse=abuse,
        spam_words=model.drivers(text, model.spam_weights) if spam >= named.hold_spam else [],
        # A match of the Russian list names the offence better than the model's drivers do
        # (which also weigh words such as "автор" that abusive news comments often address).
        abuse_words=[w for w in model.drivers(text, model.abuse_weights) if not w.startswith("__")]
        if abuse >= named.hold_abuse and not scoring.offensive_words(text)
        else [],
        version=model.version,
        thresholds=thresholds,
    )


# --- learning from the moderators ----------------------------------------------------------


def thresholds_on(rows: list[Row], spam, abuse, **budgets) -> Thresholds | None:
    """:func:`choose_thresholds` on decisions ``rows`` and one model's ``spam`` and ``abuse`` scores of them."""
    import numpy as np

    if not rows:
        return None
    listed = np.asarray([scoring.offensive_score(r.text) for r in rows], dtype=np.float64)
    offensive = np.maximum(np.round(abuse, 2), listed)
    return choose_thresholds(spam, offensive, abuse, [r.label for r in rows], **budgets)


def _brier(rows: list[Row], spam, abuse) -> float:
    if not rows:
        return 0.0
    total = 0.0
    for row, s, a in zip(rows, spam, abuse, strict=True):
        total += (s - (row.label == SPAM)) ** 2 + (a - (row.label == ABUSE)) ** 2
    return total / (2 * len(rows))


def holdout_loss(model: Model, rows: list[Row]) -> float:
    """Mean Brier score of both heads on ``rows`` (lower is better; 0.0 for no rows)."""
    if not rows:
        return 0.0
    return _brier(rows, *model.probabilities([r.text for r in rows]))


def _scores(model: Model, rows: list[Row]):
    import numpy as np

    if not rows:
        return np.zeros(0), np.zeros(0)
    return model.probabilities([r.text for r in rows])


@dataclass
class RetrainResult:
    version: str
    swapped: bool
    site_rows: int
    holdout_rows: int
    new_loss: float
    old_loss: float
    previous: str
    thresholds: Thresholds  # what the model in force decides with from now on
    # The decisions and scores they were chosen on (rows, spam, abuse), for the benchmark's other budgets.
    evidence: tuple = field(default=((), (), ()), repr=False)


def _keep_thresholds(version: str, thresholds: Thresholds | None, now) -> None:
    """Store ``thresholds`` with model ``version`` (a row is made for the base model when it needs one)."""
    from .models import ClassifierModel

    stored = thresholds.as_dict() if thresholds else None
    if not ClassifierModel.objects.filter(version=version).update(thresholds=stored) and stored:
        ClassifierModel.objects.create(version=version, trained_at=now, thresholds=stored)


def _unseen_scores(model: Model, decisions: list[Row], holdout, holdout_scores, corpus: list[Row]):
    """Scores of site decisions by models that did not learn them, for choosing ``model``'s thresholds.

    The base model learnt none: all decisions, its own scores. A model trained on all but the
    held-out fifth: cross-fitting, each other fifth scored by a model trained the same way on
    ``corpus`` and every decision outside that fifth, so every decision is scored once by a
    model that did not see it (five times the evidence of the held-out fifth alone).
    """
    import numpy as np

    if model.site_rows == 0:
        return decisions, *_scores(model, decisions)
    rows, spam, abuse = list(holdout), [holdout_scores[0]], [holdout_scores[1]]
    for fold in range(1, 100 // SITE_HOLDOUT_SHARE):
        scored = [r for r in decisions if site_fold(r.text) == fold]
        if not scored:
            continue
        fitted = train(corpus + [r for r in decisions if site_fold(r.text) != fold], version=f"fold-{fold}")
        fold_spam, fold_abuse = fitted.probabilities([r.text for r in scored])
        rows += scored
        spam.append(fold_spam)
        abuse.append(fold_abuse)
    return rows, np.concatenate(spam), np.concatenate(abuse)


def retrain(*, now=None, shipped: list[Row] | None = None) -> RetrainResult:
    """Train on the shipped data plus this site's decisions; make it current only if not worse.

    "Not worse": its Brier score on the held-out fifth of the site's decisions is at most the
    current model's. A model that loses is recorded (inactive) and its file removed.
    ``shipped`` replaces :func:`shipped_training_rows` (the benchmark's replay leaves a source
    out of it, to stand for a site whose comments the corpora do not know).

    The model in force then gets the thresholds :func:`choose_thresholds` picks on decisions
    it was not trained on, stored with its version: a new model's on every decision by
    cross-fitting (:func:`_unseen_scores`, four more trainings), the base model's on every
    decision, a kept retrained model's on the held-out fifth (the decisions it is known not to
    have seen). Nothing new to learn keeps a retrained model's stored thresholds. No
    decisions: the settings.
    """
    from django.utils import timezone

    from .models import ClassifierModel

    now = now or timezone.now()
    decisions = site_decisions()
    holdout = [r for r in decisions if is_site_holdout(r.text)]
    learn_from = [r for r in decisions if not is_site_holdout(r.text)]
    corpus = shipped_training_rows() if shipped is None else shipped
    rows = corpus + learn_from
    previous = current_model()
    fingerprint = _fingerprint(rows)[:8]
    version = base_version() if not learn_from else f"{now:%Y%m%d%H%M%S}-{fingerprint}"
    old_spam, old_abuse = _scores(previous, holdout)
    old_loss = _brier(holdout, old_spam, old_abuse)

    def kept_evidence():
        if previous.site_rows == 0:
            return _unseen_scores(previous, decisions, holdout, (old_spam, old_abuse), corpus)
        return holdout, old_spam, old_abuse

    if version == previous.version:
        evidence = kept_evidence()
        if previous.site_rows == 0:
            thresholds = thresholds_on(*evidence)
            with transaction.atomic():
                _keep_thresholds(previous.version, thresholds, now)
        else:
            thresholds = thresholds_for(previous.version)
        return RetrainResult(
            version,
            False,
            0,
            len(holdout),
            old_loss,
            old_loss,
            previous.version,
            thresholds or Thresholds.from_settings(),
            evidence,
        )
    model = base_model() if version == base_version() else train(rows, version=version)
    new_spam, new_abuse = _scores(model, holdout)
    new_loss = _brier(holdout, new_spam, new_abuse)
    swapped = new_loss <= old_loss + 1e-12
    if swapped and version != base_version():
        save(model)
    if swapped:
        evidence = _unseen_scores(model, decisions, holdout, (new_spam, new_abuse), corpus)
    else:
        evidence = kept_evidence()
    in_force = thresholds_on(*evidence)
    with transaction.atomic():
        if swapped:
            ClassifierModel.objects.filter(active=True).update(active=False)
        ClassifierModel.objects.update_or_create(
            version=version,
            defaults={
                "active": swapped,
                "trained_at": now,
                "site_decisions": len(learn_from),
                "holdout_decisions": len(holdout),
                "holdout_loss": None if math.isnan(new_loss) else round(new_loss, 6),
                "previous_loss": round(old_loss, 6),
                "thresholds": in_force.as_dict() if swapped and in_force else None,
            },
        )
        if not swapped:
            _keep_thresholds(previous.version, in_force, now)
    return RetrainResult(
        version,
        swapped,
        len(learn_from),
        len(holdout),
        new_loss,
        old_loss,
        previous.version,
        in_force or Thresholds.from_settings(),
        evidence,
    )
