"""The shared cache of one machine without Redis: Django's file cache, culled less often.

Django's ``FileBasedCache`` lists its whole folder on every ``set`` and, past
``MAX_ENTRIES`` (default 300), deletes a random third of the entries. The dashboard keeps a
few panels per user and the write watcher a version per table (ADR 0011): with 50 users
the folder passed 300 entries, every write statement listed the folder and each cull threw
away versions and kept figures alike (the load benchmark's p95 went from 0.7 s to 3.2 s).
This one allows many more entries and looks at the folder at most once a minute per process;
expired entries are removed when read, as before.
"""

from __future__ import annotations

import time

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY_SECONDS = 60.0


class FileCache(FileBasedCache):
    _culled_at = 0.0

    def _cull(self) -> None:
        now = time.monotonic()
        if now - self._culled_at < CULL_EVERY_SECONDS:
            return
        self._culled_at = now
        super()._cull()
