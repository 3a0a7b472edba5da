"""Production settings where each search client has an address of its own, as behind a proxy.

On loopback every wrk connection comes from 127.0.0.1. The flood names one of its clients'
addresses in each request (``X-Bench-Client``) and the rate limit reads that header, as it would
read the address a proxy in front passes on: fifty clients, each held to ``GAZETTE_SEARCH_RATE``,
with the per-process cap on top.
"""

from .settings import *

RATELIMIT_IP_META_KEY = "HTTP_X_BENCH_CLIENT"
