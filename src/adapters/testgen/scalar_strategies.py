"""Strategies for strings, integers and numbers, written from a schema's bounds in either
dialect (3.0 boolean `exclusiveMinimum` beside `minimum`, 3.1 numeric `exclusiveMinimum`; the
tighter bound wins), lengths, patterns (drawn with `st.from_regex`, lengths then filtered) and
the common formats."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from adapters.testgen.pysource import Atom, Bracket, Node, call, string, value

_FORMATS: dict[str, Node] = {
    "date": Atom("st.dates().map(str)"),
    "date-time": Bracket(
        "st.datetimes().map(", (Atom('lambda moment: moment.isoformat() + "Z"'),), ")"
    ),
    "uuid": Atom("st.uuids().map(str)"),
    "email": Atom("st.emails()"),
    "ipv4": Atom("st.ip_addresses(v=4).map(str)"),
    "ipv6": Atom("st.ip_addresses(v=6).map(str)"),
    "uri": Atom('st.just("https://example.com/")'),
    "url": Atom('st.just("https://example.com/")'),
    "hostname": Atom('st.just("example.com")'),
}
_INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def count(raw: Mapping[str, Any], key: str) -> Atom | None:
    found = raw.get(key)
    return Atom(str(found)) if isinstance(found, int) and not isinstance(found, bool) else None


def _number_of(raw: Mapping[str, Any], key: str) -> float | None:
    found = raw.get(key)
    return found if isinstance(found, int | float) and not isinstance(found, bool) else None


def _bounds(raw: Mapping[str, Any]) -> tuple[tuple[float | None, bool], tuple[float | None, bool]]:
    """(lower, exclusive), (upper, exclusive) in either dialect, the tighter bound kept."""
    found = []
    for plain, exclusive, tighter in (
        ("minimum", "exclusiveMinimum", max),
        ("maximum", "exclusiveMaximum", min),
    ):
        bound, flag = _number_of(raw, plain), raw.get(exclusive)
        if isinstance(flag, bool):
            found.append((bound, flag and bound is not None))
            continue
        other = _number_of(raw, exclusive)
        if other is None or (bound is not None and tighter(bound, other) == bound != other):
            found.append((bound, False))
        else:
            found.append((other, True))
    return found[0], found[1]


def integer(raw: Mapping[str, Any]) -> Node:
    (low, low_x), (high, high_x) = _bounds(raw)
    lowest, highest = _INT_FORMATS.get(str(raw.get("format")), (None, None))
    lo = None if low is None else (math.floor(low) + 1 if low_x else math.ceil(low))
    hi = None if high is None else (math.ceil(high) - 1 if high_x else math.floor(high))
    lo = lowest if lo is None else lo
    hi = highest if hi is None else hi
    step = raw.get("multipleOf")
    if isinstance(step, int) and not isinstance(step, bool) and step > 1:
        scaled = call(
            "st.integers",
            min_value=None if lo is None else Atom(str(-(-lo // step))),
            max_value=None if hi is None else Atom(str(hi // step)),
        )
        return Bracket(scaled.opening, scaled.items, f").map(lambda n: n * {step})")
    return call(
        "st.integers",
        min_value=None if lo is None else Atom(str(lo)),
        max_value=None if hi is None else Atom(str(hi)),
    )


def number(raw: Mapping[str, Any]) -> Node:
    (low, low_x), (high, high_x) = _bounds(raw)
    return call(
        "st.floats",
        min_value=None if low is None else value(low),
        max_value=None if high is None else value(high),
        exclude_min=Atom("True") if low_x else None,
        exclude_max=Atom("True") if high_x else None,
        allow_nan=Atom("False"),
        allow_infinity=Atom("False"),
    )


def string_strategy(raw: Mapping[str, Any]) -> Node:
    low, high = count(raw, "minLength"), count(raw, "maxLength")
    pattern = raw.get("pattern")
    if isinstance(pattern, str) and _compiles(pattern):
        drawn = call("st.from_regex", Atom(string(pattern)), fullmatch=Atom("True"))
        if low is None and high is None:
            return drawn
        check = " and ".join(
            part
            for part in (
                None if low is None else f"len(text) >= {low.text}",
                None if high is None else f"len(text) <= {high.text}",
            )
            if part
        )
        return Bracket(drawn.opening, drawn.items, f").filter(lambda text: {check})")
    format_ = raw.get("format")
    if isinstance(format_, str) and format_ in _FORMATS:
        return _FORMATS[format_]
    return call("st.text", min_size=low, max_size=high)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True
