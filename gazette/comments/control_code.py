"""The comment form's control code (CAPTCHA), kept in a signed token instead of the database.

Showing the form writes nothing: every reader who scrolls to the comments would otherwise be a
database writer, and one waiting for a lock holds a request thread. A challenge is a signed,
timestamped random nonce (:func:`new_challenge`); its characters are derived from the nonce with
a keyed hash (:func:`challenge_text`), so only the server can read them, and the picture is drawn
by django-simple-captcha's image generation from them. The spoken version is in the site's
language (:func:`speaker`): ``flite`` spells the letters in English; on a Russian site
``espeak-ng``'s Russian voice says each Latin letter by the name Russian schools teach for it
(:data:`RUSSIAN_LETTER_NAMES`), since it would otherwise switch to an English voice for them.
Without the program or its voice for the language, no audio link is offered (:func:`can_speak`).

A challenge is good for one answer: :func:`check_answer` records its nonce as used (in the
``GAZETTE_COMMENT_USED_CODES_CACHE`` cache, which no flood of pages can evict) before comparing,
right or wrong, so a solved code cannot be replayed and a code cannot be guessed at twice.
Challenges expire with the form (``GAZETTE_COMMENT_FORM_MAX_AGE``).
"""

import functools
import os
import random
import secrets
import string
import subprocess
import tempfile

from captcha.views import _captcha_image
from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import re_path
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.cache import never_cache

SALT = "gazette.comments.control-code"
ALPHABET = string.ascii_uppercase
CHALLENGE_PATTERN = r"[\w:-]+"  # a signed token: nonce:timestamp:signature
# Each letter of a code as a Russian listener knows it: the English letter names, in Cyrillic so
# that the Russian voice says them, each different from the others.
RUSSIAN_LETTER_NAMES = {
    "A": "эй",
    "B": "би",
    "C": "си",
    "D": "ди",
    "E": "и",
    "F": "эф",
    "G": "джи",
    "H": "эйч",
    "I": "ай",
    "J": "джей",
    "K": "кей",
    "L": "эл",
    "M": "эм",
    "N": "эн",
    "O": "оу",
    "P": "пи",
    "Q": "кью",
    "R": "ар",
    "S": "эс",
    "T": "ти",
    "U": "ю",
    "V": "ви",
    "W": "дабл-ю",
    "X": "экс",
    "Y": "уай",
    "Z": "зед",
}
ESPEAK_RATE = "130"  # words a minute; espeak-ng's 175 runs letter names together


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def _max_age() -> int:
    return int(getattr(settings, "GAZETTE_COMMENT_FORM_MAX_AGE", 2 * 3600))


def new_challenge() -> str:
    """A fresh challenge token (URL-safe): a random nonce, signed with the time it was made."""
    return _signer().sign(secrets.token_urlsafe(12))


def nonce_of(token: str) -> str:
    """The nonce of a genuine, unexpired token; raises ``signing.BadSignature`` otherwise
    (``signing.SignatureExpired`` when it is older than the form's lifetime)."""
    return _signer().unsign(token or "", max_age=_max_age())


def challenge_text(nonce: str) -> str:
    """The characters to type for ``nonce``: CAPTCHA_LENGTH capital letters, keyed by SECRET_KEY."""
    digest = salted_hmac(SALT, nonce, algorithm="sha256").digest()
    length = int(getattr(settings, "CAPTCHA_LENGTH", 5))
    return "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:length])


def check_answer(token: str, answer: str) -> bool:
    """Whether ``answer`` is the text of the genuine, unexpired, never-answered challenge ``token``.

    The challenge is used up by this call whatever the answer.
    """
    try:
        nonce = nonce_of(token)
    except signing.BadSignature:
        return False
    used = caches[getattr(settings, "GAZETTE_COMMENT_USED_CODES_CACHE", "default")]
    if not used.add(f"control-code:{nonce}", 1, timeout=_max_age() + 60):
        return False
    return constant_time_compare((answer or "").strip().upper(), challenge_text(nonce))


def _challenge_or_gone(token: str) -> str | None:
    try:
        return challenge_text(nonce_of(token))
    except signing.BadSignature:
        return None


class _Challenge:
    """What django-simple-captcha's image generation reads (it expects a CaptchaStore row)."""

    def __init__(self, text: str) -> None:
        self.challenge = text


@never_cache
def image(request: HttpRequest, token: str, scale: int = 1) -> HttpResponse:
    text = _challenge_or_gone(token)
    if text is None:
        # 410 Gone, as django-simple-captcha answers for an expired code: crawlers drop the URL.
        return HttpResponse(status=410)
    # The same token always gives the same picture (the noise and rotations are random).
    state = random.getstate()
    random.seed(token)
    try:
        return _captcha_image(_Challenge(text), scale)
    finally:
        random.setstate(state)


def _language(language: str | None = None) -> str:
    """``language``, else the active one (the site's on reader pages), as ``en`` or ``ru``."""
    return (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


@functools.cache
def _espeak_has_voice(program: str, language: str) -> bool:
    """Whether espeak-ng at ``program`` lists a voice for ``language`` (asked once a process)."""
    try:
        listing = subprocess.run(  # noqa: S603 - the configured espeak-ng, fixed arguments
            [program, f"--voices={language}"], check=True, timeout=10, capture_output=True, text=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return any(line.split()[1:2] == [language] for line in listing.splitlines()[1:])


def speaker(language: str | None = None) -> str | None:
    """The program that speaks control codes in ``language`` (default: the active language):
    espeak-ng with its Russian voice for Russian, flite for English. None when that program, or
    its voice for the language, is not installed."""
    if _language(language) == "ru":
        program = getattr(settings, "GAZETTE_CAPTCHA_ESPEAK_PATH", None)
        return program if program and _espeak_has_voice(program, "ru") else None
    return getattr(settings, "CAPTCHA_FLITE_PATH", None) or None


def can_speak(language: str | None = None) -> bool:
    """Whether the form may offer the spoken code in ``language`` (default: the active one)."""
    return speaker(language) is not None


def spoken_text(text: str, language: str | None = None) -> str:
    """What the voice of ``language`` says for the code ``text``: each character, a pause between."""
    if _language(language) == "ru":
        return ", ".join(RUSSIAN_LETTER_NAMES[character] for character in text)
    return ", ".join(text)


def speech_command(program: str, text: str, path: str, language: str | None = None) -> list[str]:
    """The command that writes the code ``text``, spoken in ``language``, to the WAV file ``path``."""
    if _language(language) == "ru":
        return [program, "-v", "ru", "-s", ESPEAK_RATE, "-w", path, spoken_text(text, "ru")]
    return [program, "-t", spoken_text(text, "en"), "-o", path]


@never_cache
def audio(request: HttpRequest, token: str) -> HttpResponse:
    language = _language()
    program = speaker(language)
    if not program:
        raise Http404
    text = _challenge_or_gone(token)
    if text is None:
        return HttpResponse(status=410)
    fd, path = tempfile.mkstemp(suffix=".wav")
    os.close(fd)
    try:
        subprocess.run(speech_command(program, text, path, language), check=True, timeout=30, capture_output=True)  # noqa: S603 - the configured program, fixed arguments
        with open(path, "rb") as sound:
            body = sound.read()
    except (OSError, subprocess.SubprocessError) as err:
        raise Http404 from err
    finally:
        os.remove(path)
    response = HttpResponse(body, content_type="audio/wav")
    response["Content-Disposition"] = 'attachment; filename="control-code.wav"'
    return response


urlpatterns = [
    re_path(rf"^image/(?P<token>{CHALLENGE_PATTERN})/$", image, name="control-code-image"),
    re_path(rf"^image/(?P<token>{CHALLENGE_PATTERN})@2/$", image, {"scale": 2}, name="control-code-image-2x"),
    re_path(rf"^audio/(?P<token>{CHALLENGE_PATTERN})\.wav$", audio, name="control-code-audio"),
]
