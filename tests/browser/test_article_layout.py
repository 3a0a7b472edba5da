"""In Chromium: the framed comment form is as tall as the form, with no empty gap under it."""

import pytest

from tests.browser.conftest import screenshots
from tests.comments.conftest import ensure_migrated_data
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_GAP = 48  # px between the form's last control and what follows the frame on the article

LOADED = """() => {
  const frame = document.querySelector('iframe.comments__frame');
  return frame && frame.contentDocument && frame.contentDocument.readyState === 'complete';
}"""
# True once the frame has taken the height of the form page's content.
FITTED = """() => {
  const frame = document.querySelector('iframe.comments__frame');
  const main = frame && frame.contentDocument && frame.contentDocument.getElementById('main');
  if (!main || frame.contentDocument.readyState !== 'complete') return false;
  const content = main.getBoundingClientRect().bottom + frame.contentWindow.scrollY;
  return Math.abs(frame.getBoundingClientRect().height - Math.ceil(content)) <= 1;
}"""


def _gap_under_the_form(page) -> float:
    """Pixels from the bottom of the form's last button (in the frame) to the top of the next
    element after the frame on the article page."""
    frame_box = page.locator("iframe.comments__frame").bounding_box()
    frame = page.frame_locator("iframe.comments__frame")
    last_control = frame.locator(".comment-form__buttons button").last
    last_control.wait_for()
    control_box = last_control.bounding_box()  # page coordinates, frame offset included
    next_box = page.locator("iframe.comments__frame + *").bounding_box()
    assert control_box["y"] >= frame_box["y"]
    # The whole form is inside the frame: nothing is cut off or scrolls inside it.
    assert control_box["y"] + control_box["height"] <= frame_box["y"] + frame_box["height"]
    return next_box["y"] - (control_box["y"] + control_box["height"])


@pytest.mark.parametrize("width", [375, 1280])
def test_no_empty_gap_under_the_comment_form(live_server, page, width):
    ensure_migrated_data()
    article = make_article(title="Ferry season ends early")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + article.url)
    page.locator("iframe.comments__frame").scroll_into_view_if_needed()
    page.wait_for_function(LOADED)
    gap = _gap_under_the_form(page)
    assert 0 <= gap < MAX_GAP, f"{gap:.0f} px of empty space under the comment form at {width} px"
    if width == 1280:
        screenshots(page, "article-comment-form")
        # Both widths in one page: the frame follows the form when the window narrows.
        page.set_viewport_size({"width": 375, "height": 900})
        page.wait_for_function(FITTED)
        assert 0 <= _gap_under_the_form(page) < MAX_GAP
