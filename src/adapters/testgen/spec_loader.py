"""Decoding an uploaded OpenAPI file: JSON or YAML bytes in, plain JSON values out.

YAML is read with the safe loader, minus its timestamp rule: `version: 2024-01-01` stays the
text it is in a spec rather than becoming a date no JSON can hold. Status codes written as
bare numbers (`200:`) become text keys, as JSON spells them. A document is refused, with the
line and column of the fault where there is one, when it is too large, not UTF-8, not JSON or
YAML, not an object, or when YAML aliases would make it refer to itself or blow up in size.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import yaml

from domain.errors import Problem, ValidationFailed

#: The largest spec accepted: public specs of hundreds of operations stay well below it.
MAX_BYTES = 5 * 1024 * 1024
#: Values a decoded document may hold in all (aliases counted each time they are used).
MAX_NODES = 1_000_000
FIELD = "spec"


class _SpecYamlLoader(yaml.SafeLoader):
    """The safe loader without the implicit timestamp rule (dates stay text)."""


_SpecYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _refused(message: str) -> ValidationFailed:
    return ValidationFailed((Problem(FIELD, message),))


class JsonYamlSpecLoader:
    """`SpecLoader` for JSON and YAML files; `max_bytes` bounds what is read."""

    def __init__(self, max_bytes: int = MAX_BYTES, max_nodes: int = MAX_NODES) -> None:
        self._max_bytes = max_bytes
        self._max_nodes = max_nodes

    def load(self, content: bytes) -> Mapping[str, object]:
        if len(content) > self._max_bytes:
            raise _refused(f"is {len(content)} bytes; the limit is {self._max_bytes} bytes")
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise _refused(f"is not UTF-8 text (byte {error.start} cannot be decoded)") from None
        if not text.strip():
            raise _refused("is empty")
        raw = _json(text) if text.lstrip()[:1] in ("{", "[") else _yaml(text)
        document = _Plain(self._max_nodes).value(raw, "")
        if not isinstance(document, dict):
            raise _refused("must be a JSON or YAML object (an OpenAPI document)")
        return document


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _json(text: str) -> object:
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise _refused(
            f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except (ValueError, RecursionError) as error:
        raise _refused(f"is not valid JSON: {error}") from None


def _yaml(text: str) -> object:
    try:
        return yaml.load(text, Loader=_SpecYamlLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = "" if mark is None else f" at line {mark.line + 1}, column {mark.column + 1}"
        what = error.problem or error.context or "malformed YAML"
        raise _refused(f"is neither JSON nor valid YAML: {what}{where}") from None
    except (yaml.YAMLError, RecursionError) as error:
        raise _refused(f"is neither JSON nor valid YAML: {error}") from None


class _Plain:
    """Copies a decoded document into plain JSON values, refusing what JSON cannot hold."""

    def __init__(self, max_nodes: int) -> None:
        self._left = max_nodes
        self._path: set[int] = set()

    def value(self, raw: object, at: str) -> Any:
        self._left -= 1
        if self._left < 0:
            raise _refused("holds too many values (do YAML aliases expand it?)")
        if raw is None or isinstance(raw, bool | int | str):
            return raw
        if isinstance(raw, float):
            if not math.isfinite(raw):
                raise _refused(f"{at or '/'}: {raw} is not a JSON number")
            return raw
        if isinstance(raw, dict | list):
            return self._container(raw, at)
        raise _refused(f"{at or '/'}: a {type(raw).__name__} value has no JSON form")

    def _container(self, raw: dict[object, object] | list[object], at: str) -> Any:
        if id(raw) in self._path:
            raise _refused(f"{at or '/'}: refers to itself (a recursive YAML alias)")
        self._path.add(id(raw))
        try:
            if isinstance(raw, list):
                return [self.value(item, f"{at}/{index}") for index, item in enumerate(raw)]
            return {
                _key(key, at): self.value(item, f"{at}/{_key(key, at)}")
                for key, item in raw.items()
            }
        finally:
            self._path.discard(id(raw))


def _key(key: object, at: str) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)  # `200:` in YAML is the status code "200"
    raise _refused(f"{at or '/'}: the key {key!r} is not text")
