"""The endpoint browsers report policy violations to: logs real reports, bounded and rate-limited,
and answers garbage with a 4xx, never a 5xx."""

import json
import logging

import pytest

pytestmark = pytest.mark.django_db
URL = "/csp-report/"

# As Chromium sends them: report-uri (application/csp-report) and report-to (the Reporting API).
REPORT_URI_BODY = {
    "csp-report": {
        "document-uri": "https://news.example.org/news/ferry/",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'none'; script-src 'self'",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "https://news.example.org/news/ferry/",
        "status-code": 200,
        "script-sample": "",
    }
}
REPORT_TO_BODY = [
    {
        "age": 3,
        "type": "csp-violation",
        "url": "https://news.example.org/",
        "user_agent": "Mozilla/5.0",
        "body": {
            "documentURL": "https://news.example.org/",
            "effectiveDirective": "img-src",
            "blockedURL": "https://tracker.example.com/pixel.gif",
            "disposition": "enforce",
            "statusCode": 200,
        },
    },
    {"age": 1, "type": "deprecation", "url": "https://news.example.org/", "body": {"id": "Something"}},
]


@pytest.fixture
def logged(caplog):
    caplog.set_level(logging.WARNING, logger="gazette.security.csp")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "gazette.security.csp"]


def post(client, body, content_type="application/csp-report", **extra):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type, **extra)


def test_a_report_uri_report_is_logged(client, logged):
    response = post(client, REPORT_URI_BODY)
    assert response.status_code == 204
    (line,) = logged()
    assert (
        "script-src-elem" in line and "https://news.example.org/news/ferry/" in line and '"blocked": "inline"' in line
    )


def test_reporting_api_reports_are_logged_and_other_report_types_skipped(client, logged):
    response = post(client, REPORT_TO_BODY, content_type="application/reports+json")
    assert response.status_code == 204
    (line,) = logged()
    assert "img-src" in line and "tracker.example.com/pixel.gif" in line


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json at all",
        b"\xff\xfe\x00garbage",
        b"[1, 2, 3]",
        b'"a string"',
        b"{}",
        b'{"csp-report": "not an object"}',
        b'[{"type": "deprecation", "body": {}}]',
        b"{" * 5000,
    ],
)
def test_garbage_is_answered_400_and_nothing_is_logged(client, logged, body):
    response = post(client, body)
    assert response.status_code == 400
    assert logged() == []


def test_a_long_value_is_cut_short_in_the_log(client, logged):
    body = {"csp-report": {**REPORT_URI_BODY["csp-report"], "blocked-uri": "https://x.example/" + "a" * 5000}}
    assert post(client, body).status_code == 204
    (line,) = logged()
    assert len(line) < 1500


def test_an_oversized_body_is_refused_unread(client, logged, settings):
    body = {
        "csp-report": {**REPORT_URI_BODY["csp-report"], "script-sample": "x" * settings.GAZETTE_CSP_REPORT_MAX_BYTES}
    }
    assert post(client, body).status_code == 413
    assert logged() == []


def test_only_posts_are_taken(client):
    response = client.get(URL)
    assert response.status_code == 405 and response["Allow"] == "POST"


def test_each_address_is_limited(client, logged, settings):
    settings.GAZETTE_CSP_REPORT_RATE = "3/m"
    answers = [post(client, REPORT_URI_BODY, REMOTE_ADDR="203.0.113.7").status_code for _ in range(5)]
    assert answers == [204, 204, 204, 429, 429]
    assert len(logged()) == 3
    # Another address is not held back by the first one's flood.
    assert post(client, REPORT_URI_BODY, REMOTE_ADDR="198.51.100.2").status_code == 204


def test_the_endpoint_is_never_cached(client):
    response = post(client, REPORT_URI_BODY)
    assert "no-store" in response["Cache-Control"]
