"""The benchmark's stand-in model writes tests from the prompt alone, with known mistakes, and
second opinions the reader accepts."""

from __future__ import annotations

import json

from benchmarks.llm_opinions import opinion_for
from benchmarks.unit_test_responder import answer_for

from adapters.llm.answers import CattrsAnswerReader
from application.testgen.unit_prompt import unit_prompt
from domain.credit.second_opinion import SecondOpinion
from domain.testgen.unit_tests import ModuleOutline, UnitOutline

STATUS = UnitOutline(
    "Status", "class", "class Status(StrEnum)", "A state.", ("OPEN = 'open'", "SHUT = 'shut'")
)
OUTLINE = ModuleOutline(
    "shop.orders",
    "/src/shop/orders.py",
    "Orders.",
    (
        UnitOutline(
            "can_ship", "function", "def can_ship(status: Status, email: str) -> bool", "Doc."
        ),
        STATUS,
    ),
)


def _compiles(source: str) -> bool:
    try:
        compile(source, "t.py", "exec")
    except SyntaxError:
        return False
    return True


def test_calls_are_built_from_the_signature_and_the_related_enum() -> None:
    answer = answer_for(unit_prompt(OUTLINE, OUTLINE.units[0], 6))

    assert answer["imports"] == [
        "from shop.orders import Status",
        "from shop.orders import can_ship",
    ]
    tests = answer["tests"]
    assert isinstance(tests, list)
    sources = [t["source"] for t in tests]
    assert 'assert isinstance(can_ship(Status.OPEN, "no-at-sign"), bool)' in sources[0]
    assert 'can_ship(Status.SHUT, "")' in sources[1]
    assert sources.count(sources[0]) == 2  # the deliberate repeat
    assert any("never promised" in s for s in sources)  # the deliberately wrong one
    assert all(_compiles(s) or "broken" in s for s in sources)


def test_enum_members_are_looked_up_by_value() -> None:
    answer = answer_for(unit_prompt(OUTLINE, STATUS, 6))

    tests = answer["tests"]
    assert isinstance(tests, list)
    assert "assert Status('open') is Status.OPEN" in tests[0]["source"]


def test_the_stand_in_second_opinion_is_one_the_reader_accepts() -> None:
    reader = CattrsAnswerReader()

    opinions = [reader.read(json.dumps(opinion_for(f"case {n}")), SecondOpinion) for n in range(9)]

    assert opinion_for("case 1") == opinion_for("case 1")
    assert len({o.suggested_outcome for o in opinions}) > 1
