"""What the search tests read and write: a story with a plain body, and a results page's headlines."""

import re

from tests.factories import make_article

URL = "/search/"
HEADLINE = re.compile(r'<h3 class="search-hit__headline"><a href="[^"]*">(.*?)</a></h3>')


def story(title, body="<p>Nothing else happened.</p>", standfirst="A short report.", **fields):
    """A story with no picture whose body is one paragraph (``body`` is its HTML)."""
    return make_article(title=title, standfirst=standfirst, lead_image=None, body=[("paragraph", body)], **fields)


def page_of(client, query, **params) -> tuple[list[str], str]:
    """The headlines a results page lists, in order and without their highlights, and its HTML."""
    response = client.get(URL, {"q": query, **params})
    assert response.status_code == 200
    html = response.content.decode()
    return [re.sub(r"</?mark>", "", h) for h in HEADLINE.findall(html)], html
