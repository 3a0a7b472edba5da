"""The sign-in flood of bench/signin_flood.py, in-process and smaller: many wrong passwords from
a few addresses, through Django's test client and the whole middleware stack."""

import secrets

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from gazette.users.models import SignInLockout

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
PASSWORD = "the editor's own passphrase"
LIMIT = 5


def test_a_flood_signs_nobody_in_is_refused_past_the_limit_and_spares_the_editor(django_user_model, caplog):
    editor = django_user_model.objects.create_user("editor", "editor@example.org", PASSWORD)
    editor.groups.add(Group.objects.get(name="Editors"))
    addresses = [f"198.51.100.{n}" for n in range(1, 5)]
    tried = []
    statuses = {address: [] for address in addresses}
    clients = {address: Client() for address in addresses}
    for n in range(100):
        address = addresses[n % len(addresses)]
        password = f"guess-{secrets.token_hex(6)}"
        tried.append(password)
        username = "editor" if n % 2 == 0 else f"reporter{n % 7}"
        response = clients[address].post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)
        statuses[address].append(response.status_code)

    assert all("_auth_user_id" not in c.session for c in clients.values()), "nobody signed in"
    for address, got in statuses.items():
        assert got[: LIMIT - 1] == [200] * (LIMIT - 1), address
        assert set(got[LIMIT - 1 :]) == {429}, address
    assert SignInLockout.objects.filter(unlocked_at__isnull=True).count() == len(addresses)

    own = Client()
    response = own.post(LOGIN, {"username": "editor", "password": PASSWORD}, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302 and "_auth_user_id" in own.session

    assert caplog.records
    assert not [p for p in [*tried, PASSWORD] if p in caplog.text]
