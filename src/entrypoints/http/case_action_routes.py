"""`/api/v1/queue/{entry_id}/help` and `/flag`: calls for attention on a case.

Thin, like `queue_routes`: the body becomes the use case's arguments (every wrong field listed
at once), the result JSON through the one converter. Asking for help and flagging need
decision:create at the door, and the domain lets only the case's holder or a senior do it;
clearing a flag is a senior's call (decision:approve_override), with a note saying why.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen
from litestar import Controller, delete, get, post
from litestar.params import FromPath

from adapters.serialization import structure, unstructure
from application.credit.case_flagging import (
    ClearFlag,
    FlagCase,
    GetCaseAttention,
    RequestHelp,
)
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.openapi_docs import DocumentedJSON

BASE = "/api/v1/queue"
_P = Permission


@frozen
class HelpRequestBody:
    """What the analyst asks the seniors (10 to 1,000 characters)."""

    message: str


@frozen
class FlagBody:
    """Why the case needs special attention: a reason category and an optional note."""

    reason: str
    note: str = ""


@frozen
class ClearFlagBody:
    """Why the flag no longer applies."""

    note: str


class CaseActionsController(Controller):
    path = BASE
    tags = ["queue"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get("/{entry_id:str}/attention", summary="A case's flag and help requests",
         operation_id="getCaseAttention", sync_to_thread=True,
         **requires(_P.QUEUE_VIEW))  # fmt: skip
    def attention(
        self, deps: AppDeps, principal: CurrentPrincipal, entry_id: FromPath[str]
    ) -> dict[str, Any]:
        body: dict[str, Any] = unstructure(GetCaseAttention(deps.uow())(principal, entry_id))
        return body

    @post("/{entry_id:str}/help", summary="Ask the senior analysts for help with a case",
          operation_id="requestHelp", status_code=201, sync_to_thread=True,
          **requires(_P.DECISION_CREATE))  # fmt: skip
    def request_help(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        entry_id: FromPath[str],
        data: DocumentedJSON[HelpRequestBody],
    ) -> dict[str, Any]:
        request = structure(data, HelpRequestBody)
        asked = RequestHelp(deps.uow(), deps.clock, deps.ids)(principal, entry_id, request.message)
        body: dict[str, Any] = unstructure(asked)
        return body

    @post("/{entry_id:str}/flag", summary="Flag a case for review",
          operation_id="flagCase", status_code=201, sync_to_thread=True,
          **requires(_P.DECISION_CREATE))  # fmt: skip
    def flag(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        entry_id: FromPath[str],
        data: DocumentedJSON[FlagBody],
    ) -> dict[str, Any]:
        request = structure(data, FlagBody)
        flagged = FlagCase(deps.uow(), deps.clock)(
            principal, entry_id, request.reason, request.note
        )
        body: dict[str, Any] = unstructure(flagged)
        return body

    @delete("/{entry_id:str}/flag", summary="Clear a case's flag",
            operation_id="clearCaseFlag", status_code=200, sync_to_thread=True,
            **requires(_P.DECISION_APPROVE_OVERRIDE))  # fmt: skip
    def clear_flag(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        entry_id: FromPath[str],
        data: DocumentedJSON[ClearFlagBody],
    ) -> dict[str, Any]:
        """Body `{"note": ...}`: why the flag no longer applies; answers the flag cleared."""
        request = structure(data, ClearFlagBody)
        cleared = ClearFlag(deps.uow(), deps.clock)(principal, entry_id, request.note)
        body: dict[str, Any] = unstructure(cleared)
        return body
