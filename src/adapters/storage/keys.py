"""Object keys: which ones every store accepts.

A key is a '/'-separated path of segments, "tenant-a/batches/2026-11-22.csv". Keys are made by
code, never typed by users, so a malformed one is a bug and is refused with an error naming it
rather than quietly cleaned up. The rules are those that keep a key safe as a file path and
valid as an S3 key at once, so data moves between stores unchanged: no leading '/', no empty
segment (no '//', no trailing '/'), no '.' or '..' segment, no backslash (a path separator on
Windows), no control character, valid Unicode, and at most 1,024 bytes in UTF-8 (S3's limit).
"""

from __future__ import annotations

__all__ = ["MAX_KEY_BYTES", "InvalidObjectKey", "is_valid_key", "key_segments"]

MAX_KEY_BYTES = 1024


class InvalidObjectKey(ValueError):
    """A key that no store accepts; `reason` says which rule it breaks."""

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"invalid object key {key!r}: {reason}")


def key_segments(key: str) -> tuple[str, ...]:
    """The segments of `key`, after checking every rule; raises `InvalidObjectKey`."""
    if not key:
        raise InvalidObjectKey(key, "a key cannot be empty")
    try:
        size = len(key.encode("utf-8"))
    except UnicodeEncodeError:
        raise InvalidObjectKey(key, "a key must be valid Unicode") from None
    if size > MAX_KEY_BYTES:
        raise InvalidObjectKey(key, f"a key is at most {MAX_KEY_BYTES} bytes in UTF-8")
    if key.startswith("/"):
        raise InvalidObjectKey(key, "a key is relative: it cannot start with '/'")
    if "\\" in key:
        raise InvalidObjectKey(key, "a key cannot contain a backslash")
    if any(ch < " " or ch == "\x7f" for ch in key):
        raise InvalidObjectKey(key, "a key cannot contain control characters")
    segments = tuple(key.split("/"))
    if "" in segments:
        raise InvalidObjectKey(key, "a key cannot have an empty segment ('//' or a trailing '/')")
    if "." in segments or ".." in segments:
        raise InvalidObjectKey(key, "a key cannot have a '.' or '..' segment")
    return segments


def is_valid_key(key: str) -> bool:
    """Whether every store accepts `key` (listings skip names that no store would make)."""
    try:
        key_segments(key)
    except InvalidObjectKey:
        return False
    return True
