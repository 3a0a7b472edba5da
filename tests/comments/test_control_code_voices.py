"""The spoken control code in the site's language: English by flite as before, Russian by
espeak-ng's Russian voice naming each Latin letter in Cyrillic, and no audio link (never an
error) when the language's voice is not installed."""

import io
import re
import shutil
import subprocess
import wave

import pytest

from gazette.comments import control_code
from tests.i18n.conftest import compiled_locale, russian_catalogue, russian_site  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

ESPEAK = shutil.which("espeak-ng")
FLITE = shutil.which("flite")
needs_espeak = pytest.mark.skipif(not ESPEAK, reason="espeak-ng is installed by scripts/install-test-deps.sh")
needs_flite = pytest.mark.skipif(not FLITE, reason="flite is installed by scripts/install-test-deps.sh")


@pytest.fixture
def spoken(monkeypatch):
    """The commands the audio view runs (each run for real)."""
    commands = []
    real_run = subprocess.run

    def run(command, *args, **kwargs):
        commands.append(list(command))
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(control_code.subprocess, "run", run)
    return commands


def _audio_url(html: str) -> str | None:
    found = re.search(r'href="(/captcha/audio/[^"]+\.wav)"', html)
    return found.group(1) if found else None


def _code(url: str) -> str:
    token = url.removeprefix("/captcha/audio/").removesuffix(".wav")
    return control_code.challenge_text(control_code.nonce_of(token))


def _frames(body: bytes) -> int:
    with wave.open(io.BytesIO(body)) as sound:
        return sound.getnframes()


@needs_espeak
@pytest.mark.usefixtures("russian_site")
def test_a_russian_site_speaks_the_code_with_the_russian_voice(settings, client, article, spoken):
    settings.GAZETTE_CAPTCHA_ESPEAK_PATH = ESPEAK
    html = client.get(f"/comments/{article.pk}/form/").content.decode()
    assert "Прослушать код" in html and "(звуковой файл, откроется в новой вкладке)" in html
    url = _audio_url(html)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert _frames(b"".join(response)) > 0
    program, *arguments = spoken[-1]
    assert program == ESPEAK
    assert arguments[:2] == ["-v", "ru"]
    names = [control_code.RUSSIAN_LETTER_NAMES[c] for c in _code(url)]
    assert arguments[-1] == ", ".join(names)


@needs_espeak
def test_the_russian_voice_says_every_letter_name_itself():
    # espeak-ng hands Latin letters to its English voice, marking the switch "(en)" in its
    # phonemes; every name must stay with the Russian voice.
    text = control_code.spoken_text(control_code.ALPHABET, "ru")
    phonemes = subprocess.run(
        [ESPEAK, "-v", "ru", "-q", "-x", text], check=True, capture_output=True, text=True, timeout=30
    ).stdout
    assert phonemes.strip() and "(en)" not in phonemes
    latin = subprocess.run(
        [ESPEAK, "-v", "ru", "-q", "-x", ", ".join(control_code.ALPHABET)],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    assert "(en)" in latin


def test_every_letter_of_a_code_has_its_own_russian_name():
    names = control_code.RUSSIAN_LETTER_NAMES
    assert set(names) == set(control_code.ALPHABET)
    assert len(set(names.values())) == len(names)
    assert all(re.fullmatch(r"[а-яё-]+", name) for name in names.values())


@needs_flite
def test_an_english_site_still_spells_the_code_with_flite(settings, client, article, spoken):
    settings.GAZETTE_CAPTCHA_ESPEAK_PATH = None  # English never needs espeak-ng
    html = client.get(f"/comments/{article.pk}/form/").content.decode()
    assert "Listen to the code" in html
    url = _audio_url(html)
    response = client.get(url)
    assert response.status_code == 200
    assert _frames(b"".join(response)) > 0
    assert spoken[-1] == [FLITE, "-t", ", ".join(_code(url)), "-o", spoken[-1][-1]]


@pytest.mark.parametrize("program", ["/nonexistent/espeak-ng", "true"])
@pytest.mark.usefixtures("russian_site")
def test_without_a_russian_voice_the_audio_link_is_hidden(settings, client, article, program):
    # A missing program, or one that lists no Russian voice.
    settings.GAZETTE_CAPTCHA_ESPEAK_PATH = shutil.which(program) or program
    settings.CAPTCHA_FLITE_PATH = FLITE or "/usr/bin/flite"  # English speech does not count
    response = client.get(f"/comments/{article.pk}/form/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="control-code__image"' in html
    assert _audio_url(html) is None and "Прослушать код" not in html
    token = control_code.new_challenge()
    assert client.get(f"/captcha/audio/{token}.wav").status_code == 404
