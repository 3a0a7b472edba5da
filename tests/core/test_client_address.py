"""The client's address behind a reverse proxy: the choice among X-Forwarded-For entries, and
sign-in throttling through the WSGI application (gazette/wsgi.py) counting each reader, not the
proxy they all come through."""

import os
import re

import httpx
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory, override_settings
from django.urls import reverse

from gazette.core.clients import (
    MAX_HOPS,
    PEER_KEY,
    choose_client,
    client_address,
    parse_networks,
    trusted_proxy_addresses,
)
from gazette.search.limits import over_limit

NGINX = parse_networks(["127.0.0.1"])
TWO_TIERS = parse_networks(["127.0.0.1", "10.0.0.0/8", "2001:db8:f::/48"])
PASSWORD = "correct horse battery staple"


def test_without_trusted_proxies_the_connection_is_the_client_and_the_header_is_ignored():
    assert choose_client("198.51.100.7", "203.0.113.9", ()) == "198.51.100.7"
    assert choose_client("127.0.0.1", "203.0.113.9", ()) == "127.0.0.1"


def test_an_untrusted_connection_cannot_forge_its_address():
    assert choose_client("198.51.100.7", "203.0.113.9, 127.0.0.1", NGINX) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_right_most_entry_is_the_client():
    assert choose_client("127.0.0.1", "203.0.113.9", NGINX) == "203.0.113.9"
    # The reader wrote "1.1.1.1" themselves; nginx appended the address it saw them at.
    assert choose_client("127.0.0.1", "1.1.1.1, 203.0.113.9", NGINX) == "203.0.113.9"


def test_trusted_proxies_on_the_way_are_skipped_from_the_right():
    assert choose_client("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.1.2.3, 10.0.0.5", TWO_TIERS) == "203.0.113.9"


def test_when_every_entry_is_a_trusted_proxy_the_farthest_one_is_the_client():
    assert choose_client("127.0.0.1", "10.0.0.9, 10.0.0.5", TWO_TIERS) == "10.0.0.9"
    assert choose_client("127.0.0.1", "", TWO_TIERS) == "127.0.0.1"
    assert choose_client("127.0.0.1", None, TWO_TIERS) == "127.0.0.1"


@pytest.mark.parametrize(
    ("forwarded_for", "client"),
    [
        ("garbage", "127.0.0.1"),
        ("203.0.113.9, not-an-address", "127.0.0.1"),
        ("not-an-address, 203.0.113.9", "203.0.113.9"),
        (",,, ,", "127.0.0.1"),
        ("unknown", "127.0.0.1"),
        ("203.0.113.9:51234", "203.0.113.9"),
        ("  203.0.113.9  ", "203.0.113.9"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("[::ffff:203.0.113.9]:443", "203.0.113.9"),
        ("2001:db8:1::7", "2001:db8:1::7"),
        ("[2001:db8:1::7]:443", "2001:db8:1::7"),
        ("fe80::1%eth0", "fe80::1"),
        ("2001:db8:f::9, 2001:db8:1::7, 2001:db8:f::1", "2001:db8:1::7"),
        ("\x00\xff" * 50, "127.0.0.1"),
    ],
)
def test_malformed_and_unusual_entries(forwarded_for, client):
    assert choose_client("127.0.0.1", forwarded_for, TWO_TIERS) == client


def test_an_ipv4_mapped_connection_address_is_read_as_ipv4():
    assert choose_client("::ffff:127.0.0.1", "203.0.113.9", NGINX) == "203.0.113.9"
    assert choose_client("::ffff:198.51.100.7", None, ()) == "198.51.100.7"


def test_only_the_right_most_entries_are_read():
    far = ", ".join(["10.0.0.1"] * (MAX_HOPS * 1000))
    assert choose_client("127.0.0.1", "203.0.113.9, " + far, TWO_TIERS) == "10.0.0.1"
    within = ", ".join(["10.0.0.1"] * (MAX_HOPS - 1))
    assert choose_client("127.0.0.1", "203.0.113.9, " + within, TWO_TIERS) == "203.0.113.9"


def test_a_bad_trusted_proxy_setting_is_named():
    with pytest.raises(ImproperlyConfigured, match="nginx-box"):
        parse_networks(["127.0.0.1", "nginx-box"])
    with override_settings(GAZETTE_TRUSTED_PROXIES=["300.1.1.1"]), pytest.raises(ImproperlyConfigured):
        trusted_proxy_addresses(lambda environ, start_response: [])


@override_settings(GAZETTE_TRUSTED_PROXIES=["127.0.0.1"])
def test_a_request_and_its_environ_give_the_same_address():
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    assert client_address(request) == "203.0.113.9"
    assert client_address(request.META) == "203.0.113.9"


@override_settings(GAZETTE_TRUSTED_PROXIES=["127.0.0.1"])
def test_the_wrapper_puts_the_client_in_remote_addr_and_keeps_the_peer():
    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        start_response("204 No Content", [])
        return []

    wrapped = trusted_proxy_addresses(app)
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.1.1.1, 203.0.113.9"}
    wrapped(environ, lambda status, headers: None)
    assert seen["REMOTE_ADDR"] == "203.0.113.9" and seen[PEER_KEY] == "127.0.0.1"
    # Read again below the wrapper, the address stays the one it chose.
    assert client_address(seen) == "203.0.113.9"


# Through gazette.wsgi.application, as granian runs it behind nginx.


@pytest.fixture
def wsgi_application(monkeypatch):
    # Importing gazette.wsgi marks this process a web process; the mark is undone after the test.
    monkeypatch.setenv("GAZETTE_DB_ROLE", os.environ.get("GAZETTE_DB_ROLE") or "background")
    from gazette.wsgi import application

    # As Django's test client does: a request's end must not close the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@override_settings(GAZETTE_TRUSTED_PROXIES=["127.0.0.1"], GAZETTE_SEARCH_RATE="30/m")
def test_the_search_flood_refusal_sees_the_reader_behind_the_proxy(wsgi_application):
    """The refusal of addresses remembered over the search rate, which runs before Django,
    refuses the reader over the rate, not everyone behind nginx."""
    over_limit.clear()
    over_limit.remember(("30/m", "198.51.100.66"), 40)
    search = reverse("search:search")
    try:
        flooder = reader(wsgi_application, "127.0.0.1", "198.51.100.66").get(search, params={"q": "ferry"})
        assert flooder.status_code == 429 and "Retry-After" in flooder.headers
        neighbour = reader(wsgi_application, "127.0.0.1", "203.0.113.5").get(search, params={"q": "ferry"})
        assert neighbour.status_code != 429
    finally:
        over_limit.clear()


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", "editor@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def reader(application, peer: str, forwarded_for: str | None) -> httpx.Client:
    """A browser reaching Gazette from ``peer`` with ``forwarded_for`` (None: no header)."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    transport = httpx.WSGITransport(app=application, remote_addr=peer)
    return httpx.Client(transport=transport, base_url="http://testserver", headers=headers)


def sign_in(client: httpx.Client, username: str, password: str) -> httpx.Response:
    form = client.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return client.post("/admin/login/", data={"username": username, "password": password, "csrfmiddlewaretoken": token})


@pytest.mark.django_db
@override_settings(GAZETTE_TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_nginx_a_guesser_locks_only_their_own_address(wsgi_application, editor):
    attacker = reader(wsgi_application, "127.0.0.1", "198.51.100.66")
    for _ in range(4):
        assert sign_in(attacker, "editor", "wrong password").status_code == 200
    locked = sign_in(attacker, "editor", "wrong password")
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.text
    assert sign_in(attacker, "editor", PASSWORD).status_code == 429

    # The editor comes through the same nginx from their own address, and signs in.
    own = reader(wsgi_application, "127.0.0.1", "203.0.113.5")
    response = sign_in(own, "editor", PASSWORD)
    assert response.status_code == 302 and "sessionid" in own.cookies


@pytest.mark.django_db
@override_settings(GAZETTE_TRUSTED_PROXIES=["127.0.0.1"])
def test_a_forged_header_from_an_untrusted_client_is_ignored(wsgi_application, editor):
    # Each attempt claims another address; the lock follows the address it came from.
    for n in range(5):
        forger = reader(wsgi_application, "198.51.100.66", f"203.0.113.{n + 10}")
        sign_in(forger, f"someone{n}", "wrong password")
    forger = reader(wsgi_application, "198.51.100.66", "203.0.113.5")
    assert sign_in(forger, "editor", PASSWORD).status_code == 429
    # Nor can the forger lock out the address they named.
    named = reader(wsgi_application, "203.0.113.12", None)
    assert sign_in(named, "editor", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_with_no_trusted_proxy_everyone_behind_the_proxy_shares_one_address(wsgi_application, editor):
    """What GAZETTE_TRUSTED_PROXIES is for: left empty behind nginx, one guesser locks out all."""
    for n in range(5):
        sign_in(reader(wsgi_application, "127.0.0.1", "198.51.100.66"), f"someone{n}", "wrong password")
    own = reader(wsgi_application, "127.0.0.1", "203.0.113.5")
    assert sign_in(own, "editor", PASSWORD).status_code == 429
