"""The table of the case action routes (help requests and flags), and the cases they act on,
stored straight through the unit of work like `casework` does."""

from __future__ import annotations

from typing import Any

from domain.credit.case_flags import CaseFlag, FlagReason
from domain.credit.queue import QueueStatus
from domain.identity import Permission
from entrypoints.composition import Deps
from tests.builders import NOW, TENANT
from tests.integration.http.casework import QUEUE, store_case

_P = Permission
HELP = f"{QUEUE}/{{entry_id:str}}/help"
FLAG = f"{QUEUE}/{{entry_id:str}}/flag"
ATTENTION = f"{QUEUE}/{{entry_id:str}}/attention"
QUESTION = {"message": "Is the second income on the payslip verifiable?"}
FLAGGING = {"reason": "document_concern", "note": "The payslip looks edited."}
CLEARING = {"note": "The employer confirmed the payslip."}

#: Every route of `case_action_routes`: (method, path as Litestar names it, body, permission).
ROUTES: list[tuple[str, str, dict[str, Any] | None, Permission]] = [
    ("GET", ATTENTION, None, _P.QUEUE_VIEW),
    ("POST", HELP, QUESTION, _P.DECISION_CREATE),
    ("POST", FLAG, FLAGGING, _P.DECISION_CREATE),
    ("DELETE", FLAG, CLEARING, _P.DECISION_APPROVE_OVERRIDE),
]
ROUTE_KEYS = frozenset((method, path) for method, path, _body, _permission in ROUTES)


def store_flag(deps: Deps, entry_id: str, *, tenant_id: str = TENANT) -> None:
    with deps.uow() as uow:
        uow.case_flags.add_flag(
            CaseFlag(
                tenant_id=tenant_id,
                entry_id=entry_id,
                reason=FlagReason.SUSPECTED_FRAUD,
                note="",
                flagged_by="user-analyst",
                flagged_at=NOW,
            )
        )
        uow.commit()


def store_held_case(
    deps: Deps, entry_id: str, holder: str, *, tenant_id: str = TENANT, flagged: bool = False
) -> str:
    """A case in progress with `holder` (flagged if asked); returns its application id."""
    application_id = store_case(
        deps, entry_id, tenant_id=tenant_id, status=QueueStatus.IN_PROGRESS, analyst_id=holder
    )
    if flagged:
        store_flag(deps, entry_id, tenant_id=tenant_id)
    return application_id
