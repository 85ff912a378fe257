"""Checking a tenant's audit chain: the first place it breaks, and how.

Kept apart from `domain.audit`, which builds the chain: building happens on every change, while
checking is what an examiner (`creditdesk audit verify`) and the tests do, and it names every
way a chain can be broken (an edited, missing, duplicated, reordered or inserted event, or a
tail cut off behind the stored anchor).
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from domain.audit import GENESIS_HASH, AuditEvent, ChainAnchor, compute_hash

__all__ = ["ChainVerification", "verify_chain"]


@frozen
class ChainVerification:
    """The outcome of checking a chain.

    `checked` counts the events found intact before the first problem (all of them when `ok`);
    `broken_at` is the sequence number where the chain first fails and `problem` says how.
    """

    ok: bool
    checked: int
    broken_at: int | None = None
    problem: str | None = None


def _sequence_problem(event: AuditEvent, expected: int, later: Sequence[AuditEvent]) -> str:
    if event.sequence > expected:
        if any(e.sequence == expected for e in later):
            return f"event {expected} is out of order"
        return f"event {expected} is missing"
    if event.sequence >= 1:
        return f"event {event.sequence} appears twice"
    return f"event {expected} has the impossible sequence {event.sequence}"


def _event_problem(
    events: Sequence[AuditEvent], index: int, previous_hash: str, tenant_id: str
) -> tuple[int, str] | None:
    """Where and how the event at `index` breaks the chain, or None if it fits."""
    event, expected = events[index], index + 1
    if compute_hash(event) != event.hash:
        return expected, f"event {expected} was altered"
    if event.tenant_id != tenant_id:
        return expected, f"event {event.sequence} belongs to another tenant"
    if event.sequence != expected:
        return expected, _sequence_problem(event, expected, events[index + 1 :])
    if event.previous_hash != previous_hash:
        # The event is intact but does not follow the one before it, which is intact too:
        # one of them was swapped for a forged but self-consistent event.
        if expected == 1:
            return 1, "event 1 does not start the chain"
        return expected - 1, f"event {expected - 1} was replaced"
    return None


def _anchor_problem(anchor: ChainAnchor, count: int, last_hash: str) -> tuple[int, str] | None:
    """Where and how an intact chain of `count` events disagrees with its stored head."""
    if count < anchor.last_sequence:
        return (
            count + 1,
            f"events after {count} were removed" if count else "all events were removed",
        )
    if count > anchor.last_sequence:
        last = anchor.last_sequence
        return last + 1, f"events after {last} are not covered by the anchor"
    if last_hash != anchor.last_hash:
        return max(count, 1), f"event {count} does not match the anchor"
    return None


def verify_chain(
    events: Sequence[AuditEvent], anchor: ChainAnchor | None = None
) -> ChainVerification:
    """Check a tenant's events, oldest first, and report the first place the chain breaks.

    Detects edited fields, missing, duplicated, reordered and inserted events; with `anchor`,
    also events removed from the end. Without an anchor an empty chain is trivially intact.
    """
    if anchor is None and not events:
        return ChainVerification(ok=True, checked=0)
    tenant_id = anchor.tenant_id if anchor is not None else events[0].tenant_id
    previous_hash = GENESIS_HASH
    for index, event in enumerate(events):
        found = _event_problem(events, index, previous_hash, tenant_id)
        if found is not None:
            return ChainVerification(False, index, *found)
        previous_hash = event.hash
    found = None if anchor is None else _anchor_problem(anchor, len(events), previous_hash)
    if found is not None:
        return ChainVerification(False, len(events), *found)
    return ChainVerification(ok=True, checked=len(events))
