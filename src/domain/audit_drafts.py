"""Audit events built in two steps: drafted without the chain, then chained cheaply.

`record_event` needs the tenant's head, and a writer holds the tenant's chain from the moment it
reads the head until it commits. Almost all the work of an event needs no head, though: masking
the snapshots, the diff (`domain.audit.unchained_event`), and the canonical JSON its hash
covers. A writer of many events (a batch scored at once) drafts them first (`EventDraft.of`)
and takes the chain only to link them (`chain_event`): a sequence number, the previous hash and
one SHA-256 each. The events are exactly those `record_event` would build, hash included.
"""

from __future__ import annotations

import hashlib

from attrs import evolve, frozen

from domain.audit import (
    AuditEvent,
    ChainAnchor,
    ChainMismatch,
    canonical_content,
    check_follows,
)

#: Where the sequence stands in the canonical JSON of a drafted event (sequence 0). The keys
#: are sorted, so only "tenant_id" follows it, and JSON escapes every quote inside a string:
#: the last occurrence of this text is the top-level key's, whatever the snapshots hold.
_DRAFTED_SEQUENCE = ',"sequence":0,"tenant_id":'


@frozen
class EventDraft:
    """An event masked and diffed, with the JSON its hash will cover, not yet in a chain."""

    event: AuditEvent
    content: str

    @classmethod
    def of(cls, unchained: AuditEvent) -> EventDraft:
        """The draft of an event `domain.audit.unchained_event` built."""
        return cls(unchained, canonical_content(unchained))


def chain_event(previous: AuditEvent | None, draft: EventDraft) -> AuditEvent:
    """The drafted event following `previous` (the tenant's newest event, None for the first):
    `record_event(previous, ...)` of the draft's fields."""
    check_follows(previous, draft.event.tenant_id)
    tenant_id = draft.event.tenant_id
    head = ChainAnchor.empty(tenant_id) if previous is None else ChainAnchor.at(previous)
    return link_event(head, draft)


def link_event(head: ChainAnchor, draft: EventDraft) -> AuditEvent:
    """The drafted event following the chain whose head is `head` (its sequence and hash, all
    a writer needs to read of the chain; `ChainAnchor.empty` for a tenant's first event):
    `chain_event` of the event `head` was taken from."""
    if head.tenant_id != draft.event.tenant_id:
        raise ChainMismatch(
            f"event {head.last_sequence} of tenant {head.tenant_id} cannot precede "
            f"an event of tenant {draft.event.tenant_id}"
        )
    sequence = head.last_sequence + 1
    previous_hash = head.last_hash
    before, _, after = draft.content.rpartition(_DRAFTED_SEQUENCE)
    text = f'{previous_hash}{before},"sequence":{sequence},"tenant_id":{after}'
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return evolve(draft.event, sequence=sequence, previous_hash=previous_hash, hash=digest)
