"""`ProposeTests`: a language model proposes extra test cases for one operation of a suite.

The model is told what the spec documents for the operation and which tests the rules already
made; its proposals are checked against the spec by the domain (`review_proposals`), and those
that fit are kept in a new version of the spec, in the operation's `x-creditdesk-proposals`
extension, submitted like any spec. The new suite therefore goes through review and the gate
like every other, its changes against the suite asked about list the proposed tests as new, and
it is generated from its stored spec alone, with no table of its own. Dropped proposals come
back with their reasons; when the model gives no usable answer, the cause comes back instead
and nothing is stored (with no model configured, the cause is "not_configured": the entry
points name the settings to set).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from attrs import frozen

from application.errors import NotFound
from application.llm.gateway import Fallback, LlmGateway
from application.llm.ports import CallOutcome
from application.testgen.common import Generator, generated, load_suite, operation_of
from application.testgen.ports import TestgenUnitOfWork
from application.testgen.proposal_prompt import proposals_request
from application.testgen.submit import SubmitSpec
from application.testgen.views import Origin, SpecUpload, SubmitResult
from domain.identity import Permission, Principal, authorize
from domain.testgen.openapi import ApiSpec, Operation
from domain.testgen.proposals import (
    DroppedProposal,
    ProposalAnswer,
    review_proposals,
    with_proposals,
)
from domain.testgen.rules.operations import name_of

__all__ = ["ProposalResult", "ProposeTests", "find_operation"]


@frozen
class ProposalResult:
    """What came of asking: the titles kept, those dropped with reasons, the model's call
    (answered or cached), or the cause when it gave nothing usable; `suite` is the new suite
    holding the kept proposals (None when none was kept)."""

    suite_id: str
    operation: str
    accepted: tuple[str, ...]
    dropped: tuple[DroppedProposal, ...]
    outcome: CallOutcome
    fallback: str | None = None
    suite: SubmitResult | None = None


def find_operation(spec: ApiSpec, wanted: str) -> Operation:
    """The operation named by its operationId, its generated name, or "METHOD /path"."""
    method, _, path = wanted.strip().partition(" ")
    for op in spec.operations:
        if wanted in (op.operation_id, name_of(spec, op)):
            return op
        if path and op.method.lower() == method.lower() and op.path == path.strip():
            return op
    raise NotFound("operation", wanted)


@frozen
class ProposeTests:
    uow: Callable[[], TestgenUnitOfWork]
    gateway: LlmGateway
    generate: Generator
    submit: SubmitSpec
    wanted: int = 5

    def __call__(
        self, principal: Principal, suite_id: str, operation: str, origin: Origin
    ) -> ProposalResult:
        authorize(principal, Permission.TESTGEN_SUBMIT)
        with self.uow() as uow:
            stored, spec_record = load_suite(uow, principal.tenant_id, suite_id)
        whole = generated(stored, spec_record, self.generate)
        op = find_operation(whole.spec, operation)
        label = f"{op.method.upper()} {op.path}"
        existing = [c.title for c in whole.suite.cases if operation_of(whole.spec, c) == op]
        request = proposals_request(whole.spec, op, existing, self.wanted)
        asked = self.gateway.ask(principal.tenant_id, request, ProposalAnswer)
        if isinstance(asked, Fallback):
            return ProposalResult(
                suite_id, label, (), (), asked.call.outcome, fallback=asked.cause.value
            )
        review = review_proposals(whole.spec, op, asked.value)
        accepted = tuple(p.title.strip() for p in review.accepted)
        if not review.accepted:
            return ProposalResult(suite_id, label, accepted, review.dropped, asked.call.outcome)
        document = with_proposals(whole.document, op, review.accepted)
        content = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
        source = f"proposals for {label} on suite {suite_id}"
        submitted = self.submit(principal, SpecUpload(content, origin, source))
        return ProposalResult(
            suite_id, label, accepted, review.dropped, asked.call.outcome, suite=submitted
        )
