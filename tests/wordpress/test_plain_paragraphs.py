"""A paragraph of plain text and line breaks is converted without Wagtail's rich text
whitelister, and comes out exactly as it does through the whitelister."""

import re

import pytest

from gazette.wordpress import content

PLAIN = [
    "<p>The last ferry crossed on Saturday.</p>",
    "<p>\"Ice,\" she said, 'is early' > late; 3 > 2</p>",
    "<p>First line<br>second line<br/>third<br />fourth<br  />fifth</p>",
    "<p>Москва — Санкт-Петербург: 700 км</p>",
    "<p>  spaces   inside\tand a tab  </p>",
    "<p>Ends with a break<br /></p>",
    "<p><br>Starts with a break</p>",
    'It\'s "early" > late\nsecond line\n\nA new paragraph',
]
# Markup the shortcut leaves to the whitelister: tags other than breaks, attributes.
MARKED_UP = [
    "<p>A <strong>bold</strong> <a href='https://example.org/?a=1&b=2'>link</a></p>",
    '<p class="intro">With a class</p>',
    "<p>A break<br>and <em>emphasis</em> &amp; more</p>",
]


def no_images(wp_id, src):
    return None


def whitelisted(markup, monkeypatch):
    """The blocks of ``markup`` with every paragraph sent through the whitelister."""
    with monkeypatch.context() as patched:
        patched.setattr(content, "_TEXT_PARAGRAPH_RE", re.compile(r"(?!)"))
        return content.convert(markup, no_images).blocks


def counting_whitelister(monkeypatch):
    calls = []
    real = content._rich_text.to_database_format

    def to_database_format(markup):
        calls.append(markup)
        return real(markup)

    monkeypatch.setattr(content._rich_text, "to_database_format", to_database_format)
    return calls


@pytest.mark.parametrize("markup", PLAIN)
def test_a_plain_paragraph_skips_the_whitelister_with_the_same_result(markup, monkeypatch):
    expected = whitelisted(markup, monkeypatch)
    calls = counting_whitelister(monkeypatch)

    blocks = content.convert(markup, no_images).blocks

    assert blocks == expected
    assert blocks
    assert calls == []


@pytest.mark.parametrize("markup", MARKED_UP)
def test_a_paragraph_with_markup_goes_through_the_whitelister(markup, monkeypatch):
    expected = whitelisted(markup, monkeypatch)
    calls = counting_whitelister(monkeypatch)

    blocks = content.convert(markup, no_images).blocks

    assert blocks == expected
    assert len(calls) == 1


def test_quotes_are_escaped_as_the_whitelister_escapes_them():
    blocks = content.convert("<p>\"Ice,\" she said, 'is early' > late</p>", no_images).blocks

    assert blocks == [("paragraph", "<p>&quot;Ice,&quot; she said, &#x27;is early&#x27; &gt; late</p>")]
