"""``{% rates_widget %}``: the sidebar's exchange-rate widget (cached HTML, see ``widget.py``)."""

from django import template
from django.utils.safestring import mark_safe
from wagtail.models import Site

from gazette.core.caching import cached_fragment
from gazette.core.invalidation import add_cache_tags

from ..models import RatesSettings
from ..services import moscow_today
from ..widget import format_rate, render_widget

register = template.Library()


@register.simple_tag(takes_context=True)
def rates_widget(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    if request is not None:
        add_cache_tags(request, "rates")

    def build() -> str:
        codes = RatesSettings.for_site(site).currency_codes() if site else RatesSettings().currency_codes()
        return render_widget(codes)

    # Built once per new table, change of currencies (both purge ``rates``) and Moscow day.
    key = f"rates-widget:{site.pk if site else 0}:{moscow_today():%Y%m%d}"
    return mark_safe(cached_fragment(key, {"rates"}, build))  # noqa: S308 - our own template, autoescaped


@register.filter
def rouble_rate(value):
    return format_rate(value)
