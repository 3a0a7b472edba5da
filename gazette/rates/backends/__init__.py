"""Rate sources, chosen by the ``GAZETTE_RATE_SOURCES`` settings dict.

Modelled on Wagtail's frontend-cache backends: each entry names a ``BACKEND`` class (dotted
path) and its parameters; the entry called ``default`` is used unless a caller names another::

    GAZETTE_RATE_SOURCES = {
        "default": {"BACKEND": "gazette.rates.backends.cbr.CBRSource", "TIMEOUT": 10, "RETRIES": 3},
        "offline": {"BACKEND": "gazette.rates.backends.file.FileSource", "PATH": "/srv/cbr-tables"},
    }

A source only fetches *bytes* (see :class:`~gazette.rates.backends.base.BaseRateSource`);
parsing and checking happen once, in :mod:`gazette.rates.parsers`, whatever the source.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from .base import BaseRateSource, FetchedBody, RateSourceError

__all__ = ["BaseRateSource", "FetchedBody", "InvalidRateSourceError", "RateSourceError", "get_source"]

DEFAULT_SOURCES = {"default": {"BACKEND": "gazette.rates.backends.cbr.CBRSource"}}


class InvalidRateSourceError(ImproperlyConfigured):
    pass


def get_source(name: str = "default") -> BaseRateSource:
    """Build the source called ``name`` from ``GAZETTE_RATE_SOURCES``."""
    sources = getattr(settings, "GAZETTE_RATE_SOURCES", None) or DEFAULT_SOURCES
    if name not in sources:
        raise InvalidRateSourceError(
            gettext("No rate source called %(name)s in GAZETTE_RATE_SOURCES (%(names)s)")
            % {"name": repr(name), "names": ", ".join(sources)}
        )
    params = dict(sources[name])
    path = params.pop("BACKEND", None)
    if not path:
        raise InvalidRateSourceError(gettext("Rate source %(name)s has no BACKEND") % {"name": repr(name)})
    try:
        backend_cls = import_string(path)
    except ImportError as err:
        raise InvalidRateSourceError(
            gettext("Could not import rate source backend %(path)s: %(error)s") % {"path": repr(path), "error": err}
        ) from err
    return backend_cls(params)
