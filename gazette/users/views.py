"""Admin views: the second sign-in step, setting it up, and lifting sign-in lock-outs."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from wagtail.log_actions import log

from . import signin, two_factor
from .models import SignInLockout

UNLOCK_PERMISSION = "users.unlock_signin"
SETUP_ACTION = "gazette.two_factor_setup"
RECOVERY_CODES_ACTION = "gazette.two_factor_recovery_codes"
TURN_OFF_ACTION = "gazette.two_factor_off"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _actual_user(request):
    """``request.user`` itself: OTP's and auth's middleware wrap it in lazy objects, which
    Wagtail's audit log cannot place."""
    user = request.user
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def verify(request):
    """The second step after the password: a code from the app, or a recovery code."""
    if not request.user.is_authenticated:
        return redirect("wagtailadmin_login")
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if device.__class__.__name__ == "StaticDevice":
                left = two_factor.remaining_recovery_codes(request.user)
                messages.warning(request, _("You used a recovery code; %(count)d are left.") % {"count": left})
            return redirect(_next_url(request))
        form.add_error("code", _("That code is not right, or it was already used. Try the current one."))
    return TemplateResponse(request, "users/two_factor_verify.html", {"form": form, "next": _next_url(request)})


def setup(request):
    """Set up the authenticator app: scan, type the current code, keep the recovery codes."""
    if not request.user.is_authenticated:
        return redirect("wagtailadmin_login")
    if two_factor.has_any_device(request.user) and not request.user.is_verified():
        # Replacing an app needs the old one first: a stolen password alone must not do it.
        return redirect(f"{reverse('gazette_two_factor_verify')}?next={reverse('gazette_two_factor_setup')}")
    device = two_factor.pending_app(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_app(device, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            log(_actual_user(request), SETUP_ACTION, user=_actual_user(request))
            return TemplateResponse(
                request, "users/two_factor_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error("code", _("That code is not right. Check the app and type the code it shows now."))
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_for_typing(device),
        "required": two_factor.is_required(request.user),
        "next": _next_url(request),
    }
    return TemplateResponse(request, "users/two_factor_setup.html", context)


def manage(request):
    """The account's two-step sign-in: whether it is on, new recovery codes, turning it off."""
    user = _actual_user(request)
    context = {
        "is_set_up": two_factor.is_set_up(user),
        "required": two_factor.is_required(user),
        "recovery_codes_left": two_factor.remaining_recovery_codes(user),
        "page_title": _("Two-step sign-in"),
        "header_icon": "key",
    }
    if request.method == "POST":
        if request.POST.get("action") == "recovery-codes" and context["is_set_up"]:
            codes = two_factor.new_recovery_codes(user)
            log(user, RECOVERY_CODES_ACTION, user=user)
            return TemplateResponse(
                request, "users/two_factor_codes.html", {"codes": codes, "next": reverse("gazette_two_factor")}
            )
        if request.POST.get("action") == "turn-off" and context["is_set_up"] and not context["required"]:
            two_factor.turn_off(user)
            log(user, TURN_OFF_ACTION, user=user)
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("gazette_two_factor")
        raise PermissionDenied
    return TemplateResponse(request, "users/two_factor_manage.html", context)


def lockouts(request):
    """Sign-in lock-outs: those in force (with Unlock) and the last ones lifted or ended."""
    if not request.user.has_perm(UNLOCK_PERMISSION):
        raise PermissionDenied
    now = timezone.now()
    active = SignInLockout.objects.filter(unlocked_at__isnull=True, expires_at__gt=now)
    past = SignInLockout.objects.exclude(pk__in=active.values("pk")).select_related("unlocked_by")[:50]
    context = {"active": active, "past": past, "page_title": _("Sign-in lock-outs"), "header_icon": "lock"}
    return TemplateResponse(request, "users/lockouts.html", context)


@require_POST
def unlock(request, pk: int):
    if not request.user.has_perm(UNLOCK_PERMISSION):
        raise PermissionDenied
    lockout = get_object_or_404(SignInLockout, pk=pk)
    if lockout.is_active:
        signin.unlock(lockout, by=_actual_user(request))
        messages.success(request, _("Sign-ins from %(lockout)s are possible again.") % {"lockout": lockout})
    return redirect("gazette_signin_lockouts")
