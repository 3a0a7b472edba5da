"""The file-based cache, with culling that does not grow with the cache.

Django's ``FileBasedCache`` lists every file of its directory on every ``set`` to decide whether
to cull. On a site serving from that cache (the embedded default), a crawler requesting pages
nobody has seen stores a page and its fragments per request, so each request listed a few more
files than the last: measured in-process, a cold article cost 19 ms of CPU over the first 200
distinct pages and 35 ms over the next 200, most of it listing the directory.
"""

from __future__ import annotations

from django.core.cache.backends import filebased


class FileBasedCache(filebased.FileBasedCache):
    """Django's file cache that counts its entries once per ``CULL_EVERY`` writes (an option).

    Between two counts a process's writes can overshoot ``MAX_ENTRIES`` by at most
    ``CULL_EVERY`` entries per thread; the default, a hundredth of ``MAX_ENTRIES``, keeps that
    small while making the listing's cost per write constant.
    """

    def __init__(self, dir, params):
        super().__init__(dir, params)
        options = params.get("OPTIONS", {})
        self._cull_every = max(1, int(options.get("CULL_EVERY", self._max_entries // 100)))
        # The first write of a new process counts, so a full cache is culled at once.
        self._writes_since_count = self._cull_every

    def _cull(self):
        self._writes_since_count += 1
        if self._writes_since_count < self._cull_every:
            return
        self._writes_since_count = 0
        super()._cull()
