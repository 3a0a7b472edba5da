"""Factories that build content the way an editor would, for every test module."""

import io
import itertools
from datetime import datetime

import factory
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from gazette.articles.models import ArticleIndexPage, ArticlePage, Contributor
from gazette.cities.models import City
from gazette.home.models import HomePage, StandardPage

_counter = itertools.count(1)


def _jpeg(width=640, height=400, colour=(120, 140, 160)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(out, format="JPEG")
    return out.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"Picture {n}")
    caption = "A street in winter."
    credit = "State Archives of the Novosibirsk region"
    description = "A snowy street with wooden houses"
    file = factory.LazyFunction(lambda: ImageFile(io.BytesIO(_jpeg()), name=f"test-{next(_counter)}.jpg"))


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Reporter Number{n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Town{n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower())


def site_tree():
    """The front page, the news section and the privacy policy, as the demo has them."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        for child in root.get_children():
            Site.objects.filter(root_page=child).delete()
            child.delete()
        home = root.add_child(instance=HomePage(title="The Siberian Gazette", slug="home"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "The Siberian Gazette"},
        )
    news = ArticleIndexPage.objects.first() or home.add_child(instance=ArticleIndexPage(title="News", slug="news"))
    privacy = StandardPage.objects.filter(slug="privacy-policy").first() or home.add_child(
        instance=StandardPage(title="Privacy policy", slug="privacy-policy", body="<p>We keep little.</p>")
    )
    return home, news, privacy


def make_article(
    title="Ferry season ends early",
    authors=None,
    cities=(),
    topics=(),
    published: datetime | None = None,
    lead_image=True,
    body=None,
    publish=True,
    **fields,
) -> ArticlePage:
    """An article under /news/ with a byline, a lead picture and a paragraph, published."""
    _home, news, _privacy = site_tree()
    n = next(_counter)
    authors = authors if authors is not None else [ContributorFactory()]
    page = ArticlePage(
        title=title,
        slug=fields.pop("slug", f"article-{n}"),
        standfirst=fields.pop("standfirst", "Ice has closed the river crossing ten days early."),
        lead_image=ImageFactory() if lead_image is True else (lead_image or None),
        body=body if body is not None else [("paragraph", "<p>The last ferry crossed on Saturday.</p>")],
        **fields,
    )
    for order, contributor in enumerate(authors):
        page.bylines.add(page.bylines.model(contributor=contributor, sort_order=order))
    news.add_child(instance=page)
    page.cities.set(list(cities))
    page.topics.set(list(topics))
    page.save()
    if publish:
        page.save_revision().publish()
        if published is not None:
            ArticlePage.objects.filter(pk=page.pk).update(first_published_at=published, last_published_at=published)
            page.refresh_from_db()
    return page
