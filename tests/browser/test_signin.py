"""An editor turns on two-step sign-in from their account and signs in with a code; a guesser
locked out sees why."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import screenshots, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "winter ferry crossing 1987"


@pytest.fixture
def editor(wagtail_roots, django_user_model):
    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", PASSWORD, first_name="Vera", last_name="Sokolova"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def code(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def test_an_editor_sets_up_two_step_sign_in_and_signs_in_with_a_code(page, live_server, editor):
    base = live_server.url
    sign_in(page, base, "editor", PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(base + "/admin/account/")
    page.get_by_role("tab", name="More actions").click()
    screenshots(page, "signin-account-actions")
    page.get_by_role("link", name="Two-step sign-in").click()
    expect(page.get_by_text("Two-step sign-in is off")).to_be_visible()
    screenshots(page, "signin-two-step-off")
    page.get_by_role("link", name="Set up two-step sign-in").click()

    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    screenshots(page, "signin-two-step-setup")
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    page.get_by_role("textbox", name="Code").fill(code(device))
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".gazette-recovery-codes li")).to_have_count(10)
    screenshots(page, "signin-recovery-codes")
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_text(re.compile(r"Two-step sign-in is on\. You have 10 recovery codes left\."))).to_be_visible()

    page.goto(base + "/admin/")
    page.locator(".sidebar-footer__account-toggle").click()  # the sidebar's account menu
    page.get_by_text("Log out", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/login/"))

    sign_in(page, base, "editor", PASSWORD)
    expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    screenshots(page, "signin-two-step-verify")
    # The code used to set the app up works once: the next 30 s's code (the app's clock may run ahead).
    page.get_by_role("textbox", name="Code").fill(code(device, drift=1))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_text("Vera", exact=False).first).to_be_visible()


def test_a_locked_out_sign_in_shows_why(page, live_server, editor):
    base = live_server.url
    for n in range(5):
        sign_in(page, base, "editor", f"wrong guess {n}")
    expect(page.get_by_role("heading", name="Too many failed sign-ins")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Try again in 15 minutes")
    screenshots(page, "signin-locked-out")
    # The right password is refused too until the lock ends or an administrator lifts it.
    sign_in(page, base, "editor", PASSWORD)
    expect(page.get_by_role("heading", name="Too many failed sign-ins")).to_be_visible()


def test_an_administrator_unlocks_a_locked_out_editor(browser, page, live_server, editor, django_user_model):
    base = live_server.url
    admin = django_user_model.objects.create_user("chief", "chief@example.org", "chief's long passphrase")
    admin.groups.add(Group.objects.get(name="Administrators"))
    for n in range(5):
        sign_in(page, base, "editor", f"wrong guess {n}")
    expect(page.get_by_role("heading", name="Too many failed sign-ins")).to_be_visible()

    # The administrator, already signed in, in a browser of their own (here on the same locked
    # loopback address, where a sign-in form would be refused too).
    session = Client()
    session.force_login(admin)
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base}])
    chief = context.new_page()
    try:
        chief.goto(base + "/admin/")
        chief.get_by_role("button", name="Settings").click()
        chief.get_by_role("link", name="Sign-in lock-outs").click()
        row = chief.get_by_role("row").filter(has_text="editor")
        expect(row).to_contain_text("127.0.0.1")
        screenshots(chief, "signin-lockouts")
        row.get_by_role("button", name="Unlock").click()
        expect(chief.get_by_text("Sign-ins from editor from 127.0.0.1 are possible again.")).to_be_visible()
        expect(chief.get_by_text("No sign-in is locked.")).to_be_visible()
        screenshots(chief, "signin-lockouts-unlocked")
    finally:
        context.close()

    sign_in(page, base, "editor", PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/$"))
