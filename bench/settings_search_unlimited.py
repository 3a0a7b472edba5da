"""Production settings with neither search limit: what a search flood costs unprotected (for comparison)."""

from .settings import *

GAZETTE_SEARCH_RATE = None
GAZETTE_SEARCH_CONCURRENCY = None
