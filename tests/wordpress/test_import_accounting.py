"""An import that loses nothing: comment threads and states, commenters' addresses, a report that
accounts for every item of the export, empty posts kept as they were, and repeated or
interrupted runs that end where one clean run ends."""

import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from gazette.articles.models import ArticlePage
from gazette.comments.models import ReaderComment
from gazette.editorial.models import ArticleFinding
from gazette.wordpress import services
from gazette.wordpress.models import ImportedItem
from tests.migrated_data import shared_content

from .test_import import COAUTHORS, FIXTURES, SMALL, export, post, run

pytestmark = pytest.mark.usefixtures("no_search_indexing")

THEME = FIXTURES / "themeunittestdata.wordpress.xml"
ROOT = Path(__file__).resolve().parents[2]


def reply(wp_id, parent, approved="1", ip="203.0.113.9", date="2024-03-02 10:00:00", comment_type=""):
    return f"""
<wp:comment>
  <wp:comment_id>{wp_id}</wp:comment_id>
  <wp:comment_author><![CDATA[Reader {wp_id}]]></wp:comment_author>
  <wp:comment_author_email>reader{wp_id}@example.org</wp:comment_author_email>
  <wp:comment_author_IP>{ip}</wp:comment_author_IP>
  <wp:comment_date>{date}</wp:comment_date>
  <wp:comment_date_gmt>{date}</wp:comment_date_gmt>
  <wp:comment_content><![CDATA[Comment {wp_id}.]]></wp:comment_content>
  <wp:comment_approved>{approved}</wp:comment_approved>
  <wp:comment_type>{comment_type}</wp:comment_type>
  <wp:comment_parent>{parent}</wp:comment_parent>
</wp:comment>"""


@pytest.mark.django_db
def test_replies_keep_their_parent_even_when_written_before_it(tmp_path, site):
    comments = "".join(
        [
            # The reply comes first in the file and is dated earlier (a clock or time-zone slip).
            reply(3, 2, date="2024-03-02 08:00:00"),
            reply(1, 0, date="2024-03-02 09:00:00"),
            reply(2, 1, approved="0", date="2024-03-02 09:30:00"),
            reply(4, 5, date="2024-03-02 11:00:00"),
            reply(5, 0, comment_type="pingback", date="2024-03-02 10:30:00"),
        ]
    )
    report = run(export(tmp_path, [post(5, extra=comments)]))

    stored = {c.external_id.rsplit(":", 1)[1]: c for c in ReaderComment.objects.all()}
    assert set(stored) == {"1", "2", "3", "4"}
    assert stored["1"].parent is None
    assert stored["2"].parent == stored["1"]
    assert stored["3"].parent == stored["2"]
    assert stored["3"].thread == stored["1"]  # the whole conversation hangs on its first comment
    assert stored["2"].status == "pending"
    # Its parent was a pingback, which is not imported: it stays a reply, to a removed comment.
    assert stored["4"].parent is None and stored["4"].parent_removed and stored["4"].is_reply
    assert any("comment 4 answers comment 5" in p for p in report.problems)
    assert report.by_state["comments"]["pingback"]["skipped"] == 1


@pytest.mark.django_db
def test_commenters_addresses_are_unwrapped_and_truncated_as_the_comments_app_keeps_them(tmp_path, site, settings):
    settings.GAZETTE_COMMENT_IP_RETENTION_DAYS = 30
    recent = (timezone.now() - timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    comments = "".join(
        [
            reply(1, 0, ip="::ffff:198.51.100.77", date=recent),
            reply(2, 0, ip="::ffff:198.51.100.77", date="2019-06-01 12:00:00"),
            reply(3, 0, ip="2001:db8:1234:5678::1", date="2019-06-01 12:00:00"),
            reply(4, 0, ip="not an address", date=recent),
        ]
    )
    run(export(tmp_path, [post(5, extra=comments)]))

    stored = {c.external_id.rsplit(":", 1)[1]: (c.ip_address, c.ip_truncated) for c in ReaderComment.objects.all()}
    assert stored == {
        "1": ("198.51.100.77", False),
        "2": ("198.51.100.0", True),
        "3": ("2001:db8:1234::", True),
        "4": (None, False),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", [SMALL, COAUTHORS], ids=["small", "co-authors"])
def test_every_item_and_comment_of_a_real_export_is_accounted_for_by_state(path, site):
    report = run(path)

    assert_accounted_for_by_state(report)


def assert_accounted_for_by_state(report):
    assert report.mismatches() == []
    assert report.expected["posts"], "the export has posts"
    for kind, states in report.expected.items():
        for state, n in states.items():
            assert sum(report.by_state[kind][state].values()) == n, (kind, state)


@pytest.fixture(scope="class")
def theme_import(django_db_setup, django_db_blocker):
    """The theme unit test data imported once for the class's tests (each in a savepoint)."""
    from tests.factories import site_tree

    with shared_content(django_db_blocker):
        site_tree()
        yield run(THEME)


@pytest.mark.django_db
class TestTheThemeUnitDataImport:
    def test_every_item_and_comment_is_accounted_for_by_state(self, theme_import):
        assert_accounted_for_by_state(theme_import)

    def test_comment_states_are_all_counted(self, theme_import):
        report = theme_import

        comments = report.by_state["comments"]
        assert sum(comments["approved"].values()) == report.expected["comments"]["approved"] > 0
        assert (
            comments["approved"]["created"] + comments["approved"]["skipped"] == report.expected["comments"]["approved"]
        )
        assert report.expected["pages"]["publish"] == sum(report.by_state["pages"]["publish"].values())

    def test_a_second_import_creates_and_updates_nothing(self, theme_import):
        assert ArticlePage.objects.count() == theme_import.count("posts", "created") > 0
        again = run(THEME)

        for kind, counts in again.outcomes.items():
            assert (kind, counts["created"], counts["updated"]) == (kind, 0, 0)
        assert again.mismatches() == []


@pytest.mark.django_db
def test_comments_of_posts_that_are_not_imported_are_counted_as_skipped(tmp_path, site):
    path = export(tmp_path, [post(5, status="trash", extra=reply(1, 0)), post(6, extra=reply(2, 0, approved="spam"))])
    report = run(path)

    assert report.by_state["posts"]["trash"]["skipped"] == 1
    assert report.by_state["comments"]["approved"]["skipped"] == 1
    assert report.reasons["comments"]["its post's status is trash"] == 1
    assert report.by_state["comments"]["spam"]["created"] == 1
    assert report.mismatches() == []


@pytest.mark.django_db
def test_the_command_fails_when_the_report_does_not_add_up(tmp_path, site, monkeypatch):
    path = export(tmp_path, [post(5, status="trash", extra=reply(1, 0))])
    monkeypatch.setattr(services._Importer, "skip_comments", lambda self, item, reason: None)

    with pytest.raises(CommandError, match=r"comments \(approved\): 1 in the export, 0 accounted for"):
        call_command("import_wordpress", str(path), "--no-download", verbosity=0, stdout=io.StringIO())


@pytest.mark.django_db
def test_items_without_a_post_type_are_named_in_the_report(tmp_path, site):
    untyped = post(7).replace("<wp:post_type>post</wp:post_type>", "")
    out = io.StringIO()
    call_command("import_wordpress", str(export(tmp_path, [post(5), untyped])), "--no-download", stdout=out)

    text = out.getvalue()
    assert "items with no post type (of 1 in the export): 0 created, 0 updated, 0 unchanged, 1 skipped" in text
    assert "(none)" not in text


@pytest.mark.django_db
def test_a_published_post_without_a_body_stays_published_with_a_proofing_finding(tmp_path, site):
    report = run(export(tmp_path, [post(5, content=""), post(6)]))

    empty = ArticlePage.objects.get(slug="post-5")
    assert empty.live
    assert report.post_states == {"published": 2}
    findings = ArticleFinding.objects.filter(page=empty, check_name="empty_body")
    assert [f.severity for f in findings] == ["warning"]
    assert not ArticleFinding.objects.filter(page__slug="post-6", check_name="empty_body").exists()
    assert any("post 5" in p and "no body" in p for p in report.problems)


def _database_url() -> str:
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{conf['NAME']}"
    host = f"{conf['HOST'] or 'localhost'}:{conf['PORT'] or 5432}"
    return f"postgres://{conf['USER']}:{conf['PASSWORD']}@{host}/{conf['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_part_way_finishes_on_a_rerun_as_one_clean_run_would(tmp_path, site):
    n = 80
    path = export(
        tmp_path, [post(i, title=f"Story {i}", extra=reply(i, 0) + reply(1000 + i, i)) for i in range(1, n + 1)]
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gazette.settings.test",
        "DATABASE_URL": _database_url(),
        "GAZETTE_TEST_TMP": str(tmp_path),
    }
    command = [
        *[sys.executable, "manage.py", "import_wordpress", str(path)],
        *["--no-download", "--batch-size", "5", "-v", "0"],
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while ImportedItem.objects.filter(kind="post").count() < 5:
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "the import never got going"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
    killed_at = ArticlePage.objects.count()
    assert 5 <= killed_at < n, "the kill came part way through"

    report = run(path)

    assert report.mismatches() == []
    assert report.count("posts", "created") + report.count("posts", "unchanged") == n
    assert (ArticlePage.objects.count(), ReaderComment.objects.count()) == (n, 2 * n)
    assert ImportedItem.objects.filter(kind="post").count() == n
    assert ReaderComment.objects.filter(parent__isnull=False).count() == n
    assert sorted(ArticlePage.objects.values_list("slug", flat=True)) == sorted(f"post-{i}" for i in range(1, n + 1))
    again = run(path)
    assert (again.count("posts", "created"), again.count("posts", "updated")) == (0, 0)
    assert (again.count("comments", "created"), again.count("comments", "updated")) == (0, 0)


@pytest.mark.django_db
def test_without_the_uploads_pictures_stay_linked_and_the_report_counts_them(tmp_path, site):
    body = (
        '<p>Before.</p>[caption id="attachment_9" width="640"]<img src="https://news.example.org/wp-content/'
        'uploads/2024/03/ferry.jpg" class="wp-image-9" alt="The ferry" /> The ferry at dawn[/caption]<p>After.</p>'
    )
    out = io.StringIO()
    call_command("import_wordpress", str(export(tmp_path, [post(5, content=body)])), "--no-download", stdout=out)

    article = ArticlePage.objects.get()
    paragraphs = [str(block.value) for block in article.body if block.block_type == "paragraph"]
    assert '<a href="https://news.example.org/wp-content/uploads/2024/03/ferry.jpg">The ferry at dawn</a>' in (
        "".join(paragraphs)
    )
    assert "pictures left linked to the old site: 1" in out.getvalue()
