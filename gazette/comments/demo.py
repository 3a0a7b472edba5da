"""Demo reader comments (written for the demo; no real people). Idempotent: keyed by external_id."""

from datetime import timedelta

from .choices import CommentSource, CommentStatus
from .identity import commenter_key
from .models import ReaderComment
from .services import decide, reason_codes, rules_for

# (article slug, key, name, location, hours after publication, status, text). Each is scored and
# given its reasons by the pipeline a reader's comment goes through (:func:`services.decide`), as a
# first comment: the published ones were held as first comments, then approved.
COMMENTS = [
    (
        "secret-train-through-five-siberian-cities",
        "train-1",
        "Galina",
        "Omsk",
        5,
        CommentStatus.PUBLISHED,
        "My grandmother spoke of a train that stopped at night and left before dawn.\n\n"
        "Nobody in the village knew where it went. Thank you for finding the papers.",
    ),
    (
        "secret-train-through-five-siberian-cities",
        "train-2",
        "Sergei",
        "Tomsk",
        30,
        CommentStatus.PUBLISHED,
        "The timetable in the second picture lists Taiga station a day earlier than the text says. Which one is right?",
    ),
    (
        "secret-train-through-five-siberian-cities",
        "train-3",
        "Anna",
        "Taiga",
        33,
        CommentStatus.PUBLISHED,
        "The station book in Taiga has the earlier date too: the text follows the railway's own summary.",
    ),
    (
        "novosibirsk-opera-house-dome-repainted",
        "opera-1",
        "Lev",
        "Novosibirsk",
        2,
        CommentStatus.PUBLISHED,
        "Walked past this morning. The dome shines again, good work by the restorers.",
    ),
    (
        "barnaul-bakers-revive-rye-loaf",
        "bread-1",
        "Marina",
        "Biysk",
        4,
        CommentStatus.PENDING,
        "Best rye flour at discount prices, order now at rye-flour-discount.example.com",
    ),
]

# Replies: key -> the key of the comment it answers.
REPLIES = {"train-3": "train-2"}


def load_demo_comments(comments=None, replies=None) -> int:
    """Add the demo comments whose article exists; returns how many were created.

    ``comments`` and ``replies`` are in the shapes of :data:`COMMENTS` and :data:`REPLIES`
    (the default: these English ones); the Russian demo passes its own.
    """
    from gazette.articles.models import ArticlePage

    comments = COMMENTS if comments is None else comments
    replies = REPLIES if replies is None else replies
    created = 0
    for slug, key, name, location, hours, status, text in comments:
        article = ArticlePage.objects.filter(slug=slug).first()
        if (
            article is None
            or ReaderComment.objects.filter(source=CommentSource.WEB, external_id=f"demo-{key}").exists()
        ):
            continue
        at = (article.first_published_at or article.latest_revision_created_at) + timedelta(hours=hours)
        decision = decide(text, approved=0, rules=rules_for(article), article_age_days=hours / 24)
        ReaderComment.objects.create(
            article=article,
            author_name=name,
            author_location=location,
            email_hash=commenter_key(f"{key}@demo.invalid"),
            body=text,
            status=status,
            scores=decision.scores,
            reasons=decision.reasons,
            reason_codes=reason_codes(decision.reasons),
            model_version=decision.model_version,
            created_at=at,
            published_at=at if status == CommentStatus.PUBLISHED else None,
            external_id=f"demo-{key}",
            parent=ReaderComment.objects.filter(
                source=CommentSource.WEB, external_id=f"demo-{replies.get(key, '')}"
            ).first()
            if key in replies
            else None,
        )
        created += 1
    return created
