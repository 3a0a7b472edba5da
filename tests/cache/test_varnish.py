"""Debian's Varnish with deploy/varnish/gazette.vcl in front of Gazette: hits, and exact purges."""

import os
import shutil

import httpx
import pytest

from gazette.core.models import MastheadSettings
from tests.factories import CityFactory, make_article, site_tree

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _site():
    """The site and its settings exist before the first request (creating them purges)."""
    home, _news, _privacy = site_tree()
    MastheadSettings.for_site(home.get_site())


def _get(url, **kwargs):
    return httpx.get(url, timeout=10, **kwargs)


def test_varnish_serves_hits_and_drops_a_changed_article(varnish):
    page = make_article(title="Ferry season ends early", lead_image=False)
    other = make_article(title="Unrelated story", lead_image=False)
    url = varnish + page.url
    first = _get(url)
    assert first.status_code == 200 and "Ferry season ends early" in first.text
    second = _get(url)
    assert second.headers["X-Cache"] == "HIT" and len(second.headers["X-Varnish"].split()) == 2
    assert "xkey" not in second.headers  # surrogate keys stay between Gazette and Varnish
    _get(varnish + other.url)

    page.title = "Ferry season extended"
    page.save_revision().publish()  # commits; the purge goes out through VarnishBackend

    third = _get(url)
    assert third.headers["X-Cache"] == "MISS" and "Ferry season extended" in third.text
    # Exact: a page not carrying the article's tags is still a hit.
    assert _get(varnish + other.url).headers["X-Cache"] == "HIT"


@pytest.mark.urls("tests.cache.urls")
def test_varnish_keeps_one_copy_per_edition_and_ignores_other_cookies(varnish):
    CityFactory(name="Omsk", slug="omsk")
    CityFactory(name="Tomsk", slug="tomsk")
    url = varnish + "/t/edition/"
    assert _get(url, headers={"Cookie": "gazette_edition=omsk"}).text == "edition=omsk"
    assert _get(url, headers={"Cookie": "gazette_edition=tomsk"}).text == "edition=tomsk"
    again = _get(url, headers={"Cookie": "csrftoken=abc; gazette_edition=omsk"})
    assert again.text == "edition=omsk" and again.headers["X-Cache"] == "HIT"
    assert _get(url).text == "edition="
    # For a browser the edition is its cookie: its own copy must not outlive a change of city.
    vary = [v.strip().lower() for v in again.headers["Vary"].split(",")]
    assert "cookie" in vary and "x-gazette-edition" not in vary
    # Any slug Django's SlugField takes is an edition.
    CityFactory(name="Novy Urengoy", slug="Novy_Urengoy")
    cookie = {"Cookie": "gazette_edition=Novy_Urengoy"}
    assert _get(url, headers=cookie).text == "edition=Novy_Urengoy"
    assert _get(url, headers=cookie).headers["X-Cache"] == "HIT"


def test_varnish_passes_signed_in_editors(varnish):
    page = make_article(title="Draft desk", lead_image=False)
    _get(varnish + page.url)
    editor = _get(varnish + page.url, headers={"Cookie": "sessionid=not-a-real-session"})
    assert editor.headers["X-Cache"] == "MISS"


def test_a_comment_approval_purges_the_article_from_varnish(varnish, django_user_model):
    """A moderator approves a comment and Varnish serves readers the article with it."""
    from gazette.comments.choices import CommentStatus
    from gazette.comments.models import ReaderComment
    from gazette.comments.services import APPROVE, moderate

    page = make_article(title="Ferry season ends early", lead_image=False)
    other = make_article(title="Unrelated story", lead_image=False)
    comment = ReaderComment.objects.create(
        article=page,
        author_name="Vera",
        author_location="Omsk",
        body="The ferry left without us.",
        status=CommentStatus.PENDING,
    )
    url = varnish + page.url
    assert "Comments (0)" in _get(url).text
    cached = _get(url)
    assert cached.headers["X-Cache"] == "HIT" and "The ferry left without us." not in cached.text
    _get(varnish + other.url)

    moderator = django_user_model.objects.create_superuser("mod", "mod@example.org", "pw")
    assert moderate([comment], APPROVE, moderator) == 1  # commits; the purge reaches Varnish

    fresh = _get(url)
    assert fresh.headers["X-Cache"] == "MISS"
    assert "Comments (1)" in fresh.text and "The ferry left without us." in fresh.text
    assert _get(varnish + other.url).headers["X-Cache"] == "HIT"


@pytest.mark.urls("tests.cache.urls")
def test_varnish_keeps_no_copy_for_an_edition_that_is_not_a_city(varnish):
    """A made-up edition cookie is answered with All Cities, never kept as a copy of its own:
    one cookie value per request would otherwise fill Varnish with copies of the front page."""
    CityFactory(name="Omsk", slug="omsk")
    url = varnish + "/t/edition/"
    for _ in range(2):
        forged = _get(url, headers={"Cookie": "gazette_edition=no-such-city"})
        assert forged.text == "edition=" and forged.headers["X-Cache"] == "MISS"
    assert _get(url, headers={"Cookie": "gazette_edition=omsk"}).text == "edition=omsk"
    assert _get(url, headers={"Cookie": "gazette_edition=omsk"}).headers["X-Cache"] == "HIT"
    assert _get(url).headers["X-Cache"] == "MISS" and _get(url).headers["X-Cache"] == "HIT"


def test_readers_cannot_purge_through_the_proxy_in_front(varnish):
    """Behind nginx every reader reaches Varnish from loopback, the purgers' own address."""
    from urllib.parse import urlsplit

    from .varnish import NGINX, running_nginx

    if not shutil.which("nginx") and not os.path.exists(NGINX):
        pytest.skip("nginx is not installed")
    page = make_article(title="Ferry season ends early", lead_image=False)
    with running_nginx(urlsplit(varnish).port) as front:
        _get(front + page.url)
        assert _get(front + page.url).headers["X-Cache"] == "HIT"
        for headers in ({"xkey-purge": f"article:{page.pk} front"}, {}):
            refused = httpx.request("PURGE", front + page.url, headers=headers, timeout=10)
            assert refused.status_code == 405
        assert _get(front + page.url).headers["X-Cache"] == "HIT"


def test_varnish_keeps_nothing_gazette_did_not_mark_cacheable():
    """The HTTPS redirect is made before Gazette's page cache, so it has no Cache-Control; Varnish,
    whose key does not hold the scheme, must not answer HTTPS readers with it."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from .varnish import VARNISHD, running_varnish

    if not shutil.which("varnishd") and not os.path.exists(VARNISHD):
        pytest.skip("varnishd is not installed (Debian package varnish)")
    asked = []

    class Redirecting(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(301)
            self.send_header("Location", "https://news.example.org" + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with running_varnish("127.0.0.1", server.server_port) as (url, _purge_url, _state):
            for _ in range(2):
                response = _get(url + "/news/", follow_redirects=False)
                assert response.status_code == 301 and response.headers["X-Cache"] == "MISS"
    finally:
        server.shutdown()
    assert asked == ["/news/", "/news/"]


def test_varnish_keeps_one_copy_whatever_tracking_parameters_a_link_has(varnish):
    page = make_article(title="Shared with click ids", lead_image=False)
    assert _get(varnish + page.url + "?utm_source=vk&fbclid=IwAR1").headers["X-Cache"] == "MISS"
    for query in ("", "?yclid=7", "?utm_campaign=x&UTM_MEDIUM=y"):
        assert _get(varnish + page.url + query).headers["X-Cache"] == "HIT"
    # Other parameters stay, in their order, whatever tracking parameters stand between them.
    assert _get(varnish + page.url + "?comments_page=2&gclid=1").headers["X-Cache"] == "MISS"
    assert _get(varnish + page.url + "?utm_source=a&comments_page=2").headers["X-Cache"] == "HIT"
    assert _get(varnish + page.url + "?comments_page=1").headers["X-Cache"] == "MISS"


@pytest.mark.urls("tests.cache.urls")
def test_pages_are_compressed_once_for_every_reader(live_server):
    """Browsers all take gzip: Varnish keeps pages gzipped (Gazette's own gzip, or its own for
    answers that come without one), and nginx in front (gzip on, as docs/deploy.md sets it)
    passes that on rather than compressing the page again for each reader."""
    from urllib.parse import urlsplit

    from .varnish import NGINX, VARNISHD, running_nginx, running_varnish, varnish_counters

    for program in (VARNISHD, NGINX):
        if not shutil.which(os.path.basename(program)) and not os.path.exists(program):
            pytest.skip(f"{program} is not installed")
    page = make_article(title="Ice road closes early", lead_image=False)
    counters = ("MAIN.n_gzip", "MAIN.n_gunzip")
    browser, plain = {"Accept-Encoding": "gzip, deflate, br"}, {"Accept-Encoding": "identity"}
    backend = urlsplit(live_server.url)
    with running_varnish(backend.hostname, backend.port) as (url, _purge_url, state):
        with running_nginx(urlsplit(url).port) as front:
            done = {}
            for path in (page.url, "/t/public/"):
                before = varnish_counters(state, *counters)
                answers = [_get(front + path, headers=browser) for _ in range(3)] + [_get(front + path, headers=plain)]
                used = varnish_counters(state, *counters)
                done[path] = answers, {name: used[name] - before[name] for name in counters}
            # A pass (an editor's request) is left to nginx to compress, as without Varnish.
            before = varnish_counters(state, *counters)
            passed = _get(front + "/t/public/", headers={**browser, "Cookie": "sessionid=editor"})
            passed_ops = varnish_counters(state, *counters)["MAIN.n_gzip"] - before["MAIN.n_gzip"]
    for path, (answers, ops) in done.items():
        *gzipped, text = answers
        assert [r.headers["X-Cache"] for r in answers] == ["MISS", "HIT", "HIT", "HIT"], path
        assert all(r.headers["Content-Encoding"] == "gzip" for r in gzipped), path
        assert "accept-encoding" in gzipped[-1].headers["Vary"].lower()
        # The client that takes no gzip gets the same page as text, uncompressed by Varnish.
        assert "Content-Encoding" not in text.headers and text.text == gzipped[-1].text
        assert ops["MAIN.n_gunzip"] == 1, path
    assert "Ice road closes early" in done[page.url][0][-1].text
    # Gazette's page cache kept the article gzipped already; the other answer Varnish gzipped, once.
    assert done[page.url][1]["MAIN.n_gzip"] == 0 and done["/t/public/"][1]["MAIN.n_gzip"] == 1
    assert passed.headers["X-Cache"] == "MISS" and passed.headers["Content-Encoding"] == "gzip"
    assert passed_ops == 0


def test_varnish_logs_each_fetch_but_not_each_hit(live_server):
    """As deployed (deploy/varnish/gazette.params), Varnish's shared-memory log keeps what
    explains a miss, the fetch from Gazette, and no record for each reader's hit: nginx in front
    keeps the access log, and writing 45 records per hit cost Varnish about a sixth of its CPU."""
    from urllib.parse import urlsplit

    from .varnish import VARNISHD, running_varnish, varnish_log

    if not shutil.which("varnishd") and not os.path.exists(VARNISHD):
        pytest.skip("varnishd is not installed (Debian package varnish)")
    page = make_article(title="Ferry timetable changes", lead_image=False)
    backend = urlsplit(live_server.url)
    with running_varnish(backend.hostname, backend.port) as (url, _purge_url, state):
        answers = [_get(url + page.url) for _ in range(3)]
        log = varnish_log(state, until="BereqURL")
    assert [r.headers["X-Cache"] for r in answers] == ["MISS", "HIT", "HIT"]
    assert ("BereqURL", page.url) in log
    assert ("BerespStatus", "200") in log
    tags = {tag for tag, _data in log}
    assert not tags & {"ReqURL", "ReqHeader", "RespHeader", "Timestamp", "VCL_call"}, tags
