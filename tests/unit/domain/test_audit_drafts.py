"""An event drafted without the chain and linked later is the event `record_event` builds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.audit import (
    AuditEvent,
    ChainMismatch,
    JsonValue,
    compute_hash,
    record_event,
    unchained_event,
)
from domain.audit_drafts import EventDraft, chain_event
from domain.audit_verification import verify_chain

from .json_strategies import optional_records

AT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
Record = dict[str, JsonValue] | None
#: Text that could be taken for the sequence's place in the hashed JSON, were it not escaped.
TRICKY = st.sampled_from(['","sequence":0,"tenant_id":"', ',"sequence":0,"tenant_id":', "t-1"])
tricky_records = st.dictionaries(
    st.sampled_from(["sequence", "tenant_id", "a", "status"]),
    st.integers(0, 2) | TRICKY,
    max_size=4,
)
steps = st.lists(
    st.tuples(optional_records | tricky_records, optional_records | tricky_records, TRICKY),
    min_size=1,
    max_size=5,
)


def _recorded(
    previous: AuditEvent | None, n: int, old: Record, new: Record, actor: str
) -> AuditEvent:
    return record_event(
        previous,
        tenant_id="t-1",
        occurred_at=AT + timedelta(minutes=n),
        actor=actor,
        action="application.routed",
        entity_type="application",
        entity_id=f"app-{n}",
        old=old,
        new=new,
    )


def _drafted(
    n: int, old: Record, new: Record, actor: str, *, tenant_id: str = "t-1", at: datetime = AT
) -> EventDraft:
    return EventDraft.of(
        unchained_event(
            tenant_id=tenant_id,
            occurred_at=at + timedelta(minutes=n),
            actor=actor,
            action="application.routed",
            entity_type="application",
            entity_id=f"app-{n}",
            old=old,
            new=new,
        )
    )


@given(steps)
def test_drafted_then_chained_events_are_recorded_events(
    changes: list[tuple[Record, Record, str]],
) -> None:
    recorded: list[AuditEvent] = []
    chained: list[AuditEvent] = []
    for n, (old, new, actor) in enumerate(changes):
        recorded.append(_recorded(recorded[-1] if recorded else None, n, old, new, actor))
        chained.append(chain_event(chained[-1] if chained else None, _drafted(n, old, new, actor)))

    assert chained == recorded
    assert all(compute_hash(event) == event.hash for event in chained)
    assert verify_chain(chained).ok


def test_a_draft_joins_only_its_own_tenants_chain_and_needs_an_aware_time() -> None:
    first = _recorded(None, 0, None, {"a": 1}, "u-1")

    with pytest.raises(ChainMismatch):
        chain_event(first, _drafted(1, None, {"a": 2}, "u-1", tenant_id="t-2"))
    with pytest.raises(ValueError, match="timezone"):
        _drafted(1, None, None, "u-1", at=datetime(2025, 3, 1))  # noqa: DTZ001 - naive on purpose
