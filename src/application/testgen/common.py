"""What the test-generation use cases share: the spec hash, the audit record of a change,
finding a tenant's suite, and generating a stored suite's cases again from its spec.

A suite's cases are generated again rather than stored: the spec hash pins the document and
generation is deterministic, so the same cases, ids and function names come back every time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import datetime

from attrs import frozen

from application.errors import NotFound
from application.testgen.ports import StoredSpec, StoredSuite, TestgenUnitOfWork
from domain.audit import AuditEvent, unchained_event
from domain.audit_drafts import EventDraft, link_event
from domain.identity import Principal
from domain.pii import JsonValue
from domain.testgen.cases import Suite, TestCase
from domain.testgen.openapi import ApiSpec, Operation, read_spec

#: Generation: a spec and its hash in, the suite of test cases out (`domain.testgen.generate`).
Generator = Callable[[ApiSpec, str], Suite]


#: The audit trail's entity for every change of a suite, its tests' reviews included.
SUITE_ENTITY = "testgen_suite"


def spec_hash_of(document: Mapping[str, object]) -> str:
    """SHA-256 of the document's canonical JSON (sorted keys, no spaces, UTF-8): the same spec
    in JSON or YAML, however laid out, has one hash."""
    canonical = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(
    uow: TestgenUnitOfWork,
    principal: Principal,
    at: datetime,
    action: str,
    suite_id: str,
    *,
    old: Mapping[str, JsonValue] | None = None,
    new: Mapping[str, JsonValue] | None = None,
) -> AuditEvent:
    """Append the audit event of one change to the tenant's chain, in the caller's unit of
    work, so it commits with the change or not at all (as `application.credit.recording`)."""
    draft = EventDraft.of(
        unchained_event(
            tenant_id=principal.tenant_id,
            occurred_at=at,
            actor=principal.user_id,
            action=action,
            entity_type=SUITE_ENTITY,
            entity_id=suite_id,
            old=old,
            new=new,
        )
    )
    event = link_event(uow.audit.anchor(principal.tenant_id, for_append=True), draft)
    uow.audit.append(event)
    return event


def stored_suite(uow: TestgenUnitOfWork, tenant_id: str, suite_id: str) -> StoredSuite:
    """The tenant's suite; another tenant's id is `NotFound` exactly like a missing one."""
    suite = uow.suites.get(tenant_id, suite_id)
    if suite is None:
        raise NotFound("suite", suite_id)
    return suite


def locked_suite(uow: TestgenUnitOfWork, tenant_id: str, suite_id: str) -> StoredSuite:
    """`stored_suite`, held until the transaction ends (reviews of one suite take turns)."""
    suite = uow.suites.lock(tenant_id, suite_id)
    if suite is None:
        raise NotFound("suite", suite_id)
    return suite


@frozen
class Generated:
    """A stored suite with its spec, read again, and its cases generated again."""

    stored: StoredSuite
    spec_record: StoredSpec
    spec: ApiSpec
    suite: Suite

    @property
    def document(self) -> Mapping[str, object]:
        return self.spec_record.document


def load_suite(
    uow: TestgenUnitOfWork, tenant_id: str, suite_id: str
) -> tuple[StoredSuite, StoredSpec]:
    """The tenant's suite and its spec (inside the caller's `with uow:`)."""
    stored = stored_suite(uow, tenant_id, suite_id)
    spec = uow.specs.get(tenant_id, stored.spec_hash)
    if spec is None:  # the schema's foreign key makes this impossible
        raise NotFound("spec", stored.spec_hash)
    return stored, spec


def generated(stored: StoredSuite, spec_record: StoredSpec, generate: Generator) -> Generated:
    """Generate the suite's cases again from its stored spec (outside any transaction)."""
    spec = read_spec(spec_record.document)
    return Generated(stored, spec_record, spec, generate(spec, stored.spec_hash))


def operation_of(spec: ApiSpec, case: TestCase) -> Operation | None:
    """The spec operation a case exercises (by method and path template)."""
    return next(
        (
            operation
            for operation in spec.operations
            if operation.method.lower() == case.method.lower() and operation.path == case.path
        ),
        None,
    )


def at_pointer(document: Mapping[str, object], pointer: str) -> object:
    """The value at a JSON pointer (`#/paths/~1pets/get`) in the document, None if absent."""
    value: object = document
    for token in pointer.removeprefix("#").split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, Mapping):
            value = value.get(key)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return None
    return value


def operation_json(generated: Generated, case: TestCase) -> str:
    """The spec's operation behind a case, as pretty JSON (`{}` when it cannot be found)."""
    operation = operation_of(generated.spec, case)
    if operation is None:
        return "{}"
    value = at_pointer(generated.document, operation.location)
    return json.dumps({} if value is None else value, indent=2, ensure_ascii=False)
