"""Template tags of article pages and listings: picture-group credits and feed links."""

from django import template

from gazette.images.credits import combined_credit

from ..feeds import feed_links as feed_link_list

register = template.Library()


@register.simple_tag
def group_credit(value) -> str:
    """The credit of an image group: the editor's, or the pictures' own credits, each once."""
    if value.get("credit"):
        return value["credit"]
    return combined_credit(image.credit for image in value["images"] if image is not None)


@register.inclusion_tag("articles/feed_links.html")
def feed_links(kind="site", obj=None):
    """``<link rel="alternate">`` for the RSS and Atom feeds of the site, a city or a contributor."""
    return {"links": feed_link_list(kind, obj)}
