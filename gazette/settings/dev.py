"""Development: DEBUG on, a local secret key generated once into an untracked file."""

import os
import secrets

from .base import *
from .base import VAR_DIR

DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]


def _local_secret_key() -> str:
    """Return the key in ``var/secret_key``, creating it (never committed) on first use."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local_secret_key()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Django's own admin at /django-admin/, beside Wagtail's.
GAZETTE_DJANGO_ADMIN = True
