"""``{% seo_meta as seo %}``: the meta tags of the page being rendered (see ``seo/head.html``)."""

from django import template

from ..services import PageMeta, page_meta

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_meta(context) -> PageMeta:
    """Derived from the context; views override parts with the variables listed in
    :func:`gazette.seo.services.page_meta` (``seo_title``, ``meta_description``, ``robots``...)."""
    return page_meta(context)
