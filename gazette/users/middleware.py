"""Admin sessions: signed out when left unused; the second sign-in step demanded before the admin."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from . import two_factor

LAST_SEEN_KEY = "gazette_last_seen"
# A session's last use is written at most this often (seconds): not a session save per request.
LAST_SEEN_GRANULARITY = 60
# Admin URLs a signed-in but not yet verified user may still reach.
UNVERIFIED_URL_NAMES = {
    "gazette_two_factor_verify",
    "gazette_two_factor_setup",
    "wagtailadmin_logout",
    "wagtailadmin_login",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "logout",
}


class SignInPolicyMiddleware:
    """Two rules for signed-in users (readers never sign in, and requests without a session
    cookie pass straight through):

    - a session unused for ``GAZETTE_ADMIN_IDLE_MINUTES`` is signed out (an admin page then asks
      to sign in again);
    - in the Wagtail and Django admin, a user with a second step who has not given it this
      session is sent to give it, and one who must have one (:func:`two_factor.is_required`)
      but has none is sent to set it up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_authenticated:
            return self.get_response(request)
        in_admin = self._in_admin(request.path_info)
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_KEY)
        idle_limit = float(getattr(settings, "GAZETTE_ADMIN_IDLE_MINUTES", 60)) * 60
        if last_seen is not None and now - last_seen > idle_limit:
            logout(request)
            if in_admin:
                return self._redirect(reverse("wagtailadmin_login"), request)
            return self.get_response(request)
        if last_seen is None or now - last_seen >= LAST_SEEN_GRANULARITY:
            request.session[LAST_SEEN_KEY] = now
        if in_admin and not request.user.is_verified() and self._url_name(request) not in UNVERIFIED_URL_NAMES:
            if two_factor.has_any_device(request.user):
                return self._redirect(reverse("gazette_two_factor_verify"), request)
            if two_factor.is_required(request.user):
                return self._redirect(reverse("gazette_two_factor_setup"), request)
        return self.get_response(request)

    @staticmethod
    def _in_admin(path: str) -> bool:
        prefixes = [reverse("wagtailadmin_home")]
        # Django's own admin is mounted only where GAZETTE_DJANGO_ADMIN turns it on.
        try:
            prefixes.append(reverse("admin:index"))
        except NoReverseMatch:
            pass
        return path.startswith(tuple(prefixes))

    @staticmethod
    def _url_name(request) -> str | None:
        try:
            return resolve(request.path_info).url_name
        except Resolver404:
            return None

    @staticmethod
    def _redirect(url: str, request) -> HttpResponseRedirect:
        return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
