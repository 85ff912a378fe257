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

from domain.audit import GENESIS_HASH, AuditEvent, canonical_content, check_follows

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
    sequence = 1 if previous is None else previous.sequence + 1
    previous_hash = GENESIS_HASH if previous is None else previous.hash
    before, _, after = draft.content.rpartition(_DRAFTED_SEQUENCE)
    text = f'{previous_hash}{before},"sequence":{sequence},"tenant_id":{after}'
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return evolve(draft.event, sequence=sequence, previous_hash=previous_hash, hash=digest)
