"""Production settings without the per-address search rate: many clients, each under the limit.

On loopback every wrk connection comes from 127.0.0.1, so the rate limit would turn the whole
flood away after a few searches. This server stands for 50 clients from 50 addresses: only
the per-process cap on concurrent searches (``GAZETTE_SEARCH_CONCURRENCY``) protects it.
"""

from .settings import *

GAZETTE_SEARCH_RATE = None
