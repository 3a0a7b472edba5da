"""Receivers that keep every cache exact: the one place ``tags_purged`` is handled.

- :func:`on_tags_purged` stamps the tags in the page/fragment cache (:mod:`gazette.core.caching`)
  and forwards them to frontend caches that purge by tag (Varnish, via Wagtail's backends).
- Page lifecycle (publish, unpublish, move, delete) of any Wagtail page purges ``page:<pk>``
  and ``sitemaps`` (a move or a slug change: of the page and every page below it, whose
  addresses change with it); article-specific tags are
  added by ``gazette.articles.signal_handlers``.
- Adding or removing a view restriction purges the pages it covers; that, a move and a new
  alias change the site-wide token (the memoised paths of restricted pages and aliases).
- Each request reads the purge generation once (``request_started``/``request_finished``), and
  the site-wide data's token once (:mod:`gazette.core.sitewide`), which every purge of
  site-wide data changes inside its transaction (``tags_purging``).
- Saving the masthead settings purges ``masthead`` and ``front``.
- Saving or deleting a site, or publishing or moving a site's root page, purges ``sites`` (the
  cached sites and routes of ``gazette.core.routing``).
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import sitewide, tags
from .caching import bump_tags
from .frontend_cache import purge_tags_from_frontend_caches
from .invalidation import purge_tags, tags_purged, tags_purging
from .models import MastheadSettings


def on_tags_purged(sender, **kwargs):
    purged = kwargs["tags"]
    bump_tags(purged)
    purge_tags_from_frontend_caches(purged)


def on_page_changed(sender, instance, **kwargs):
    found = {tags.page(instance.pk), tags.sitemaps()}
    if Site.objects.filter(root_page_id=instance.pk).exists():
        found.add(tags.sites())  # the cached Site holds its root page (gazette.core.routing)
    purge_tags(found)


def on_page_moved(sender, instance, **kwargs):
    """A move, or a new slug, changes the address of the page and of every page below it."""
    sitewide.bump()  # the memoised paths of restricted pages and aliases
    pages = Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True)
    found = {tags.page(pk) for pk in pages} | {tags.sitemaps()}
    if Site.objects.filter(root_page_id__in=pages).exists():
        found.add(tags.sites())
    purge_tags(found)


def on_alias_created(sender, instance, created=False, raw=False, **kwargs):
    """An alias has its source's view restrictions: its path joins the memoised guarded paths."""
    if created and isinstance(instance, Page) and instance.alias_of_id:
        sitewide.bump()


def on_site_changed(sender, instance, **kwargs):
    purge_tags({tags.sites()})


def on_view_restriction_changed(sender, instance, **kwargs):
    """A restriction covers the page and its descendants: none of them may stay cached."""
    sitewide.bump()  # the memoised paths of restricted pages
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # deleted together with its page, whose deletion purged it
        return
    pages = page.get_descendants(inclusive=True).values_list("pk", flat=True)
    purge_tags({tags.page(pk) for pk in pages})


def on_masthead_saved(sender, instance, created=False, **kwargs):
    # The row Wagtail creates with empty defaults on a site's first request changes nothing shown.
    if not created:
        purge_tags({tags.masthead(), tags.front()})


def connect():
    from django.core.signals import request_finished, request_started

    from . import caching

    request_started.connect(caching.start_request, dispatch_uid="gazette_cache_request_started")
    request_finished.connect(caching.end_request, dispatch_uid="gazette_cache_request_finished")
    request_started.connect(sitewide.start_request, dispatch_uid="gazette_sitewide_request_started")
    request_finished.connect(sitewide.end_request, dispatch_uid="gazette_sitewide_request_finished")
    tags_purging.connect(sitewide.on_tags_purging, dispatch_uid="gazette_sitewide_purging")
    tags_purged.connect(on_tags_purged, dispatch_uid="gazette_page_cache_purge")
    for signal in (page_published, page_unpublished):
        signal.connect(on_page_changed, dispatch_uid=f"gazette_page_changed_{id(signal)}")
    post_page_move.connect(on_page_moved, dispatch_uid="gazette_page_moved")
    page_slug_changed.connect(on_page_moved, dispatch_uid="gazette_page_slug_changed")
    post_save.connect(on_view_restriction_changed, sender=PageViewRestriction, dispatch_uid="gazette_restriction_saved")
    post_delete.connect(
        on_view_restriction_changed, sender=PageViewRestriction, dispatch_uid="gazette_restriction_deleted"
    )
    post_save.connect(on_alias_created, dispatch_uid="gazette_alias_created")
    post_save.connect(on_site_changed, sender=Site, dispatch_uid="gazette_site_saved")
    post_delete.connect(on_site_changed, sender=Site, dispatch_uid="gazette_site_deleted")
    post_save.connect(on_masthead_saved, sender=MastheadSettings, dispatch_uid="gazette_masthead_saved")
    post_delete.connect(on_masthead_saved, sender=MastheadSettings, dispatch_uid="gazette_masthead_deleted")
