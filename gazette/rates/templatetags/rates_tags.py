"""``{% rates_widget %}``: the sidebar's exchange-rate widget (cached HTML, see ``widget.py``)."""

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe
from wagtail.models import Site

from gazette.core import sitewide, tags
from gazette.core.caching import cached_fragment
from gazette.core.invalidation import add_cache_expiry, add_cache_tags

from ..catalogue import site_language
from ..models import RatesSettings
from ..services import moscow_today, next_moscow_midnight
from ..widget import display_rate, newest_table, render_widget

register = template.Library()


@register.simple_tag(takes_context=True)
def rates_widget(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    today = moscow_today()
    # A new table comes into force at Moscow midnight, without any event to purge the pages.
    until = next_moscow_midnight().timestamp()
    if request is not None:
        add_cache_tags(request, tags.rates())
        add_cache_expiry(request, until)

    def currency_codes() -> list[str]:
        return RatesSettings.for_site(site).currency_codes() if site else RatesSettings().currency_codes()

    def build() -> str:
        # The editor's choice of currencies and the newest table (a change of either purges
        # ``rates``), read once per change; what depends on the day is computed from ``today``.
        return render_widget(
            list(sitewide.memoised(f"rates-currencies:{site.pk if site else 0}", lambda: tuple(currency_codes()))),
            today,
            sitewide.memoised("rates-newest-table", newest_table),
        )

    # Built once per new table, change of currencies (both purge ``rates``) and Moscow day.
    key = f"rates-widget:{site.pk if site else 0}:{today:%Y%m%d}:{site_language()}"
    return mark_safe(cached_fragment(key, {tags.rates()}, build, until=until))  # noqa: S308 - our own template, autoescaped


@register.filter
def rouble_rate(value):
    """Roubles per unit as the widget shows them, in the reader's number format."""
    return display_rate(value)


@register.filter
def figure(value):
    """A stored number (a table's value, a nominal) in the reader's number format, digits grouped
    (``1\u00a0000`` and ``68,6527`` in Russian), its decimals as stored."""
    return formats.number_format(value, force_grouping=True)
