"""Audit events: who changed what and when, in a per-tenant chain that shows tampering.

Every change to an application, decision or setting is recorded as an `AuditEvent` in the same
transaction as the change. Events are linked like a ledger: each stores the hash of the event
before it, and its own hash covers that link and every field it holds. Editing, deleting,
reordering or inserting an event therefore breaks the chain at a point
`domain.audit_verification.verify_chain` can name.
Deleting the newest events leaves a shorter but consistent chain, so the head of the chain is
also kept on its own (`ChainAnchor`, updated with every append) and compared against.

The before and after snapshots are masked (see `domain.pii`) before they are hashed and stored:
an audit trail outlives the need for the personal data in it, and a masked snapshot still shows
which fields changed. The hash is over the masked data, so it can be checked by anyone allowed
to read the trail.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from datetime import datetime

from attrs import evolve, frozen

from domain.errors import DomainError
from domain.pii import JsonValue, mask_record, mask_record_alike

__all__ = [
    "GENESIS_HASH",
    "AuditEvent",
    "ChainAnchor",
    "ChainMismatch",
    "ChangeKind",
    "FieldChange",
    "JsonValue",
    "compute_hash",
    "diff",
    "flatten",
    "mask_record",
    "record_event",
]

GENESIS_HASH = "0" * 64
"""The `previous_hash` of a tenant's first event: a chain starts from a known value."""


class ChainMismatch(DomainError):
    """An event was about to be appended to a chain it does not belong to."""


class ChangeKind(enum.StrEnum):
    """Whether a field appeared, disappeared or changed value; `null` is a value, not absence."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@frozen
class FieldChange:
    """One leaf that differs between two snapshots, named by its dotted path.

    `before` is None for an added field and `after` is None for a removed one; `kind` tells
    those apart from a field that was or became `null`.
    """

    path: str
    before: JsonValue
    after: JsonValue
    kind: ChangeKind = ChangeKind.CHANGED


def _canonical(value: object) -> str:
    """The one JSON spelling of a value: equal data gives equal text, hence equal hashes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


#: Types whose equal values of the same type have the same JSON text (not float: -0.0 == 0.0).
_PLAIN = frozenset({str, int, bool, type(None)})


def _same_json(before: JsonValue, after: JsonValue) -> bool:
    """Whether two leaves have the same JSON text, without writing it when the types tell."""
    if type(before) is type(after) and type(before) in _PLAIN:
        return before == after
    return _canonical(before) == _canonical(after)


def _shared_keys(old: Mapping[str, JsonValue], new: Mapping[str, JsonValue]) -> set[str]:
    """Top-level keys whose value is the very same object in both records: nothing under them
    can differ. Not a key whose paths another key's could run into: "a" beside "a.b", or any
    key beside "" (whose members `flatten` names without a prefix)."""
    if "" in old or "" in new:
        return set()
    dotted = [key for key in (*old, *new) if "." in key]
    return {
        key
        for key in old.keys() & new.keys()
        if old[key] is new[key] and not any(d.startswith(f"{key}.") for d in dotted)
    }


def flatten(record: Mapping[str, JsonValue] | None) -> dict[str, JsonValue]:
    """Nested objects as `{"a.b.c": leaf}`; lists and empty objects are leaves, kept whole.

    A list is compared as one value because positions in a list rarely mean the same thing
    before and after a change (an inserted item would show as every later item changing).
    """
    flat: dict[str, JsonValue] = {}

    def walk(prefix: str, value: JsonValue) -> None:
        if isinstance(value, dict) and value:
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else key, item)
        else:
            flat[prefix] = value

    for key, value in (record or {}).items():
        walk(key, value)
    return flat


def diff(
    old: Mapping[str, JsonValue] | None, new: Mapping[str, JsonValue] | None
) -> tuple[FieldChange, ...]:
    """Every added, removed and changed leaf between two snapshots, sorted by path.

    Values are compared by their JSON text, so `1`, `1.0` and `true` count as different, as
    they are different to whoever reads the JSON. A part both snapshots share (the same object,
    as when a record's new snapshot reuses the unchanged form of its old one) is not walked.
    """
    if old and new:
        shared = _shared_keys(old, new)
        if shared:
            old = {key: value for key, value in old.items() if key not in shared}
            new = {key: value for key, value in new.items() if key not in shared}
    before, after = flatten(old), flatten(new)
    changes: list[FieldChange] = []
    for path in sorted(before.keys() | after.keys()):
        if path not in after:
            changes.append(FieldChange(path, before[path], None, ChangeKind.REMOVED))
        elif path not in before:
            changes.append(FieldChange(path, None, after[path], ChangeKind.ADDED))
        elif not _same_json(before[path], after[path]):
            changes.append(FieldChange(path, before[path], after[path], ChangeKind.CHANGED))
    return tuple(changes)


@frozen
class AuditEvent:
    """One recorded change; `old` and `new` are masked snapshots (None when there is none).

    `sequence` counts from 1 per tenant. `hash` covers `previous_hash` and every other field,
    so any edit shows up when `compute_hash(event) != event.hash`.
    """

    tenant_id: str
    sequence: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    old: Mapping[str, JsonValue] | None
    new: Mapping[str, JsonValue] | None
    diff: tuple[FieldChange, ...]
    previous_hash: str
    hash: str


def compute_hash(event: AuditEvent) -> str:
    """SHA-256 (hex) of `previous_hash` followed by the canonical JSON of the other fields."""
    text = event.previous_hash + canonical_content(event)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def canonical_content(event: AuditEvent) -> str:
    """The canonical JSON of every field the hash covers but `previous_hash` and `hash`."""
    content = {
        "tenant_id": event.tenant_id,
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "old": None if event.old is None else dict(event.old),
        "new": None if event.new is None else dict(event.new),
        "diff": [
            {"path": c.path, "before": c.before, "after": c.after, "kind": c.kind.value}
            for c in event.diff
        ],
    }
    return _canonical(content)


def record_event(
    previous: AuditEvent | None,
    *,
    tenant_id: str,
    occurred_at: datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    old: Mapping[str, JsonValue] | None,
    new: Mapping[str, JsonValue] | None,
) -> AuditEvent:
    """The event that follows `previous` (the tenant's newest event, None for the first).

    `actor` is a user id or "system". The snapshots are masked before anything else, so no
    personal data reaches the diff, the hash or storage.
    """
    check_follows(previous, tenant_id)
    unchained = unchained_event(
        tenant_id=tenant_id,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        old=old,
        new=new,
    )
    linked = evolve(
        unchained,
        sequence=1 if previous is None else previous.sequence + 1,
        previous_hash=GENESIS_HASH if previous is None else previous.hash,
    )
    return evolve(linked, hash=compute_hash(linked))


def check_follows(previous: AuditEvent | None, tenant_id: str) -> None:
    """`ChainMismatch` unless an event of `tenant_id` may follow `previous`."""
    if previous is not None and previous.tenant_id != tenant_id:
        raise ChainMismatch(
            f"event {previous.sequence} of tenant {previous.tenant_id} cannot precede "
            f"an event of tenant {tenant_id}"
        )


def unchained_event(
    *,
    tenant_id: str,
    occurred_at: datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    old: Mapping[str, JsonValue] | None,
    new: Mapping[str, JsonValue] | None,
) -> AuditEvent:
    """The event with its snapshots masked and its diff, not yet in a chain (sequence 0, no
    hashes): what `record_event` links to the head."""
    if occurred_at.utcoffset() is None:
        raise ValueError("occurred_at must be timezone-aware")
    masked_old = None if old is None else mask_record(old)
    if new is None:
        masked_new = None
    elif old is None or masked_old is None:
        masked_new = mask_record(new)
    else:  # what `new` shares with `old` is masked once, and stays shared for `diff`
        masked_new = mask_record_alike(new, old, masked_old)
    return AuditEvent(
        tenant_id=tenant_id,
        sequence=0,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        old=masked_old,
        new=masked_new,
        diff=diff(masked_old, masked_new),
        previous_hash="",
        hash="",
    )


@frozen
class ChainAnchor:
    """The head of a tenant's chain, stored apart from the events so a cut tail is noticed."""

    tenant_id: str
    last_sequence: int
    last_hash: str

    @classmethod
    def empty(cls, tenant_id: str) -> ChainAnchor:
        """The anchor of a tenant that has no events yet."""
        return cls(tenant_id, 0, GENESIS_HASH)

    @classmethod
    def at(cls, event: AuditEvent) -> ChainAnchor:
        """The anchor to store once `event` is the newest in its chain."""
        return cls(event.tenant_id, event.sequence, event.hash)
