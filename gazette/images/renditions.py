"""The renditions Gazette's templates use, and their generation ahead of a reader's request.

Wagtail renders a rendition the first time a template asks for it, which on a busy site means
a reader's request waits for Pillow. Gazette generates every size a template can ask for when
an image is saved or an article using it is published (:func:`warm_renditions`).
"""

from collections.abc import Iterable

WIDTHS = (320, 640, 960, 1280)
FORMATS = ("webp", "jpeg")

# layout name -> (widths, sizes attribute)
LAYOUTS: dict[str, tuple[tuple[int, ...], str]] = {
    "lead": (WIDTHS, "(min-width: 60rem) 44rem, 100vw"),
    "inline": (WIDTHS, "(min-width: 60rem) 44rem, 100vw"),
    "group": ((320, 640, 960), "(min-width: 60rem) 44rem, 100vw"),
    "teaser": ((320, 640), "(min-width: 40rem) 12rem, 100vw"),
    "thumb": ((160, 320), "6rem"),
}


def filter_specs(layout: str) -> list[str]:
    widths, _sizes = LAYOUTS[layout]
    return [f"width-{w}|format-{fmt}" for fmt in FORMATS for w in widths]


ALL_SPECS = sorted({spec for layout in LAYOUTS for spec in filter_specs(layout)})


def warm_renditions(images: Iterable) -> int:
    """Create every rendition the templates may ask for; returns how many images were done."""
    done = 0
    for image in images:
        if image is None:
            continue
        try:
            image.get_renditions(*ALL_SPECS)
        except Exception:  # a broken file must not stop the others
            import logging

            logging.getLogger(__name__).exception("Could not render image %s", image.pk)
            continue
        done += 1
    return done
