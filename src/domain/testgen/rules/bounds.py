"""Boundary values: just inside each bound is accepted (the documented 2XX), just outside is
refused (4XX). Bounds are numbers (inclusive and exclusive), lengths, item counts, enum
membership, pattern and format, of top-level body members and of parameters.

Only a parameter the test chooses is probed: an id captured from a create is the server's.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from attrs import evolve

from domain.pii import JsonValue
from domain.testgen.cases import BoundaryKeyword, Expectation, JsonBody, Request, Rule, TestCase
from domain.testgen.examples import (
    FORMATS,
    example,
    fit_length,
    fits,
    integer_range,
    kind_of,
    length_fits,
)
from domain.testgen.openapi import ApiSpec, Operation
from domain.testgen.patterns import sample
from domain.testgen.rules.build import case
from domain.testgen.rules.operations import (
    name_of,
    prepare,
    replays,
    success_status,
    text_of,
    with_param,
)
from domain.testgen.schemas import Schema, SchemaNode, child
from domain.testgen.shapes import fields, resolve, shape, unambiguous

K = BoundaryKeyword
Probe = tuple[BoundaryKeyword, JsonValue, JsonValue]  # keyword, inside, outside (None: no case)
# Just outside each format a server is expected to check: the right shape where a shape is
# checkable (an impossible calendar day, an octet too large), so that only a real check refuses it.
_OUTSIDE_FORMATS = {
    "date": "2024-02-30",
    "date-time": "2024-02-30T09:30:00Z",
    "email": "not-an-email",
    "uuid": "not-a-uuid",
    "ipv4": "256.0.0.1",
    "ipv6": "2001:db8::g",
}


def boundary(spec: ApiSpec, op: Operation) -> tuple[TestCase, ...]:
    prepared = prepare(spec, op)
    if prepared is None:
        return ()
    base = prepared.request
    # label, schema, how to set the value, whether a value outside it is refused for sure
    targets: list[tuple[str, SchemaNode, Callable[[JsonValue], Request | None], bool]] = []
    body, body_at = prepared.body, prepared.body_at
    if isinstance(body, dict) and body_at is not None:
        whole = unambiguous(spec, body_at[1])
        for field in fields(spec, body_at[1]):
            clear = whole and unambiguous(spec, field.node)
            targets.append((field.name, field.node, _body_setter(base, body, field.name), clear))
    for p in op.parameters:
        chosen = dict(base.path_params).get(p.name, "")
        if p.schema is None or p.location == "cookie" or chosen.startswith("{"):
            continue
        setter = _param_setter(base, p.location, p.name)
        targets.append((f"{p.location} {p.name}", p.schema, setter, unambiguous(spec, p.schema)))
    found = []
    success = success_status(op)
    for label, node, setter, clear in targets:
        schema = shape(spec, node)
        for keyword, inside, outside in probes(spec, schema):
            sides = (("inside", inside, success), ("outside", outside if clear else None, "4XX"))
            for side, value, status in sides:
                request = setter(value) if value is not None else None
                if request is None:
                    continue
                found.append(
                    case(
                        spec,
                        op,
                        Rule.BOUNDARY,
                        location=_pointer(spec, node, keyword),
                        title=f"{name_of(spec, op)}: {label} = {value!r}, just {side} "
                        f"{keyword.value}, is answered {status}",
                        request=request,
                        expectation=Expectation(
                            status,
                            also=() if status == "4XX" else replays(op),
                            validate_body=status == "4XX",
                        ),
                        setup=prepared.setup,
                        variant=f"{label} {side}",
                        keyword=keyword,
                    )
                )
    return tuple(found)


def _body_setter(
    base: Request, body: dict[str, JsonValue], name: str
) -> Callable[[JsonValue], Request | None]:
    return lambda value: evolve(base, body=JsonBody({**body, name: value}))


def _param_setter(base: Request, location: str, name: str) -> Callable[[JsonValue], Request | None]:
    def set_to(value: JsonValue) -> Request | None:
        text = text_of(value)
        if text is None:
            return None
        if location == "path":
            return evolve(base, path_params=with_param(base.path_params, name, text))
        if location == "header":
            if not _sendable_header(text):
                return None
            return evolve(base, headers=with_param(base.headers, name, text))
        return evolve(base, query=with_param(base.query, name, text))

    return set_to


def _sendable_header(text: str) -> bool:
    """Whether an HTTP client can send `text` as a header value at all: visible ASCII and inner
    spaces, nothing to trim. A probe a client refuses to send tests the client, not the server."""
    return bool(text) and text == text.strip() and all(" " <= c <= "~" for c in text)


def _pointer(spec: ApiSpec, node: SchemaNode, keyword: BoundaryKeyword) -> str:
    """The keyword itself when the schema spells it, else the schema that carries it."""
    raw = resolve(spec, node)
    spelled = {
        K.MINIMUM: raw.minimum is not None and not raw.minimum.exclusive,
        K.EXCLUSIVE_MINIMUM: raw.minimum is not None and raw.minimum.exclusive,
        K.MAXIMUM: raw.maximum is not None and not raw.maximum.exclusive,
        K.EXCLUSIVE_MAXIMUM: raw.maximum is not None and raw.maximum.exclusive,
        K.MIN_LENGTH: raw.min_length is not None,
        K.MAX_LENGTH: raw.max_length is not None,
        K.MIN_ITEMS: raw.min_items is not None,
        K.MAX_ITEMS: raw.max_items is not None,
        K.ENUM: raw.enum is not None,
        K.PATTERN: raw.pattern is not None,
        K.FORMAT: raw.format is not None,
    }[keyword]
    return child(raw.location, keyword.value) if spelled else raw.location


def probes(spec: ApiSpec, schema: Schema) -> list[Probe]:
    """Each bound of the schema with a value just inside and one just outside it."""
    if schema.const is not None:
        return []
    if schema.enum is not None:
        return _enum(schema)
    kind = kind_of(schema)
    if kind in ("integer", "number"):
        return _numbers(schema, kind)
    if kind == "string":
        return _strings(schema)
    if kind == "array":
        return _arrays(spec, schema)
    return []


def _enum(schema: Schema) -> list[Probe]:
    members = [m for m in schema.enum or () if m is not None]
    if not members or len({type(m) for m in members}) != 1:
        return []
    last = members[-1]
    if isinstance(last, str):
        outside: JsonValue = fit_length("not-a-member", schema)
        outside = outside if outside not in members else None
    elif isinstance(last, int) and not isinstance(last, bool):
        outside = max(m for m in members if isinstance(m, int)) + 1
    else:
        return []
    return [(K.ENUM, last if isinstance(last, str | int) else None, outside)]


def _numbers(schema: Schema, kind: str) -> list[Probe]:
    found: list[Probe] = []
    low, high = schema.minimum, schema.maximum
    if kind == "integer":
        lowest, highest = integer_range(schema)
        if lowest is not None and low is not None:
            inside = lowest if highest is None or lowest <= highest else None
            found.append((K.EXCLUSIVE_MINIMUM if low.exclusive else K.MINIMUM, inside, lowest - 1))
        if highest is not None and high is not None:
            inside = highest if lowest is None or lowest <= highest else None
            found.append(
                (K.EXCLUSIVE_MAXIMUM if high.exclusive else K.MAXIMUM, inside, highest + 1)
            )
        return found
    span = (high.value - low.value) if low is not None and high is not None else 2
    step = min(1, span / 2) if span > 0 else 1
    if low is not None:
        above = low.value + step if low.exclusive else low.value
        below = low.value if low.exclusive else low.value - step
        found.append(
            (K.EXCLUSIVE_MINIMUM if low.exclusive else K.MINIMUM, _tidy(above), _tidy(below))
        )
    if high is not None:
        under = high.value - step if high.exclusive else high.value
        over = high.value if high.exclusive else high.value + step
        found.append(
            (K.EXCLUSIVE_MAXIMUM if high.exclusive else K.MAXIMUM, _tidy(under), _tidy(over))
        )
    return [(k, i if fits(schema, i) else None, o) for k, i, o in found]


def _tidy(value: float) -> JsonValue:
    return int(value) if float(value).is_integer() else value


def string_of_length(schema: Schema, length: int) -> str | None:
    """A string of exactly `length` characters, valid apart from its length."""
    if length < 0:
        return None
    if schema.pattern:
        return sample(schema.pattern, length)
    if schema.format == "email":
        return _email_of_length(length)
    if schema.format in FORMATS:
        text = FORMATS[schema.format][0]
        return text if len(text) == length else None
    return ("example" + "x" * length)[:length]


def _email_of_length(length: int) -> str | None:
    """An address of `length` characters that strict validators accept too: a local part of at
    most 64 characters, domain labels of at most 63, 254 characters in all."""
    base = "user@example.com"
    if not len(base) <= length <= 254:
        return None
    extra = length - len(base)
    in_local = min(extra, 60)
    if extra - in_local == 1:
        in_local -= 1  # a domain label takes at least two characters ("d.")
    rest = extra - in_local
    labels = []
    while rest > 0:
        take = min(rest, 64)
        if rest - take == 1:
            take -= 1
        labels.append("d" * (take - 1))
        rest -= take
    local = "user" + "u" * in_local
    domain = ".".join([*labels, "example.com"])
    text = f"{local}@{domain}"
    return text if len(text) == length else None


def _strings(schema: Schema) -> list[Probe]:
    found: list[Probe] = []
    if schema.min_length:
        n = schema.min_length
        found.append((K.MIN_LENGTH, string_of_length(schema, n), string_of_length(schema, n - 1)))
    if schema.max_length is not None:
        n = schema.max_length
        found.append((K.MAX_LENGTH, string_of_length(schema, n), string_of_length(schema, n + 1)))
    if schema.pattern and not schema.format:
        inside = next((s for s in _pattern_samples(schema) if length_fits(schema, s)), None)
        outside = _not_matching(schema)
        found.append((K.PATTERN, inside, outside))
    if schema.format in _OUTSIDE_FORMATS and not schema.pattern:
        inside_text = FORMATS[str(schema.format)][0]
        bad = _OUTSIDE_FORMATS[str(schema.format)]
        outside = bad if length_fits(schema, bad) else None  # else it would break two things
        found.append((K.FORMAT, inside_text if fits(schema, inside_text) else None, outside))
    return found


def _pattern_samples(schema: Schema) -> list[str]:
    pattern = schema.pattern or ""
    candidates = [sample(pattern), sample(pattern, schema.min_length or 0)]
    if schema.max_length is not None:
        candidates.append(sample(pattern, schema.max_length))
    return [c for c in candidates if c is not None]


def _not_matching(schema: Schema) -> str | None:
    low = max(schema.min_length or 0, 1)
    for char in ("!", " ", "~", "#", "é", "0", "a"):
        text = char * low
        if length_fits(schema, text) and not _search(schema.pattern or "", text):
            return text
    return None


def _search(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True


def _arrays(spec: ApiSpec, schema: Schema) -> list[Probe]:
    item = example(spec, schema.items) if schema.items is not None else "example"
    if schema.items is not None and item is None and not shape(spec, schema.items).nullable:
        return []
    found: list[Probe] = []
    if schema.min_items:
        n = schema.min_items
        found.append((K.MIN_ITEMS, [item] * n, [item] * (n - 1)))
    if schema.max_items is not None:
        n = schema.max_items
        found.append((K.MAX_ITEMS, [item] * n, [item] * (n + 1)))
    return found
