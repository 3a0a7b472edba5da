"""ASGI entry point; production settings unless DJANGO_SETTINGS_MODULE says otherwise."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gazette.settings.production")
# Web processes wait for database locks briefly (gazette/settings/base.py, DB_WAITS).
if not os.environ.get("GAZETTE_DB_ROLE"):
    os.environ["GAZETTE_DB_ROLE"] = "web"

application = get_asgi_application()
