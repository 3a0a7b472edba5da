"""StreamField blocks of an article body.

Every picture block lets the editor override the image's default caption and credit; the
templates fall back to the values stored on the image itself.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from .choices import ArticleLanguage

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class SubheadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "articles/blocks/subheading.html"
        form_classname = "title"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, help_text=_("Who said or wrote it."))
    language = blocks.ChoiceBlock(
        choices=ArticleLanguage.choices,
        required=False,
        help_text=_("The quotation's language, when it is not the article's."),
    )

    class Meta:
        icon = "openquote"
        template = "articles/blocks/quote.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.TextBlock(required=False, help_text=_("Leave empty to use the image's own caption."))
    credit = blocks.CharBlock(required=False, help_text=_("Leave empty to use the image's own credit."))

    class Meta:
        icon = "image"
        template = "articles/blocks/figure.html"


class ImageGroupBlock(blocks.StructBlock):
    """Two or more pictures with one shared caption, e.g. '... (top). ... (bottom).'"""

    images = blocks.ListBlock(ImageChooserBlock(), min_num=2, max_num=8)
    caption = blocks.TextBlock(help_text=_("One caption for the group; say which picture is which."))
    credit = blocks.CharBlock(
        required=False, help_text=_("Leave empty to list the pictures' own credits, e.g. 'Pictures: ...'.")
    )

    class Meta:
        icon = "image"
        template = "articles/blocks/image_group.html"


class DocumentBlock(blocks.StructBlock):
    """A reproduced document (a letter, an order): its picture and a transcription."""

    image = ImageChooserBlock()
    title = blocks.CharBlock(required=False)
    transcription = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    caption = blocks.TextBlock(required=False)
    credit = blocks.CharBlock(required=False)

    class Meta:
        icon = "doc-full"
        template = "articles/blocks/document.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="articles/blocks/paragraph.html")
    subheading = SubheadingBlock()
    quote = QuoteBlock()
    image = FigureBlock()
    image_group = ImageGroupBlock()
    document = DocumentBlock()
