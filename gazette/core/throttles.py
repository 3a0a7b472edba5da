"""Posts counted per client in the shared cache (django-ratelimit), so every process agrees."""

from django.conf import settings
from django_ratelimit.core import is_ratelimited


def over_rate(request, group: str, setting: str, default: str, key="ip") -> bool:
    """Count this POST in ``group`` and say whether it goes over the rate the setting named
    ``setting`` gives (``default`` when unset), e.g. ``"5/10m"``. ``key`` is django-ratelimit's:
    the client's address by default, or a callable ``(group, request) -> str``."""
    rate = getattr(settings, setting, default)
    return is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=True)
