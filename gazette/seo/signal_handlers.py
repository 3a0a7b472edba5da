"""Sitemaps list every public page and contributor: any change to those purges tag ``sitemaps``.

Articles' own publication already purges ``sitemaps`` through
:func:`gazette.articles.purges.article_tags`; this covers the other pages too (a standard
page published or unpublished, a page moved or deleted, a contributor renamed or removed).
"""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from gazette.articles.models import Contributor
from gazette.core import tags
from gazette.core.invalidation import purge_tags


def purge_sitemaps(**kwargs):
    purge_tags({tags.sitemaps()})


def connect():
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(purge_sitemaps, dispatch_uid=f"seo_sitemaps_{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(purge_sitemaps, sender=Contributor, dispatch_uid=f"seo_sitemaps_contributor_{id(signal)}")
