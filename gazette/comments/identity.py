"""Who a commenter is: one keyed fingerprint of their e-mail address.

:func:`commenter_key` is the only place that turns an address into the identity stored in
``ReaderComment.email_hash``. The comment form, the moderation queue's commenter pages and the
WordPress importer all call it, so a reader who commented on the old WordPress site and comes
back to the new one is the same person, a returning commenter.

The fingerprint is an HMAC-SHA256 keyed by ``GAZETTE_COMMENTER_KEY``, or by ``SECRET_KEY`` when
that setting is empty: without the key nobody can test whether an address commented. Changing
the key changes every identity, so an operator who rotates ``SECRET_KEY`` first sets
``GAZETTE_COMMENTER_KEY`` to the current secret (docs/deploy.md, "Rotating the secret key").
"""

import unicodedata

from django.conf import settings
from django.utils.crypto import salted_hmac

# Separates these fingerprints from every other HMAC made with the same key.
KEY_SALT = "gazette.comments.commenter"


def normalise_email(email: str) -> str:
    """The address as one person's addresses all compare: trimmed, Unicode-normalised (NFC) and
    case-folded, so ``Anna@x.ru``, ``anna@x.ru `` and ``ANNA@X.RU`` are one address."""
    folded = unicodedata.normalize("NFD", (email or "").strip()).casefold()
    return unicodedata.normalize("NFC", folded)


def commenter_key(email: str) -> str:
    """The identity of the commenter with ``email``: 64 hex digits, or '' for no address."""
    address = normalise_email(email)
    if not address:
        return ""
    secret = getattr(settings, "GAZETTE_COMMENTER_KEY", "") or settings.SECRET_KEY
    return salted_hmac(KEY_SALT, address, secret=secret, algorithm="sha256").hexdigest()
