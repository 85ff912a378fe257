"""What only a real folder shows about `LocalObjectStore`.

The contract tests (tests/contracts/test_object_store.py) already run every port behaviour against
it; these cover the filesystem itself: bytes damaged on disk, a writer that dies between writing
and renaming, keys that try to leave the folder, and the directory layout behind nested keys.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.storage.keys import InvalidObjectKey
from adapters.storage.local import OBJECT_SUFFIX, TEMP_PREFIX, LocalObjectStore
from application.ports import ObjectCorrupted, ObjectNotFound

KEY = "models/champion.json"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "objects"


@pytest.fixture
def store(root: Path) -> LocalObjectStore:
    return LocalObjectStore(root)


def _files(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())


# Corruption ------------------------------------------------------------------------------------


def _flip_last_byte(raw: bytes) -> bytes:
    return raw[:-1] + bytes([raw[-1] ^ 0x01])


def _swap_checksum(raw: bytes) -> bytes:
    digest = hashlib.sha256(b"original bytes").hexdigest().encode()
    return raw.replace(digest, hashlib.sha256(b"something else").hexdigest().encode())


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(_flip_last_byte, id="a flipped bit in the data"),
        pytest.param(lambda raw: raw[:-3], id="truncated data"),
        pytest.param(lambda raw: raw + b"!", id="a byte appended"),
        pytest.param(_swap_checksum, id="a checksum that is not the data's"),
        pytest.param(lambda raw: raw.partition(b"\n")[2], id="the header line removed"),
        pytest.param(lambda raw: b"", id="an empty file"),
        pytest.param(lambda raw: b"not json\n" + raw.partition(b"\n")[2], id="a garbled header"),
    ],
)
def test_an_object_damaged_on_disk_is_refused_with_its_key(
    store: LocalObjectStore, damage: Callable[[bytes], bytes]
) -> None:
    store.put(KEY, b"original bytes", "application/json")
    path = store.path_of(KEY)
    path.write_bytes(damage(path.read_bytes()))

    with pytest.raises(ObjectCorrupted, match=re.escape(KEY)) as caught:
        store.get(KEY)
    assert caught.value.key == KEY


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(
    data=st.binary(min_size=1, max_size=300),
    position=st.integers(min_value=0),
    xor=st.integers(1, 255),
)
def test_any_changed_byte_is_detected_or_harmless(
    store: LocalObjectStore, data: bytes, position: int, xor: int
) -> None:
    """A change to the data is always caught; one in the header may only touch metadata."""
    store.put(KEY, data, "text/csv")
    path = store.path_of(KEY)
    raw = bytearray(path.read_bytes())
    header_end, index = raw.index(b"\n"), position % len(raw)
    raw[index] ^= xor
    path.write_bytes(bytes(raw))

    if index > header_end:  # inside the data
        with pytest.raises(ObjectCorrupted):
            store.get(KEY)
    else:
        with suppress(ObjectCorrupted):
            assert store.get(KEY) == data


# Atomicity -------------------------------------------------------------------------------------

_CRASHING_WRITER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from adapters.storage.local import LocalObjectStore

    store = LocalObjectStore(Path(sys.argv[1]))
    os.replace = lambda *args, **kwargs: os._exit(17)  # the process dies before the rename
    store.put(sys.argv[2], b"the new model, never finished", "application/json")
    """
)


def test_a_writer_killed_before_its_rename_leaves_the_old_object(
    store: LocalObjectStore, root: Path
) -> None:
    store.put(KEY, b"the old model", "application/json")

    crashed = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _CRASHING_WRITER, str(root), KEY],
        capture_output=True,
        check=False,
    )

    assert crashed.returncode == 17, crashed.stderr.decode()
    leftovers = [p for p in store.path_of(KEY).parent.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert len(leftovers) == 1  # the dead writer's complete temporary file is still there
    assert store.get(KEY) == b"the old model"
    assert store.keys("") == [KEY]
    store.put(KEY, b"a later put", "application/json")
    assert store.get(KEY) == b"a later put"


def test_a_failed_rename_keeps_the_old_object_and_cleans_up(
    store: LocalObjectStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.put(KEY, b"the old model", "application/json")

    def failing_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("adapters.storage.local.os.replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        store.put(KEY, b"the new model", "application/json")
    monkeypatch.undo()

    assert store.get(KEY) == b"the old model"
    assert [p.name for p in store.path_of(KEY).parent.iterdir()] == [store.path_of(KEY).name]


def test_a_stray_temporary_file_is_never_read_or_listed(store: LocalObjectStore) -> None:
    store.put(KEY, b"the old model", "application/json")
    stray = store.path_of(KEY).parent / f"{TEMP_PREFIX}abc123"
    stray.write_bytes(b"half a mod")

    assert store.get(KEY) == b"the old model"
    assert store.keys("models/") == [KEY]


def test_readers_see_whole_objects_while_another_thread_replaces_them(
    store: LocalObjectStore,
) -> None:
    versions = [bytes([n]) * 200_000 for n in range(1, 5)]
    store.put(KEY, versions[0], "application/octet-stream")
    stop = threading.Event()

    def write() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            store.put(KEY, versions[n % len(versions)], "application/octet-stream")

    writer = threading.Thread(target=write)
    writer.start()
    try:
        seen = {store.get(KEY) for _ in range(200)}  # raises ObjectCorrupted on a torn read
    finally:
        stop.set()
        writer.join()

    assert seen <= set(versions)


# Keys that try to leave the folder -------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "../outside.txt",
        "tenant-a/../../outside.txt",
        "/etc/passwd",
        "tenant-a//x.csv",
        "tenant-a/",
        "",
        ".",
        "tenant-a/./x.csv",
        "..\\outside.txt",
        "tenant-a/x\x00.csv",
        "tenant-a/x\n.csv",
        "a" * 300,
    ],
)
def test_a_key_that_could_escape_the_folder_is_refused_by_name(
    store: LocalObjectStore, tmp_path: Path, key: str
) -> None:
    for action in (
        lambda: store.put(key, b"payload", "text/plain"),
        lambda: store.get(key),
        lambda: store.exists(key),
        lambda: store.delete(key),
    ):
        with pytest.raises(InvalidObjectKey) as caught:
            action()
        assert caught.value.key == key
        assert repr(key) in str(caught.value)

    assert _files(tmp_path) == []


def test_a_prefix_outside_the_folder_lists_nothing(store: LocalObjectStore, root: Path) -> None:
    (root.parent / "secret.txt~obj").write_text("outside")
    store.put("inside.txt", b"x", "text/plain")

    assert store.keys("../") == []
    assert store.keys("/") == []
    assert store.keys("a//") == []


# Layout and listing ----------------------------------------------------------------------------


def test_nested_keys_are_nested_directories_with_readable_names(
    store: LocalObjectStore, root: Path
) -> None:
    store.put("tenant-a/batches/2026-11-22.csv", b"id,amount\n1,500\n", "text/csv")

    stored = root / "tenant-a" / "batches" / f"2026-11-22.csv{OBJECT_SUFFIX}"
    assert _files(root) == [str(stored.relative_to(root))]
    assert stored.read_bytes().endswith(b"\nid,amount\n1,500\n")


def test_keys_lists_every_depth_of_nesting_under_a_prefix(store: LocalObjectStore) -> None:
    keys = [
        "models",
        "models/champion.json",
        "models/v1/model.ubj",
        "models/v1/report/roc.png",
        "models/v10/model.ubj",
        "modelsx/other",
        "tenant-b/models/v1/model.ubj",
    ]
    for key in keys:
        store.put(key, key.encode(), "application/octet-stream")

    assert store.keys("") == sorted(keys)
    assert store.keys("models/") == [
        "models/champion.json",
        "models/v1/model.ubj",
        "models/v1/report/roc.png",
        "models/v10/model.ubj",
    ]
    assert store.keys("models/v1") == [
        "models/v1/model.ubj",
        "models/v1/report/roc.png",
        "models/v10/model.ubj",
    ]
    assert store.keys("models/v1/report/") == ["models/v1/report/roc.png"]
    assert store.keys("models") == [k for k in sorted(keys) if k.startswith("models")]
    assert all(store.get(key) == key.encode() for key in keys)


def test_a_key_and_a_prefix_of_the_same_name_live_side_by_side(store: LocalObjectStore) -> None:
    store.put("models/v1", b"a file", "text/plain")
    store.put("models/v1/model.ubj", b"below it", "application/octet-stream")

    store.delete("models/v1")

    assert store.keys("models/") == ["models/v1/model.ubj"]
    assert not store.exists("models/v1")
    with pytest.raises(ObjectNotFound):
        store.get("models/v1")


@pytest.mark.parametrize(
    "key", ["Tenant-A/Report.CSV", "tenant a/100%~done.csv", "tenant-č/žlica.csv", "x/%41"]
)
def test_keys_beyond_plain_lowercase_round_trip(store: LocalObjectStore, key: str) -> None:
    store.put(key, key.encode(), "text/csv")

    assert store.get(key) == key.encode()
    assert store.keys("") == [key]
    assert store.keys(key[:-1]) == [key]


def test_keys_differing_only_in_case_are_different_objects(store: LocalObjectStore) -> None:
    store.put("tenant-a/Report.csv", b"upper", "text/csv")
    store.put("tenant-a/report.csv", b"lower", "text/csv")
    store.put("Tenant-A/report.csv", b"other tenant", "text/csv")

    assert store.get("tenant-a/Report.csv") == b"upper"
    assert store.get("tenant-a/report.csv") == b"lower"
    assert store.keys("") == ["Tenant-A/report.csv", "tenant-a/Report.csv", "tenant-a/report.csv"]


def test_files_this_store_did_not_write_are_ignored(store: LocalObjectStore, root: Path) -> None:
    store.put("tenant-a/x.csv", b"x", "text/csv")
    (root / "README.txt").write_text("not an object")
    (root / "tenant-a" / "notes~obj-not").write_text("nor this")
    (root / "Upper~obj").write_text("a name this store never writes")

    assert store.keys("") == ["tenant-a/x.csv"]


def test_two_stores_on_one_folder_see_the_same_objects(root: Path) -> None:
    LocalObjectStore(root).put(KEY, b"shared", "application/json")

    assert LocalObjectStore(root).get(KEY) == b"shared"
