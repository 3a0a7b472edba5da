"""WSGI entry point; production settings unless DJANGO_SETTINGS_MODULE says otherwise."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gazette.settings.production")
# Web processes wait for database locks briefly (gazette/settings/base.py, DB_WAITS).
if not os.environ.get("GAZETTE_DB_ROLE"):
    os.environ["GAZETTE_DB_ROLE"] = "web"

application = get_wsgi_application()

from gazette.core.clients import trusted_proxy_addresses  # noqa: E402 - needs the apps loaded
from gazette.search.middleware import refuse_remembered_floods  # noqa: E402 - needs the apps loaded

application = refuse_remembered_floods(application)
# Outermost: every layer, the flood refusal above included, sees the client's address.
application = trusted_proxy_addresses(application)
