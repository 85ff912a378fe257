"""A deterministic stand-in for a model asked for unit tests: it writes tests from what the
`testgen.unit` prompt gives it, nothing else.

From the unit's signature it builds calls with simple values for the annotated parameters
(text chosen by the parameter's name, numbers, booleans, bytes, decimals, and the members of
enums the prompt lists as related) and checks the documented return type; docstring examples
(`>>> expr` then the expected value) become equality checks; enum members are looked up by
value. Like a real model it also gets things wrong, on purpose and in known proportions: an
assertion of a made-up value (fails), a repeat of its first test (adds no coverage), and for
about one unit in four a test that does not compile. It never reads or runs the module, so what
the gate keeps measures the gate on plausible proposals, not a model's skill.
"""

from __future__ import annotations

import ast
import re
import zlib
from collections.abc import Mapping, Sequence

from attrs import frozen

#: Values to try per annotation, written as source.
_VALUES: Mapping[str, tuple[str, ...]] = {
    "str": ('"Ada Lovelace"', '""', '"x"'),
    "int": ("1", "0", "-5", "1000"),
    "float": ("0.5", "0.0", "-1.0"),
    "bool": ("True", "False"),
    "bytes": ('b"{}"', 'b""'),
    "Decimal": ('Decimal("12.50")', 'Decimal("0")', 'Decimal("-1")'),
}
#: Text a writer would pick from a parameter's name.
_BY_NAME: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("email", ('"jane.doe@example.com"', '"no-at-sign"', '""')),
    ("digits", ('"442079460958"', '"1"', '""')),
    ("phone", ('"+44 20 7946 0958"', '"0044 20 7946 0958"', '"12"')),
    ("currency", ('"EUR"', '"eur"', '"EURO"')),
    ("code", ('"EUR"', '"12"', '""')),
    ("amount", ('"12.50"', '"0"', '"-3"')),
    ("url", ('"https://hooks.example.com/in"', '"http://[::1"', '"ftp://example.com"')),
    ("secret", ('"a-secret-of-at-least-thirty-two-chars"', '"short"', '""')),
    ("date", ('"1990-05-17"', '"17/05/1990"', '""')),
    ("name", ('"Ada Lovelace"', '"Ada"', '""')),
    ("key", ('"email"', '"national_id"', '"notes"')),
    ("header", ('"t=1700000000,v1=abc"', '"v1=abc"', '""')),
    ("id", ('"AB123456C"', '"123"', '""')),
)
_RETURNS = {"str", "int", "float", "bool", "bytes", "tuple", "dict", "list", "Decimal"}


@frozen
class _Prompt:
    module: str
    kind: str
    unit: str
    signature: str
    docstring: str
    members: str
    enums: Mapping[str, tuple[str, ...]]  # related enum -> its member names


def answer_for(prompt_text: str) -> dict[str, object]:
    """The JSON answer (imports and tests) to one unit-test prompt."""
    prompt = _read(prompt_text)
    imports = [f"from {prompt.module} import {prompt.unit}"]
    if prompt.kind == "function":
        tests = _calls(prompt, prompt.unit, prompt.unit, prompt.signature, imports)
    else:
        tests = _class_tests(prompt, imports)
    tests += _examples(prompt.unit, prompt.docstring)
    snake = _snake(prompt.unit)
    if tests:
        first = tests[0]
        tests.append(dict(first))  # a repeat: covers nothing new
        call = _first_call(first["source"])
        if call:
            wrong = f"def test_{snake}_documented_value():\n"
            wrong += f"    assert {call} == 'a value the docstring never promised'\n"
            tests.append({"name": f"test_{snake}_documented_value", "source": wrong})
    if zlib.crc32(prompt.unit.encode()) % 4 == 0:
        broken = f"def test_{snake}_broken(:\n    assert {prompt.unit}\n"
        tests.append({"name": f"test_{snake}_broken", "source": broken})
    return {"imports": sorted(set(imports)), "tests": tests}


def _read(prompt: str) -> _Prompt:
    """`Module:` and `Unit:` lines, and the blocks under `Signature:`, `Docstring:`,
    `Members:` and `Related:`."""
    fields: dict[str, str] = {}
    block: str | None = None
    for line in prompt.splitlines():
        single = re.match(r"^(Module|Unit): (.*)$", line)
        opening = re.match(r"^(Signature|Docstring|Members|Related):$", line)
        if single:
            fields[single.group(1)], block = single.group(2).strip(), None
        elif opening:
            block = opening.group(1)
            fields[block] = ""
        elif line.startswith(("Write up to", "Module docstring:", "Import from it as:")):
            block = None
        elif block is not None:
            fields[block] = fields.get(block, "") + line + "\n"
    kind, _, unit = fields.get("Unit", "").partition(" ")
    enums: dict[str, tuple[str, ...]] = {}
    for header, body in re.findall(
        r"^class (\w+)\([^)]*Enum\)\n((?:[A-Z][A-Z0-9_]* = .*\n)+)",
        fields.get("Related", ""),
        re.MULTILINE,
    ):
        enums[header] = tuple(re.findall(r"^([A-Z][A-Z0-9_]*) = ", body, re.MULTILINE))
    return _Prompt(
        module=fields.get("Module", ""),
        kind=kind,
        unit=unit,
        signature=fields.get("Signature", ""),
        docstring=fields.get("Docstring", ""),
        members=fields.get("Members", ""),
        enums=enums,
    )


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower().replace(".", "_")


def _parameters(signature: str) -> tuple[list[tuple[ast.arg, bool]], str] | None:
    """The required parameters (no defaults) with whether each is keyword-only, and the return
    annotation."""
    lines = [line for line in signature.splitlines() if line and not line.startswith("@")]
    try:
        node = ast.parse(lines[0].strip() + ": ...").body[0]
    except (SyntaxError, IndexError):
        return None
    if not isinstance(node, ast.FunctionDef):
        return None
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    required = [(a, False) for a in positional[: len(positional) - len(args.defaults)]]
    required += [
        (a, True) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is None
    ]
    returns = ast.unparse(node.returns) if node.returns is not None else ""
    return [(a, k) for a, k in required if a.arg not in {"self", "cls"}], returns


def _values(prompt: _Prompt, arg: ast.arg, imports: list[str]) -> tuple[str, ...] | None:
    annotation = ast.unparse(arg.annotation) if arg.annotation is not None else ""
    first = annotation.split(" | ")[0]
    if first in prompt.enums:
        imports.append(f"from {prompt.module} import {first}")
        return tuple(f"{first}.{member}" for member in prompt.enums[first])
    if first == "str":
        hinted = next((v for hint, v in _BY_NAME if hint in arg.arg.lower()), None)
        return hinted or _VALUES["str"]
    values = _VALUES.get(first)
    if values and first == "Decimal":
        imports.append("from decimal import Decimal")
    return values


def _arguments(
    prompt: _Prompt, required: Sequence[tuple[ast.arg, bool]], variant: int, imports: list[str]
) -> str | None:
    """The call's arguments for one variant, or None when a type cannot be built."""
    rendered = []
    for position, (arg, keyword_only) in enumerate(required):
        values = _values(prompt, arg, imports)
        if values is None:
            return None
        value = values[(variant + position) % len(values)]
        rendered.append(f"{arg.arg}={value}" if keyword_only else value)
    return ", ".join(rendered)


def _calls(
    prompt: _Prompt, name: str, call: str, signature: str, imports: list[str]
) -> list[dict[str, str]]:
    parsed = _parameters(signature)
    if parsed is None:
        return []
    required, returns = parsed
    tests = []
    for variant in range(3 if required else 1):
        arguments = _arguments(prompt, required, variant, imports)
        if arguments is None:
            break
        test = f"test_{_snake(name)}_{variant + 1}"
        expression = f"{call}({arguments})"
        base = returns.split("[")[0]
        if base in _RETURNS:
            check = f"assert isinstance({expression}, {base})"
            if base == "Decimal":
                imports.append("from decimal import Decimal")
        elif returns == "None":
            check = f"assert {expression} is None"
        else:
            check = f"assert {expression} is not None"
        tests.append({"name": test, "source": f"def {test}():\n    {check}\n"})
    return tests


def _class_tests(prompt: _Prompt, imports: list[str]) -> list[dict[str, str]]:
    name, members = prompt.unit, prompt.members
    tests: list[dict[str, str]] = []
    constants = re.findall(r"^([A-Z][A-Z0-9_]*) = '([^']*)'$", members, re.MULTILINE)
    if "Enum" in prompt.signature and constants:
        for member, value in constants[:3]:
            test = f"test_{_snake(name)}_{member.lower()}_by_value"
            source = f"def {test}():\n    assert {name}({value!r}) is {name}.{member}\n"
            tests.append({"name": test, "source": source})
        for method in re.findall(r"^def (\w+)\(self\)", members, re.MULTILINE):
            for member, _value in constants:
                test = f"test_{_snake(name)}_{member.lower()}_{method}"
                call = f"{name}.{member}.{method}()"
                tests.append({"name": test, "source": f"def {test}():\n    {call}\n"})
    for method in re.findall(r"^@(?:classmethod|staticmethod)\n(def \w+\(.*)$", members, re.M):
        method_name = method[4 : method.index("(")]
        call = f"{name}.{method_name}"
        tests += _calls(prompt, f"{name}_{method_name}", call, method, imports)
    return tests


def _examples(name: str, docstring: str) -> list[dict[str, str]]:
    """`>>> expression` followed by its expected value, as an equality check."""
    found = re.findall(r">>> (.+)\n\s*([^>\s].*)", docstring)
    return [
        {
            "name": f"test_{_snake(name)}_example_{index}",
            "source": f"def test_{_snake(name)}_example_{index}():\n"
            f"    assert {expression.strip()} == {expected.strip()}\n",
        }
        for index, (expression, expected) in enumerate(found, start=1)
    ]


def _first_call(source: str) -> str:
    found = re.search(r"assert (?:isinstance\()?(\w[\w.]*\(.*?\))(?:,| is|$)", source, re.M)
    return found.group(1) if found else ""
