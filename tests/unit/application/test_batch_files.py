"""Batch files are fetched from the store once per worker process while they are in use."""

from __future__ import annotations

import threading
import time

import pytest

from application.credit.batch_files import BatchFiles, batch_object_key
from application.ports import ObjectNotFound
from tests.fakes import InMemoryObjectStore


class CountingStore(InMemoryObjectStore):
    """The fake store, counting reads, each taking a little while (as a real fetch does)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[str] = []

    def get(self, key: str) -> bytes:
        self.reads.append(key)
        time.sleep(0.01)
        return super().get(key)


def test_a_file_is_fetched_once_and_the_oldest_is_let_go() -> None:
    store = CountingStore()
    keys = [batch_object_key("tenant-a", digest) for digest in ("aa", "bb", "cc")]
    for key in keys:
        store.put(key, key.encode(), "text/csv")
    files = BatchFiles(store, kept=2)
    assert [files.read(key) for key in (keys[0], keys[0], keys[1], keys[0])] == [
        keys[0].encode(),
        keys[0].encode(),
        keys[1].encode(),
        keys[0].encode(),
    ]
    files.read(keys[2])  # keys[1] is now the least recently read, and goes
    files.read(keys[1])
    assert store.reads == [keys[0], keys[1], keys[2], keys[1]]


def test_threads_asking_for_one_file_at_once_fetch_it_once() -> None:
    store = CountingStore()
    key = batch_object_key("tenant-a", "aa")
    store.put(key, b"h\n1\n", "text/csv")
    files = BatchFiles(store)
    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(files.read(key))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [b"h\n1\n"] * 8
    assert store.reads == [key]


def test_a_missing_file_is_not_kept_and_is_asked_for_again() -> None:
    store = CountingStore()
    files = BatchFiles(store)
    key = batch_object_key("tenant-a", "gone")
    for _ in range(2):
        with pytest.raises(ObjectNotFound):
            files.read(key)
    assert store.reads == [key, key]
