"""Facts about raw JSON schemas in a spec document that the strategy writer needs, in both
dialects: what a local pointer names, which types a schema admits (inferred from its keywords
when `type` is absent), whether it admits null, and whether every value of it must contain a
value of another schema (a cycle no finite value can close)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def resolve(document: Mapping[str, Any], pointer: str) -> Any:
    """The value at a local JSON pointer (`#/components/schemas/Pet`); KeyError names it."""
    node: Any = document
    for raw in pointer.lstrip("#").split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(f"{pointer} points to nothing in the spec")
    return node


def must_contain(document: Mapping[str, Any], raw: Any, target: str, seen: set[str]) -> bool:
    """Whether every value of `raw` must contain a value of the schema at `target`."""
    if not isinstance(raw, Mapping) or nullable(raw) or types_of(raw) == ["null"]:
        return False
    ref = raw.get("$ref")
    if isinstance(ref, str):
        if ref == target:
            return True
        if ref in seen or not ref.startswith("#"):
            return False
        return must_contain(document, resolve(document, ref), target, seen | {ref})
    if any(must_contain(document, part, target, seen) for part in raw.get("allOf") or []):
        return True
    for key in ("anyOf", "oneOf"):
        parts = raw.get(key)
        if isinstance(parts, list) and parts:
            return all(must_contain(document, part, target, seen) for part in parts)
    found_properties, found_required = raw.get("properties"), raw.get("required")
    properties: Mapping[str, Any] = (
        found_properties if isinstance(found_properties, Mapping) else {}
    )
    required: list[Any] = found_required if isinstance(found_required, list) else []
    if any(must_contain(document, properties.get(name), target, seen) for name in required):
        return True
    low = raw.get("minItems")
    return (
        isinstance(low, int) and low > 0 and must_contain(document, raw.get("items"), target, seen)
    )


def types_of(raw: Any) -> list[str]:
    if not isinstance(raw, Mapping):
        return []
    kind = raw.get("type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [k for k in kind if isinstance(k, str)]
    if "properties" in raw or "additionalProperties" in raw:
        return ["object"]
    if "items" in raw:
        return ["array"]
    if any(k in raw for k in ("minLength", "maxLength", "pattern", "format")):
        return ["string"]
    if any(k in raw for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")):
        return ["number"]
    return []


def nullable(raw: Mapping[str, Any]) -> bool:
    """3.0 `nullable: true`, or 3.1 "null" among other types (null alone is handled as a type)."""
    types = types_of(raw)
    return raw.get("nullable") is True or ("null" in types and len(types) > 1)
