"""``manage.py import_wordpress`` on the WordPress importer's small export, the Co-Authors Plus
export, and hand-made exports for the edge cases (malformed XML, bad dates, cities, comment
statuses, downloads). No test reaches the network: respx answers every request."""

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import respx
from django.core.management import CommandError, call_command
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Revision

from gazette.articles.models import ArticlePage, ArticleTopic, Contributor
from gazette.comments.identity import commenter_key
from gazette.comments.models import ReaderComment
from gazette.comments.services import submit_comment
from gazette.core.invalidation import tags_purged
from gazette.wordpress import bulk, services
from gazette.wordpress.models import ImportedItem
from gazette.wordpress.services import import_wordpress
from tests.factories import CityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_search_indexing")]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "wxr"
SMALL = FIXTURES / "wordpress-importer_small-export.xml"
COAUTHORS = FIXTURES / "ghost-migrate_co-authors-plus.xml"

AUTHORS = """
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>olga</wp:author_login>
  <wp:author_email>olga@example.org</wp:author_email>
  <wp:author_display_name><![CDATA[Olga Petrova]]></wp:author_display_name></wp:author>
<wp:author><wp:author_id>2</wp:author_id><wp:author_login>ivan.s</wp:author_login>
  <wp:author_display_name><![CDATA[0]]></wp:author_display_name>
  <wp:author_first_name><![CDATA[Ivan]]></wp:author_first_name>
  <wp:author_last_name><![CDATA[Sokolov]]></wp:author_last_name></wp:author>
<wp:author><wp:author_id>3</wp:author_id><wp:author_login>x1</wp:author_login>
  <wp:author_display_name><![CDATA[---]]></wp:author_display_name></wp:author>
"""


def post(
    wp_id,
    title="Ice closes the river crossing",
    status="publish",
    creator="olga",
    date="2024-03-01 06:30:00",
    content="<p>The last ferry crossed on Saturday.</p>",
    extra="",
):
    return f"""
<item>
  <title>{title}</title>
  <link>https://news.example.org/?p={wp_id}</link>
  <guid isPermaLink="false">https://news.example.org/?p={wp_id}</guid>
  <dc:creator>{creator}</dc:creator>
  <content:encoded><![CDATA[{content}]]></content:encoded>
  <excerpt:encoded><![CDATA[]]></excerpt:encoded>
  <wp:post_id>{wp_id}</wp:post_id>
  <wp:post_date>{date}</wp:post_date>
  <wp:post_date_gmt>{date}</wp:post_date_gmt>
  <wp:post_name>post-{wp_id}</wp:post_name>
  <wp:status>{status}</wp:status>
  <wp:post_type>post</wp:post_type>
  {extra}
</item>"""


def comment(wp_id, approved="1", comment_type="", date="2024-03-02 10:00:00", email="Reader@Example.org"):
    return f"""
<wp:comment>
  <wp:comment_id>{wp_id}</wp:comment_id>
  <wp:comment_author><![CDATA[Reader {wp_id}]]></wp:comment_author>
  <wp:comment_author_email>{email}</wp:comment_author_email>
  <wp:comment_author_IP>203.0.113.{wp_id}</wp:comment_author_IP>
  <wp:comment_date>{date}</wp:comment_date>
  <wp:comment_date_gmt>{date}</wp:comment_date_gmt>
  <wp:comment_content><![CDATA[Comment {wp_id}.<br />Second line &amp; more.]]></wp:comment_content>
  <wp:comment_approved>{approved}</wp:comment_approved>
  <wp:comment_type>{comment_type}</wp:comment_type>
  <wp:comment_parent>0</wp:comment_parent>
</wp:comment>"""


def export(tmp_path, items, authors=AUTHORS, name="export.xml") -> Path:
    path = tmp_path / name
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>The Ob Courier</title><link>https://news.example.org</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_blog_url>https://news.example.org</wp:base_blog_url>
  {authors}
  {"".join(items)}
</channel>
</rss>""",
        encoding="utf-8",
    )
    return path


def jpeg() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 90, 40)).save(out, format="JPEG")
    return out.getvalue()


def run(path, **kwargs):
    kwargs.setdefault("download", False)
    return import_wordpress(path, **kwargs)


def test_small_export_posts_authors_private_and_comment(site):
    report = run(SMALL)

    assert ArticlePage.objects.count() == 6
    assert report.count("posts", "created") == 6
    assert report.reasons["pages"]["only posts and their pictures are imported"] == 5
    assert set(Contributor.objects.values_list("name", flat=True)) == {"admin", "editor", "author"}
    private = ArticlePage.objects.get(title="Private Post")
    assert not private.live
    assert report.post_states == {"published": 5, "private": 1}
    hello = ArticlePage.objects.get(title="Hello world!")
    assert hello.live
    assert hello.first_published_at == datetime(2011, 1, 18, 7, 40, 14, tzinfo=UTC)
    assert [c.name for c in hello.contributors] == ["author"]
    assert hello.get_parent().specific == site["news"]
    (only,) = ReaderComment.objects.all()
    assert (only.article_id, only.status, only.author_name) == (hello.pk, "published", "Mr WordPress")
    assert only.external_id == "localhost:1"
    assert only.body.startswith("Hi, this is a comment.\nTo delete a comment")
    assert "post's comments" in only.body


def test_co_authors_plus_bylines_keep_their_order(site):
    report = run(COAUTHORS)

    assert report.count("posts", "created") == 4
    assert Contributor.objects.count() == 3
    three = ArticlePage.objects.get(title="Three Author Post")
    assert [c.name for c in three.contributors] == ["Alice Smith", "Bob Jones", "Carol White"]
    duplicates = ArticlePage.objects.get(title="Duplicate Author Entries Post")
    assert [c.name for c in duplicates.contributors] == ["Alice Smith", "Bob Jones"]
    single = ArticlePage.objects.get(title="Single Co-Author Post")
    assert [c.name for c in single.contributors] == ["Bob Jones"]
    assert report.unmatched_terms == {"Collaboration (tag)": 1}


def test_cap_slugs_guest_authors_and_unusable_names(tmp_path, site):
    guest = """
<item><title>Anna Lee</title><wp:post_id>900</wp:post_id><wp:post_type>guest-author</wp:post_type>
  <wp:post_name>cap-anna-lee</wp:post_name><wp:status>publish</wp:status>
  <wp:postmeta><wp:meta_key>cap-display_name</wp:meta_key>
    <wp:meta_value><![CDATA[Anna Lee]]></wp:meta_value></wp:postmeta>
  <wp:postmeta><wp:meta_key>cap-user_login</wp:meta_key><wp:meta_value><![CDATA[anna-lee]]></wp:meta_value></wp:postmeta>
</item>"""
    terms = (
        '<category domain="author" nicename="cap-anna-lee"><![CDATA[anna-lee]]></category>'
        '<category domain="author" nicename="cap-olga"><![CDATA[olga]]></category>'
        '<category domain="author" nicename="cap-x1"><![CDATA[x1]]></category>'
    )
    path = export(
        tmp_path,
        [guest, post(10, extra=terms), post(11, title="Nobody wrote this", creator="x1")],
    )
    report = run(path)

    by_three = ArticlePage.objects.get(title="Ice closes the river crossing")
    assert [c.name for c in by_three.contributors] == ["Anna Lee", "Olga Petrova"]
    assert by_three.live
    # The display name '0' falls back to the first and last name; '---' has nothing usable.
    assert Contributor.objects.filter(name="Ivan Sokolov").exists()
    assert not Contributor.objects.filter(name="---").exists()
    assert any("'ivan.s'" in p and "named 'Ivan Sokolov'" in p for p in report.problems)
    assert report.reasons["authors"]["no usable name"] == 1
    orphan = ArticlePage.objects.get(title="Nobody wrote this")
    assert not orphan.live
    assert orphan.contributors == []
    assert any("Nobody wrote this" in p and "no usable author; imported as a draft" in p for p in report.problems)


def test_running_twice_updates_instead_of_duplicating(site):
    run(SMALL)
    run(COAUTHORS)
    counts = (
        ArticlePage.objects.count(),
        Contributor.objects.count(),
        ReaderComment.objects.count(),
        Revision.page_revisions.count(),
    )
    again = run(SMALL)
    assert again.count("posts", "unchanged") == 6
    assert again.count("authors", "unchanged") == 3
    assert again.count("comments", "unchanged") == 1
    run(COAUTHORS)
    assert counts == (
        ArticlePage.objects.count(),
        Contributor.objects.count(),
        ReaderComment.objects.count(),
        Revision.page_revisions.count(),
    )


def test_a_changed_post_is_updated_in_place(tmp_path, site):
    run(export(tmp_path, [post(5, title="First headline")]))
    page = ArticlePage.objects.get()
    report = run(export(tmp_path, [post(5, title="Corrected headline", status="private")]))

    assert report.count("posts", "updated") == 1
    page.refresh_from_db()
    assert ArticlePage.objects.count() == 1
    assert page.title == "Corrected headline"
    assert not page.live  # the post was made private in WordPress, so it is withdrawn


def test_a_moderators_decision_survives_a_rerun(tmp_path, site):
    path = export(tmp_path, [post(5, extra=comment(1))])
    run(path)
    ReaderComment.objects.update(status="rejected")
    run(path)
    assert ReaderComment.objects.get().status == "rejected"


def test_comment_statuses_email_hash_and_order(tmp_path, site):
    comments = "".join(
        [
            comment(1, "1", date="2024-03-02 10:00:00"),
            comment(2, "0", date="2024-03-02 09:00:00"),
            comment(3, "spam"),
            comment(4, "trash"),
            comment(5, "1", comment_type="pingback"),
            comment(6, "1", comment_type="trackback"),
            comment(7, "hold", email="not-an-address"),
        ]
    )
    report = run(export(tmp_path, [post(5, extra=comments)]))

    stored = {c.external_id: c for c in ReaderComment.objects.all()}
    assert {k: c.status for k, c in stored.items()} == {
        "news.example.org:1": "published",
        "news.example.org:2": "pending",
        "news.example.org:3": "spam",
        "news.example.org:4": "rejected",
        "news.example.org:7": "pending",
    }
    first = stored["news.example.org:1"]
    assert first.email_hash == commenter_key("reader@example.org")
    assert (first.ip_address, first.ip_truncated) == ("203.0.113.0", True)  # older than the retention period
    assert first.created_at == datetime(2024, 3, 2, 10, 0, tzinfo=UTC)
    assert first.published_at == first.created_at
    assert first.body == "Comment 1.\nSecond line & more."
    assert stored["news.example.org:7"].author_email == ""
    assert stored["news.example.org:2"].published_at is None
    article = ArticlePage.objects.get()
    assert [c.external_id for c in article.reader_comments.all()][:2] == ["news.example.org:2", "news.example.org:1"]
    assert report.reasons["comments"]["pingback"] == 1
    assert report.reasons["comments"]["trackback"] == 1


def test_a_wordpress_commenter_with_approved_comments_returns_as_a_known_commenter(tmp_path, site):
    """The importer and the comment form give one reader one identity: approved on WordPress as
    ``Anna@x.ru``, she comments as ``anna@x.ru`` on the new site and is not a first-timer."""
    comments = comment(1, "1", email="Anna@x.ru") + comment(2, "0", email="boris@x.ru")
    run(export(tmp_path, [post(5, extra=comments)]))
    article = ArticlePage.objects.get()

    anna = submit_comment(article, name="Anna", body="The ferry was late again.", email="anna@x.ru")
    boris = submit_comment(article, name="Boris", body="The ferry was late again.", email="boris@x.ru")

    assert ReaderComment.objects.filter(email_hash=anna.email_hash, source="wordpress").count() == 1
    assert "first_time" not in anna.reason_codes
    # Boris's only WordPress comment was never approved: he is still a first-time commenter.
    assert "first_time" in boris.reason_codes


def test_categories_and_tags_naming_a_city(tmp_path, site):
    novosibirsk = CityFactory(name="Novosibirsk", slug="novosibirsk", alternate_names="Novonikolayevsk")
    tomsk = CityFactory(name="Tomsk", slug="tomsk")
    terms = (
        '<category domain="category" nicename="novonikolayevsk"><![CDATA[Novonikolayevsk]]></category>'
        '<category domain="post_tag" nicename="tomsk"><![CDATA[TOMSK]]></category>'
        '<category domain="post_tag" nicename="ferries"><![CDATA[Ferries]]></category>'
    )
    report = run(export(tmp_path, [post(5, extra=terms)]))

    article = ArticlePage.objects.get()
    assert set(article.cities.all()) == {novosibirsk, tomsk}
    assert report.unmatched_terms == {"Ferries (tag)": 1}


def test_categories_and_tags_naming_no_city_become_topics(tmp_path, site):
    CityFactory(name="Tomsk", slug="tomsk")
    terms = (
        '<category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>'
        '<category domain="category" nicename="tomsk"><![CDATA[Tomsk]]></category>'
        '<category domain="post_tag" nicename="ferries"><![CDATA[Ferries]]></category>'
        '<category domain="category" nicename="river-transport"><![CDATA[River  transport]]></category>'
    )
    same_tag = '<category domain="post_tag" nicename="ferries-2"><![CDATA[ferries]]></category>'
    # Post 5 goes in through the bulk writer, the scheduled post 6 through Wagtail's own saving.
    path = export(
        tmp_path, [post(5, extra=terms), post(6, status="future", date="2099-01-01 10:00:00", extra=same_tag)]
    )
    run(path)

    written_in_bulk, saved_by_wagtail = ArticlePage.objects.get(slug="post-5"), ArticlePage.objects.get(slug="post-6")
    # One topic whatever the case, named as it was first met.
    assert [t.name.lower() for t in written_in_bulk.topic_list] == ["ferries", "river transport"]
    assert [t.name.lower() for t in saved_by_wagtail.topic_list] == ["ferries"]
    # The revision holds them too: the editor sees them, and publishing again keeps them.
    for article in (written_in_bulk, saved_by_wagtail):
        revision = article.get_latest_revision_as_object()
        assert sorted(t.name for t in revision.topics.all()) == sorted(t.name for t in article.topic_list)
    assert Tag.objects.count() == 2

    second = run(path)
    assert second.count("posts", "unchanged") == 2
    assert Tag.objects.count() == 2 and ArticleTopic.objects.count() == 3


def test_malformed_items_are_reported_and_the_rest_imported(tmp_path, site, monkeypatch):
    # The post that fails is the first by an author the export does not list: the contributor
    # made for it is rolled back with it, and the next post by the same author still imports.
    # It fails in the bulk writer and again when its batch is retried post by post.
    broken = post(6, title="Breaks on writing", creator="Unlisted Writer")
    no_id = "<item><title>No id</title><wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item>"
    bad_date = post(7, title="Bad date", date="2024-13-45 99:00:00")
    after = post(8, title="Fine after", creator="Unlisted Writer")
    path = export(tmp_path, [post(5, title="Fine before"), broken, no_id, bad_date, after])
    real_write_page = services._Importer.write_page
    real_insert_articles = bulk.insert_articles

    def write_page(importer, plan, page, news):
        if plan.title.startswith("Breaks"):
            raise ValueError("page writing exploded")
        return real_write_page(importer, plan, page, news)

    def insert_articles(parent, articles, *args, **kwargs):
        if any(article.title.startswith("Breaks") for article in articles):
            raise ValueError("bulk writing exploded")
        return real_insert_articles(parent, articles, *args, **kwargs)

    monkeypatch.setattr(services._Importer, "write_page", write_page)
    monkeypatch.setattr(bulk, "insert_articles", insert_articles)
    report = run(path)

    assert set(ArticlePage.objects.values_list("title", flat=True)) == {"Fine before", "Bad date", "Fine after"}
    assert ArticlePage.objects.get(title="Fine before").live
    assert [c.name for c in ArticlePage.objects.get(title="Fine after").contributors] == ["Unlisted Writer"]
    assert not ArticlePage.objects.get(title="Bad date").live
    assert report.reasons["posts"] == {"error": 1, "no post id": 1}
    assert any("page writing exploded" in p for p in report.problems)
    assert any("impossible date '2024-13-45 99:00:00'" in p for p in report.problems)


def test_dry_run_stores_nothing(tmp_path, site, settings):
    media = tmp_path / "uploads" / "2024" / "03"
    media.mkdir(parents=True)
    (media / "ferry.jpg").write_bytes(jpeg())
    attachment = """
<item><title>Ferry</title><wp:post_id>50</wp:post_id><wp:post_type>attachment</wp:post_type>
  <wp:status>inherit</wp:status><wp:post_parent>5</wp:post_parent>
  <wp:attachment_url>https://news.example.org/wp-content/uploads/2024/03/ferry.jpg</wp:attachment_url></item>"""
    thumb = "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>50</wp:meta_value></wp:postmeta>"
    path = export(tmp_path, [post(5, extra=comment(1) + thumb), attachment])
    before = {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}

    report = run(path, media_dir=tmp_path / "uploads", dry_run=True)

    assert report.dry_run
    assert report.count("posts", "created") == 1
    assert report.count("attachments", "created") == 1
    assert report.count("comments", "created") == 1
    assert ArticlePage.objects.count() == 0
    assert Contributor.objects.count() == 0
    assert ReaderComment.objects.count() == 0
    assert ImportedItem.objects.count() == 0
    assert get_image_model().objects.count() == 0
    assert {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()} == before


def test_pictures_from_the_media_folder_become_lead_and_body_pictures(tmp_path, site):
    media = tmp_path / "uploads" / "2024" / "03"
    media.mkdir(parents=True)
    (media / "ferry.jpg").write_bytes(jpeg())
    meta = (
        "<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
        "<wp:meta_value><![CDATA[The ferry at the landing]]></wp:meta_value></wp:postmeta>"
        "<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
        "<wp:meta_value><![CDATA[2024/03/ferry.jpg]]></wp:meta_value></wp:postmeta>"
        "<wp:postmeta><wp:meta_key>_wp_attachment_metadata</wp:meta_key><wp:meta_value><![CDATA["
        'a:1:{s:10:"image_meta";a:2:{s:6:"credit";s:10:"Anna Lee 1";s:7:"caption";s:0:"";}}]]></wp:meta_value>'
        "</wp:postmeta>"
    )
    attachment = f"""
<item><title>Ferry</title><wp:post_id>50</wp:post_id><wp:post_type>attachment</wp:post_type>
  <excerpt:encoded><![CDATA[The ferry <em>Zarya</em> at Kolyvan.]]></excerpt:encoded>
  <wp:status>inherit</wp:status><wp:post_parent>5</wp:post_parent>
  <wp:attachment_url>https://news.example.org/wp-content/uploads/2024/03/ferry.jpg</wp:attachment_url>{meta}</item>"""
    thumb = "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>50</wp:meta_value></wp:postmeta>"
    content = (
        "The ferry was late.\n\n"
        '[caption id="attachment_50" align="alignnone" width="300"]<a href="#"><img class="wp-image-50" '
        'src="https://news.example.org/wp-content/uploads/2024/03/ferry-300x200.jpg" /></a> Waiting at dawn[/caption]'
        "\n\nPassengers waited.\n<script>alert(1)</script>"
    )
    path = export(tmp_path, [post(5, content=content, extra=thumb), attachment])
    report = run(path, media_dir=tmp_path / "uploads")

    image = get_image_model().objects.get()
    assert (image.title, image.description, image.caption, image.credit) == (
        "Ferry",
        "The ferry at the landing",
        "The ferry Zarya at Kolyvan.",
        "Anna Lee 1",
    )
    article = ArticlePage.objects.get()
    assert article.lead_image == image
    assert [b.block_type for b in article.body] == ["paragraph", "image", "paragraph"]
    assert article.body[1].value["image"] == image
    assert article.body[1].value["caption"] == "Waiting at dawn"
    assert "alert" not in str(article.body[2].value)
    assert report.reasons["content left out"]["<script>"] == 1


def test_downloads_stop_at_an_unreachable_host_and_missing_files_are_reported(tmp_path, site):
    attachments = "".join(
        f"""<item><title>Picture {n}</title><wp:post_id>{n}</wp:post_id><wp:post_type>attachment</wp:post_type>
        <wp:status>inherit</wp:status>
        <wp:attachment_url>https://{host}/uploads/{n}.jpg</wp:attachment_url></item>"""
        for n, host in [
            (51, "up.example.org"),
            (52, "up.example.org"),
            (53, "down.example.org"),
            (54, "down.example.org"),
        ]
    )
    path = export(tmp_path, [post(5), attachments])
    with respx.mock(assert_all_called=True) as mock:
        mock.get("https://up.example.org/uploads/51.jpg").respond(200, content=jpeg())
        mock.get("https://up.example.org/uploads/52.jpg").respond(404)
        down = mock.route(host="down.example.org").mock(side_effect=httpx.ConnectError("unreachable"))
        report = import_wordpress(path)

    assert get_image_model().objects.get().source_url == "https://up.example.org/uploads/51.jpg"
    assert report.reasons["attachments"] == {"download failed (HTTP 404)": 1, "download failed (host unreachable)": 2}
    assert down.call_count == 1
    assert any("Picture 52" in p and "HTTP 404" in p for p in report.problems)


def test_imported_articles_are_purged_from_the_caches(tmp_path, site, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, tags, **kwargs):
        received.append(tags)

    tags_purged.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run(export(tmp_path, [post(5, extra=comment(1))]))
    finally:
        tags_purged.disconnect(receiver)
    contributor = Contributor.objects.get(name="Olga Petrova")
    assert any({"front", "feeds", "sitemaps", f"contributor:{contributor.pk}"} <= tags for tags in received)


def test_an_updated_article_is_purged_and_a_new_one_purges_only_the_pages_listing_it(
    tmp_path, site, django_capture_on_commit_callbacks
):
    path = export(tmp_path, [post(5, title="First title")])
    run(path)
    article = ArticlePage.objects.get()
    received = []

    def receiver(sender, tags, **kwargs):
        received.append(tags)

    tags_purged.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run(export(tmp_path, [post(5, title="Second title"), post(6, title="A new one")]))
    finally:
        tags_purged.disconnect(receiver)
    new = ArticlePage.objects.get(title="A new one")
    purged = set().union(*received)
    assert f"article:{article.pk}" in purged
    # Nothing was ever cached under a new article's own tag.
    assert f"article:{new.pk}" not in purged
    assert "front" in purged


def test_command_prints_the_report(tmp_path, site):
    out = io.StringIO()
    call_command("import_wordpress", str(COAUTHORS), "--no-download", verbosity=0, stdout=out)
    text = out.getvalue()
    assert "WordPress import from https://example.com" in text
    assert "posts (of 4 in the export): 4 created, 0 updated, 0 unchanged, 0 skipped" in text
    assert "publish (4 in the export): 4 created" in text
    assert "authors: 3 created" in text
    assert "Collaboration (tag)" in text


def test_command_dry_run_says_so_and_stores_nothing(site):
    out = io.StringIO()
    call_command("import_wordpress", str(SMALL), "--dry-run", "--no-download", verbosity=0, stdout=out)
    assert "(dry run: nothing was saved)" in out.getvalue()
    assert ArticlePage.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('<?xml version="1.0"?><rss><channel><item><title>Cut off', "is not well-formed XML"),
        (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            "<rss><channel><title>&b;</title></channel></rss>",
            "was refused as unsafe XML",
        ),
        ('<?xml version="1.0"?><html><body>Not an export</body></html>', "is not a WordPress export"),
    ],
)
def test_unusable_files_give_a_clear_error_and_import_nothing(tmp_path, site, text, message):
    path = tmp_path / "broken.xml"
    path.write_text(text)
    with pytest.raises(CommandError, match=message):
        call_command("import_wordpress", str(path), "--no-download", verbosity=0, stdout=io.StringIO())
    assert ArticlePage.objects.count() == 0
    assert Contributor.objects.count() == 0


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("import_wordpress", str(tmp_path / "nope.xml"), verbosity=0)


def test_an_empty_site_gets_a_home_page_and_news_section(client):
    run(COAUTHORS)

    article = ArticlePage.objects.get(title="Three Author Post")
    assert article.get_parent().specific_class.__name__ == "ArticleIndexPage"
    assert article.url == "/news/three-author-post/"
    response = client.get(article.url)
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", "", response.content.decode())
    assert "By Alice Smith, Bob Jones and Carol White" in text


def test_old_permalinks_redirect_to_the_articles(client, site):
    report = run(COAUTHORS)

    assert Redirect.objects.filter(redirect_page__isnull=False).count() == 8  # permalink and /?p=ID of 4 posts
    assert report.count("redirects", "created") == Redirect.objects.count()
    response = client.get("/three-author-post")
    assert response.status_code == 301
    assert response["Location"].endswith("/news/three-author-post/")
    before = Redirect.objects.count()
    again = run(COAUTHORS)
    assert again.count("redirects", "created") == 0
    assert Redirect.objects.count() == before
    # The second run accounts for every redirect the first made, and puts back one deleted since.
    assert again.count("redirects", "unchanged") == before
    Redirect.objects.filter(old_path="/three-author-post").delete()
    third = run(COAUTHORS)
    assert (third.count("redirects", "created"), third.count("redirects", "unchanged")) == (1, before - 1)
    assert client.get("/three-author-post").status_code == 301
