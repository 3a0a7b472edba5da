"""Loading the demo newsroom. Idempotent: a second run finds everything and changes nothing.

The newsroom is the site's language's (``GAZETTE_LANGUAGE``): the English stories of
:mod:`gazette.demo.content` or the Russian ones of :mod:`gazette.demo.content_ru`, each article
marked with its language. Both draw the same pictures.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from gazette.articles.choices import ArticleLanguage, site_language
from gazette.articles.models import ArticleIndexPage, ArticlePage, Contributor
from gazette.cities.models import City
from gazette.cities.services import seed_cities
from gazette.core.models import MastheadSettings
from gazette.home.models import HomePage, StandardPage
from gazette.rates.services import load_table_files

from . import content, content_ru
from .pictures import draw_picture

DEMO_USERNAME = "editor"
NEWSROOMS = {ArticleLanguage.ENGLISH.value: content, ArticleLanguage.RUSSIAN.value: content_ru}


def newsroom(language: str | None = None):
    """The demo content module of ``language`` (``en`` or ``ru``; default: the site's language)."""
    language = language or site_language()
    try:
        return NEWSROOMS[language]
    except KeyError:
        raise ValueError(
            gettext("There is no demo newsroom in “%(language)s”; the languages are: %(languages)s")
            % {"language": language, "languages": ", ".join(NEWSROOMS)}
        ) from None


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    username: str = DEMO_USERNAME
    password: str = ""

    def add(self, kind: str, n: int = 1):
        self.created[kind] = self.created.get(kind, 0) + n


def _home(report: DemoReport, title: str) -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's "Welcome to your new Wagtail site!" placeholder holds the slug 'home'.
        for placeholder in root.get_children().filter(content_type__model="page"):
            if not placeholder.get_children().exists():
                Site.objects.filter(root_page=placeholder).delete()
                placeholder.delete()
        home = root.add_child(instance=HomePage(title=title, slug="home"))
        home.save_revision().publish()
        report.add("pages")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=settings.WAGTAIL_SITE_NAME
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home


def _image(key: str, pictures: dict, report: DemoReport):
    title, motif, palette, seed, caption, credit, alt = pictures[key]
    Image = get_image_model()
    data = draw_picture(motif, palette, seed)
    digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()  # Wagtail's own file_hash is SHA-1
    image = Image.objects.filter(title=title).first() or Image.objects.filter(file_hash=digest).first()
    if image is None:
        from io import BytesIO

        image = Image(title=title, caption=caption, credit=credit, description=alt)
        image.file = ImageFile(BytesIO(data), name=f"demo-{key}.jpg")
        image._set_file_hash()
        image.save()
        report.add("pictures")
    return image


def _body(items, images):
    blocks = []
    for item in items:
        kind = item[0]
        if kind == "p":
            blocks.append(("paragraph", item[1]))
        elif kind == "h":
            blocks.append(("subheading", item[1]))
        elif kind == "quote":
            blocks.append(("quote", {"quote": item[1], "attribution": item[2]}))
        elif kind == "image":
            blocks.append(("image", {"image": images[item[1]], "caption": item[2], "credit": item[3]}))
        elif kind == "group":
            blocks.append(
                ("image_group", {"images": [images[k] for k in item[1]], "caption": item[2], "credit": item[3]})
            )
        elif kind == "doc":
            blocks.append(
                (
                    "document",
                    {
                        "image": images[item[1]],
                        "title": item[2],
                        "transcription": item[3],
                        "caption": item[4],
                        "credit": item[5],
                    },
                )
            )
    return blocks


def _article(spec, language, index_page, contributors, images, cities, report):
    if ArticlePage.objects.filter(slug=spec["slug"]).exists():
        return
    if "hours_ago" in spec:
        published = timezone.now() - timedelta(hours=spec["hours_ago"])
    else:
        published = datetime.fromisoformat(spec["date"])
    page = ArticlePage(
        title=spec["title"],
        slug=spec["slug"],
        standfirst=spec["standfirst"],
        lead_image=images[spec["lead"]],
        body=_body(spec["body"], images),
        first_published_at=published,
        language=language,
    )
    for order, slug in enumerate(spec["authors"]):
        page.bylines.add(page.bylines.model(contributor=contributors[slug], sort_order=order))
    page.cities.set([cities[s] for s in spec["cities"]])
    page.topics.set(spec["topics"])
    index_page.add_child(instance=page)
    page.save_revision().publish()
    # Each story keeps its own publication date, not the moment the demo was loaded.
    ArticlePage.objects.filter(pk=page.pk).update(
        first_published_at=published, last_published_at=published, updated_at=None
    )
    report.add("articles")


def _demo_user(report: DemoReport):
    from django.contrib.auth.models import Group

    User = get_user_model()
    password_file = settings.VAR_DIR / "demo-editor-password"
    user = User.objects.filter(username=DEMO_USERNAME).first()
    if user is None or not password_file.exists():
        password = secrets.token_urlsafe(12)
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password)
        password_file.chmod(0o600)
        if user is None:
            user = User(username=DEMO_USERNAME, email="editor@example.org", first_name="Demo", last_name="Editor")
            report.add("users")
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
    for name in ("Editors", "Moderators"):
        group = Group.objects.filter(name=name).first()
        if group:
            user.groups.add(group)
    report.password = password_file.read_text().strip()


@transaction.atomic
def load_demo(language: str | None = None) -> DemoReport:
    """Load the demo newsroom of ``language`` (default: the site's language) where it is missing.

    Raises ``ValueError`` for a language without a demo newsroom, before anything is written.
    """
    content = newsroom(language)
    report = DemoReport()
    created, _ = seed_cities()
    report.add("cities", created)
    home = _home(report, content.TITLES["home"])
    cities = {c.slug: c for c in City.objects.all()}
    contributors = {}
    for spec in content.CONTRIBUTORS:
        contributor, was_created = Contributor.objects.get_or_create(
            slug=spec["slug"], defaults={k: v for k, v in spec.items() if k != "slug"}
        )
        contributors[spec["slug"]] = contributor
        report.add("contributors", int(was_created))
    images = {key: _image(key, content.PICTURES, report) for key in content.PICTURES}

    index_page = ArticleIndexPage.objects.first()
    if index_page is None:
        index_page = home.add_child(instance=ArticleIndexPage(title=content.TITLES["news"], slug="news"))
        index_page.save_revision().publish()
        report.add("pages")
    privacy = StandardPage.objects.filter(slug="privacy-policy").first()
    if privacy is None:
        privacy = home.add_child(
            instance=StandardPage(title=content.TITLES["privacy"], slug="privacy-policy", body=content.PRIVACY_POLICY)
        )
        privacy.save_revision().publish()
        report.add("pages")

    for spec in content.ARTICLES:
        _article(spec, content.LANGUAGE, index_page, contributors, images, cities, report)
    from gazette.comments.demo import load_demo_comments

    report.add("comments", load_demo_comments(content.COMMENTS, content.REPLIES))

    site = Site.objects.get(is_default_site=True)
    masthead = MastheadSettings.for_site(site)
    if not masthead.teaser_quote:
        masthead.teaser_quote = content.MASTHEAD_QUOTE["quote"]
        masthead.teaser_article = ArticlePage.objects.get(slug=content.MASTHEAD_QUOTE["article"])
        masthead.privacy_page = privacy
        masthead.save()
    report.add("exchange-rate tables", load_table_files())
    _demo_user(report)
    return report
