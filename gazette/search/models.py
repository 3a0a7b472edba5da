"""The search index: one row per live article, read by the database's own full-text engine.

The row holds the article's text as the engine wants it (see ``index.py``): on SQLite, word
stems that an FTS5 table (``gazette_search_fts``, external content, kept in step with this table
by triggers) indexes and ranks with BM25; on PostgreSQL, the plain text, from which a trigger
computes a weighted ``tsvector`` column (``document``, GIN-indexed) with the ``russian``
configuration. ``key`` orders rows by publication time, so a date range is a range of keys and
"newest first" is the order of the index itself.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# A key is the minute of publication counted from 1970 (UTC; negative before), times KEY_SPAN,
# plus the page id (below 2**31): unique, ordered by time, and within a signed 64-bit integer for
# any year from 1 to 9999.
KEY_SPAN = 2**31


class SearchEntry(models.Model):
    page = models.OneToOneField(
        "articles.ArticlePage", on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("article")
    )
    key = models.BigIntegerField(_("time-ordered key"), unique=True)
    headline = models.TextField(_("headline"), blank=True)
    standfirst = models.TextField(_("standfirst"), blank=True)
    body = models.TextField(_("body"), blank=True)
    names = models.TextField(_("contributor and city names"), blank=True)
    facets = models.TextField(
        _("filter terms"), blank=True, help_text=_("c<city id>, p<contributor id> and t<topic id> terms.")
    )

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return str(self.page_id)
