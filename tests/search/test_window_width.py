"""How wide the next window of periods a PostgreSQL search reads is, from what the windows before found."""

import pytest

from gazette.search.index import MAX_WINDOW_PERIODS, window_width


def test_a_window_holds_what_the_matches_so_far_say_is_needed_with_some_to_spare():
    # 200 matches a period so far, 790 wanted: four periods would hold 800, five are read.
    assert window_width(790, 232, 1.16, 19) == 5


def test_nothing_found_yet_doubles_what_was_read():
    assert window_width(1001, 0, 0.3, 40) == 2
    assert window_width(1001, 0, 2.3, 40) == 6


@pytest.mark.parametrize(
    ("wanted", "found", "read", "left"),
    [
        (985, 16, 1.0, 20),  # a rare word: the rest holds about 320, fewer than wanted
        (100, 50, 1.0, 3),  # the window would reach the oldest period anyway
        (1001, 0, 7.0, 40),  # nothing found in seven periods: fourteen would be too many
        (1001, 10, 1.0, 500),  # one match a period: over a hundred periods needed
    ],
)
def test_the_rest_is_read_at_once_when_a_window_would_not_save_reading(wanted, found, read, left):
    assert window_width(wanted, found, read, left) is None


def test_a_window_never_spans_more_than_the_limit():
    for found in range(1, 2000, 7):
        width = window_width(1001, found, 1.0, 10_000)
        assert width is None or 1 <= width <= MAX_WINDOW_PERIODS
