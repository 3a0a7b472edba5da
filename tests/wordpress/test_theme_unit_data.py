"""WordPress's theme unit test data: 58 posts, 37 attachments, threaded comments, trackbacks and
two posts whose author login is malformed. The pictures come from a media folder (three
files), a download (two, one of them damaged) and a 404 for the rest; no request leaves the
process (respx answers every one)."""

import io
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import httpx
import respx
from django.test import TestCase
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction, Revision

from gazette.articles.models import ArticlePage, Contributor
from gazette.comments.models import ReaderComment
from gazette.wordpress.models import ImportedItem
from gazette.wordpress.services import import_wordpress
from tests.migrated_data import restore_migrated_data

EXPORT = Path(__file__).resolve().parent.parent / "fixtures" / "wxr" / "themeunittestdata.wordpress.xml"
HOST = "https://wpthemetestdata.files.wordpress.com"
LOCAL_FILES = ["2008/06/canola2.jpg", "2013/03/featured-image-horizontal.jpg", "2013/03/image-alignment-580x300.jpg"]


def jpeg(colour=(90, 120, 150)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (48, 32), colour).save(out, format="JPEG")
    return out.getvalue()


def run_import(media_dir: Path):
    with respx.mock(assert_all_called=False) as mock:
        mock.get(f"{HOST}/2010/08/triforce-wallpaper.jpg").respond(200, content=jpeg((10, 200, 10)))
        mock.get(f"{HOST}/2014/01/spectacles.gif").respond(200, content=b"<html>Not a picture</html>")
        mock.route(host="wpthemetestdata.files.wordpress.com").respond(404)
        mock.route().mock(side_effect=httpx.ConnectError("no network in tests"))
        return import_wordpress(EXPORT, media_dir=media_dir), mock.calls.call_count


class ThemeUnitDataImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Runs before any pytest fixture: a transactional test earlier on this worker may have
        # flushed Wagtail's root page.
        restore_migrated_data()
        cls.media_dir = Path(tempfile.mkdtemp(prefix="wxr-media-"))
        for i, name in enumerate(LOCAL_FILES):
            path = cls.media_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(jpeg((40 * i, 80, 160)))
        cls.report, cls.requests = run_import(cls.media_dir)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.media_dir, ignore_errors=True)
        super().tearDownClass()

    def test_every_post_becomes_an_article_with_its_state(self):
        self.assertEqual(ArticlePage.objects.count(), 58)
        self.assertEqual(self.report.count("posts", "created"), 58)
        self.assertEqual(self.report.reasons["pages"]["only posts and their pictures are imported"], 21)
        self.assertFalse(ArticlePage.objects.get(title="Draft").live)
        scheduled = ArticlePage.objects.get(title="Scheduled")
        self.assertFalse(scheduled.live)
        self.assertEqual(scheduled.go_live_at, datetime(2030, 1, 1, 19, 0, 18, tzinfo=UTC))
        self.assertTrue(Revision.page_revisions.filter(object_id=str(scheduled.pk)).exclude(approved_go_live_at=None))
        # A post with no body stays published, as it was, and the editor is shown why to look at it.
        empty = ArticlePage.objects.get(title="Edge Case: No Content")
        self.assertTrue(empty.live)
        self.assertTrue(empty.editorial_findings.filter(check_name="empty_body").exists())
        self.assertEqual(self.report.post_states["published"], ArticlePage.objects.live().count())
        sticky = ArticlePage.objects.get(title="Template: Sticky")
        self.assertEqual(sticky.first_published_at, datetime(2012, 1, 7, 14, 7, 21, tzinfo=UTC))
        self.assertEqual(sticky.last_published_at, sticky.first_published_at)

    def test_password_protected_post_keeps_its_password(self):
        page = ArticlePage.objects.get(title__startswith="Template: Password Protected")
        self.assertTrue(page.live)
        restriction = PageViewRestriction.objects.get(page=page)
        self.assertEqual((restriction.restriction_type, restriction.password), ("password", "enter"))

    def test_malformed_author_logins_are_reported_and_read_as_the_listed_author(self):
        self.assertEqual(set(Contributor.objects.values_list("name", flat=True)), {"Theme Buster", "Theme Reviewer"})
        malformed = [p for p in self.report.problems if "is malformed" in p]
        self.assertTrue(any("'>themereviewteam'" in p for p in malformed), malformed)
        page = ArticlePage.objects.get(title="Block category: Common")
        self.assertEqual([c.name for c in page.contributors], ["Theme Reviewer"])

    def test_comments_keep_their_status_and_pings_are_skipped(self):
        self.assertEqual(ReaderComment.objects.filter(status="published").count(), 23)
        self.assertEqual(ReaderComment.objects.filter(status="pending").count(), 1)
        self.assertEqual(self.report.reasons["comments"]["pingback"], 2)
        self.assertEqual(self.report.reasons["comments"]["trackback"], 2)
        self.assertEqual(self.report.reasons["comments"]["on pages, which are not imported"], 5)
        thread = ArticlePage.objects.get(title="Template: Comments")
        comments = list(thread.reader_comments.all())
        self.assertEqual(len(comments), 20)
        self.assertEqual([c.created_at for c in comments], sorted(c.created_at for c in comments))
        self.assertTrue(all(c.source == "wordpress" for c in comments))
        self.assertTrue(all(c.external_id.startswith("wpthemetestdata.wordpress.com:") for c in comments))

    def test_pictures_from_the_media_folder_and_downloads_with_their_captions(self):
        Image = get_image_model()
        self.assertEqual(self.report.count("attachments", "created"), 4)
        self.assertEqual(Image.objects.count(), 4)
        self.assertEqual(self.report.reasons["attachments"]["download failed (HTTP 404)"], 30)
        self.assertEqual(self.report.reasons["attachments"]["not a readable picture"], 1)
        self.assertEqual(self.report.reasons["attachments"]["not a picture (.mp3)"], 1)
        canola = Image.objects.get(title="canola2")
        self.assertEqual(canola.description, "canola")
        self.assertTrue(canola.caption.startswith("Lorem ipsum dolor sit amet"))
        self.assertEqual(canola.source_url, f"{HOST}/2008/06/canola2.jpg")
        featured = ArticlePage.objects.get(title="Template: Featured Image (Horizontal)")
        self.assertEqual(featured.lead_image.description, "Horizontal Featured Image")
        downloaded = ArticlePage.objects.get(title="Post Format: Image (Caption)")
        self.assertTrue(downloaded.lead_image.caption.startswith("It’s dangerous to go alone!"))
        self.assertTrue(any("featured image 1027 was not imported" in p for p in self.report.problems))

    def test_caption_shortcode_becomes_a_captioned_picture(self):
        page = ArticlePage.objects.get(title="Markup: Image Alignment")
        figures = [b.value for b in page.body if b.block_type == "image"]
        captioned = [f for f in figures if f["caption"] == "Look at 580x300 getting some caption love."]
        self.assertEqual(len(captioned), 1)
        self.assertEqual(captioned[0]["image"].title, "Image Alignment 580x300")
        self.assertEqual(page.body[0].block_type, "paragraph")
        self.assertIn("Welcome to image alignment!", str(page.body[0].value))

    def test_running_again_changes_nothing(self):
        counts = (
            ArticlePage.objects.count(),
            get_image_model().objects.count(),
            ReaderComment.objects.count(),
            Contributor.objects.count(),
            Revision.page_revisions.count(),
            ImportedItem.objects.count(),
        )
        report, _ = run_import(self.media_dir)
        self.assertEqual(report.count("posts", "unchanged"), 58)
        self.assertEqual(report.count("posts", "created") + report.count("posts", "updated"), 0)
        self.assertEqual(report.count("comments", "unchanged"), 24)
        self.assertEqual(report.count("attachments", "unchanged"), 4)
        self.assertEqual(
            counts,
            (
                ArticlePage.objects.count(),
                get_image_model().objects.count(),
                ReaderComment.objects.count(),
                Contributor.objects.count(),
                Revision.page_revisions.count(),
                ImportedItem.objects.count(),
            ),
        )
