"""A synthetic WordPress export (WXR 1.2) of any size, shaped like the real ones in
tests/fixtures/wxr: for the import benchmark (bench/import_bench.py).

N posts (default 100,000), about 3N comments of which about a third are replies, N/20 picture
attachments (every one a post's featured image), 200 authors, one post in ten by two of them
(Co-Authors Plus terms). Post and comment lengths are drawn from the lengths of the posts and
comments in the real exports, and their words from the same text, so the parser and the body
converter see the markup and sizes they meet in practice. Seeded: the same N gives the same file.

Run: .venv/bin/python bench/wxr_generator.py OUT.xml [--posts N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazette.wordpress.parser import iter_items

SOURCES = sorted((ROOT / "tests" / "fixtures" / "wxr").glob("*.xml"))
SITE = "https://bench.example.org"
AUTHORS = 200
POST_STATES = [("publish", 90), ("draft", 5), ("private", 3), ("pending", 2)]
COMMENT_STATES = [("1", 80), ("0", 10), ("spam", 7), ("trash", 3)]
PING_SHARE = 0.02
REPLY_SHARE = 0.45  # of the comments after a post's first: about a third of all comments
THUMBNAIL = "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>{id}</wp:meta_value></wp:postmeta>"
_TAG_RE = re.compile(r"<[^>]+>|\[[^\]]+\]")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]{1,}")


@dataclass
class Shapes:
    """What the real exports look like: words, and lengths in words of posts and comments."""

    words: list[str]
    post_lengths: list[int]
    comment_lengths: list[int]
    paragraph_words: int


def real_shapes() -> Shapes:
    words: list[str] = []
    post_lengths: list[int] = []
    comment_lengths: list[int] = []
    for source in SOURCES:
        for item in iter_items(source, frozenset({"post", "page"})):
            text = _TAG_RE.sub(" ", item.content)
            found = _WORD_RE.findall(text)
            words.extend(found)
            if found:
                post_lengths.append(len(found))
            for comment in item.comments:
                said = _WORD_RE.findall(_TAG_RE.sub(" ", comment.content))
                words.extend(said)
                if said:
                    comment_lengths.append(len(said))
    return Shapes(words=words, post_lengths=post_lengths, comment_lengths=comment_lengths or [25], paragraph_words=60)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _text(rng: random.Random, shapes: Shapes, n: int) -> str:
    return " ".join(rng.choices(shapes.words, k=max(1, n)))


def _body(rng: random.Random, shapes: Shapes, picture: str) -> str:
    length = rng.choice(shapes.post_lengths)
    paragraphs = []
    while length > 0:
        n = min(length, rng.randint(20, 2 * shapes.paragraph_words))
        paragraphs.append(_text(rng, shapes, n) + ".")
        length -= n
    if picture:
        paragraphs.insert(min(1, len(paragraphs)), picture)
    if len(paragraphs) > 3 and rng.random() < 0.3:
        paragraphs.insert(2, f"<h2>{_text(rng, shapes, 4).capitalize()}</h2>")
    return "\n\n".join(paragraphs)


def _comment(rng: random.Random, shapes: Shapes, comment_id: int, parent: int, when: datetime) -> str:
    ping = rng.random() < PING_SHARE
    approved = "1" if ping else _weighted(rng, COMMENT_STATES)
    reader = rng.randint(1, 20000)
    stamp = when.strftime("%Y-%m-%d %H:%M:%S")
    ip = (
        f"::ffff:10.{reader % 250}.{reader // 250 % 250}.{comment_id % 250}"
        if reader % 10 == 0
        else (f"10.{reader % 250}.{reader // 250 % 250}.{comment_id % 250}")
    )
    return f"""
		<wp:comment>
			<wp:comment_id>{comment_id}</wp:comment_id>
			<wp:comment_author>{_cdata("Ping from elsewhere" if ping else f"Reader {reader}")}</wp:comment_author>
			<wp:comment_author_email>{"" if ping else f"reader{reader}@example.net"}</wp:comment_author_email>
			<wp:comment_author_url>{"https://elsewhere.example.net/" if ping else ""}</wp:comment_author_url>
			<wp:comment_author_IP>{ip}</wp:comment_author_IP>
			<wp:comment_date>{stamp}</wp:comment_date>
			<wp:comment_date_gmt>{stamp}</wp:comment_date_gmt>
			<wp:comment_content>{_cdata(_text(rng, shapes, rng.choice(shapes.comment_lengths)))}</wp:comment_content>
			<wp:comment_approved>{approved}</wp:comment_approved>
			<wp:comment_type>{"pingback" if ping else ""}</wp:comment_type>
			<wp:comment_parent>{0 if ping else parent}</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
		</wp:comment>"""


def write(out: Path, posts: int = 100_000, seed: int = 1) -> dict[str, int]:
    """Write the export to ``out``; returns what it holds (posts, comments, replies, attachments)."""
    rng = random.Random(seed)
    shapes = real_shapes()
    counts = {"posts": 0, "comments": 0, "replies": 0, "attachments": 0, "co-authored": 0}
    start = datetime(2009, 1, 1, tzinfo=UTC)
    step = (datetime(2025, 1, 1, tzinfo=UTC) - start) / max(posts, 1)
    comment_id = 0
    with out.open("w", encoding="utf-8") as f:
        f.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"\n'
            '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            '\txmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            f"\t<title>Bench Courier</title>\n\t<link>{SITE}</link>\n\t<language>en-US</language>\n"
            f"\t<wp:wxr_version>1.2</wp:wxr_version>\n\t<wp:base_site_url>{SITE}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{SITE}</wp:base_blog_url>\n"
        )
        for a in range(1, AUTHORS + 1):
            first, last = rng.choice(shapes.words).capitalize(), rng.choice(shapes.words).capitalize()
            f.write(
                f"\t<wp:author><wp:author_id>{a}</wp:author_id><wp:author_login>{_cdata(f'writer{a}')}</wp:author_login>"
                f"<wp:author_email>{_cdata(f'writer{a}@bench.example.org')}</wp:author_email>"
                f"<wp:author_display_name>{_cdata(f'{first} {last}son')}</wp:author_display_name>"
                f"<wp:author_first_name>{_cdata(first)}</wp:author_first_name>"
                f"<wp:author_last_name>{_cdata(last + 'son')}</wp:author_last_name></wp:author>\n"
            )
        wp_id = 0
        for n in range(posts):
            when = start + step * n
            wp_id += 1
            post_id = wp_id
            picture = ""
            attachment = ""
            if n % 20 == 0:
                wp_id += 1
                name = f"{when:%Y/%m}/picture-{wp_id}.jpg"
                url = f"{SITE}/wp-content/uploads/{name}"
                alt, caption = escape(_text(rng, shapes, 4)), escape(_text(rng, shapes, 8))
                picture = (
                    f'[caption id="attachment_{wp_id}" align="alignnone" width="800"]<img src="{url}" alt="{alt}" '
                    f'width="800" height="600" class="size-full wp-image-{wp_id}" /> {caption}[/caption]'
                )
                attachment = f"""
	<item>
		<title>{escape(_text(rng, shapes, 3))}</title>
		<link>{SITE}/?attachment_id={wp_id}</link>
		<dc:creator>{_cdata(f"writer{n % AUTHORS + 1}")}</dc:creator>
		<guid isPermaLink="false">{url}</guid>
		<content:encoded>{_cdata("")}</content:encoded>
		<excerpt:encoded>{_cdata(_text(rng, shapes, 8))}</excerpt:encoded>
		<wp:post_id>{wp_id}</wp:post_id>
		<wp:post_date>{when:%Y-%m-%d %H:%M:%S}</wp:post_date>
		<wp:post_date_gmt>{when:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>
		<wp:post_name>picture-{wp_id}</wp:post_name>
		<wp:status>inherit</wp:status>
		<wp:post_parent>{post_id}</wp:post_parent>
		<wp:post_type>attachment</wp:post_type>
		<wp:attachment_url>{url}</wp:attachment_url>
		<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>{_cdata(name)}</wp:meta_value></wp:postmeta>
		<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>
			<wp:meta_value>{_cdata(_text(rng, shapes, 5))}</wp:meta_value></wp:postmeta>
	</item>"""
                counts["attachments"] += 1
            title = _text(rng, shapes, rng.randint(4, 11)).capitalize()
            slug = f"story-{post_id}"
            author = rng.randint(1, AUTHORS)
            terms = f'<category domain="category" nicename="section-{n % 30}">{_cdata(f"Section {n % 30}")}</category>'
            if rng.random() < 0.1:
                other = author % AUTHORS + 1
                counts["co-authored"] += 1
                terms += (
                    f'<category domain="author" nicename="cap-writer{author}">{_cdata(f"writer{author}")}</category>'
                    f'<category domain="author" nicename="cap-writer{other}">{_cdata(f"writer{other}")}</category>'
                )
            comments = []
            ids: list[int] = []
            for i in range(rng.randint(0, 6)):
                comment_id += 1
                parent = rng.choice(ids) if ids and rng.random() < REPLY_SHARE else 0
                comments.append(_comment(rng, shapes, comment_id, parent, when + timedelta(hours=i + 1)))
                ids.append(comment_id)
                counts["comments"] += 1
                counts["replies"] += bool(parent)
            f.write(f"""
	<item>
		<title>{escape(title)}</title>
		<link>{SITE}/{when:%Y/%m/%d}/{slug}/</link>
		<pubDate>{when:%a, %d %b %Y %H:%M:%S +0000}</pubDate>
		<dc:creator>{_cdata(f"writer{author}")}</dc:creator>
		<guid isPermaLink="false">{SITE}/?p={post_id}</guid>
		<description></description>
		<content:encoded>{_cdata(_body(rng, shapes, picture))}</content:encoded>
		<excerpt:encoded>{_cdata("")}</excerpt:encoded>
		<wp:post_id>{post_id}</wp:post_id>
		<wp:post_date>{when:%Y-%m-%d %H:%M:%S}</wp:post_date>
		<wp:post_date_gmt>{when:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>
		<wp:comment_status>open</wp:comment_status>
		<wp:post_name>{slug}</wp:post_name>
		<wp:status>{_weighted(rng, POST_STATES)}</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:post_type>post</wp:post_type>
		{terms}
		{THUMBNAIL.format(id=post_id + 1) if attachment else ""}
		{"".join(comments)}
	</item>{attachment}""")
            counts["posts"] += 1
        f.write("\n</channel>\n</rss>\n")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="Where to write the export.")
    parser.add_argument("--posts", type=int, default=100_000, help="How many posts (default 100,000).")
    parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
    args = parser.parse_args()
    counts = write(args.out, args.posts, args.seed)
    size = args.out.stat().st_size / 1e6
    print(", ".join(f"{n} {what}" for what, n in counts.items()) + f"; {size:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
