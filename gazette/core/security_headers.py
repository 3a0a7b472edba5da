"""Security headers on every answer, and the endpoint browsers report policy violations to.

:class:`SecurityHeadersMiddleware` sits right after Django's ``SecurityMiddleware`` (which sends
``X-Content-Type-Options``, ``Referrer-Policy``, ``Cross-Origin-Opener-Policy`` and HSTS), before
WhiteNoise and the page cache, so static files, page-cache hits and answers refused early (search
floods) get the same headers as rendered pages, and a change of policy reaches cached pages at once.

Content-Security-Policy is Django's own (``django.middleware.csp``, settings ``SECURE_CSP`` and
``SECURE_CSP_REPORT_ONLY``, ``csp_override``): this middleware picks the policy per request. A
policy without a nonce is built once (``build_policy``) and copied into each answer; one with a
nonce, or one a view chose, is built for each answer by Django's middleware.

- Reader pages: ``SECURE_CSP``. No ``'unsafe-inline'`` and no nonce: a cached page is the same for
  every reader, so a nonce in it would be reused by everybody and prove nothing. Reader templates
  therefore hold no inline script or style (scripts are static files; JSON-LD is a data block,
  which no policy governs).
- The Wagtail and Django admin (paths starting with one of ``GAZETTE_ADMIN_CSP_PATHS``):
  ``GAZETTE_ADMIN_CSP``, which allows the inline scripts and styles Wagtail's widgets write.
  Admin pages are never cached, but Wagtail's inline scripts carry no nonce, and a nonce would
  make browsers ignore ``'unsafe-inline'``.
- Documents: Wagtail's serve view sends ``default-src 'none'`` itself (with
  ``Content-Disposition: attachment`` and ``nosniff``), and that is kept.
- ``frame-ancestors`` follows the view's choice of ``X-Frame-Options``: ``'self'`` for a view
  that may be framed by the site itself (``xframe_options_sameorigin``: the comment form, Wagtail's
  preview), ``'none'`` otherwise. A view that sets its own policy (``csp_override``) keeps it.

The other headers (``GAZETTE_SECURITY_HEADERS``: ``Permissions-Policy``,
``Cross-Origin-Resource-Policy``, ``Cross-Origin-Embedder-Policy``,
``X-Permitted-Cross-Domain-Policies``, ``Reporting-Endpoints``) are added to every response that
does not set them itself. :func:`csp_report` is where browsers send violations (``report-uri``
and ``report-to``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import ResponseHeaders
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.utils.csp import CSP, build_policy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from .throttles import over_rate

logger = logging.getLogger("gazette.security.csp")

_FRAMEABLE = "SAMEORIGIN"
_CSP_HEADERS = (CSP.HEADER_ENFORCE, CSP.HEADER_REPORT_ONLY)
# Per (admin, frameable): the settings the headers were made from, and the headers as
# ResponseHeaders stores them: made and checked once, copied into each response.
_prepared_memo: dict[tuple[bool, bool], tuple[tuple, list | None, list]] = {}


def _framed(policy: Mapping | None, frameable: bool) -> dict:
    """``policy`` with its frame-ancestors for an answer that may (or may not) be framed by the site."""
    framed = dict(policy or {})
    if "frame-ancestors" in framed:
        framed["frame-ancestors"] = [CSP.SELF] if frameable else [CSP.NONE]
    return framed


def _has_nonce(policy: Mapping) -> bool:
    return any(
        values == CSP.NONCE or (isinstance(values, list | tuple | set) and CSP.NONCE in values)
        for values in policy.values()
    )


def _header_pairs(headers: Mapping[str, str]) -> list:
    checked = ResponseHeaders({})
    for name, value in headers.items():
        if value:
            checked[name] = value
    return list(checked._store.items())


_NO_HEADERS: dict = {}


def _sources(admin: bool) -> tuple:
    enforced = settings.GAZETTE_ADMIN_CSP if admin else settings.SECURE_CSP
    return enforced, settings.SECURE_CSP_REPORT_ONLY, getattr(settings, "GAZETTE_SECURITY_HEADERS", _NO_HEADERS)


def _prepared(admin: bool, frameable: bool) -> tuple[list | None, list]:
    """The CSP headers (None when a policy holds a nonce: they differ per response) and the other
    security headers, for an answer of this kind."""
    sources = _sources(admin)
    memo = _prepared_memo.get((admin, frameable))
    # Made again when a setting is replaced (tests' override_settings); compared by identity.
    if memo is not None and memo[0][0] is sources[0] and memo[0][1] is sources[1] and memo[0][2] is sources[2]:
        return memo[1], memo[2]
    enforced, report_only, others = sources
    policies = {
        CSP.HEADER_ENFORCE: _framed(enforced, frameable),
        CSP.HEADER_REPORT_ONLY: _framed(report_only, frameable),
    }
    if any(_has_nonce(policy) for policy in policies.values()):
        csp = None
    else:
        csp = _header_pairs({str(header): build_policy(policy) for header, policy in policies.items() if policy})
    other = _header_pairs(others)
    _prepared_memo[(admin, frameable)] = (sources, csp, other)
    return csp, other


class SecurityHeadersMiddleware(ContentSecurityPolicyMiddleware):
    """Django's CSP middleware with a policy chosen per path, plus the other security headers.

    Headers a view set itself are kept (Django's rule), and so is a policy it chose with
    ``csp_override``/``csp_report_only_override``.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        answered = getattr(response, "_csp_answers", None)
        if answered is not None and answered is not request:
            # Made for another request: Wagtail's preview runs the page through the middleware
            # for a request of its own, and the admin view sends it on (framed, by its choice).
            for header in _CSP_HEADERS:
                del response[header]
            response.__dict__.pop("_csp_config", None)
            response.__dict__.pop("_csp_ro_config", None)
        response._csp_answers = request
        admin = request.path_info.startswith(tuple(getattr(settings, "GAZETTE_ADMIN_CSP_PATHS", ())))
        frameable = response.get("X-Frame-Options", "").upper() == _FRAMEABLE
        csp, other = _prepared(admin, frameable)
        if csp is None or hasattr(response, "_csp_config") or hasattr(response, "_csp_ro_config"):
            # A view's own policy, or a nonce: Django's middleware builds them for this response.
            enforced, report_only, _others = _sources(admin)
            if not hasattr(response, "_csp_config"):
                response._csp_config = _framed(enforced, frameable)
            if not hasattr(response, "_csp_ro_config"):
                response._csp_ro_config = _framed(report_only, frameable)
            response = super().process_response(request, response)
            csp = []
        store = response.headers._store
        for key, pair in (*csp, *other):
            if key not in store:
                store[key] = pair
        return response


def _report_fields(report: Mapping) -> dict:
    """The parts of one violation worth logging, whichever format the browser sent.

    ``report-uri`` sends ``{"csp-report": {"document-uri": ..., "violated-directive": ...}}``; the
    Reporting API (``report-to``) sends ``[{"type": "csp-violation", "body": {"documentURL": ...,
    "effectiveDirective": ...}}]``.
    """
    body = report.get("csp-report") if isinstance(report.get("csp-report"), Mapping) else None
    if body is None:
        body = report.get("body") if isinstance(report.get("body"), Mapping) else report
    names = {
        "document": ("document-uri", "documentURL"),
        "directive": ("effective-directive", "effectiveDirective", "violated-directive"),
        "blocked": ("blocked-uri", "blockedURL"),
        "source": ("source-file", "sourceFile"),
        "line": ("line-number", "lineNumber"),
        "sample": ("script-sample", "sample"),
        "disposition": ("disposition",),
    }
    fields = {}
    for field, keys in names.items():
        for key in keys:
            value = body.get(key)
            if value not in (None, ""):
                fields[field] = str(value)[:300]  # a report is written by anyone: bounded in the log
                break
    return fields


@csrf_exempt
@never_cache
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log the Content-Security-Policy violations a browser reports; answer 204.

    Anyone can post here, so: ``POST`` only (405), a body of at most
    ``GAZETTE_CSP_REPORT_MAX_BYTES`` (413, read no further), ``GAZETTE_CSP_REPORT_RATE`` reports
    per address (429, not logged), and a body that is not a report is answered 400 and never
    raises. At most ten violations of one body are logged.
    """
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    max_bytes = int(getattr(settings, "GAZETTE_CSP_REPORT_MAX_BYTES", 16 * 1024))
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:
        return HttpResponse(status=413)
    if over_rate(request, "csp-report", "GAZETTE_CSP_REPORT_RATE", "60/m"):
        return HttpResponse(status=429)
    raw = request.read(max_bytes + 1)
    if len(raw) > max_bytes:
        return HttpResponse(status=413)
    try:
        payload = json.loads(raw)
    except ValueError:  # not UTF-8, not JSON
        return HttpResponse(status=400)
    reports = payload if isinstance(payload, list) else [payload]
    logged = 0
    for report in reports[:10]:
        if not isinstance(report, Mapping):
            continue
        if "type" in report and report.get("type") != "csp-violation":
            continue
        fields = _report_fields(report)
        if fields:
            logger.warning("Content-Security-Policy violation: %s", json.dumps(fields, sort_keys=True))
            logged += 1
    return HttpResponse(status=204 if logged else 400)
