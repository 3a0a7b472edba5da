"""Pages of a newest-first listing that cost the same however large the archive is.

Django's ``Paginator`` counts every matching row (``COUNT(*)``) to print "Page 1 of N"; over an
archive of 100,000 stories that count is most of a listing's cost, and a reader paging through
the news never needs N: only whether there are older stories. A :class:`ListingPage` reads its
rows with one ``LIMIT per_page + 1`` query: the extra row, if it comes back, says an older page
exists. With the ordering served by an index the query stops after those rows, so the first
page costs the same at any archive size (a deep page skips ``OFFSET`` rows, a cost of the
page's number, not of the archive's size).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import Http404
from django.utils.translation import gettext

# Beyond any archive's last page; a larger number is refused before it reaches the database.
MAX_PAGE_NUMBER = 1_000_000


class ListingPage(Sequence):
    """One page of a listing: its objects, its number and whether a newer and an older page exist.

    Offers what ``components``' pagination templates read of Django's ``Page`` (``number``,
    ``has_previous``, ``has_next``, ``has_other_pages``, ``previous_page_number``,
    ``next_page_number``, ``object_list``), without ``paginator.num_pages``: the total is
    deliberately unknown.
    """

    def __init__(self, object_list: list, number: int, has_next: bool):
        self.object_list = object_list
        self.number = number
        self._has_next = has_next

    def __repr__(self):
        return f"<ListingPage {self.number}>"

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(value) -> int:
    """The page a ``?page=`` value asks for: a positive whole number, else the first page."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else 1


def listing_page(queryset, value, per_page: int) -> ListingPage:
    """The page ``value`` (a ``?page=`` parameter) of ``queryset``, ``per_page`` rows to a page.

    Raises ``Http404`` for a page past the last one (page 1 always exists, empty or not), so a
    crawler following made-up numbers meets a clear "not found" rather than endless empty pages.
    """
    number = page_number(value)
    if number > MAX_PAGE_NUMBER:
        raise Http404(gettext("There is no page %(number)s of this listing.") % {"number": number})
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1:
        raise Http404(gettext("There is no page %(number)s of this listing.") % {"number": number})
    return ListingPage(rows[:per_page], number, has_next=len(rows) > per_page)
