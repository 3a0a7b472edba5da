"""The generated load of ``make bench`` and the reader-experience budget, added to the demo content.

One published article with three pictures (the lead and two figures), three contributors, a city
and 50 published reader comments: the heaviest page a spike usually hits. Run after
``load_demo`` as ``python -m bench.seed`` with the run's settings; it prints one JSON line with
the article's path and primary key, a city slug and a comment text to look for. Running it again
changes nothing.
"""

import json
from datetime import timedelta

import django

SLUG = "ice-road-closes-early-readers-react"
COMMENT = "Comment {n}: the ice road to our village closed a week early again, and the ferry is not ready yet."


def seed() -> dict:
    from django.utils import timezone
    from wagtail.images import get_image_model

    from gazette.articles.models import ArticleIndexPage, ArticlePage, Contributor
    from gazette.cities.models import City
    from gazette.comments.choices import CommentStatus
    from gazette.comments.models import ReaderComment

    city = City.objects.filter(articles__isnull=False).order_by("pk").first() or City.objects.order_by("pk").first()
    page = ArticlePage.objects.filter(slug=SLUG).first()
    if page is None:
        images = list(get_image_model().objects.order_by("pk")[:3])
        page = ArticlePage(
            title="Ice road closes early and villages wait for the ferry",
            slug=SLUG,
            standfirst="Warm weather shut the winter road across the Ob ten days early; readers tell us how they cope.",
            lead_image=images[0],
            body=[
                ("paragraph", "<p>The regional road service closed the ice crossing on Tuesday after a thaw.</p>"),
                ("image", {"image": images[1], "caption": "", "credit": ""}),
                ("subheading", "Waiting for the ferry"),
                ("paragraph", "<p>The first ferry of the season is due in May, when the river is clear of ice.</p>"),
                ("image", {"image": images[2], "caption": "", "credit": ""}),
                ("paragraph", "<p>Until then, shops in the villages rely on deliveries by hovercraft.</p>"),
            ],
        )
        for contributor in Contributor.objects.order_by("pk")[:3]:
            page.bylines.add(page.bylines.model(contributor=contributor))
        page.cities.set([city] if city else [])
        ArticleIndexPage.objects.first().add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
    if not ReaderComment.objects.filter(article=page).exists():
        start = timezone.now() - timedelta(hours=6)
        ReaderComment.objects.bulk_create(
            ReaderComment(
                article=page,
                author_name=f"Reader {n}",
                author_location="Kolyvan",
                body=COMMENT.format(n=n),
                status=CommentStatus.PUBLISHED,
                created_at=start + timedelta(minutes=5 * n),
                published_at=start + timedelta(minutes=5 * n + 2),
            )
            for n in range(1, 51)
        )
    return {
        "article_path": page.url,
        "article_pk": page.pk,
        "city_slug": city.slug if city else "",
        "comment_text": COMMENT.format(n=50),
    }


if __name__ == "__main__":
    django.setup()
    print(json.dumps(seed()))
