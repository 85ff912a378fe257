"""The object store on a local folder: the embedded default, and handy for development.

Layout. A key's segments become nested directories and its last segment a file with the suffix
"~obj": "tenant-a/batches/day.csv" is stored in `<root>/tenant-a/batches/day.csv~obj`. The
suffix keeps objects and directories apart, so "models" and "models/champion.json" can both be
keys, as they can on S3. Segments are written as they are when made of lowercase ASCII letters,
digits, '.', '_' and '-'; any other character is percent-encoded (UTF-8, uppercase hex), so no
file name holds a '~' or can collide with another on a case-insensitive filesystem.

Integrity. Each file starts with one JSON line (format, SHA-256, size, content type) followed by
the object's bytes. Keeping the checksum in the same file as the data means one rename replaces
both at once: a sidecar file would need two, and a crash between them would make a good object
look corrupted. Every read recomputes the SHA-256 and raises `ObjectCorrupted` on a mismatch.

Atomicity. A put writes a temporary file in the object's own directory, fsyncs it, renames it
over the old file with `os.replace` (atomic within one filesystem) and fsyncs the directory. A
crash at any point leaves either the old object or the new one, never a mix; a crashed writer
may leave its temporary file ("~tmp-..."), which is never listed or read. Directories emptied by
deletes are left in place: removing them could race with a concurrent put into them.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import urllib.parse
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

from adapters.storage.keys import InvalidObjectKey, is_valid_key, key_segments
from application.ports import ObjectCorrupted, ObjectNotFound, StoredObject

__all__ = ["LocalObjectStore"]

FORMAT = "creditdesk-object/1"
OBJECT_SUFFIX = "~obj"
TEMP_PREFIX = "~tmp-"
_MAX_NAME_BYTES = 255 - len(OBJECT_SUFFIX)  # most filesystems allow 255 bytes per name
_LITERAL = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")


def _encode(segment: str) -> str:
    return "".join(
        ch if ch in _LITERAL else "".join(f"%{byte:02X}" for byte in ch.encode("utf-8"))
        for ch in segment
    )


def _decode(name: str) -> str | None:
    """The segment behind a file or directory name, or None for a name this store never makes."""
    try:
        segment = urllib.parse.unquote(name, errors="strict")
    except UnicodeDecodeError:
        return None
    return segment if _encode(segment) == name else None


def _fsync_directory(directory: Path) -> None:
    """Make a rename or a new entry in `directory` durable (a no-op where unsupported)."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        descriptor = os.open(directory, flags)
    except OSError:  # Windows cannot open a directory; its renames are durable on their own
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _header(data: bytes, content_type: str) -> tuple[bytes, str]:
    digest = hashlib.sha256(data).hexdigest()
    fields = {"format": FORMAT, "sha256": digest, "size": len(data), "content_type": content_type}
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=True).encode() + b"\n", digest


def _verified(key: str, raw: bytes) -> bytes:
    """The object's bytes from a stored file, after checking them against its header."""
    line, newline, data = raw.partition(b"\n")
    if not newline:
        raise ObjectCorrupted(key, "its header line is missing")
    try:
        header = json.loads(line)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ObjectCorrupted(key, "its header line is unreadable")
    expected_sha, expected_size = header.get("sha256"), header.get("size")
    if not isinstance(expected_sha, str) or not isinstance(expected_size, int):
        raise ObjectCorrupted(key, "its header line lacks the checksum or the size")
    if len(data) != expected_size:
        raise ObjectCorrupted(key, f"{len(data)} bytes are stored but {expected_size} were put")
    actual_sha = hashlib.sha256(data).hexdigest()
    if actual_sha != expected_sha:
        raise ObjectCorrupted(key, f"its SHA-256 is {actual_sha} but {expected_sha} was put")
    return data


class LocalObjectStore:
    """An `ObjectStore` in a folder; `root` is created (with its parents) if it does not exist.

    Safe for several threads and processes sharing one folder: every put is a rename of a
    complete file, so readers see the old object or the new one, and the last put wins.
    """

    def __init__(self, root: Path) -> None:
        self._root = Path(root).absolute()
        self._root.mkdir(parents=True, exist_ok=True)

    @property
    def root(self) -> Path:
        return self._root

    def path_of(self, key: str) -> Path:
        """The file that holds (or would hold) `key`; raises `InvalidObjectKey` for a bad key."""
        names = [_encode(segment) for segment in key_segments(key)]
        for name in names:
            if len(name.encode()) > _MAX_NAME_BYTES:
                raise InvalidObjectKey(
                    key, f"a segment may be at most {_MAX_NAME_BYTES} bytes once encoded"
                )
        return self._root.joinpath(*names[:-1], names[-1] + OBJECT_SUFFIX)

    def put(self, key: str, data: bytes, content_type: str) -> StoredObject:
        path = self.path_of(key)
        data = bytes(data)  # a caller's mutable buffer must not change between hash and write
        header, digest = _header(data, content_type)
        self._ensure_directory(path.parent)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(header)
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            with suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        _fsync_directory(path.parent)
        return StoredObject(key, len(data), digest, content_type)

    def get(self, key: str) -> bytes:
        path = self.path_of(key)
        try:
            raw = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            raise ObjectNotFound(f"no object under {key!r}") from None
        return _verified(key, raw)

    def exists(self, key: str) -> bool:
        return self.path_of(key).is_file()

    def delete(self, key: str) -> None:
        path = self.path_of(key)
        try:
            path.unlink()
        except (FileNotFoundError, NotADirectoryError):
            return
        _fsync_directory(path.parent)

    def keys(self, prefix: str) -> list[str]:
        directories, _, _ = prefix.rpartition("/")
        segments: tuple[str, ...] = ()
        if directories:
            try:
                segments = key_segments(directories)
            except InvalidObjectKey:
                return []  # no valid key starts with an invalid directory path
        names = [_encode(segment) for segment in segments]
        if any(len(name.encode()) > _MAX_NAME_BYTES for name in names):
            return []  # too long to be a directory this store made
        start = self._root.joinpath(*names)
        return sorted(key for key in self._walk(start, segments) if key.startswith(prefix))

    def _walk(self, directory: Path, segments: tuple[str, ...]) -> Iterator[str]:
        """Every key stored under `directory`, whose own segments are `segments`."""
        try:
            entries = list(os.scandir(directory))
        except (FileNotFoundError, NotADirectoryError):
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                segment = _decode(entry.name)
                if segment is not None:
                    yield from self._walk(Path(entry.path), (*segments, segment))
            elif entry.is_file(follow_symlinks=False) and entry.name.endswith(OBJECT_SUFFIX):
                segment = _decode(entry.name.removesuffix(OBJECT_SUFFIX))
                if segment is not None and is_valid_key("/".join((*segments, segment))):
                    yield "/".join((*segments, segment))

    def _ensure_directory(self, directory: Path) -> None:
        """Create `directory` and any missing parents below the root, each made durable."""
        missing: list[Path] = []
        current = directory
        while current != self._root and not current.is_dir():
            missing.append(current)
            current = current.parent
        for created in reversed(missing):
            with suppress(FileExistsError):  # another writer made it first
                created.mkdir()
            _fsync_directory(created.parent)
