"""Receivers that keep every cache exact: the one place ``tags_purged`` is handled.

- :func:`on_tags_purged` stamps the tags in the page/fragment cache (:mod:`gazette.core.caching`)
  and forwards them to frontend caches that purge by tag (Varnish, via Wagtail's backends).
- Page lifecycle (publish, unpublish, move, delete) of any Wagtail page purges ``page:<pk>``
  and ``sitemaps``; article-specific tags are added by ``gazette.articles.signal_handlers``.
- Adding or removing a view restriction purges the pages it covers.
- Saving the masthead settings purges ``masthead`` and ``front``.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .caching import bump_tags
from .frontend_cache import purge_tags_from_frontend_caches
from .invalidation import purge_tags, tags_purged
from .models import MastheadSettings


def on_tags_purged(sender, tags, **kwargs):
    bump_tags(tags)
    purge_tags_from_frontend_caches(tags)


def on_page_changed(sender, instance, **kwargs):
    purge_tags({f"page:{instance.pk}", "sitemaps"})


def on_view_restriction_changed(sender, instance, **kwargs):
    """A restriction covers the page and its descendants: none of them may stay cached."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # deleted together with its page, whose deletion purged it
        return
    pages = page.get_descendants(inclusive=True).values_list("pk", flat=True)
    purge_tags({f"page:{pk}" for pk in pages})


def on_masthead_saved(sender, instance, created=False, **kwargs):
    # The row Wagtail creates with empty defaults on a site's first request changes nothing shown.
    if not created:
        purge_tags({"masthead", "front"})


def connect():
    tags_purged.connect(on_tags_purged, dispatch_uid="gazette_page_cache_purge")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(on_page_changed, dispatch_uid=f"gazette_page_changed_{id(signal)}")
    post_save.connect(on_view_restriction_changed, sender=PageViewRestriction, dispatch_uid="gazette_restriction_saved")
    post_delete.connect(
        on_view_restriction_changed, sender=PageViewRestriction, dispatch_uid="gazette_restriction_deleted"
    )
    post_save.connect(on_masthead_saved, sender=MastheadSettings, dispatch_uid="gazette_masthead_saved")
    post_delete.connect(on_masthead_saved, sender=MastheadSettings, dispatch_uid="gazette_masthead_deleted")
