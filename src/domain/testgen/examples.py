"""A valid example value for a schema, the same every time.

Every request a generated test sends starts from one of these, and a negative case breaks exactly
one thing in it: so the example must itself be valid, or a 4XX would not mean what the test says.
The spec's own words come first (`const`, then `example` and `default` when they fit, then the
first `enum` member), then a value built from the keywords: bounds, lengths, a `pattern` of a
common shape, the usual formats, required properties (optional ones too, near the top, so an
update has something to change), `allOf` merged and the first `oneOf` / `anyOf` branch.

`alternate=True` asks for a second valid value that differs wherever the schema allows (the
second enum member, another string, another number in range): an update sends it, and reading
the resource back then tells a lost update from a kept one.

Cycles end: a `$ref` met again inside its own expansion is left out when optional, an empty list
when it is the items of an array, and makes its parent fail over to null (or give up) otherwise.
"""

from __future__ import annotations

import math
import re

from domain.pii import JsonValue
from domain.testgen.openapi import ApiSpec
from domain.testgen.patterns import sample
from domain.testgen.schemas import Schema, SchemaNode
from domain.testgen.shapes import ref_of, resolve, shape

FORMATS: dict[str, tuple[str, str]] = {  # format -> (example, alternate)
    "date": ("2024-01-15", "2024-02-20"),
    "date-time": ("2024-01-15T09:30:00Z", "2024-02-20T14:45:00Z"),
    "time": ("09:30:00Z", "14:45:00Z"),
    "email": ("user@example.com", "other@example.com"),
    "idn-email": ("user@example.com", "other@example.com"),
    "uuid": ("123e4567-e89b-42d3-a456-426614174000", "9b2f0c1e-5d4a-4c3b-8e7f-6a5b4c3d2e1f"),
    "uri": ("https://example.com/resource", "https://example.com/other"),
    "url": ("https://example.com/resource", "https://example.com/other"),
    "uri-reference": ("/resource", "/other"),
    "hostname": ("example.com", "example.org"),
    "ipv4": ("192.0.2.1", "192.0.2.2"),
    "ipv6": ("2001:db8::1", "2001:db8::2"),
    "byte": ("ZXhhbXBsZQ==", "Y2hhbmdlZA=="),
}
_MAX_DEPTH = 12  # deeper than any request body worth sending
_OPTIONAL_DEPTH = 3  # below this, only required properties: keeps wide schemas small


class _Missing:
    """No valid value can be built here (a required cycle, an empty enum)."""


MISSING = _Missing()


def example(spec: ApiSpec, node: SchemaNode, *, alternate: bool = False) -> JsonValue:
    """A value valid for `node` (null when none can be built)."""
    value = _value(spec, node, frozenset(), 0, alternate)
    return None if isinstance(value, _Missing) else value


def json_type(value: object) -> str:
    """The JSON type of a decoded value ("integer" for whole numbers, as JSON Schema says)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def kind_of(schema: Schema) -> str:
    """The one type an example of `schema` takes: the first listed, else what the keywords say."""
    if schema.types:
        return schema.types[0]
    if schema.properties or schema.required or schema.additional_properties is not True:
        return "object"
    if schema.items is not None or schema.min_items is not None or schema.max_items is not None:
        return "array"
    if schema.min_length is not None or schema.max_length is not None or schema.pattern:
        return "string"
    if schema.format:
        return "string"
    if schema.minimum is not None or schema.maximum is not None:
        return "number"
    return "null" if schema.nullable else "string"


def fits(schema: Schema, value: object) -> bool:
    """Whether a scalar satisfies the schema's own keywords (not its properties or items)."""
    kind = json_type(value)
    allowed = schema.types
    if allowed and kind not in allowed and not (kind == "integer" and "number" in allowed):
        return value is None and schema.nullable
    if schema.enum is not None and value not in schema.enum:
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, high = schema.minimum, schema.maximum
        if low and (value < low.value or (low.exclusive and value == low.value)):
            return False
        if high and (value > high.value or (high.exclusive and value == high.value)):
            return False
    if isinstance(value, str):
        if not length_fits(schema, value):
            return False
        if schema.pattern and not _matches(schema.pattern, value):
            return False
    return True


def length_fits(schema: Schema, text: str) -> bool:
    return (schema.min_length is None or len(text) >= schema.min_length) and (
        schema.max_length is None or len(text) <= schema.max_length
    )


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True  # a pattern Python cannot read is not ours to enforce


def _value(
    spec: ApiSpec, node: SchemaNode, visited: frozenset[str], depth: int, alternate: bool
) -> JsonValue | _Missing:
    ref = ref_of(node)
    if depth > _MAX_DEPTH or (ref is not None and ref in visited):
        return None if resolve(spec, node).nullable else MISSING
    inside = visited | {ref} if ref else visited
    schema = shape(spec, node, inside)
    value = _from_keywords(spec, schema, inside, depth, alternate)
    if isinstance(value, _Missing) and schema.nullable:
        return None
    return value


def _from_keywords(
    spec: ApiSpec, schema: Schema, visited: frozenset[str], depth: int, alternate: bool
) -> JsonValue | _Missing:
    if schema.const is not None:
        return as_json(schema.const.value)
    if not alternate:
        for given in (schema.example, schema.default):
            if given is not None and _given_fits(schema, given.value):
                return as_json(given.value)
    if schema.enum is not None:
        members = [m for m in schema.enum if m is not None and fits(schema, m)]
        if not members:
            return None if None in schema.enum else MISSING
        return as_json(members[1 if alternate and len(members) > 1 else 0])
    kind = kind_of(schema)
    if kind == "object":
        return _object(spec, schema, visited, depth, alternate)
    if kind == "array":
        return _array(spec, schema, visited, depth, alternate)
    if kind == "string":
        return string_value(schema, alternate)
    if kind == "integer":
        return integer_value(schema, alternate)
    if kind == "number":
        return number_value(schema, alternate)
    if kind == "boolean":
        return not alternate
    return None


def _given_fits(schema: Schema, value: object) -> bool:
    if isinstance(value, dict | list):  # only for free-form schemas: the keywords know better
        free = not schema.properties and schema.items is None and not schema.required
        return free and json_type(value) in (schema.types or (json_type(value),))
    return fits(schema, value)


def as_json(value: object) -> JsonValue:
    """A value read from the spec as plain JSON (tuples become lists)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    return str(value)


def _object(
    spec: ApiSpec, schema: Schema, visited: frozenset[str], depth: int, alternate: bool
) -> JsonValue | _Missing:
    out: dict[str, JsonValue] = {}
    for name, member in schema.properties:
        required = name in schema.required
        if resolve(spec, member).read_only or (not required and depth >= _OPTIONAL_DEPTH):
            continue
        value = _value(spec, member, visited, depth + 1, alternate)
        if isinstance(value, _Missing):
            if required:
                return MISSING
            continue
        out[name] = value
    for name in schema.required:
        if name not in out and schema.property_schema(name) is None:
            extra = schema.additional_properties
            value = (
                "example"
                if isinstance(extra, bool)
                else _value(spec, extra, visited, depth + 1, alternate)
            )
            if isinstance(value, _Missing):
                return MISSING
            out[name] = value
    return out


def _array(
    spec: ApiSpec, schema: Schema, visited: frozenset[str], depth: int, alternate: bool
) -> JsonValue | _Missing:
    low = schema.min_items or 0
    count = max(low, 1) if schema.max_items is None else min(max(low, 1), schema.max_items)
    if schema.items is None:
        return ["example"] * count
    item = _value(spec, schema.items, visited, depth + 1, alternate)
    if isinstance(item, _Missing):
        return [] if low == 0 else MISSING
    return [item] * count


def string_value(schema: Schema, alternate: bool = False) -> str | _Missing:
    if schema.format in FORMATS:
        text = FORMATS[schema.format][1 if alternate else 0]
        if fits(schema, text):
            return text
    if schema.pattern:
        return _patterned(schema, alternate)
    return fit_length("changed" if alternate else "example", schema)


def fit_length(text: str, schema: Schema) -> str:
    """`text` cut to `maxLength` or padded with `x` to `minLength`."""
    if schema.max_length is not None:
        text = text[: schema.max_length]
    low = schema.min_length or 0
    return text + "x" * (low - len(text)) if len(text) < low else text


def _patterned(schema: Schema, alternate: bool) -> str | _Missing:
    pattern = schema.pattern or ""
    shortest = sample(pattern)
    lengths = [schema.min_length or 0, schema.max_length]
    if shortest is not None:
        lengths = [len(shortest) + (1 if alternate else 0), len(shortest), *lengths]
    for length in lengths:
        text = sample(pattern, length)
        if text is not None and length_fits(schema, text):
            return text
    return MISSING


def integer_range(schema: Schema) -> tuple[int | None, int | None]:
    """The lowest and highest valid integers, exclusive bounds included."""
    low = schema.minimum
    high = schema.maximum
    lowest = (
        None
        if low is None
        else math.floor(low.value) + 1
        if low.exclusive
        else math.ceil(low.value)
    )
    highest = (
        None
        if high is None
        else math.ceil(high.value) - 1
        if high.exclusive
        else math.floor(high.value)
    )
    return lowest, highest


def integer_value(schema: Schema, alternate: bool = False) -> int | _Missing:
    lowest, highest = integer_range(schema)
    value = 2 if alternate else 1
    if lowest is not None and value < lowest:
        value = lowest + (1 if alternate else 0)
    if highest is not None and value > highest:
        value = highest - (1 if alternate else 0)
    if lowest is not None and value < lowest:
        value = lowest
    if lowest is not None and highest is not None and lowest > highest:
        return MISSING
    return value


def number_value(schema: Schema, alternate: bool = False) -> int | float | _Missing:
    low, high = schema.minimum, schema.maximum
    value: float = 2 if alternate else 1
    if low is not None and high is not None:
        if low.value < high.value:
            share = 0.75 if alternate else 0.5
            value = low.value + (high.value - low.value) * share
        elif low.value == high.value and not (low.exclusive or high.exclusive):
            value = low.value
        else:
            return MISSING
    elif low is not None and (value < low.value or (low.exclusive and value <= low.value)):
        value = low.value + value
    elif high is not None and (value > high.value or (high.exclusive and value >= high.value)):
        value = high.value - value
    return int(value) if float(value).is_integer() else value
