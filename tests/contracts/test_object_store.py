from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.storage.local import LocalObjectStore
from adapters.storage.s3 import S3ObjectStore
from application.ports import ObjectNotFound, ObjectStore
from tests.fakes import InMemoryObjectStore

_STORES: dict[str, Callable[[pytest.FixtureRequest], ObjectStore]] = {
    "memory": lambda _request: InMemoryObjectStore(),
    "local": lambda request: LocalObjectStore(request.getfixturevalue("tmp_path") / "objects"),
    "s3": lambda request: S3ObjectStore(  # over real HTTP, in a fresh bucket, under a prefix
        request.getfixturevalue("s3_server").client, request.getfixturevalue("s3_bucket"), "cd"
    ),
}


@pytest.fixture(params=sorted(_STORES))
def store(request: pytest.FixtureRequest) -> ObjectStore:
    return _STORES[request.param](request)


_per_example = settings(  # as in the other contracts on real services: fewer, slower examples
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50, deadline=None
)
_keys = st.text(
    alphabet=st.characters(categories=["Ll", "Nd"], max_codepoint=127) | st.sampled_from("-_."),
    min_size=1,
    max_size=24,
).filter(lambda name: name not in {".", ".."})


@_per_example
@given(data=st.binary(max_size=4096))
def test_put_then_get_returns_the_same_bytes(store: ObjectStore, data: bytes) -> None:
    store.put("batches/upload.bin", data, "application/octet-stream")

    assert store.get("batches/upload.bin") == data


@_per_example
@given(data=st.binary(max_size=4096), name=_keys)
def test_put_reports_size_and_sha256_of_what_it_stored(
    store: ObjectStore, data: bytes, name: str
) -> None:
    stored = store.put(f"tenant-a/{name}", data, "text/csv")

    assert stored.key == f"tenant-a/{name}"
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.content_type == "text/csv"


def test_the_checksum_is_lowercase_hex_of_the_known_sha256(store: ObjectStore) -> None:
    stored = store.put("greeting.txt", b"abc", "text/plain")

    assert stored.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_putting_a_key_again_replaces_its_object(store: ObjectStore) -> None:
    store.put("report.csv", b"old", "text/csv")
    store.put("report.csv", b"new and longer", "text/csv")

    assert store.get("report.csv") == b"new and longer"
    assert store.keys("") == ["report.csv"]


def test_getting_a_missing_key_raises_object_not_found(store: ObjectStore) -> None:
    store.put("present.txt", b"x", "text/plain")

    with pytest.raises(ObjectNotFound):
        store.get("absent.txt")


def test_exists_tells_stored_keys_from_missing_ones(store: ObjectStore) -> None:
    store.put("models/champion.json", b"{}", "application/json")

    assert store.exists("models/champion.json")
    assert not store.exists("models/challenger.json")
    assert not store.exists("models")


def test_delete_removes_the_object_and_is_idempotent(store: ObjectStore) -> None:
    store.put("exports/q3.csv", b"a,b\n1,2\n", "text/csv")

    store.delete("exports/q3.csv")
    store.delete("exports/q3.csv")
    store.delete("never/stored.csv")

    assert not store.exists("exports/q3.csv")
    with pytest.raises(ObjectNotFound):
        store.get("exports/q3.csv")


def test_keys_lists_only_the_prefix_and_in_sorted_order(store: ObjectStore) -> None:
    for key in ("tenant-b/x.csv", "tenant-a/z.csv", "tenant-a/a.csv", "tenant-a/sub/m.csv"):
        store.put(key, b"1", "text/csv")

    assert store.keys("tenant-a/") == ["tenant-a/a.csv", "tenant-a/sub/m.csv", "tenant-a/z.csv"]
    assert store.keys("tenant-c/") == []
    assert store.keys("") == sorted(
        ["tenant-a/a.csv", "tenant-a/sub/m.csv", "tenant-a/z.csv", "tenant-b/x.csv"]
    )


@_per_example
@given(names=st.sets(_keys, max_size=8))
def test_keys_returns_exactly_the_stored_keys_under_a_prefix(
    store: ObjectStore, names: set[str]
) -> None:
    for key in store.keys(""):
        store.delete(key)
    for name in names:
        store.put(f"p/{name}", name.encode(), "text/plain")
    store.put("q/outside", b"", "text/plain")

    assert store.keys("p/") == sorted(f"p/{name}" for name in names)


def test_empty_objects_are_stored_too(store: ObjectStore) -> None:
    stored = store.put("empty.bin", b"", "application/octet-stream")

    assert stored.size == 0
    assert store.exists("empty.bin")
    assert store.get("empty.bin") == b""
