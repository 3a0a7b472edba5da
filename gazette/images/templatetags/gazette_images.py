"""``{% picture_for image "lead" %}``: a responsive <picture> (WebP with a JPEG fallback).

Width and height are always set so the layout does not jump while pictures load; pictures
below the fold are lazy-loaded (``eager=True`` for the lead picture).
"""

from django import template
from django.utils.html import format_html, format_html_join

from .. import credits
from ..renditions import FORMATS, LAYOUTS, filter_specs

register = template.Library()


@register.simple_tag
def credit_line(credit, pictures=1):
    """``Picture: X`` / ``Pictures: X`` (see :mod:`gazette.images.credits`); ``pictures`` is how
    many pictures the credit is under (an unset value counts as one)."""
    return credits.credit_line(credit, int(pictures or 1))


@register.simple_tag
def prefetch_pictures(page):
    """Load every picture of ``page`` and its renditions at once (pages that define it)."""
    prefetch = getattr(page, "prefetch_pictures", None)
    if prefetch is not None:
        prefetch()
    return ""


@register.simple_tag
def picture_for(image, layout="inline", eager=False, alt=None):
    if image is None:
        return ""
    widths, sizes = LAYOUTS[layout]
    specs = filter_specs(layout)
    renditions = image.get_renditions(*specs)
    by_format = {fmt: [renditions[f"width-{w}|format-{fmt}"] for w in widths] for fmt in FORMATS}
    fallback = by_format["jpeg"][-1]

    def srcset(rends):
        # A picture narrower than a layout width comes back at its own width more than once; a
        # srcset may name each width only once (HTML's rule, which the Nu checker enforces).
        by_width = {}
        for r in rends:
            by_width.setdefault(r.width, r)
        return ", ".join(f"{r.url} {r.width}w" for r in by_width.values())

    sources = format_html_join(
        "",
        '<source type="image/{}" srcset="{}" sizes="{}">',
        ((fmt, srcset(by_format[fmt]), sizes) for fmt in FORMATS if fmt != "jpeg"),
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}"'
        ' decoding="async"></picture>',
        sources,
        fallback.url,
        srcset(by_format["jpeg"]),
        sizes,
        fallback.width,
        fallback.height,
        image.default_alt_text if alt is None else alt,
        "eager" if eager else "lazy",
    )
