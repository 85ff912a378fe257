"""A string that matches a spec's `pattern`, for example values and boundary cases.

Specs write patterns for a few common shapes (codes like `^[A-Z]{2}$`, ids like `^[a-z0-9-]+$`,
phone numbers, postcodes); a full regex engine is not needed to name one value of each. This
reads the usual subset (literals, escapes, classes, groups, alternation, quantifiers, anchors),
builds the shortest string it describes, optionally grown to an exact length, and keeps it only
when Python's `re` agrees that it matches: anything unsupported (lookarounds, back-references)
yields None, and the caller falls back or skips the case rather than send a wrong value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

_UNBOUNDED = 64  # how far a `*` or `+` may grow to reach a wanted length
_PRINTABLE = "aA0_-x.Z9 !~"
_ESCAPES: dict[str, Callable[[str], bool]] = {
    "d": str.isdigit,
    "w": lambda c: c.isalnum() or c == "_",
    "s": str.isspace,
}
_FIRST = {"d": "0", "w": "a", "s": " "}


class _Unsupported(Exception):
    """The pattern uses something this reader does not build strings for."""


class _Builder:
    """One pass over a pattern, adding up to `need` characters to reach a wanted length."""

    def __init__(self, pattern: str, need: int) -> None:
        self.text = pattern
        self.at = 0
        self.need = need

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def take(self) -> str:
        char = self.peek()
        self.at += 1
        return char

    def alternation(self) -> str:
        first = self.sequence()
        while self.peek() == "|":  # the first branch is the value; the rest are read and dropped
            self.take()
            saved, self.need = self.need, 0
            self.sequence()
            self.need = saved
        return first

    def sequence(self) -> str:
        out = []
        while self.peek() not in ("", "|", ")"):
            unit = self.atom()
            low, high = self.quantifier()
            if low == 1 and high == 1:
                out.append(unit)
                continue
            count = low
            while unit and self.need >= len(unit) and (high is None or count < high):
                if count >= low + _UNBOUNDED:
                    break
                count += 1
                self.need -= len(unit)
            out.append(unit * count)
        return "".join(out)

    def quantifier(self) -> tuple[int, int | None]:
        char = self.peek()
        bounds: tuple[int, int | None] = (1, 1)
        if char and char in "*+?":
            self.take()
            bounds = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        elif char == "{" and (found := re.match(r"\{(\d+)(,(\d*))?\}", self.text[self.at :])):
            self.at += found.end()
            low = int(found[1])
            high = low if found[2] is None else (int(found[3]) if found[3] else None)
            bounds = (low, high)
        if self.peek() in ("?", "+") and bounds != (1, 1):  # lazy or possessive: same strings
            self.take()
        return bounds

    def atom(self) -> str:
        char = self.take()
        if char == "(":
            if self.peek() == "?":
                self.take()
                kind = self.take()
                if kind == "P" or (kind == "<" and self.peek() not in "=!"):
                    self.at = self.text.index(">", self.at) + 1
                elif kind != ":":
                    raise _Unsupported(kind)
            inner = self.alternation()
            if self.take() != ")":
                raise _Unsupported("unclosed group")
            return inner
        if char == "[":
            return self.character_class()
        if char == "\\":
            return self.escape()
        if char in {"^", "$"}:
            return ""
        if char == ".":
            return "a"
        if char == "" or char in "*+?{)":
            raise _Unsupported(char)
        return char

    def escape(self) -> str:
        char = self.take()
        if char.isdigit() or char == "":
            raise _Unsupported("back-reference")
        if char in _FIRST:
            return _FIRST[char]
        if char in "DWS":
            return next(c for c in _PRINTABLE if not _ESCAPES[char.lower()](c))
        if char in "bBAzZ":
            return ""
        if char in "xu":
            width = 2 if char == "x" else 4
            code = self.text[self.at : self.at + width]
            self.at += width
            return chr(int(code, 16))
        return {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}.get(char, char)

    def character_class(self) -> str:
        negated = self.peek() == "^"
        if negated:
            self.take()
        tests: list[Callable[[str], bool]] = []
        firsts: list[str] = []
        first_item = True
        while first_item or self.peek() != "]":
            first_item = False
            char = self.take()
            if char == "":
                raise _Unsupported("unclosed class")
            if char == "\\":
                code = self.take()
                if code.lower() in _ESCAPES:
                    test = _ESCAPES[code.lower()]
                    tests.append(test if code.islower() else _negation(test))
                    firsts.append(_FIRST.get(code, "a"))
                    continue
                self.at -= 1
                char = self.escape()
            if self.peek() == "-" and self.text[self.at + 1 : self.at + 2] not in ("]", ""):
                self.take()
                end = self.take()
                if end == "\\":
                    end = self.escape()
                tests.append(_between(char, end))
            else:
                tests.append(_between(char, char))
            firsts.append(char)
        self.take()
        for candidate in ([] if negated else firsts) + list(_PRINTABLE):
            if any(test(candidate) for test in tests) != negated:
                return candidate
        raise _Unsupported("empty class")


def _negation(test: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda c: not test(c)


def _between(low: str, high: str) -> Callable[[str], bool]:
    return lambda c: low <= c <= high


@lru_cache(maxsize=4096)  # a spec repeats its patterns across operations; the answer is pure
def sample(pattern: str, length: int | None = None) -> str | None:
    """The shortest string matching `pattern` (or one of exactly `length` characters), else None."""
    try:
        shortest = _build(pattern, 0)
        text = shortest if length is None else _build(pattern, length - len(shortest))
        if length is not None and len(text) != length:
            return None
        return text if re.search(pattern, text) else None
    except (_Unsupported, re.error, ValueError, IndexError, RecursionError):
        return None


def _build(pattern: str, need: int) -> str:
    if need < 0:
        raise _Unsupported("shorter than the shortest match")
    builder = _Builder(pattern, need)
    text = builder.alternation()
    if builder.at != len(pattern):
        raise _Unsupported("unbalanced group")
    return text
