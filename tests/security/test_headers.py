"""Every kind of answer carries the secure headers (OWASP Secure Headers project), with the
Content-Security-Policy meant for it: strict on reader pages, cached or not; Wagtail's needs in the
admin; Wagtail's own for documents; framing allowed only where the site frames itself."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils.csp import CSP
from wagtail.documents import get_document_model

from gazette.comments.choices import CommentStatus
from gazette.comments.models import ReaderComment
from gazette.rates.services import load_table_files
from tests.factories import CityFactory, ContributorFactory, make_article

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

# Sent on every answer, whatever its kind.
EVERYWHERE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "X-Permitted-Cross-Domain-Policies": "none",
    "Reporting-Endpoints": 'csp="/csp-report/"',
}


def directives(response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as {directive: [values]}."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        assert name not in policy, f"{name} given twice"
        policy[name] = values
    return policy


@pytest.fixture
def content(site):
    omsk = CityFactory(name="Omsk", slug="omsk")
    reporter = ContributorFactory(name="Anna Petrova", slug="anna-petrova")
    article = make_article(title="Ferry season ends early", authors=[reporter], cities=[omsk])
    ReaderComment.objects.create(
        article=article, author_name="Oleg", body="The timetable changed in May.", status=CommentStatus.PUBLISHED
    )
    load_table_files()
    document = get_document_model().objects.create(
        title="Timetable", file=ContentFile(b"Departures: 08:00, 12:00", name="timetable.txt")
    )
    return {"article": article, "privacy": site["privacy"], "document": document}


def reader_urls(content) -> dict[str, str]:
    article = content["article"]
    return {
        "front": "/",
        "city front": "/city/omsk/",
        "article": article.url,
        "search": "/search/?q=ferry",
        "rates": "/rates/",
        "contributor": "/contributors/anna-petrova/",
        "privacy": content["privacy"].url,
        "not found": "/no-such-page/",
        "rss feed": "/feed/rss/",
        "atom feed": "/feed/atom/",
        "city feed": "/city/omsk/feed/rss/",
        "sitemap": "/sitemap.xml",
        "robots.txt": "/robots.txt",
        "stylesheet": "/static/css/site.css",
        "script": "/static/js/comment-frame.js",
    }


def assert_secure_headers(response, where: str):
    for name, value in EVERYWHERE.items():
        assert response.get(name) == value, (where, name)
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()", "browsing-topics=()"):
        assert feature in permissions, (where, feature)
    assert "Server" not in response and "X-Powered-By" not in response, where


def assert_reader_policy(response, where: str):
    policy = directives(response)
    assert policy["default-src"] == ["'none'"], where
    assert policy["script-src"] == ["'self'"], where
    assert policy["style-src"] == ["'self'"], where
    assert policy["img-src"] == ["'self'"], where
    assert policy["object-src"] == ["'none'"], where
    assert policy["base-uri"] == ["'self'"], where
    assert policy["form-action"] == ["'self'"], where
    assert policy["report-uri"] == ["/csp-report/"] and policy["report-to"] == ["csp"], where
    assert "nonce-" not in response["Content-Security-Policy"], where
    return policy


def test_every_reader_answer_carries_the_headers_and_the_strict_policy(client, content):
    for where, url in reader_urls(content).items():
        response = client.get(url)
        assert response.status_code == (404 if where == "not found" else 200), where
        assert_secure_headers(response, where)
        policy = assert_reader_policy(response, where)
        assert policy["frame-ancestors"] == ["'none'"], where


def test_only_the_comment_form_may_be_framed_and_only_by_the_site(client, content):
    article = content["article"]
    assert client.get(article.url)["X-Frame-Options"] == "DENY"
    response = client.get(f"/comments/{article.pk}/form/")
    assert response.status_code == 200 and "<form" in response.content.decode()
    assert_secure_headers(response, "comment form")
    policy = assert_reader_policy(response, "comment form")
    assert policy["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # The page that frames it may: frame-src allows the site's own pages.
    assert directives(client.get(article.url))["frame-src"] == ["'self'"]


def test_a_cached_page_keeps_the_same_policy_and_a_new_policy_reaches_it(client, content, settings):
    settings.GAZETTE_PAGE_CACHE = True
    url = content["article"].url
    first = client.get(url)
    second = client.get(url)
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert_secure_headers(second, "cache hit")
    assert_reader_policy(second, "cache hit")
    # The policy is added as a page leaves, not stored with it.
    settings.SECURE_CSP = {**settings.SECURE_CSP, "img-src": ["'self'", "https://pictures.example.org"]}
    third = client.get(url)
    assert third["X-Cache"] == "HIT"
    assert directives(third)["img-src"] == ["'self'", "https://pictures.example.org"]


def test_an_editor_reading_the_site_gets_the_reader_policy(client, content, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "pw"))
    response = client.get(content["article"].url)
    assert "wagtail-userbar" in response.content.decode()
    assert_reader_policy(response, "article with the userbar")


def test_admin_screens_get_the_admin_policy(client, content, django_user_model):
    login = client.get("/admin/login/")
    assert_secure_headers(login, "admin sign-in")
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "pw"))
    article = content["article"]
    for url in ("/admin/", f"/admin/pages/{article.pk}/edit/", "/admin/images/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_secure_headers(response, url)
        policy = directives(response)
        # Wagtail writes inline scripts and styles without nonces; nothing else is relaxed.
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"], url
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], url
        assert policy["default-src"] == ["'none'"] and policy["object-src"] == ["'none'"], url
        assert policy["base-uri"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"], url


def test_documents_keep_wagtails_policy_that_runs_nothing(client, content):
    response = client.get(content["document"].url)
    assert response.status_code == 200
    assert_secure_headers(response, "document")
    assert directives(response) == {"default-src": ["'none'"]}
    assert response["X-Frame-Options"] == "DENY"


def _production_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAZETTE_TEST", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="gazette.settings.production",
        DJANGO_SECRET_KEY="production-check-" + "x" * 50,
        GAZETTE_VAR_DIR=str(ROOT / "var"),
    )
    return env


def test_deploy_check_with_production_settings_finds_nothing():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_asks_browsers_to_upgrade_plain_http_requests():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_CSP.get('upgrade-insecure-requests'), "
        "settings.GAZETTE_ADMIN_CSP.get('upgrade-insecure-requests'))"
    )
    for https, expected in (("1", "True True"), ("0", "None None")):
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**_production_env(), "GAZETTE_HTTPS": https},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.stdout.strip() == expected, result.stderr


@pytest.mark.urls("tests.security.urls")
def test_a_view_may_choose_its_own_policy_or_headers(client):
    own = client.get("/t/own-policy/")
    assert directives(own) == {"default-src": ["'self'"], "img-src": ["'self'", "https://maps.example.org"]}
    assert_secure_headers(own, "a view's own policy")
    by_hand = client.get("/t/own-header/")
    assert by_hand["Content-Security-Policy"] == "default-src 'self'"
    assert by_hand["Cross-Origin-Resource-Policy"] == "cross-origin"


@pytest.mark.urls("tests.security.urls")
def test_a_policy_with_a_nonce_gets_a_new_one_for_each_answer(client, settings):
    # For pages that are never cached (the page cache would hand one nonce to everybody).
    settings.SECURE_CSP = {**settings.SECURE_CSP, "script-src": [CSP.SELF, CSP.NONCE]}
    nonces = []
    for _ in range(2):
        response = client.get("/t/nonce/")
        (nonce,) = re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        assert f'nonce="{nonce}"' in response.content.decode()
        assert directives(response)["frame-ancestors"] == ["'none'"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


@pytest.mark.urls("tests.security.urls")
def test_the_server_error_page_carries_the_headers_and_the_strict_policy(client):
    client.raise_request_exception = False
    response = client.get("/t/broken/")
    assert response.status_code == 500
    assert_secure_headers(response, "server error")
    assert_reader_policy(response, "server error")
