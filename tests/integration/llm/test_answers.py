"""`CattrsAnswerReader`: strict like every input, every problem named, the answer never quoted."""

from __future__ import annotations

from enum import StrEnum

import pytest
from attrs import field, frozen
from attrs.validators import in_

from adapters.llm.answers import CattrsAnswerReader
from application.llm.ports import AnswerInvalid, FailureCause


class Risk(StrEnum):
    LOW = "low"
    HIGH = "high"


@frozen
class Factor:
    name: str
    evidence: str


@frozen
class Assessment:
    outcome: str = field(validator=in_(["approve", "refer", "decline"]))
    risk: Risk
    confidence: float
    factors: tuple[Factor, ...]


def invalid(content: str) -> AnswerInvalid:
    with pytest.raises(AnswerInvalid) as refused:
        CattrsAnswerReader().read(content, Assessment)
    return refused.value


def test_a_good_answer_becomes_the_value_asked_for() -> None:
    content = (
        '{"outcome": "refer", "risk": "high", "confidence": 1,'
        ' "factors": [{"name": "debt ratio", "evidence": "0.61"}]}'
    )
    assert CattrsAnswerReader().read(content, Assessment) == Assessment(
        "refer", Risk.HIGH, 1.0, (Factor("debt ratio", "0.61"),)
    )


def test_text_that_is_not_json_is_malformed_and_only_its_position_is_given() -> None:
    refused = invalid('{"outcome": "refer", my secret reasoning')
    assert refused.cause is FailureCause.MALFORMED_JSON
    assert refused.detail == "Expecting property name enclosed in double quotes at line 1 column 22"


def test_every_problem_of_the_shape_is_named_by_its_path() -> None:
    refused = invalid(
        '{"outcome": "refer", "risk": "mid", "confidence": "high",'
        ' "factors": [{"name": 7}], "verdict": "x"}'
    )
    assert refused.cause is FailureCause.SCHEMA_MISMATCH
    problems = refused.detail.split("; ")
    assert len(problems) == 5
    assert any(p.endswith("@ $.risk") and "'mid' is not a valid Risk" in p for p in problems)
    assert any(p.endswith("@ $.confidence") for p in problems)
    assert any(p.endswith("@ $.factors[0].name") for p in problems)
    assert "required field missing @ $.factors[0].evidence" in problems
    assert "extra fields found (verdict) @ $" in problems


def test_an_attrs_validator_is_a_schema_mismatch_with_its_message() -> None:
    refused = invalid('{"outcome": "maybe", "risk": "low", "confidence": 0.5, "factors": []}')
    assert refused.cause is FailureCause.SCHEMA_MISMATCH
    assert "'outcome' must be in" in refused.detail


@pytest.mark.parametrize("content", ["[]", "12", '"refer"', "null"])
def test_json_that_is_no_object_is_a_schema_mismatch(content: str) -> None:
    assert invalid(content).cause is FailureCause.SCHEMA_MISMATCH


def test_a_long_message_is_cut_short() -> None:
    refused = invalid(
        '{"outcome": "' + "x" * 5_000 + '", "risk": "low", "confidence": 0.5, "factors": []}'
    )
    assert len(refused.detail) < 300
