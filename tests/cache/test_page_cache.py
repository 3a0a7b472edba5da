"""The full-page cache: what is cached, for whom, with which headers, and every purge path."""

import gzip
import time

import pytest
from django.urls import reverse

from gazette.core import caching
from gazette.core.models import MastheadSettings
from tests.factories import CityFactory, ContributorFactory, ImageFactory, make_article, site_tree

pytestmark = pytest.mark.django_db


def _get(client, url, **headers):
    response = client.get(url, headers=headers)
    return response, response.content.decode()


def test_article_is_served_from_cache_with_cdn_headers(client):
    page = make_article(title="Ice closes the Ob", lead_image=False)
    first, html = _get(client, page.url)
    assert first["X-Cache"] == "MISS" and "Ice closes the Ob" in html
    second, html2 = _get(client, page.url)
    assert second["X-Cache"] == "HIT" and html2 == html
    control = second["Cache-Control"]
    for directive in ("public", "max-age=30", "s-maxage=", "stale-while-revalidate=30", "stale-if-error=86400"):
        assert directive in control
    keys = second["xkey"].split()
    assert f"article:{page.pk}" in keys and f"page:{page.pk}" in keys and "masthead" in keys
    assert second["Surrogate-Key"] == second["xkey"]
    assert second["Cache-Tag"].split(",") == keys
    assert second["ETag"] == first["ETag"] and second["Last-Modified"] == first["Last-Modified"]


def test_conditional_get_answers_304(client):
    page = make_article(lead_image=False)
    etag = client.get(page.url)["ETag"]
    assert client.get(page.url, headers={"if-none-match": etag}).status_code == 304
    last_modified = client.get(page.url)["Last-Modified"]
    assert client.get(page.url, headers={"if-modified-since": last_modified}).status_code == 304
    assert client.get(page.url, headers={"if-none-match": '"other"'}).status_code == 200


def test_head_is_answered_from_the_get_entry(client):
    page = make_article(lead_image=False)
    client.get(page.url)
    response = client.head(page.url)
    assert response["X-Cache"] == "HIT" and int(response["Content-Length"]) > 1000


def test_browsers_get_the_gzip_kept_with_the_page(client):
    """Compressed once when stored, so nothing in front compresses every hit again; one entry
    serves every encoding, and either copy's ETag revalidates."""
    page = make_article(title="Ice closes the Ob", lead_image=False)
    browser = {"accept-encoding": "gzip, deflate, br"}
    first = client.get(page.url, headers=browser)
    assert first["X-Cache"] == "MISS" and first["Content-Encoding"] == "gzip"
    html = gzip.decompress(first.content).decode()
    assert "Ice closes the Ob" in html and int(first["Content-Length"]) == len(first.content) < len(html) / 2
    assert "accept-encoding" in first["Vary"].lower()
    hit = client.get(page.url, headers=browser)
    assert hit["X-Cache"] == "HIT" and hit.content == first.content and hit["ETag"] == first["ETag"]
    for others in ({}, {"accept-encoding": "identity"}, {"accept-encoding": "br, gzip;q=0"}):
        plain = client.get(page.url, headers=others)
        assert plain["X-Cache"] == "HIT" and "Content-Encoding" not in plain
        assert plain.content.decode() == html and int(plain["Content-Length"]) == len(plain.content)
        assert plain["ETag"] != hit["ETag"] and plain["ETag"] in hit["ETag"]  # W/"same"
        assert client.get(page.url, headers={**others, "if-none-match": hit["ETag"]}).status_code == 304
    assert client.get(page.url, headers={**browser, "if-none-match": plain["ETag"]}).status_code == 304
    # If-Match compares strongly, with the ETag of the copy that would be sent.
    assert client.get(page.url, headers={**browser, "if-match": plain["ETag"]}).status_code == 412
    assert client.get(page.url, headers={"if-match": plain["ETag"]}).status_code == 200
    # A HEAD describes the text, hit or miss: proxies drop Content-Encoding from bodiless answers.
    head = client.head(page.url, headers=browser)
    assert "Content-Encoding" not in head and int(head["Content-Length"]) == len(html.encode())
    assert head.content == b""


@pytest.mark.urls("tests.cache.urls")
def test_an_answer_its_view_compressed_is_kept_per_encoding(client):
    gzipped = client.get("/t/gzipped/", headers={"accept-encoding": "gzip"})
    assert gzipped["X-Cache"] == "MISS" and gzipped["Content-Encoding"] == "gzip"
    plain = client.get("/t/gzipped/")
    assert "Content-Encoding" not in plain and plain.content.startswith(b"<p>")
    assert client.get("/t/gzipped/", headers={"accept-encoding": "gzip"})["X-Cache"] == "HIT"


def test_a_hit_that_deletes_a_stale_session_cookie_is_kept_by_no_shared_cache(client):
    """SessionMiddleware deletes a session cookie that names no session, on a hit too."""
    page = make_article(lead_image=False)
    assert "public" in client.get(page.url)["Cache-Control"]
    client.cookies["sessionid"] = "expired-long-ago"
    hit = client.get(page.url)
    assert hit["X-Cache"] == "HIT" and hit.cookies["sessionid"].value == ""
    assert hit["Cache-Control"] == "private, no-store"


@pytest.mark.urls("tests.cache.urls")
def test_small_or_binary_answers_are_kept_as_they_are(client):
    tiny = client.get("/t/tagged/", headers={"accept-encoding": "gzip"})
    assert tiny["X-Cache"] == "MISS" and "Content-Encoding" not in tiny
    again = client.get("/t/tagged/", headers={"accept-encoding": "gzip"})
    assert again["X-Cache"] == "HIT" and "Content-Encoding" not in again and again.content == tiny.content


def test_query_string_is_part_of_the_key(client, site):
    make_article(title="Only story", lead_image=False)
    assert client.get("/?page=1")["X-Cache"] == "MISS"
    assert client.get("/?page=first")["X-Cache"] == "MISS"
    assert client.get("/?page=1")["X-Cache"] == "HIT"


def test_tracking_parameters_do_not_split_the_cache(client):
    """A story shared on social networks arrives with a click id of its own per reader."""
    from gazette.core.middleware import cache_query

    page = make_article(title="Shared everywhere", lead_image=False)
    assert client.get(page.url + "?utm_source=vk&utm_medium=social")["X-Cache"] == "MISS"
    for query in ("", "?fbclid=IwAR0abc", "?yclid=123&utm_campaign=spring", "?UTM_Source=x&ysclid=lq9"):
        assert client.get(page.url + query)["X-Cache"] == "HIT"
    # Parameters a page reads still make a page of their own.
    assert client.get(page.url + "?comments_page=2&utm_source=vk")["X-Cache"] == "MISS"
    assert client.get(page.url + "?gclid=1&comments_page=2")["X-Cache"] == "HIT"
    assert client.get(page.url + "?utm=1")["X-Cache"] == "MISS"  # not a tracking parameter
    assert cache_query("a=1&utm_source=x&b=2&fbclid=z&utm_content=%20") == "a=1&b=2"


def test_signed_in_editor_never_uses_the_cache(client, django_user_model):
    page = make_article(title="Editors see drafts", lead_image=False)
    client.get(page.url)
    editor = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(editor)
    response = client.get(page.url)
    assert response["X-Cache"] == "BYPASS"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "xkey" not in response
    # The editor's page (with the userbar) was not stored for readers either.
    client.logout()
    reader = client.get(page.url)
    assert reader["X-Cache"] == "HIT" and "wagtail-userbar" not in reader.content.decode()


def test_editor_page_is_never_stored(client, django_user_model):
    page = make_article(lead_image=False)
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    client.get(page.url)
    client.logout()
    assert client.get(page.url)["X-Cache"] == "MISS"


@pytest.mark.urls("tests.cache.urls")
@pytest.mark.parametrize(
    "url", ["/t/untagged/", "/t/cookie/", "/t/form-error/"], ids=["no-tags", "set-cookie", "never-cache"]
)
def test_responses_that_must_not_be_shared_are_not_cached(client, url):
    first = client.get(url)
    second = client.get(url)
    assert first["X-Cache"] == second["X-Cache"] == "BYPASS"
    assert "xkey" not in second and "public" not in second["Cache-Control"]


@pytest.mark.urls("tests.cache.urls")
def test_posts_are_never_cached(client):
    client.get("/t/tagged/")
    response = client.post("/t/tagged/")
    assert response["X-Cache"] == "BYPASS"


@pytest.mark.urls("tests.cache.urls")
def test_vary_header_keeps_one_copy_per_edition(client):
    """The edition cookie becomes X-Gazette-Edition (EditionMiddleware); the cache varies on it."""
    CityFactory(name="Omsk", slug="omsk")
    CityFactory(name="Tomsk", slug="tomsk")
    client.cookies["gazette_edition"] = "omsk"
    assert client.get("/t/edition/").content == b"edition=omsk"
    client.cookies["gazette_edition"] = "tomsk"
    assert client.get("/t/edition/").content == b"edition=tomsk"
    client.cookies["gazette_edition"] = "omsk"
    omsk = client.get("/t/edition/")
    assert omsk["X-Cache"] == "HIT" and omsk.content == b"edition=omsk"
    del client.cookies["gazette_edition"]
    everyone = client.get("/t/edition/")
    assert everyone["X-Cache"] == "MISS" and everyone.content == b"edition="


@pytest.mark.urls("tests.cache.urls")
def test_cookies_do_not_split_the_cache(client):
    """A reader holding a CSRF cookie from the comment form still gets the shared copy."""
    client.get("/t/tagged/")
    client.cookies["csrftoken"] = "x" * 32
    client.cookies["gazette_edition"] = "omsk"
    assert client.get("/t/tagged/")["X-Cache"] == "HIT"


def test_editing_an_article_shows_the_change(client, committed):
    page = make_article(title="Old headline", lead_image=False)
    client.get(page.url)
    assert client.get(page.url)["X-Cache"] == "HIT"
    with committed():
        page.title = "New headline"
        page.save_revision().publish()
    response, html = _get(client, page.url)
    assert response["X-Cache"] == "MISS" and "New headline" in html and "Old headline" not in html


def test_publishing_an_article_updates_the_fronts(client, committed, site):
    make_article(title="First story", lead_image=False)
    for url in ("/", "/news/"):
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"
    with committed():
        make_article(title="Second story", lead_image=False)
    for url in ("/", "/news/"):
        assert "Second story" in client.get(url).content.decode()


def test_unpublishing_and_deleting_remove_the_article_everywhere(client, committed, site):
    gone = make_article(title="Retracted story", lead_image=False)
    deleted = make_article(title="Deleted story", lead_image=False)
    url, deleted_url = gone.url, deleted.url
    for u in ("/", url, deleted_url):
        client.get(u)
    with committed():
        gone.unpublish()
    assert client.get(url).status_code == 404
    assert "Retracted story" not in client.get("/").content.decode()
    with committed():
        deleted.delete()
    assert client.get(deleted_url).status_code == 404
    assert "Deleted story" not in client.get("/").content.decode()


def test_changing_an_articles_address_purges_the_old_one(client, committed, site):
    page = make_article(title="Moved story", lead_image=False)
    old_url = page.url
    client.get(old_url)
    assert client.get(old_url)["X-Cache"] == "HIT"
    with committed():
        page.slug = "moved-elsewhere"
        page.save_revision().publish()
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == "/news/moved-elsewhere/"
    assert "Moved story" in client.get("/news/moved-elsewhere/").content.decode()


def test_byline_change_purges_old_and_new_contributor(client, committed, purged):
    anna = ContributorFactory(name="Anna Petrova", slug="anna")
    oleg = ContributorFactory(name="Oleg Sidorov", slug="oleg")
    page = make_article(title="Bridge repairs", authors=[anna], lead_image=False)
    anna_url = reverse("articles:contributor", kwargs={"slug": "anna"})
    client.get(anna_url)
    assert client.get(anna_url)["X-Cache"] == "HIT"
    purged.clear()
    with committed():
        page.bylines.all().delete()
        page.bylines.add(page.bylines.model(contributor=oleg))
        page.save_revision().publish()
    assert {f"contributor:{anna.pk}", f"contributor:{oleg.pk}"} <= purged
    assert "Bridge repairs" not in client.get(anna_url).content.decode()
    assert "Bridge repairs" in client.get(reverse("articles:contributor", kwargs={"slug": "oleg"})).content.decode()


def test_city_change_purges_old_and_new_city(committed, purged):
    omsk, tomsk = CityFactory(name="Omsk"), CityFactory(name="Tomsk")
    page = make_article(cities=[omsk], lead_image=False)
    purged.clear()
    with committed():
        page.cities.set([tomsk])
        page.save_revision().publish()
    assert {"city:omsk", "city:tomsk", f"article:{page.pk}", "front", "feeds", "sitemaps"} <= purged


def test_renaming_a_contributor_updates_their_articles_and_page(client, committed):
    anna = ContributorFactory(name="Anna Petrova", slug="anna")
    page = make_article(title="Opera dome", authors=[anna], lead_image=False)
    anna_url = reverse("articles:contributor", kwargs={"slug": "anna"})
    for url in (page.url, anna_url, "/"):
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"
    with committed():
        anna.name = "Anna Sidorova"
        anna.save()
    for url in (page.url, anna_url, "/"):
        html = client.get(url).content.decode()
        assert "Anna Sidorova" in html and "Anna Petrova" not in html


def test_renaming_a_city_updates_its_articles(client, committed, purged):
    omsk = CityFactory(name="Omsk")
    page = make_article(title="Theatre reopens", cities=[omsk], lead_image=False)
    client.get(page.url)
    assert client.get(page.url)["X-Cache"] == "HIT"
    purged.clear()
    with committed():
        omsk.name = "Omsk City"
        omsk.slug = "omsk-city"
        omsk.save()
    assert {"cities", "city:omsk", "city:omsk-city", f"article:{page.pk}"} <= purged
    assert "Omsk City" in client.get(page.url).content.decode()


def test_masthead_teaser_change_shows_on_cached_pages(client, committed):
    home, _news, _privacy = site_tree()
    quoted = make_article(title="The river speaks", lead_image=False)
    page = make_article(title="Another story", lead_image=False)
    client.get(page.url)
    assert client.get(page.url)["X-Cache"] == "HIT"
    with committed():
        masthead = MastheadSettings.for_site(home.get_site())
        masthead.teaser_quote = "Water remembers everything"
        masthead.teaser_article = quoted
        masthead.save()
    assert "Water remembers everything" in client.get(page.url).content.decode()
    # Unpublishing the quoted article removes the teaser from every page.
    with committed():
        quoted.unpublish()
    assert "Water remembers everything" not in client.get(page.url).content.decode()


@pytest.mark.reference_index
def test_editing_or_deleting_a_picture_shows_wherever_it_is_used(client, committed, site):
    image = ImageFactory(caption="Ice on the Ob in March.", credit="Photo: Ivan Old")
    photographer = ContributorFactory(name="Ivan Ivanov", slug="ivan", photo=image)
    lead = make_article(title="Lead picture", lead_image=image, authors=[photographer])
    inline = make_article(
        title="Inline picture",
        lead_image=False,
        body=[("image", {"image": image, "caption": "", "credit": ""})],
    )
    contributor_url = reverse("articles:contributor", kwargs={"slug": "ivan"})
    urls = [lead.url, inline.url, "/", contributor_url]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"
    with committed():
        image.caption = "The ice breaks up in April."
        image.credit = "Photo: Ivan New"
        image.save()
    for url in urls:  # the articles, the front listing them, the photographer's page
        response = client.get(url)
        assert response["X-Cache"] == "MISS" and "Ivan Old" not in response.content.decode()
    for page in (lead, inline):
        html = client.get(page.url).content.decode()
        assert "The ice breaks up in April." in html and "Photo: Ivan New" in html
    with committed():
        image.delete()
    for url in (lead.url, "/", contributor_url):
        response = client.get(url)
        assert response["X-Cache"] == "MISS" and "Photo: Ivan New" not in response.content.decode()


def test_view_restriction_purges_and_is_never_cached(client, committed):
    from wagtail.models import PageViewRestriction

    page = make_article(title="Members only soon", lead_image=False)
    client.get(page.url)
    with committed():
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="secret")
    response = client.get(page.url)
    assert "Members only soon" not in response.content.decode() and response["X-Cache"] == "BYPASS"


def test_purge_stamps_are_exact_and_race_free():
    tags = {"article:1", "front"}
    versions = caching.tag_versions(tags, started_at=time.time())
    assert versions is not None and caching.is_fresh(versions)
    caching.bump_tags({"front"})
    assert not caching.is_fresh(versions)
    # A rendering that started before the purge must not be stored.
    assert caching.tag_versions(tags, started_at=time.time() - 60) is None
    fresh = caching.tag_versions(tags, started_at=time.time() + 0.001)
    assert fresh is not None and caching.is_fresh(fresh)
    assert caching.is_fresh({k: v for k, v in fresh.items() if k == caching._tag_key("article:1")})
    # An evicted stamp makes older entries stale, never fresh.
    caching.get_cache().delete(caching._tag_key("front"))
    assert not caching.is_fresh(fresh)
    assert caching.is_fresh(caching.tag_versions(tags, started_at=time.time()))


def test_memo_answers_one_read_per_hit_and_rechecks_after_any_purge(monkeypatch):
    cache = caching.get_cache()
    versions = caching.tag_versions({"article:1"}, started_at=time.time())
    cache.set("entry", {"versions": versions, "expires_at": time.time() + 60, "value": "old"})
    caching.purge_generation()  # a missing generation is re-created by the first read
    generation = caching.purge_generation()
    assert generation is not None
    assert caching.checked_entry("entry", generation, lambda e: 10)["value"] == "old"
    # While no purge happens, the entry comes from this process's memo: no stamp is read.
    reads = []
    real_get_many = type(cache).get_many

    def counting_get_many(self, keys, **kwargs):
        reads.append(keys)
        return real_get_many(self, keys, **kwargs)

    monkeypatch.setattr(type(cache), "get_many", counting_get_many)
    assert caching.checked_entry("entry", caching.purge_generation(), lambda e: 10)["value"] == "old"
    assert reads == []
    # A purge of any tag, from any process, changes the generation: the stamps are checked again.
    caching.bump_tags({"front"})
    assert caching.checked_entry("entry", caching.purge_generation(), lambda e: 10)["value"] == "old"
    assert len(reads) == 1
    caching.bump_tags({"article:1"})
    assert caching.checked_entry("entry", caching.purge_generation(), lambda e: 10) is None


def test_the_file_cache_keeps_its_generation_in_shared_memory(tmp_path):
    first = caching.SharedGeneration(str(tmp_path))
    other_process = caching.SharedGeneration(str(tmp_path))  # another mapping of the same file
    assert first.read() == other_process.read() and len(first.read()) == 32
    before = first.read()
    other_process.bump()
    assert first.read() != before and first.read() == other_process.read()


def test_memo_trusts_nothing_without_a_generation_and_nothing_past_its_expiry():
    cache = caching.get_cache()
    versions = caching.tag_versions({"article:2"}, started_at=time.time())
    cache.set("entry", {"versions": versions, "expires_at": time.time() + 60, "value": "a"})
    assert caching.checked_entry("entry", None, lambda e: 10)["value"] == "a"
    cache.delete("entry")
    assert caching.checked_entry("entry", None, lambda e: 10) is None  # not memoised under None
    memo = caching.LocalMemo(max_bytes=1000)
    memo.put("k", "v", "g1", 10, expires_at=time.time() - 1)
    assert memo.get("k", "g1") is None
    memo.put("k", "v", "g1", 10, expires_at=time.time() + 60)
    assert memo.get("k", "g1") == "v" and memo.get("k", "g2") is None
    for i in range(200):
        memo.put(f"big{i}", "x", "g1", 100, expires_at=time.time() + 60)
    assert memo._bytes <= 1000 and memo.get("k", "g1") is None  # least recently used went first


def test_readers_without_a_session_are_answered_before_the_session_is_loaded(client, monkeypatch):
    from django.contrib.sessions.middleware import SessionMiddleware

    page = make_article(title="Fast path", lead_image=False)
    assert client.get(page.url)["X-Cache"] == "MISS"

    def no_session(self, request):
        raise AssertionError("a cache hit must not load the session")

    monkeypatch.setattr(SessionMiddleware, "process_request", no_session)
    assert client.get(page.url)["X-Cache"] == "HIT"


def test_fragment_is_built_once_per_change(committed):
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert caching.cached_fragment("test-fragment", {"rates"}, build) == 1
    assert caching.cached_fragment("test-fragment", {"rates"}, build) == 1
    time.sleep(0.01)
    with committed():
        from gazette.core.invalidation import purge_tags

        purge_tags({"rates"})
    assert caching.cached_fragment("test-fragment", {"rates"}, build) == 2


def test_masthead_settings_are_read_once_per_change(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = make_article(lead_image=False)
    client.get(page.url)  # fills the fragment
    with CaptureQueriesContext(connection) as ctx:
        client.get(page.url + "?uncached=1")
    assert not any("core_mastheadsettings" in q["sql"] for q in ctx.captured_queries)


def test_a_cache_flood_signs_nobody_out(client, django_user_model):
    """Evicting every cache entry (Redis under a flood of never-seen URLs) keeps editors signed in."""
    from django.core.cache import cache

    editor = django_user_model.objects.create_superuser("flooded", "flooded@example.org", "pw")
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    cache.clear()
    assert client.get("/admin/").status_code == 200
