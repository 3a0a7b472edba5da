"""Failed sign-ins: the client address, the lock-out answer, and the record of lock-outs.

django-axes counts failures (settings: ``AXES_*``, ``GAZETTE_SIGNIN_*``) in Redis or the database; this
module gives it the client address the rest of the project uses (gazette.core.clients: the
reader's address behind a trusted proxy, as for comment posts and searches), answers a locked-out
attempt with HTTP 429 and a message, and keeps a :class:`~gazette.users.models.SignInLockout` row
per lock so an administrator can see and lift it (written to Wagtail's audit log both ways).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from wagtail.log_actions import log

from gazette.core import clients

from .models import SignInLockout

logger = logging.getLogger(__name__)

LOCKOUT_ACTION = "gazette.signin_lockout"
UNLOCK_ACTION = "gazette.signin_unlock"


def failure_limit(request: HttpRequest | None = None, credentials=None) -> int:
    """Failures that lock (``GAZETTE_SIGNIN_FAILURE_LIMIT``)."""
    return int(getattr(settings, "GAZETTE_SIGNIN_FAILURE_LIMIT", 5))


def lockout_duration(request: HttpRequest | None = None) -> timedelta:
    """How long a lock lasts (``GAZETTE_SIGNIN_LOCKOUT_MINUTES``)."""
    return timedelta(minutes=float(getattr(settings, "GAZETTE_SIGNIN_LOCKOUT_MINUTES", 15)))


def client_address(request: HttpRequest) -> str | None:
    """The client's address, as every other per-address limit of the project reads it."""
    return clients.client_address(request)


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The answer to a sign-in attempt while its account or address is locked: HTTP 429."""
    minutes = round(lockout_duration(request).total_seconds() / 60)
    # Rendered now: AxesMiddleware replaces the view's response after the template-response phase.
    response = render(request, "users/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(lockout_duration(request).total_seconds()))
    return response


@receiver(user_locked_out, dispatch_uid="gazette.users.record_lockout")
def record_lockout(sender, request, username=None, ip_address=None, **kwargs) -> None:
    """Keep one row per lock (and one audit-log entry); attempts refused during it add nothing."""
    now = timezone.now()
    username = (username or "")[:150]
    ip_address = ip_address or None
    if SignInLockout.objects.filter(ip_address=ip_address, unlocked_at__isnull=True, expires_at__gt=now).exists():
        return
    with transaction.atomic():
        lockout = SignInLockout.objects.create(
            username=username, ip_address=ip_address, locked_at=now, expires_at=now + lockout_duration(request)
        )
        log(lockout, LOCKOUT_ACTION, data={"username": username, "ip_address": ip_address})
    logger.warning("Sign-in locked for %s from %s after repeated failures", username or "-", ip_address or "-")


def unlock(lockout: SignInLockout, by) -> None:
    """Lift ``lockout`` now: its failures are forgotten, and the audit log says who lifted it."""
    # Both counts: the account's at this address, and the address's own (every account).
    if lockout.username:
        AxesProxyHandler.reset_attempts(ip_address=lockout.ip_address, username=lockout.username)
    if lockout.ip_address:
        AxesProxyHandler.reset_attempts(ip_address=lockout.ip_address)
    now = timezone.now()
    with transaction.atomic():
        SignInLockout.objects.filter(pk=lockout.pk).update(unlocked_at=now, unlocked_by=by)
        lockout.unlocked_at, lockout.unlocked_by = now, by
        log(lockout, UNLOCK_ACTION, user=by, data={"username": lockout.username, "ip_address": lockout.ip_address})
