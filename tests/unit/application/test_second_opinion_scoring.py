"""Scoring with a second opinion: it may send a case to review, never decide, and a silent
adviser leaves the model's result standing with the cause recorded."""

from __future__ import annotations

from decimal import Decimal

import pytest

from application.llm.gateway import LlmBudget
from application.llm.ports import CallOutcome, FailureCause
from domain.credit.routing import RoutingOutcome, RoutingReason
from domain.credit.second_opinion import RiskLevel, SuggestedOutcome
from domain.credit.second_opinion_record import OpinionOutcome, OpinionTrigger
from domain.credit.status import ApplicationStatus
from tests.unit.application.helpers import APPROVE_PD, DECLINE_PD, REVIEW_PD, WORKER
from tests.unit.application.second_opinion_desk import OpinionDesk, answer


@pytest.fixture
def desk() -> OpinionDesk:
    return OpinionDesk()


def test_a_disagreeing_opinion_sends_an_automatic_approval_to_review(desk: OpinionDesk) -> None:
    desk.model.answer(answer("decline", "high", 0.7), input_tokens=900, output_tokens=150)
    application = desk.submitted()

    result = desk.advised_scoring(APPROVE_PD)(WORKER, application.id)

    assert result.routing.outcome is RoutingOutcome.HUMAN_REVIEW
    assert result.routing.reasons == (
        RoutingReason.SCORE_ABOVE_THRESHOLD,
        RoutingReason.SECOND_OPINION,
    )
    assert desk.status(application.id) is ApplicationStatus.REVIEW
    entry = desk.entry_of(application.id)
    assert entry is not None
    assert "second_opinion" in entry.routing_reasons
    assert desk.decisions_of(application.id) == []
    [record] = desk.opinions(application.id)
    assert record.trigger is OpinionTrigger.SCORING
    assert record.outcome is OpinionOutcome.ANSWERED
    assert record.routing_changed
    assert record.opinion is not None
    assert record.opinion.suggested_outcome is SuggestedOutcome.DECLINE
    assert record.opinion.risk_level is RiskLevel.HIGH
    assert (record.model, record.input_tokens, record.output_tokens) == ("scripted-model", 900, 150)
    assert record.prompt_version == "credit-second-opinion/1"
    scored = next(e for e in desk.events() if e.action == "application.scored")
    assert scored.new is not None
    assert scored.new["second_opinion"] == {
        "id": record.id,
        "outcome": "answered",
        "routing_changed": True,
    }


@pytest.mark.parametrize(
    ("pd", "text", "outcome"),
    [
        (APPROVE_PD, answer("approve", "medium"), RoutingOutcome.AUTO_APPROVE),
        (DECLINE_PD, answer("decline", "high"), RoutingOutcome.AUTO_DECLINE),
        (REVIEW_PD, answer("approve", "low", 0.99), RoutingOutcome.HUMAN_REVIEW),
        (REVIEW_PD, answer("decline", "high", 0.99), RoutingOutcome.HUMAN_REVIEW),
    ],
)
def test_an_agreeing_opinion_or_one_on_a_case_in_review_changes_nothing(
    desk: OpinionDesk, pd: float, text: str, outcome: RoutingOutcome
) -> None:
    desk.model.answer(text)
    application = desk.submitted()

    result = desk.advised_scoring(pd)(WORKER, application.id)

    assert result.routing.outcome is outcome
    assert RoutingReason.SECOND_OPINION not in result.routing.reasons
    [record] = desk.opinions(application.id)
    assert record.outcome is OpinionOutcome.ANSWERED
    assert not record.routing_changed


@pytest.mark.parametrize(
    ("script", "cause"),
    [
        ("not json {", FailureCause.MALFORMED_JSON),
        (answer(suggested="maybe"), FailureCause.SCHEMA_MISMATCH),
        (answer(confidence=1.5), FailureCause.SCHEMA_MISMATCH),
        (answer(extra_key="x"), FailureCause.SCHEMA_MISMATCH),
        (answer(key_factors=[]), FailureCause.SCHEMA_MISMATCH),
        (FailureCause.REFUSAL, FailureCause.REFUSAL),
        (FailureCause.TIMEOUT, FailureCause.TIMEOUT),
        (FailureCause.RATE_LIMITED, FailureCause.RATE_LIMITED),
        (FailureCause.SERVER_ERROR, FailureCause.SERVER_ERROR),
        (FailureCause.CONNECTION, FailureCause.CONNECTION),
        (FailureCause.TRUNCATED, FailureCause.TRUNCATED),
    ],
)
def test_every_failure_falls_back_to_the_models_result_and_records_its_cause(
    desk: OpinionDesk, script: str | FailureCause, cause: FailureCause
) -> None:
    if isinstance(script, FailureCause):
        desk.model.fail(script)
    else:
        desk.model.answer(script)
    application = desk.submitted()

    result = desk.advised_scoring(APPROVE_PD)(WORKER, application.id)

    assert result.routing.outcome is RoutingOutcome.AUTO_APPROVE
    assert RoutingReason.SECOND_OPINION not in result.routing.reasons
    assert desk.status(application.id) is ApplicationStatus.APPROVED
    [record] = desk.opinions(application.id)
    assert record.outcome is OpinionOutcome.FALLBACK
    assert record.fallback_cause == cause.value
    assert record.opinion is None
    assert not record.routing_changed
    scored = next(e for e in desk.events() if e.action == "application.scored")
    assert scored.new is not None
    assert scored.new["second_opinion"] == {
        "id": record.id,
        "outcome": "fallback",
        "cause": cause.value,
        "routing_changed": False,
    }
    [call] = desk.ledger.calls
    assert call.outcome is CallOutcome.FALLBACK
    assert call.cause is cause


def test_an_exhausted_budget_falls_back_without_asking_the_model() -> None:
    desk = OpinionDesk(budget=LlmBudget(daily_tokens=1_000))
    desk.model.answer(answer("approve"), input_tokens=900, output_tokens=200)
    first, second = desk.submitted("LND-1"), desk.submitted("LND-2", amount=None, term_months=60)

    desk.advised_scoring(APPROVE_PD)(WORKER, first.id)
    result = desk.advised_scoring(APPROVE_PD)(WORKER, second.id)

    assert result.routing.outcome is RoutingOutcome.AUTO_APPROVE
    [record] = desk.opinions(second.id)
    assert record.fallback_cause == "budget_exhausted"
    assert len(desk.model.requests) == 1


def test_the_same_figures_are_answered_from_the_cache_without_calling_the_model(
    desk: OpinionDesk,
) -> None:
    desk.model.answer(answer("review", "medium"), input_tokens=900, output_tokens=150)
    first = desk.submitted("LND-1", first_name="Ana")
    twin = desk.submitted("LND-2", first_name="Mila", last_name="Petrović")

    desk.advised_batch(APPROVE_PD)(WORKER, [first.id, twin.id])

    assert len(desk.model.requests) == 1
    [answered] = desk.opinions(first.id)
    [cached] = desk.opinions(twin.id)
    assert answered.outcome is OpinionOutcome.ANSWERED
    assert cached.outcome is OpinionOutcome.CACHED
    assert cached.opinion == answered.opinion
    assert (cached.input_tokens, cached.cost) == (0, Decimal(0))
    assert answered.routing_changed
    assert cached.routing_changed
    assert [c.outcome for c in desk.ledger.calls] == [CallOutcome.ANSWERED, CallOutcome.CACHED]


def test_scoring_without_an_adviser_asks_nothing_and_keeps_its_audit_event(
    desk: OpinionDesk,
) -> None:
    application = desk.submitted()

    desk.score(WORKER, application.id)

    assert desk.opinions(application.id) == []
    scored = next(e for e in desk.events() if e.action == "application.scored")
    assert scored.new is not None
    assert "second_opinion" not in scored.new
    assert desk.ledger.calls == []
