"""Every Wagtail page declares its cache tags when it is served (see ``gazette.core.middleware``).

Each page carries ``page:<pk>``; a page type adds its own by defining ``get_cache_tags()``
(articles add ``article:<pk>``, the fronts add ``front``). Pages behind a view restriction
(password, login, groups) get no tags, and refuse those their templates add, so neither the
page cache nor the fragment cache ever stores them.
"""

from wagtail import hooks

from . import tags
from .invalidation import add_cache_tags, never_tag


@hooks.register("before_serve_page")
def tag_served_page(page, request, serve_args, serve_kwargs):
    if page.get_view_restrictions():
        # Not even a fragment's tags (the comments) may make this page or its parts cacheable.
        never_tag(request)
        return
    add_cache_tags(request, tags.page(page.pk), *getattr(page, "get_cache_tags", tuple)())
