"""The generated load of ``make bench`` and the reader-experience budget, added to the demo content.

One published article the size of a real one: about 1,500 words of body text (paragraphs from a
deterministic generator of plausible sentences, under subheadings), three captioned and credited
pictures (the lead and two figures), three co-authors, a city and 50 published reader comments:
the heaviest page a spike usually hits. Run after
``load_demo`` as ``python -m bench.seed`` with the run's settings; it prints one JSON line with
the article's path and primary key, a city slug and a comment text to look for. Running it again
changes nothing.
"""

import json
import random
from datetime import timedelta

import django

SLUG = "ice-road-closes-early-readers-react"
COMMENT = "Comment {n}: the ice road to our village closed a week early again, and the ferry is not ready yet."
BODY_WORDS = 1500

# The generator's vocabulary: sentences are built from these in a fixed pseudo-random order.
SUBJECTS = [
    "The regional road service",
    "The head of the district",
    "A spokeswoman for the ferry company",
    "Shopkeepers in the villages",
    "The hospital in Kolyvan",
    "Parents of schoolchildren",
    "The weather service",
    "Drivers of the supply lorries",
    "The village council",
    "Fishermen on the river",
    "The governor's office",
    "Engineers from the bridge trust",
]
VERBS = [
    "said that",
    "warned that",
    "told our correspondent that",
    "confirmed on Tuesday that",
    "admitted that",
    "expects that",
    "wrote in a statement that",
    "reminded readers that",
]
CLAUSES = [
    "the crossing would stay shut until the ice is at least forty centimetres thick again",
    "the thaw came ten days earlier than in any winter since records began",
    "deliveries of bread and medicine now go by hovercraft twice a week",
    "the first ferry of the season is due in May, once the river is clear of ice",
    "the detour through the district centre adds almost three hours to every trip",
    "fuel prices in the shops along the river have risen by a fifth since the closure",
    "ambulances can still reach the far bank by the railway bridge, though slowly",
    "the school bus will collect children from the landing stage instead of the square",
    "inspectors measured the ice every morning and found it thinner each day",
    "the council has asked the region for money to build a permanent bridge",
    "the old pontoon cannot be used before the water level falls",
    "many families laid in flour, salt and tinned fish before the road closed",
    "a crew will mark safe paths across the ice for people on foot",
    "the post office will keep parcels at the landing until the crossing reopens",
]
FIGURE_CAPTIONS = [
    "The landing stage at Kolyvan, where the hovercraft now ties up twice a week.",
    "Lorries queue at the district centre for the long way round by the railway bridge.",
]
SUBHEADINGS = [
    "Waiting for the ferry",
    "Bread by hovercraft",
    "A bridge that was promised",
    "What readers told us",
    "The long way round",
]


def sentences(rng: random.Random):
    """An endless run of plausible sentences, the same for the same generator state."""
    while True:
        yield f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)}."


def body_blocks(images: list, words: int = BODY_WORDS) -> list[tuple[str, object]]:
    """About ``words`` words of paragraphs under subheadings, with ``images`` as captioned, credited figures."""
    rng = random.Random(1928)
    source = sentences(rng)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        text = " ".join(next(source) for _ in range(rng.randint(3, 6)))
        paragraphs.append(text)
        count += len(text.split())
    blocks: list[tuple[str, object]] = []
    per_section = -(-len(paragraphs) // len(SUBHEADINGS))
    figures = list(images)
    for index, text in enumerate(paragraphs):
        if index and index % per_section == 0:
            section = index // per_section
            blocks.append(("subheading", SUBHEADINGS[section % len(SUBHEADINGS)]))
            if figures and section % 2:
                image = figures.pop(0)
                blocks.append(
                    (
                        "image",
                        {
                            "image": image,
                            "caption": FIGURE_CAPTIONS[(len(images) - len(figures) - 1) % len(FIGURE_CAPTIONS)],
                            "credit": "Photo: Olga Petrova for the Gazette",
                        },
                    )
                )
        blocks.append(("paragraph", f"<p>{text}</p>"))
    return blocks


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
            lead_caption="The ice crossing at Kolyvan on its last open day, ten days before the usual date.",
            lead_credit="Photo: Igor Vasiliev for the Gazette",
            body=body_blocks(images[1:3]),
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
