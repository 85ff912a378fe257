"""Python source for generated tests: literals from JSON values, and expressions laid out the way
`ruff format` lays them out (flat when they fit the line, else one element per line with a
trailing comma), so the files read like hand-written code and pass a formatter unchanged.

Expressions are small trees (`Atom`, `Call`, `Bracket`, `Pair`) rendered by `layout`; nothing here
depends on dict order or hashing, which keeps rendering byte-for-byte deterministic.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping

from attrs import frozen

LINE = 100
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@frozen
class Atom:
    """Text that is never broken across lines (a name, a literal, a lambda)."""

    text: str


@frozen
class Pair:
    """`key: value` in a dict or `name=value` in a call; only the value may break."""

    head: str  # the key and separator, e.g. '"name": ' or 'max_size='
    value: Node


@frozen
class Bracket:
    """Elements between brackets: a call's arguments, a list, a dict, a tuple."""

    opening: str  # e.g. "st.lists(" or "{" or "("
    items: tuple[Node, ...]
    closing: str
    single_comma: bool = False  # a one-element tuple needs its comma even when flat


Node = Atom | Pair | Bracket


def call(function: str, *args: Node, **kwargs: Node | None) -> Bracket:
    """A call; keyword arguments given as None are left out (absent bounds, for instance)."""
    pairs = tuple(Pair(f"{name}=", value) for name, value in kwargs.items() if value is not None)
    return Bracket(f"{function}(", (*args, *pairs), ")")


def flat(node: Node) -> str:
    if isinstance(node, Atom):
        return node.text
    if isinstance(node, Pair):
        return node.head + flat(node.value)
    inner = ", ".join(flat(item) for item in node.items)
    comma = "," if node.single_comma and len(node.items) == 1 else ""
    return f"{node.opening}{inner}{comma}{node.closing}"


def layout(node: Node, indent: int, column: int | None = None, after: int = 0) -> str:
    """The node's text starting at `column` (default: `indent`), `after` characters following
    it on its last line (a comma, a closing bracket), broken only as far as needed."""
    start = indent if column is None else column
    text = flat(node)
    if start + len(text) + after <= LINE or isinstance(node, Atom):
        return text
    if isinstance(node, Pair):
        return node.head + layout(node.value, indent, start + len(node.head), after)
    if not node.items:
        return text
    inner = indent + 4
    lines = [layout(item, inner, inner, 1) + "," for item in node.items]
    body = "".join(f"\n{' ' * inner}{line}" for line in lines)
    return f"{node.opening}{body}\n{' ' * indent}{node.closing}"


def string(text: str) -> str:
    """A string literal, double-quoted unless the text holds double quotes only."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text:
        return '"' + literal[1:-1].replace("\\'", "'") + '"'
    return literal


def string_node(text: str) -> Atom:
    """A long run of one character (a boundary probe) reads better as `"a" * 256`."""
    if len(text) > 20 and len(set(text)) == 1:
        return Atom(f"{string(text[0])} * {len(text)}")
    return Atom(string(text))


def value(data: object) -> Node:
    """A Python expression equal to a decoded JSON value; object members in key order."""
    if data is None or isinstance(data, bool):
        return Atom(repr(data))
    if isinstance(data, int):
        return Atom(str(data))
    if isinstance(data, float):
        if math.isnan(data) or math.isinf(data):
            return Atom(f'float("{data}")')
        return Atom(repr(data))
    if isinstance(data, str):
        return string_node(data)
    if isinstance(data, Mapping):
        members = sorted(data.items(), key=lambda member: str(member[0]))
        return Bracket("{", tuple(Pair(f"{string(str(k))}: ", value(v)) for k, v in members), "}")
    if isinstance(data, list | tuple):
        return Bracket("[", tuple(value(item) for item in data), "]")
    raise TypeError(f"not a JSON value: {type(data).__name__}")


def pairs_dict(pairs: tuple[tuple[str, str], ...]) -> Node:
    """Parameters as a dict literal in the case's order; a list of pairs when a name repeats."""
    names = [name for name, _ in pairs]
    if len(set(names)) == len(names):
        return Bracket("{", tuple(Pair(f"{string(k)}: ", string_node(v)) for k, v in pairs), "}")
    return Bracket(
        "[",
        tuple(
            Bracket("(", (Atom(string(k)), string_node(v)), ")", single_comma=False)
            for k, v in pairs
        ),
        "]",
    )


def docstring(lines: list[str], indent: int) -> str:
    """A docstring of `lines` ("" for a blank line) whose text cannot end it early or smuggle
    escapes; the first line follows the opening quotes, as PEP 257 has it."""
    pad = " " * indent
    cleaned = [_docstring_text(line) for line in lines]
    if len(cleaned) == 1:
        text = cleaned[0]
        if text.endswith('"') and not text.endswith('\\"'):  # a quote right before the end
            text = text[:-1] + '\\"'
        return f'{pad}"""{text}"""'
    body = "".join(f"\n{pad}{line}" if line else "\n" for line in cleaned[1:])
    return f'{pad}"""{cleaned[0]}{body}\n{pad}"""'


def plain_text(text: str) -> str:
    """Text safe in a comment or docstring: control characters, lone surrogates and Unicode
    line or paragraph separators become spaces (they would end a line, or the file's UTF-8)."""
    return "".join(" " if unicodedata.category(c) in _UNSAFE else c for c in text)


_UNSAFE = frozenset({"Cc", "Cs", "Zl", "Zp"})


def _docstring_text(line: str) -> str:
    text = plain_text(line).replace("\\", "\\\\")
    return text.replace('"', '\\"') if '"""' in text else text


def constant_name(text: str, taken: set[str]) -> str:
    """An UPPER_CASE module constant from a schema name (`NewPet` -> `NEW_PET`), unique."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)
    base = re.sub(r"[^A-Za-z0-9]+", "_", spaced).strip("_").upper() or "SCHEMA"
    if not _IDENTIFIER.match(base):
        base = f"S_{base}"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}_{number}", number + 1
    taken.add(name)
    return name
