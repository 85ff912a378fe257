"""Field diffs and the tamper-evident audit chain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.audit import (
    GENESIS_HASH,
    AuditEvent,
    ChainAnchor,
    ChainMismatch,
    ChangeKind,
    FieldChange,
    JsonValue,
    compute_hash,
    diff,
    flatten,
    record_event,
)
from domain.audit_verification import ChainVerification, verify_chain

from .json_strategies import json_values, optional_records

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
TENANT = "t-1"


@st.composite
def chains(draw: st.DrawFn, min_size: int = 0) -> list[AuditEvent]:
    steps = draw(
        st.lists(
            st.tuples(optional_records, optional_records, st.sampled_from(["u-1", "system"])),
            min_size=min_size,
            max_size=6,
        )
    )
    events: list[AuditEvent] = []
    for minute, (old, new, actor) in enumerate(steps):
        events.append(
            event_after(events[-1] if events else None, old, new, actor=actor, minute=minute)
        )
    return events


def event_after(
    previous: AuditEvent | None,
    old: dict[str, JsonValue] | None,
    new: dict[str, JsonValue] | None,
    *,
    actor: str = "u-1",
    minute: int = 0,
    tenant_id: str = TENANT,
) -> AuditEvent:
    return record_event(
        previous,
        tenant_id=tenant_id,
        occurred_at=T0 + timedelta(minutes=minute),
        actor=actor,
        action="application.updated",
        entity_type="application",
        entity_id=f"app-{minute % 3}",
        old=old,
        new=new,
    )


def resealed(event: AuditEvent, **changes: Any) -> AuditEvent:
    """What a forger with the hashing code would do: edit, then recompute the hash."""
    edited = evolve(event, **changes)
    return evolve(edited, hash=compute_hash(edited))


def chain_of(length: int) -> list[AuditEvent]:
    events: list[AuditEvent] = []
    for n in range(length):
        events.append(event_after(events[-1] if events else None, {"n": n}, {"n": n + 1}, minute=n))
    return events


# --- diff ----------------------------------------------------------------------------------


def test_diff_lists_added_removed_and_changed_leaves_by_path() -> None:
    old: dict[str, JsonValue] = {"a": {"b": 1, "c": None}, "tags": [1, 2], "gone": True}
    new: dict[str, JsonValue] = {"a": {"b": 1.0, "d": "x"}, "tags": [1, 2], "added": None}
    assert diff(old, new) == (
        FieldChange("a.b", 1, 1.0, ChangeKind.CHANGED),
        FieldChange("a.c", None, None, ChangeKind.REMOVED),
        FieldChange("a.d", None, "x", ChangeKind.ADDED),
        FieldChange("added", None, None, ChangeKind.ADDED),
        FieldChange("gone", True, None, ChangeKind.REMOVED),
    )
    assert diff(None, {"x": {}}) == (FieldChange("x", None, {}, ChangeKind.ADDED),)


@given(optional_records, optional_records)
def test_applying_the_diff_to_old_gives_new(
    old: dict[str, JsonValue] | None, new: dict[str, JsonValue] | None
) -> None:
    state = flatten(old)
    changes = diff(old, new)
    assert [c.path for c in changes] == sorted({c.path for c in changes})
    for change in changes:
        if change.kind is ChangeKind.REMOVED:
            del state[change.path]
        else:
            state[change.path] = change.after
    assert state == flatten(new)
    assert diff(new, new) == ()


# --- the chain: examples -------------------------------------------------------------------


def test_record_event_masks_links_and_numbers_events() -> None:
    first = event_after(None, None, {"email": "marko@example.com", "status": "pending"})
    second = event_after(first, {"status": "pending"}, {"status": "approved"}, minute=1)
    assert (first.sequence, first.previous_hash) == (1, GENESIS_HASH)
    assert first.new == {"email": "***@example.com", "status": "pending"}
    assert FieldChange("email", None, "***@example.com", ChangeKind.ADDED) in first.diff
    assert (second.sequence, second.previous_hash) == (2, first.hash)
    assert second.diff == (FieldChange("status", "pending", "approved", ChangeKind.CHANGED),)
    assert compute_hash(second) == second.hash
    assert len(second.hash) == 64


def test_record_event_refuses_another_tenants_chain_and_naive_times() -> None:
    first = event_after(None, None, {"n": 1})
    with pytest.raises(ChainMismatch):
        event_after(first, None, {"n": 2}, tenant_id="t-2")
    with pytest.raises(ValueError, match="timezone"):
        record_event(
            None,
            tenant_id=TENANT,
            occurred_at=T0.replace(tzinfo=None),
            actor="system",
            action="application.created",
            entity_type="application",
            entity_id="app-1",
            old=None,
            new=None,
        )


def test_verification_names_the_problem_in_plain_words() -> None:
    events = chain_of(8)
    anchor = ChainAnchor.at(events[-1])
    assert verify_chain(events, anchor) == verify_chain(events)
    assert verify_chain(events).checked == 8
    assert verify_chain([]).ok
    assert verify_chain([], ChainAnchor.empty(TENANT)).ok

    altered = [*events[:6], evolve(events[6], actor="u-9"), events[7]]
    assert verify_chain(altered).problem == "event 7 was altered"
    assert verify_chain([*events[:4], *events[5:]]).problem == "event 5 is missing"
    assert verify_chain(events[:5], anchor).problem == "events after 5 were removed"
    assert verify_chain([], anchor).problem == "all events were removed"
    swapped = [events[0], events[2], events[1], *events[3:]]
    assert verify_chain(swapped).problem == "event 2 is out of order"
    assert verify_chain([*events[:3], events[2], *events[3:]]).problem == "event 3 appears twice"

    stranger = resealed(events[2], tenant_id="t-2")
    foreign = [*events[:2], stranger, *events[3:]]
    assert verify_chain(foreign).problem == "event 3 belongs to another tenant"

    forged = event_after(events[2], {"n": 3}, {"n": 99}, minute=3)
    replaced = [*events[:3], forged, *events[4:]]
    assert verify_chain(replaced) == ChainVerification(False, 4, 4, "event 4 was replaced")
    rewritten = [*events[:7], event_after(events[6], None, None, minute=7)]
    result = verify_chain(rewritten, anchor)
    assert (result.ok, result.broken_at, result.problem) == (
        False,
        8,
        "event 8 does not match the anchor",
    )


# --- the chain: properties -----------------------------------------------------------------


@given(chains())
def test_a_chain_built_with_record_event_verifies(events: list[AuditEvent]) -> None:
    anchor = ChainAnchor.at(events[-1]) if events else ChainAnchor.empty(TENANT)
    assert verify_chain(events) == verify_chain(events, anchor)
    assert verify_chain(events, anchor).ok
    assert verify_chain(events).checked == len(events)
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))


hex_digests = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
field_changes = st.builds(
    FieldChange, st.text(max_size=5), json_values, json_values, st.sampled_from(ChangeKind)
)
REPLACEMENTS: dict[str, st.SearchStrategy[Any]] = {
    "tenant_id": st.text(max_size=8),
    "sequence": st.integers(-3, 40),
    "occurred_at": st.datetimes(timezones=st.just(UTC)),
    "actor": st.text(max_size=8),
    "action": st.text(max_size=8),
    "entity_type": st.text(max_size=8),
    "entity_id": st.text(max_size=8),
    "old": optional_records,
    "new": optional_records,
    "diff": st.lists(field_changes, max_size=3).map(tuple),
    "previous_hash": hex_digests,
    "hash": hex_digests,
}


@given(chains(min_size=1), st.sampled_from(sorted(REPLACEMENTS)), st.data())
def test_any_edit_of_any_field_is_detected(
    events: list[AuditEvent], field: str, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(events) - 1))
    current = getattr(events[index], field)
    replacement = data.draw(REPLACEMENTS[field].filter(lambda value: value != current))
    tampered = [*events]
    tampered[index] = evolve(events[index], **{field: replacement})
    for anchor in (None, ChainAnchor.at(events[-1])):
        result = verify_chain(tampered, anchor)
        assert not result.ok
        assert result.broken_at is not None
        assert result.broken_at <= events[index].sequence


@given(chains(min_size=2), st.data())
def test_deleting_an_event_before_the_newest_is_detected(
    events: list[AuditEvent], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(events) - 2))
    result = verify_chain([*events[:index], *events[index + 1 :]])
    assert (result.ok, result.broken_at) == (False, index + 1)
    assert result.problem == f"event {index + 1} is missing"


@given(chains(min_size=1), st.data())
def test_deleting_the_newest_events_is_detected_with_the_anchor(
    events: list[AuditEvent], data: st.DataObject
) -> None:
    kept = data.draw(st.integers(0, len(events) - 1))
    anchor = ChainAnchor.at(events[-1])
    assert verify_chain(events[:kept]).ok  # which is why the anchor is kept apart
    result = verify_chain(events[:kept], anchor)
    assert (result.ok, result.broken_at) == (False, kept + 1)
