"""Template tags every Gazette page uses: the masthead date, bylines and date formats."""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from gazette.articles.validators import has_real_name

register = template.Library()

MASTHEAD_DATE = "l, M j Y"  # Monday, Feb 26 2024
LONG_DATE = "j F Y"  # 16 October 2014
COMMENT_TIME = "d/m/Y H:i"  # 22/10/2016 05:13


def _local(value):
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.simple_tag
def masthead_date():
    """Today's date in the site's time zone, as the reference page shows it."""
    return date_format(timezone.localtime(), MASTHEAD_DATE)


@register.filter
def long_date(value):
    return date_format(_local(value), LONG_DATE) if value else ""


@register.filter
def comment_time(value):
    return date_format(_local(value), COMMENT_TIME) if value else ""


@register.filter
def iso_datetime(value):
    """Whole seconds: HTML's ``datetime`` attribute allows at most three fractional digits."""
    return _local(value).isoformat(timespec="seconds") if value else ""


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


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
        joined = format_html_join(", ", "{}", ((p,) for p in parts[:-1])) + mark_safe(" and ") + parts[-1]  # noqa: S308
    return format_html('<span class="byline">By {}</span>', joined)
