"""`POST /api/v1/testgen/suites/{suite_id}/proposals`: the language model proposes extra test
cases for one operation of a suite (testgen:submit).

A thin door onto `ProposeTests`: the answer lists the proposals kept and those dropped with
the reason, and the new suite that holds the kept ones (pending review), if any. When the model
gives no usable answer, `fallback` names the cause ("not_configured" when no model is set up:
`hint` then names the settings) and nothing is stored: the model is an adviser, so its silence
is an answer, not a server error. Another tenant's suite is not found.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen
from litestar import Controller, post
from litestar.params import FromPath

from adapters.serialization import structure
from application.llm.ports import FailureCause
from application.testgen.propose import ProposalResult
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.openapi_docs import DocumentedJSON
from entrypoints.http.testgen_json import BASE, submit_json
from entrypoints.testgen_proposals import LLM_SETTINGS_HINT, propose_tests

MAX_OPERATION = 300


@frozen
class ProposalBody:
    """The operation to propose tests for: its operationId, or "METHOD /path"."""

    operation: str

    def checked(self) -> ProposalBody:
        if not self.operation.strip() or len(self.operation) > MAX_OPERATION:
            problem = Problem("operation", f"must be 1 to {MAX_OPERATION} characters")
            raise ValidationFailed((problem,))
        return self


def proposals_json(result: ProposalResult) -> dict[str, Any]:
    body: dict[str, Any] = {
        "suite_id": result.suite_id,
        "operation": result.operation,
        "outcome": result.outcome.value,
        "fallback": result.fallback,
        "accepted": list(result.accepted),
        "dropped": [{"title": d.title, "reason": d.reason} for d in result.dropped],
        "suite": submit_json(result.suite) if result.suite is not None else None,
    }
    if result.fallback == FailureCause.NOT_CONFIGURED.value:
        body["hint"] = LLM_SETTINGS_HINT
    return body


class TestgenProposalsController(Controller):
    path = BASE
    tags = ["testgen"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @post("/{suite_id:str}/proposals",
          summary="Ask the language model for extra test cases of one operation",
          operation_id="proposeTests", status_code=200, sync_to_thread=True,
          **requires(Permission.TESTGEN_SUBMIT))  # fmt: skip
    def propose(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        suite_id: FromPath[str],
        data: DocumentedJSON[ProposalBody],
    ) -> dict[str, Any]:
        """Proposals that fit the spec go into a new suite version, pending review; the others
        are listed with the reason they were dropped."""
        body = structure(data, ProposalBody).checked()
        result = propose_tests(deps)(principal, suite_id, body.operation.strip(), "upload")
        return proposals_json(result)
