"""``{% seo_meta as seo %}``: the meta tags of the page being rendered (see ``seo/head.html``)."""

import html

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockNode
from django.utils.html import strip_tags

from ..services import PageMeta, page_meta

register = template.Library()


def block_text(context, name: str) -> str:
    """Plain text of the page template's ``{% block name %}``, '' when no template defines it.

    Templates across the project describe themselves with ``{% block title %}`` and
    ``{% block meta_description %}``. ``seo/head.html`` is included, so it cannot own those
    blocks; this finds the extends chain's block context (kept in the includer's render state)
    and renders the most-derived block there, ``{{ block.super }}`` included.
    """
    render_context = context.render_context
    block_context = next((d[BLOCK_CONTEXT_KEY] for d in reversed(render_context.dicts) if BLOCK_CONTEXT_KEY in d), None)
    if block_context is None or block_context.get_block(name) is None:
        return ""
    own_state = render_context.dicts[-1]
    had_own = BLOCK_CONTEXT_KEY in own_state
    own_state[BLOCK_CONTEXT_KEY] = block_context
    try:
        rendered = BlockNode(name, block_context.get_block(name).nodelist).render(context)
    finally:
        if not had_own:
            del own_state[BLOCK_CONTEXT_KEY]
    return " ".join(html.unescape(strip_tags(rendered)).split())


@register.simple_tag(takes_context=True)
def seo_meta(context) -> PageMeta:
    """Derived from the context and the page's ``title`` / ``meta_description`` blocks; views
    override parts with the variables listed in :func:`gazette.seo.services.page_meta`."""
    return page_meta(
        context,
        title=block_text(context, "title"),
        description=block_text(context, "meta_description"),
    )
