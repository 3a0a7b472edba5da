"""How the WXR parser scales: time and peak Python memory for a large export, streamed
(gazette.wordpress.parser, two iterparse passes) against loading the whole tree at once
(defusedxml ElementTree.parse, the baseline). Prints figures; asserts nothing.

Run: .venv/bin/python bench/wordpress_parse.py [copies]  (default 40 copies of the theme unit
test data's items, about 24 MB).
"""

import re
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from defusedxml import ElementTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazette.wordpress.parser import iter_items, read_channel

SOURCE = ROOT / "tests" / "fixtures" / "wxr" / "themeunittestdata.wordpress.xml"


def build(copies: int, target: Path) -> int:
    text = SOURCE.read_text(encoding="utf-8")
    head, rest = text.split("<item>", 1)
    items, tail = rest.rsplit("</item>", 1)
    items = "<item>" + items + "</item>"
    with target.open("w", encoding="utf-8") as out:
        out.write(head)
        for n in range(copies):
            out.write(
                re.sub(
                    r"<wp:post_id>(\d+)</wp:post_id>",
                    lambda m, n=n: f"<wp:post_id>{int(m.group(1)) + n * 100000}</wp:post_id>",
                    items,
                )
            )
        out.write(tail)
    return target.stat().st_size


def measure(fn):
    """Wall time of one untraced run, then peak traced memory of a second run (tracing slows
    allocation-heavy code, so the two are measured apart)."""
    started = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, elapsed, peak


def streamed(path: Path) -> int:
    channel = read_channel(path)
    return len(channel.attachments) + sum(1 for _ in iter_items(path))


def whole_tree(path: Path) -> int:
    return len(ElementTree.parse(str(path)).getroot().findall("./channel/item"))


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.xml"
        size = build(copies, path)
        posts, t_stream, m_stream = measure(lambda: streamed(path))
        items, t_tree, m_tree = measure(lambda: whole_tree(path))
    print(f"export: {size / 1e6:.1f} MB, {items} items ({copies} copies of the theme unit test data)")
    print(f"baseline, whole tree:   {t_tree:6.2f} s, peak {m_tree / 1e6:7.1f} MB")
    print(
        f"streamed, two passes:   {t_stream:6.2f} s, peak {m_stream / 1e6:7.1f} MB ({posts} posts + attachments read)"
    )
    print(f"ratio streamed/baseline: time {t_stream / t_tree:.2f}x, peak memory {m_stream / m_tree:.3f}x")


if __name__ == "__main__":
    main()
