"""Reading plain JSON values out of a spec, each fault reported at its JSON pointer."""

from __future__ import annotations

from collections.abc import Mapping

from domain.testgen.schemas import DocumentReader, child


def mapping_at(r: DocumentReader, raw: object, at: str) -> Mapping[str, object] | None:
    if not isinstance(raw, Mapping):
        r.problem(at, "must be an object")
        return None
    return raw


def text_at(r: DocumentReader, value: Mapping[str, object], key: str, at: str) -> str | None:
    raw = value.get(key)
    if raw is not None and not isinstance(raw, str):
        r.problem(child(at, key), "must be text")
        return None
    return raw
