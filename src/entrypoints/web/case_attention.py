"""The workbench's values for a case's flag and help requests (`case_attention.html`).

Read through the same use case as `GET /api/v1/queue/{entry_id}/attention`; the dialogs'
limits come from the domain, so the page asks for what the API will accept.
"""

from __future__ import annotations

from typing import Any

from application.credit.case_flagging import GetCaseAttention
from domain.credit.case_flags import MAX_FLAG_NOTE, MAX_HELP_MESSAGE, MIN_HELP_MESSAGE, FlagReason
from domain.credit.queue import QueueEntry
from domain.identity import Permission, Principal, can
from entrypoints.composition import Deps

FLAG_REASONS = tuple(
    (reason.value, reason.value.replace("_", " ").capitalize()) for reason in FlagReason
)


def attention_values(deps: Deps, principal: Principal, entry: QueueEntry | None) -> dict[str, Any]:
    """The template's values: the case's attention (None without an open case) and limits."""
    attention = None if entry is None else GetCaseAttention(deps.uow())(principal, entry.id)
    return {
        "attention": attention,
        "can_clear_flag": can(principal, Permission.DECISION_APPROVE_OVERRIDE),
        "flag_reasons": FLAG_REASONS,
        "flag_note_max": MAX_FLAG_NOTE,
        "help_limits": (MIN_HELP_MESSAGE, MAX_HELP_MESSAGE),
    }
