"""The comment form's control code (CAPTCHA), kept in a signed token instead of the database.

Showing the form writes nothing: every reader who scrolls to the comments would otherwise be a
database writer, and one waiting for a lock holds a request thread. A challenge is a signed,
timestamped random nonce (:func:`new_challenge`); its characters are derived from the nonce with
a keyed hash (:func:`challenge_text`), so only the server can read them, and the picture is drawn
by django-simple-captcha's image generation from them, the spoken version by ``flite``.

A challenge is good for one answer: :func:`check_answer` records its nonce as used (in the
``GAZETTE_COMMENT_USED_CODES_CACHE`` cache, which no flood of pages can evict) before comparing,
right or wrong, so a solved code cannot be replayed and a code cannot be guessed at twice.
Challenges expire with the form (``GAZETTE_COMMENT_FORM_MAX_AGE``).
"""

import os
import random
import secrets
import string
import subprocess
import tempfile

from captcha.conf import settings as captcha_settings
from captcha.views import _captcha_image
from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import re_path
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.cache import never_cache

SALT = "gazette.comments.control-code"
ALPHABET = string.ascii_uppercase
CHALLENGE_PATTERN = r"[\w:-]+"  # a signed token: nonce:timestamp:signature


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


@never_cache
def audio(request: HttpRequest, token: str) -> HttpResponse:
    flite = captcha_settings.CAPTCHA_FLITE_PATH
    if not flite:
        raise Http404
    text = _challenge_or_gone(token)
    if text is None:
        return HttpResponse(status=410)
    fd, path = tempfile.mkstemp(suffix=".wav")
    os.close(fd)
    try:
        subprocess.run([flite, "-t", ", ".join(text), "-o", path], check=True, timeout=30, capture_output=True)  # noqa: S603 - the configured flite, fixed arguments
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
