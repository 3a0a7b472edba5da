"""Production: fails fast on a missing secret; optional integrations switch on by variable.

``make run`` uses these settings too (DEBUG off, WhiteNoise, granian) with
``GAZETTE_HTTPS=0`` because it serves plain HTTP on loopback.
"""

import os

from .base import *

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# Behind TLS (the default) cookies are secure and HTTP is redirected. ``GAZETTE_HTTPS=0`` is
# for a loopback demo only.
HTTPS = os.environ.get("GAZETTE_HTTPS", "1") == "1"
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("GAZETTE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

if os.environ.get("GAZETTE_TEST_CAPTCHA_ANSWER"):
    raise RuntimeError("GAZETTE_TEST_CAPTCHA_ANSWER is for tests only; refusing to start in production.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GAZETTE_LOG_LEVEL", "WARNING")},
    "loggers": {"gazette": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Mail: SMTP unless EMAIL_BACKEND names another backend (`make run` uses the console).
_mail_backend = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
MAILERS = {"default": {"BACKEND": _mail_backend}}
if _mail_backend.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "587")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": os.environ.get("EMAIL_USE_TLS", "1") == "1",
    }

# Editors and administrators must sign in with a second step (GAZETTE_REQUIRE_2FA=0 turns it off:
# `make run`'s loopback demo only).
GAZETTE_REQUIRE_2FA = os.environ.get("GAZETTE_REQUIRE_2FA", "1") == "1"
# Behind TLS, a plain-http address left in an article or a setting is fetched over HTTPS.
if HTTPS:
    SECURE_CSP = {**SECURE_CSP, "upgrade-insecure-requests": True}
    GAZETTE_ADMIN_CSP = {**GAZETTE_ADMIN_CSP, "upgrade-insecure-requests": True}
