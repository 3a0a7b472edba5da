"""Signals the articles app defines for code that writes articles around Wagtail's page actions."""

from django.dispatch import Signal

# Sent with ``pks`` (article ids) by code that creates, publishes or changes articles without
# Wagtail's page signals (the WordPress importer's bulk writer): receivers refresh what they
# derive from articles as ``page_published`` and ``page_unpublished`` would have made them.
articles_written = Signal()
