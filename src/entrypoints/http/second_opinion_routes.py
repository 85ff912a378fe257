"""`/api/v1/applications/{application_id}/second-opinions`: read and ask for second opinions.

Reading needs application:view (whoever sees the application sees what was said about it);
asking needs decision:create (analysts, seniors, admins), since it spends the tenant's LLM
budget. Asking with no language model configured answers 409 with a problem saying LLM use is
not configured: the request is well formed and the route exists, but the deployment is in a
state that cannot serve it (as scoring answers 409 with no champion model). A fallback (the
model timed out, refused, broke the schema, the budget was spent) is not an error: it is a
stored record, answered 201 like any other, with its cause.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.params import FromPath

from adapters.serialization import unstructure
from application.credit.second_opinion_requests import ListSecondOpinions, RequestSecondOpinion
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.second_opinion_wiring import second_opinion_adviser

BASE = "/api/v1/applications"
_P = Permission


class SecondOpinionsController(Controller):
    path = BASE
    tags = ["applications"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get("/{application_id:str}/second-opinions", summary="An application's second opinions",
         operation_id="listSecondOpinions", sync_to_thread=True,
         **requires(_P.APPLICATION_VIEW))  # fmt: skip
    def list_opinions(
        self, deps: AppDeps, principal: CurrentPrincipal, application_id: FromPath[str]
    ) -> dict[str, Any]:
        """The records, newest first: each answered, cached or fallen back (with its cause)."""
        records = ListSecondOpinions(deps.uow())(principal, application_id)
        return {"items": [unstructure(record) for record in records]}

    @post("/{application_id:str}/second-opinions", summary="Ask for a second opinion",
          operation_id="requestSecondOpinion", status_code=201, sync_to_thread=True,
          **requires(_P.DECISION_CREATE))  # fmt: skip
    def request_opinion(
        self, deps: AppDeps, principal: CurrentPrincipal, application_id: FromPath[str]
    ) -> dict[str, Any]:
        """Asks the configured model about the scored application; the case is not moved.
        409 when LLM use is not configured or the application is not scored yet."""
        ask = RequestSecondOpinion(deps.uow(), deps.clock, second_opinion_adviser(deps))
        body: dict[str, Any] = unstructure(ask(principal, application_id))
        return body
