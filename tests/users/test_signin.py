"""Sign-in through Wagtail's login page: failures throttled per account and address, lock-outs
logged and lifted from the admin, the second step, idle admin sessions, password rules."""

import time

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import hotp, totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from gazette.users.middleware import LAST_SEEN_KEY
from gazette.users.models import SignInLockout

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", "editor@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def administrator(django_user_model):
    user = django_user_model.objects.create_user("admin", "admin@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="Administrators"))
    return user


def sign_in(client, username, password, address="198.51.100.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    return "_auth_user_id" in client.session


def current_code(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def next_code(device):
    """A code the device has not accepted yet: the one for the next 30 s (a code is good once,
    and the device allows one step of clock drift)."""
    return current_code(device, drift=1)


def test_five_wrong_passwords_lock_the_account_at_that_address_with_429(client, editor):
    for _ in range(4):
        response = sign_in(client, "editor", "wrong password")
        assert response.status_code == 200
    response = sign_in(client, "editor", "wrong password")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text and "15 minutes" in response.text
    # The right password is refused too while the lock lasts, and nothing signs in.
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    # The editor at their own address is not locked out by a guesser elsewhere.
    own = Client()
    assert sign_in(own, "editor", PASSWORD, address="203.0.113.5").status_code == 302
    assert signed_in(own)


def test_an_address_is_locked_for_every_account_after_five_failures(client, editor):
    for n in range(5):
        sign_in(client, f"someone{n}", "wrong password")
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    assert not signed_in(client)


@override_settings(GAZETTE_SIGNIN_FAILURE_LIMIT=2, GAZETTE_SIGNIN_LOCKOUT_MINUTES=30)
def test_the_limit_and_the_lock_time_are_settings(client, editor):
    assert sign_in(client, "editor", "wrong").status_code == 200
    response = sign_in(client, "editor", "wrong")
    assert response.status_code == 429 and "30 minutes" in response.text
    assert response["Retry-After"] == "1800"


def test_a_lockout_is_listed_logged_and_lifted_by_an_administrator(client, editor, administrator):
    for _ in range(6):
        sign_in(client, "editor", "wrong password")
    lockout = SignInLockout.objects.get()
    assert (lockout.username, lockout.ip_address, lockout.is_active) == ("editor", "198.51.100.7", True)
    entry = ModelLogEntry.objects.get(action="gazette.signin_lockout")
    assert entry.data == {"username": "editor", "ip_address": "198.51.100.7"}

    admin = Client()
    admin.force_login(administrator)
    listing = admin.get(reverse("gazette_signin_lockouts"))
    assert listing.status_code == 200 and "198.51.100.7" in listing.text and "Unlock" in listing.text
    response = admin.post(reverse("gazette_signin_unlock", args=(lockout.pk,)))
    assert response.status_code == 302
    lockout.refresh_from_db()
    assert lockout.unlocked_by == administrator and not lockout.is_active
    unlock_entry = ModelLogEntry.objects.get(action="gazette.signin_unlock")
    assert unlock_entry.user_id == administrator.pk
    # Site history shows both, in words.
    history = admin.get(reverse("wagtailadmin_reports:site_history"))
    assert "Sign-ins locked after repeated failures" in history.text and "Sign-in lock-out lifted" in history.text

    assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert signed_in(client)


def test_only_administrators_see_or_lift_lockouts(client, editor):
    client.force_login(editor)
    assert client.get(reverse("gazette_signin_lockouts")).status_code in (302, 403)
    lockout = SignInLockout.objects.create(
        username="x", ip_address="198.51.100.9", locked_at="2026-01-01T00:00Z", expires_at="2099-01-01T00:00Z"
    )
    assert client.post(reverse("gazette_signin_unlock", args=(lockout.pk,))).status_code in (302, 403)
    lockout.refresh_from_db()
    assert lockout.unlocked_at is None


def test_the_log_never_holds_the_password(client, editor, caplog):
    for _ in range(6):
        sign_in(client, "editor", "hunter2-secret-guess")
    assert caplog.records, "failures are logged"
    assert "hunter2-secret-guess" not in caplog.text
    assert all("hunter2-secret-guess" not in str(e.data) for e in ModelLogEntry.objects.all())


# --- the second step ------------------------------------------------------------------------


def set_up_app(client):
    """Set up the authenticator app as the signed-in user does; returns (device, recovery codes page)."""
    page = client.get(reverse("gazette_two_factor_setup"))
    assert page.status_code == 200 and "<svg" in page.text
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(reverse("gazette_two_factor_setup"), {"code": current_code(device)})
    assert response.status_code == 200 and "Your recovery codes" in response.text
    device.refresh_from_db()
    assert device.confirmed
    return device, response


def test_a_user_sets_up_the_app_and_then_needs_a_code_after_the_password(client, editor):
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    account = client.get(reverse("wagtailadmin_account"))
    assert reverse("gazette_two_factor") in account.text
    device, codes_page = set_up_app(client)
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    assert ModelLogEntry.objects.filter(action="gazette.two_factor_setup", object_id=str(editor.pk)).exists()

    other = Client()
    assert sign_in(other, "editor", PASSWORD).status_code == 302
    home = other.get(reverse("wagtailadmin_home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("gazette_two_factor_verify"))
    assert other.get(reverse("wagtailadmin_explore_root")).status_code == 302
    wrong_code = next(c for c in ("000000", "111111", "222222") if c not in (current_code(device), next_code(device)))
    wrong = other.post(reverse("gazette_two_factor_verify"), {"code": wrong_code})
    assert wrong.status_code == 200 and "not right" in wrong.text
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above slowed the device down
    device.throttling_failure_timestamp = None
    device.save()
    # The code used to set the app up does not work twice (read from the step the device accepted,
    # not the clock, which may have moved on to a fresh code since).
    setup_code = f"{hotp(device.bin_key, device.last_t, digits=device.digits):06d}"
    assert other.post(reverse("gazette_two_factor_verify"), {"code": setup_code}).status_code == 200
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = other.post(reverse("gazette_two_factor_verify"), {"code": next_code(device), "next": "/admin/pages/"})
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert other.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_recovery_code_works_once(client, editor):
    sign_in(client, "editor", PASSWORD)
    _device, codes_page = set_up_app(client)
    code = codes_page.context["codes"][0]
    first, second = Client(), Client()
    for c in (first, second):
        sign_in(c, "editor", PASSWORD)
    assert first.post(reverse("gazette_two_factor_verify"), {"code": code}).status_code == 302
    assert first.get(reverse("wagtailadmin_home")).status_code == 200
    assert second.post(reverse("gazette_two_factor_verify"), {"code": code}).status_code == 200
    assert second.get(reverse("wagtailadmin_home")).status_code == 302


@override_settings(GAZETTE_REQUIRE_2FA=True)
def test_when_required_editors_are_taken_to_set_it_up_at_sign_in(client, editor, django_user_model):
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("gazette_two_factor_setup"))
    setup_page = client.get(reverse("gazette_two_factor_setup"))
    assert "needs a second sign-in step" in setup_page.text
    set_up_app(client)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    # Required: it cannot be turned off.
    assert client.post(reverse("gazette_two_factor"), {"action": "turn-off"}).status_code in (302, 403)
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).exists()

    # A moderator is not required to.
    moderator = django_user_model.objects.create_user("mod", "m@example.org", PASSWORD)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    other = Client()
    sign_in(other, "mod", PASSWORD)
    assert other.get(reverse("wagtailadmin_home")).status_code == 200


def test_replacing_the_app_needs_the_old_one_first(client, editor):
    sign_in(client, "editor", PASSWORD)
    set_up_app(client)
    other = Client()
    sign_in(other, "editor", PASSWORD)
    response = other.get(reverse("gazette_two_factor_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("gazette_two_factor_verify"))


def test_a_password_reset_does_not_skip_the_second_step(client, editor, mailoutbox):
    sign_in(client, "editor", PASSWORD)
    set_up_app(client)
    other = Client()
    assert other.post(reverse("wagtailadmin_password_reset"), {"email": "editor@example.org"}).status_code == 302
    link = next(line for line in mailoutbox[-1].body.splitlines() if "/admin/password_reset/confirm/" in line)
    path = link.strip()[link.strip().index("/admin/") :]
    form = other.get(path, follow=True)
    new = "a new long passphrase 42"
    other.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert sign_in(other, "editor", new).status_code == 302
    assert other.get(reverse("wagtailadmin_home")).status_code == 302


# --- sessions and passwords -----------------------------------------------------------------


@override_settings(GAZETTE_ADMIN_IDLE_MINUTES=30)
def test_an_admin_session_unused_for_the_idle_time_is_signed_out(client, editor):
    sign_in(client, "editor", PASSWORD)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 29 * 60
    session.save()
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))
    assert not signed_in(client)


@pytest.mark.parametrize(
    ("password", "complaint"),
    [("short1!Aa", "at least 12"), ("password1234", "too common"), ("123456789012345", "entirely numeric")],
)
def test_passwords_must_be_long_and_uncommon(password, complaint):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any(complaint in message for message in error.value.messages)
    validate_password("ferry crossing at dawn")
