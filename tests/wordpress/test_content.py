"""The WordPress HTML -> article body conversion, on the markup WordPress really writes."""

from gazette.wordpress.content import autop, convert


class Picture:
    def __init__(self, pk):
        self.pk = pk


PICTURES = {7: Picture(7), 8: Picture(8), 9: Picture(9)}


def resolve(wp_id, src):
    if wp_id in PICTURES:
        return PICTURES[wp_id]
    return PICTURES[9] if src.endswith("/river.jpg") else None


def kinds(conversion):
    return [kind for kind, _value in conversion.blocks]


def test_classic_paragraphs_get_their_tags_and_line_breaks():
    assert autop("First line\nsecond line\n\nNext paragraph") == (
        "<p>First line<br />\nsecond line</p>\n<p>Next paragraph</p>"
    )
    conversion = convert("One.\n\nTwo <strong>bold</strong>.\n<ul>\n<li>item</li>\n</ul>", resolve)
    assert conversion.blocks[0] == ("paragraph", "<p>One.</p>")
    assert conversion.blocks[1] == ("paragraph", "<p>Two <strong>bold</strong>.</p>")
    assert conversion.blocks[2] == ("paragraph", "<ul>\n<li>item</li>\n</ul>")


def test_block_editor_comments_headings_quotes_and_unknown_markup():
    content = (
        "<!-- wp:heading --><h2>Ice report</h2><!-- /wp:heading -->\n"
        '<!-- wp:paragraph --><p class="has-color" style="color:red">Thin <span>ice</span> '
        '<a href="javascript:alert(1)">here</a> and <a href="https://example.org">there</a>.</p>'
        "<!-- /wp:paragraph -->\n"
        '<!-- wp:quote --><blockquote class="wp-block-quote"><p>Stay off the river.</p>'
        "<cite>The harbour master</cite></blockquote><!-- /wp:quote -->\n"
        '<!-- wp:group --><div class="wp-block-group"><marquee>Old <blink>tags</blink></marquee></div>'
        "<!-- /wp:group -->"
        '<iframe src="https://evil.example"></iframe><form><input name="q"></form>'
    )
    conversion = convert(content, resolve)
    assert kinds(conversion) == ["subheading", "paragraph", "quote", "paragraph"]
    assert conversion.blocks[0][1] == "Ice report"
    paragraph = conversion.blocks[1][1]
    assert paragraph == '<p>Thin ice <a>here</a> and <a href="https://example.org">there</a>.</p>'
    assert conversion.blocks[2][1] == {"quote": "Stay off the river.", "attribution": "The harbour master"}
    assert conversion.blocks[3][1] == "<p>Old tags</p>"
    assert conversion.dropped == {"<iframe>": 1, "<form>": 1}


def test_captions_galleries_and_pictures_not_in_the_export():
    content = (
        '[caption id="attachment_7" align="aligncenter" width="640"]<img src="https://x.org/a.jpg" '
        'class="size-full wp-image-7" /> The ferry at dawn[/caption]\n\n'
        '[caption id="" align="alignnone" caption="Old style caption"]'
        '<img src="https://x.org/river.jpg" />[/caption]\n\n'
        '[gallery ids="7,8"]\n\n'
        "[gallery]\n\n"
        '<figure class="wp-block-image"><img src="https://x.org/unknown.jpg" alt=""/>'
        "<figcaption>Gone</figcaption></figure>"
        '\n\n[audio mp3="https://x.org/a.mp3"][/audio] Footnote [1] stays.'
    )
    conversion = convert(content, resolve, own_images=lambda: [PICTURES[8], PICTURES[9]])
    assert kinds(conversion) == ["image", "image", "image_group", "image_group", "paragraph", "paragraph"]
    assert conversion.blocks[0][1] == {"image": PICTURES[7], "caption": "The ferry at dawn", "credit": ""}
    assert conversion.blocks[1][1]["caption"] == "Old style caption"
    assert conversion.blocks[1][1]["image"] is PICTURES[9]
    assert conversion.blocks[2][1]["images"] == [PICTURES[7], PICTURES[8]]
    assert conversion.blocks[3][1]["images"] == [PICTURES[8], PICTURES[9]]
    # A picture that was not imported stays linked on the old site, under its caption, and is counted.
    assert conversion.blocks[4][1] == '<p><a href="https://x.org/unknown.jpg">Gone</a></p>'
    assert conversion.linked_images == ["https://x.org/unknown.jpg"]
    assert conversion.missing_images == []
    assert conversion.blocks[5][1] == "<p>Footnote [1] stays.</p>"
    assert conversion.dropped == {"[audio]": 1}


def test_empty_content_has_no_blocks():
    assert convert("", resolve).blocks == []
    assert convert("<p>&nbsp;</p>\n<!-- wp:spacer --><div></div>", resolve).blocks == []
