"""The client's address: the one place that decides it, for every per-address limit.

Behind a reverse proxy every request comes from the proxy's address. When ``REMOTE_ADDR`` is one
of ``GAZETTE_TRUSTED_PROXIES`` (addresses or networks; empty trusts nobody), the client is the
right-most ``X-Forwarded-For`` entry that is not a trusted proxy: each trusted proxy appends the
address it was connected from, so entries left of that one were written by the client and can
be anything. :func:`trusted_proxy_addresses` wraps the WSGI application (gazette/wsgi.py) and
puts that address in ``REMOTE_ADDR`` before anything else reads it, so sign-in throttling,
comment, report, search and CSP-report limits all count the reader, not the proxy.

A malformed header never fails a request: an entry that is no address stops the walk at the
trusted proxy that passed it on, only the right-most :data:`MAX_HOPS` entries are read, and an
IPv4-mapped IPv6 address (``::ffff:192.0.2.1``) is read as the IPv4 address it carries.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

# More trusted proxies than this in a row is no real deployment; the rest of the header is ignored.
MAX_HOPS = 16
# The address the connection came from before the wrapper replaced it, kept for logs and debugging.
PEER_KEY = "gazette.peer_address"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_parsed: tuple[tuple[str, ...], tuple[Network, ...]] | None = None


def parse_address(value: str | None) -> Address | None:
    """``value`` as an IP address, or None when it is none. Surrounding spaces, an IPv6 address
    in brackets, a port after an IPv4 address or a bracketed IPv6 one, and an IPv6 zone are
    allowed; an IPv4-mapped IPv6 address is returned as its IPv4 address."""
    if not value:
        return None
    text = value.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    text = text.partition("%")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """The networks ``values`` name (addresses or CIDRs); ImproperlyConfigured naming a bad one."""
    networks = []
    for value in values:
        try:
            network = ipaddress.ip_network(str(value).strip(), strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                gettext("GAZETTE_TRUSTED_PROXIES: %(value)r is not an address or a network.") % {"value": value}
            ) from None
        networks.append(network)
    return tuple(networks)


def trusted_proxies() -> tuple[Network, ...]:
    """``GAZETTE_TRUSTED_PROXIES`` parsed (once per value of the setting)."""
    global _parsed
    values = tuple(getattr(settings, "GAZETTE_TRUSTED_PROXIES", ()) or ())
    parsed = _parsed
    if parsed is None or parsed[0] != values:
        parsed = (values, parse_networks(values))
        _parsed = parsed
    return parsed[1]


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def choose_client(remote_addr: str | None, forwarded_for: str | None, networks: tuple[Network, ...]) -> str | None:
    """The client's address for a connection from ``remote_addr`` carrying ``forwarded_for``
    (the ``X-Forwarded-For`` value), given the trusted proxy ``networks``.

    ``remote_addr`` (normalised) when it is no trusted proxy or there is no header; else the
    right-most entry that is not a trusted proxy; when every entry read is a trusted proxy, or
    the next entry is no address, the last trusted proxy on the way (the farthest one known)."""
    peer = parse_address(remote_addr)
    if peer is None:
        return remote_addr or None
    closest = peer
    if forwarded_for and networks and _is_trusted(peer, networks):
        # rsplit with a bound: a header of a million commas costs no more than MAX_HOPS entries.
        for entry in reversed(forwarded_for.rsplit(",", MAX_HOPS)[-MAX_HOPS:]):
            address = parse_address(entry)
            if address is None:
                break
            closest = address
            if not _is_trusted(address, networks):
                break
    return str(closest)


def client_address(source: Mapping | object) -> str | None:
    """The client's address for a request: ``source`` is a WSGI environ or a Django request.

    When :func:`trusted_proxy_addresses` already chose it, ``REMOTE_ADDR`` is returned as it is;
    otherwise (a request that did not come through gazette/wsgi.py, such as the test client's)
    the choice is made here, so both agree."""
    meta = source if isinstance(source, Mapping) else getattr(source, "META", {})
    if PEER_KEY in meta:
        return meta.get("REMOTE_ADDR") or None
    return choose_client(meta.get("REMOTE_ADDR"), meta.get("HTTP_X_FORWARDED_FOR"), trusted_proxies())


def trusted_proxy_addresses(application):
    """Wrap the WSGI ``application`` so that ``REMOTE_ADDR`` is the client's address (see the
    module's docstring) for every layer below; the connection's own address is kept under
    :data:`PEER_KEY`. A bad ``GAZETTE_TRUSTED_PROXIES`` fails here, when the server starts."""
    trusted_proxies()

    def with_client_address(environ, start_response):
        if PEER_KEY not in environ:
            peer = environ.get("REMOTE_ADDR", "")
            client = choose_client(peer, environ.get("HTTP_X_FORWARDED_FOR"), trusted_proxies())
            environ[PEER_KEY] = peer
            if client:
                environ["REMOTE_ADDR"] = client
        return application(environ, start_response)

    with_client_address.__wrapped__ = application
    return with_client_address


def ratelimit_address(request) -> str:
    """django-ratelimit's ``ip`` key (``RATELIMIT_IP_META_KEY``): :func:`client_address`, which
    must be known (a server on a Unix socket without a trusted proxy gives none)."""
    address = client_address(request)
    if not address:
        raise ImproperlyConfigured(
            gettext("The request has no client address: REMOTE_ADDR is empty and no trusted proxy named one.")
        )
    return address
