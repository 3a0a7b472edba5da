"""The comment scorer: normalisation, calibration, Russian spam and obscenities, the model in force."""

import numpy as np
import pytest

from gazette.comments import classifier, scoring
from gazette.comments.choices import CommentStatus
from gazette.comments.services import submit_comment


def test_lookalike_letters_and_digits_fold_into_the_words_script():
    assert classifier.normalise("Зaрaбoтoк") == "заработок"  # Latin a, o inside Cyrillic
    assert classifier.normalise("xуйлo") == "хуйло"
    assert classifier.normalise("fr33 m0ney") == "free money"
    assert classifier.normalise("Х.У.Й") == "хуй"
    assert classifier.normalise("Спасибооооо!!!!") == "спасибоо!!!!"
    assert classifier.normalise("5000 рублей") == "5000 рублей"
    assert classifier.normalise("see https://example.com/x now") == "see  urlmark  now"
    assert classifier.normalise("2024 год") == "2024 год"  # numbers stay numbers


def test_language_is_told_by_the_alphabet():
    assert classifier.language("Спасибо за статью") == classifier.RU
    assert classifier.language("Thanks for the article") == classifier.EN
    assert classifier.language("Спасибо, BBC News") == classifier.RU


def test_the_evaluation_quarter_is_stable_and_never_trained_on():
    trained = {r.text for r in classifier.shipped_training_rows()}
    held = classifier.evaluation_rows()
    assert len(held) >= 2000
    assert not any(r.text in trained for r in held if r.source != classifier.TEAM_FILE)
    assert classifier.evaluation_rows() == held
    assert {r.lang for r in held} == {classifier.EN, classifier.RU}


def test_every_corpus_and_the_team_rows_are_read():
    sources = {r.source for r in classifier.shipped_training_rows()}
    assert sources == {name for name, *_ in classifier.CORPORA} | {classifier.TEAM_FILE}
    team = classifier.team_rows()
    assert len(team) >= 300
    assert {(r.lang, r.label) for r in team} == {
        (lang, label) for lang in ("en", "ru") for label in ("wanted", "spam", "abuse")
    }


@pytest.mark.django_db
def test_calibrated_scores_beat_a_constant_on_held_out_comments():
    model = classifier.current_model()
    rows = classifier.evaluation_rows()[::3]
    spam, abuse = model.probabilities([r.text for r in rows])
    for scores, label in ((spam, classifier.SPAM), (abuse, classifier.ABUSE)):
        truth = np.asarray([r.label == label for r in rows], dtype=float)
        brier = np.mean((scores - truth) ** 2)
        constant = np.mean((truth.mean() - truth) ** 2)
        assert brier < constant * 0.8, (label, brier, constant)
    # Calibrated: among comments scored at least 0.9 spam, about nine in ten are spam.
    confident = spam >= 0.9
    assert np.mean([rows[i].label == classifier.SPAM for i in np.flatnonzero(confident)]) >= 0.85


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "Заработок от 3000 рублей в день без вложений, пиши в лс",
        "Зaрaбoтoк oт 3000 в дeнь, пиши в лc",  # Latin look-alikes
        "Требуются люди на удалёнку, доход от 80 тысяч в месяц, подробности в личке",
    ],
)
def test_russian_spam_scores_as_spam(text):
    assert classifier.assess_text(text).spam >= 0.5


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    ["Ты хуйло", "Ты xуйлo", "Бл*ть, опять перекрыли дорогу", "п1зд@ц какой-то", "3аебали уже", "ну ты и cyka"],
)
def test_russian_obscenities_are_caught_even_disguised(article, text):
    assert max(classifier.assess_text(text).abuse, scoring.offensive_score(text)) >= 0.5
    comment = submit_comment(article, name="R", body=text, email="")
    assert " offensive " in comment.reason_codes


def test_the_russian_list_sees_through_masks_and_digits():
    assert scoring.russian_offences("бл*ть") == ["бл*ть"]
    assert scoring.russian_offences("п**да рулю") == ["п**да"]
    assert scoring.russian_offences("ты пiдор") == ["пидор"]
    assert scoring.russian_offences("застрахуйте машину, потребляют, сукно, скрипка") == []


@pytest.mark.django_db
def test_the_model_is_loaded_once_per_process():
    first = classifier.current_model()
    assert classifier.current_model() is first
    assert first.version == classifier.current_version() == classifier.base_version()
    assert classifier.model_path(first.version).exists()


def test_training_is_deterministic():
    rows = classifier.shipped_training_rows()[::30] + classifier.team_rows()
    texts = ["Thanks for the report", "Пиши в лс, заработок", "Ты дебил"]
    a = classifier.train(rows)
    b = classifier.train(rows)
    assert a.version == b.version
    assert np.array_equal(np.vstack(a.probabilities(texts)), np.vstack(b.probabilities(texts)))


@pytest.mark.django_db
def test_each_comment_stores_and_shows_the_model_that_decided_it(client, article, django_user_model):
    comment = submit_comment(article, name="R", body="Thanks for the report.", email="")
    assert comment.model_version == classifier.current_version()
    assert comment.status == CommentStatus.PENDING
    admin = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(admin)
    html = client.get("/admin/comments/").content.decode()
    assert f"scored by model {comment.model_version}" in html


def test_the_english_list_sees_through_disguises_but_not_into_ordinary_words():
    assert scoring.english_offences("F*ck this, you sh1t") == ["f*ck", "shit"]
    assert scoring.english_offences("a big brown A55hole") == ["asshole"]
    assert scoring.english_offences("fuckin idiots") == ["fuckin", "idiots"]
    assert scoring.english_offences("Dickens, a cockpit, the pigment, success, 12345") == []


def test_listed_words_and_the_russian_alphabet_are_features():
    names = list(classifier.SHAPE_NAMES)
    rows = classifier.shape_features(["Thanks, fine report", "you stupid idiot", "Ну ты и cyka", "Спасибо"]).toarray()
    obscenity, russian = names.index("__obscenity__"), names.index("__russian__")
    assert list(rows[:, obscenity]) == pytest.approx([0.0, 2 / 3, 1 / 3, 0.0])
    assert list(rows[:, russian]) == [0.0, 0.0, 1.0, 1.0]


def test_russian_insults_are_a_feature_seen_through_disguises_but_not_into_ordinary_words():
    insult = list(classifier.SHAPE_NAMES).index("__insult__")
    texts = [
        "Опять ватники набежали, пиндосы",  # two listed insults
        "Заткнись, л0шара",  # a digit for a letter
        "Лох, гад",  # whole-word entries
        "Лохматый кот, гадать не будем, Херсон",  # words that only start like one
        "You stupid idiot",  # English is the other column's
    ]
    rows = classifier.shape_features(texts).toarray()
    assert list(rows[:, insult]) == pytest.approx([2 / 3, 2 / 3, 2 / 3, 0.0, 0.0])
    assert scoring.russian_insults(["ватники", "кот", "вали"]) == ["ватники", "вали"]


def test_naive_bayes_weighting_favours_the_words_of_each_class():
    from scipy import sparse

    # Columns: a word seen only in positives, one only in negatives, one in both; one shape column.
    x = sparse.csr_matrix(np.asarray([[1, 0, 1, 0]] * 20 + [[0, 1, 1, 1]] * 20, dtype=np.float32))
    y = np.asarray([1] * 20 + [0] * 20)
    head = classifier.NBLogistic(plain=1).fit(x, y)
    assert head.ratio_[0] > 0 > head.ratio_[1] and head.ratio_[2] == pytest.approx(0.0, abs=1e-6)
    assert head.ratio_[3] == 1.0  # shape columns are not rescaled
    p = head.predict_proba(sparse.csr_matrix(np.asarray([[1, 0, 0, 0], [0, 1, 0, 0]], dtype=np.float32)))[:, 1]
    assert p[0] > 0.5 > p[1]
    again = classifier.NBLogistic(plain=1).fit(x, y)
    assert np.array_equal(again.linear_.coef_, head.linear_.coef_)  # fixed seed: same rows, same model
    # A block of columns can weigh less than its ratio: the abuse head halves the word n-grams.
    halved = classifier.NBLogistic(plain=1, scaled=(1, 3), scale=0.5).fit(x, y)
    assert halved.ratio_[0] == head.ratio_[0] and halved.ratio_[1] == pytest.approx(head.ratio_[1] / 2)
    assert halved.ratio_[3] == 1.0


@pytest.mark.django_db
def test_only_the_abuse_head_weighs_the_word_columns_down():
    model = classifier.current_model()
    chars, words = len(model.chars.vocabulary_), len(model.words.vocabulary_)
    spam_base = model.spam_head.calibrated_classifiers_[0].estimator
    abuse_base = model.abuse_head.calibrated_classifiers_[0].estimator
    assert abuse_base.scaled == (chars, chars + words) and abuse_base.scale == classifier.ABUSE_WORD_SCALE < 1
    assert spam_base.scale == 1.0


@pytest.mark.django_db
def test_abusive_words_shown_are_the_lists_when_it_matches_else_the_models():
    listed = classifier.assess_text("Автор — полный дебил")
    assert listed.abuse >= 0.5 and listed.abuse_words == []
    unlisted = classifier.assess_text("You are a worthless idiot, shut up")
    assert unlisted.abuse >= 0.5 and "shut up" in unlisted.abuse_words


@pytest.mark.django_db
def test_a_comment_held_by_its_abuse_score_names_the_words_below_an_even_chance(settings):
    from gazette.comments.services import Rules, decide, describe_reasons, reason_words

    text = "The director is a clown and everyone in this town knows it."
    score = classifier.assess_text(text).abuse
    assert 0 < score < 0.5
    settings.GAZETTE_COMMENT_HOLD_OFFENSIVE = score
    held = classifier.assess_text(text)
    assert "clown" in held.abuse_words
    decided = decide(text, approved=5, rules=Rules(first_time_threshold=1), text_scores=held)
    assert decided.status == CommentStatus.PENDING
    assert describe_reasons(decided.reasons) == [f"offensive language: {score:.2f}"]
    assert "clown" in reason_words(decided.reasons[0])
    settings.GAZETTE_COMMENT_HOLD_OFFENSIVE = score + 0.01
    assert classifier.assess_text(text).abuse_words == []


def test_identity_words_are_found_in_both_languages_and_their_forms():
    assert classifier.identity_words("I am GAY, my neighbours are Muslims") == {"gay", "muslims"}
    assert classifier.identity_words("Мои соседи — мусульмане, а друг гей") == {"мусульмане", "гей"}
    assert classifier.identity_words("The transit plan and a gaiety of stations") == set()


def test_identity_weighting_moves_each_words_share_towards_the_corpus_share(monkeypatch):
    # 20 rows: "gay" in 6 (4 abusive), the rest 14 (2 abusive); corpus share 6 / 20.
    rows = [classifier.Row("they are gay and vile", "abuse", "en", "t")] * 4
    rows += [classifier.Row("my gay friend sings", "wanted", "en", "t")] * 2
    rows += [classifier.Row("you idiot", "abuse", "en", "t")] * 2 + [classifier.Row("nice", "wanted", "en", "t")] * 12
    y = np.asarray([r.label == "abuse" for r in rows], dtype=int)
    weights = np.ones(len(rows))
    texts = [classifier.normalise(r.text) for r in rows]

    def share_among_gay(w):
        gay = np.asarray(["gay" in r.text for r in rows])
        return float(w[gay & (y == 1)].sum() / w[gay].sum())

    monkeypatch.setattr(classifier, "IDENTITY_BALANCE_STRENGTH", 1.0)
    full = classifier.identity_balanced(texts, y, weights)
    monkeypatch.setattr(classifier, "IDENTITY_BALANCE_STRENGTH", 0.5)
    half = classifier.identity_balanced(texts, y, weights)
    assert share_among_gay(weights) == pytest.approx(4 / 6)
    smoothed = (4 + 0.3 * classifier.IDENTITY_PRIOR_ROWS) / (6 + classifier.IDENTITY_PRIOR_ROWS)
    # At full strength the smoothed share is brought to the corpus's: the raw one ends near it.
    assert 0.3 < share_among_gay(full) < share_among_gay(half) < 4 / 6
    assert full[0] == pytest.approx(0.3 / smoothed) and full[4] == pytest.approx(0.7 / (1 - smoothed))
    assert (full[6:] == 1).all() and (half[6:] == 1).all()  # rows without identity words keep theirs


@pytest.mark.django_db
def test_saying_who_you_are_is_not_abuse():
    _, abuse = classifier.current_model().probabilities(["I am gay.", "Я гей и живу в этом районе двадцать лет."])
    assert max(abuse) < 0.5
    _, hateful = classifier.current_model().probabilities(["Gays are disgusting and should leave our town."])
    assert hateful[0] >= 0.5
