"""The stored files of CSV batches, as the jobs that read them chunk by chunk see them.

A batch of 100,000 rows is read by a hundred jobs, and each needs the file; fetching and
checksumming 50 MB from the object store a hundred times would cost more than the rows. A
batch's file is stored under a key made of its SHA-256 (`<tenant>/batches/<sha256>.csv`), so
the bytes under a key never change: a worker process can keep the files it read last and
serve the next chunk from memory without any risk of serving stale content.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from application.ports import ObjectStore

#: How many files one worker process keeps: enough for a batch per busy worker thread.
DEFAULT_KEPT = 2


def batch_object_key(tenant_id: str, sha256: str) -> str:
    """Where a tenant's batch file with this content is stored: the same bytes, the same key."""
    return f"{tenant_id}/batches/{sha256}.csv"


class BatchFiles:
    """Reads batch files through the store, keeping the last `kept` in memory (thread-safe).

    Only keys made by `batch_object_key` may be read through it: their content is fixed by
    their name, which is what makes keeping them safe.
    """

    def __init__(self, store: ObjectStore, kept: int = DEFAULT_KEPT) -> None:
        if kept < 0:
            raise ValueError("a cache cannot keep a negative number of files")
        self._store = store
        self._kept = kept
        self._files: OrderedDict[str, bytes] = OrderedDict()
        self._loading: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def read(self, key: str) -> bytes:
        """The file's bytes; `ObjectNotFound` or `ObjectCorrupted` as the store raises them.

        Threads asking for one file at once fetch it once: the chunks of a new batch arrive
        together, and each would otherwise fetch the same file.
        """
        with self._lock:
            data = self._kept_file(key)
            if data is not None:
                return data
            loading = self._loading.setdefault(key, threading.Lock())
        with loading:  # a slow fetch holds up only the readers of the same file
            with self._lock:
                data = self._kept_file(key)  # fetched by the thread this one waited for
            if data is not None:
                return data
            try:
                data = self._store.get(key)
            finally:
                with self._lock:
                    self._loading.pop(key, None)
            with self._lock:
                if self._kept:
                    self._files[key] = data
                    while len(self._files) > self._kept:
                        self._files.popitem(last=False)
            return data

    def _kept_file(self, key: str) -> bytes | None:
        data = self._files.get(key)
        if data is not None:
            self._files.move_to_end(key)
        return data
