"""The uncached article with nothing remembered at all: no page cache and no fragments.

Every request renders everything from the database, as right after a deploy with an empty cache
(or as Gazette would without its fragment cache). Reported next to the uncached figure so the
share of the fragments in it is visible.
"""

from .settings_uncached import *

GAZETTE_FRAGMENT_CACHE = False
