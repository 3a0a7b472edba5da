"""Two-step sign-in (django-otp): an authenticator app (TOTP) and single-use recovery codes.

Anyone with admin access may set it up from their account; with ``GAZETTE_REQUIRE_2FA`` on,
superusers and members of ``GAZETTE_2FA_GROUPS`` (Editors, Administrators) must, and are taken
to set it up at their next sign-in. Codes are checked by the device itself, which slows down
repeated wrong codes (django-otp's throttling).
"""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def is_required(user) -> bool:
    """Must ``user`` sign in with a second step (``GAZETTE_REQUIRE_2FA``)?"""
    if not getattr(settings, "GAZETTE_REQUIRE_2FA", False) or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=getattr(settings, "GAZETTE_2FA_GROUPS", ())).exists()


def is_set_up(user) -> bool:
    """Has ``user`` a confirmed authenticator app?"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_any_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_app(user) -> TOTPDevice:
    """The authenticator app being set up for ``user`` (a new secret the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` address as an inline SVG QR code, for the app to scan: one
    filled path on white (HTML cannot show the namespaced elements of django-otp's SVG)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = image.to_string(encoding="unicode")
    svg = svg[svg.index("<svg") :]
    label = escape(gettext("QR code for your authenticator app"))
    # Big enough to scan from a screen, whatever the code's module count (the viewBox scales it).
    svg = re.sub(r'<svg width="[^"]*" height="[^"]*"', '<svg width="224" height="224"', svg, count=1)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32 groups of four, for typing into an app that cannot scan."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def confirm_app(device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app being set up if ``token`` is its current code; return new recovery codes
    (replacing any older app and codes), or None for a wrong code."""
    if not device.verify_token(token.replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace ``user``'s recovery codes with new ones (each works once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(user, token: str):
    """The confirmed device (app or recovery codes) that accepts ``token``, or None."""
    token = token.replace(" ", "").lower()
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                return device
    return None


@transaction.atomic
def turn_off(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
