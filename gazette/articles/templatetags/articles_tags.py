"""Template tags of article pages and listings: bylines, picture-group credits and feed links."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext

from gazette.images.credits import combined_credit

from ..feeds import feed_links as feed_link_list
from ..validators import has_real_name

register = template.Library()


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {gettext('and')} {names[-1]}"


@register.simple_tag
def byline(contributors, link=True):
    """``By A, B and C`` with each name linking to the contributor's page.

    Contributors without a real name are left out rather than printed as placeholders; an
    article whose byline would then be empty shows no byline at all.
    """
    people = [c for c in contributors if c is not None and has_real_name(c.name)]
    if not people:
        return ""
    if link:
        parts = [format_html('<a href="{}" rel="author">{}</a>', c.get_absolute_url(), c.name) for c in people]
    else:
        parts = [format_html("{}", c.name) for c in people]
    if len(parts) == 1:
        joined = parts[0]
    else:
        joined = format_html(
            "{} {} {}", format_html_join(", ", "{}", ((p,) for p in parts[:-1])), gettext("and"), parts[-1]
        )
    # The translated label is escaped around the names, which are already HTML.
    before, _, after = ngettext("By %(names)s", "By %(names)s", len(parts)).partition("%(names)s")
    return format_html('<span class="byline">{}{}{}</span>', before, joined, after)


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
