"""Submit a spec: decode it, read it, generate its suite and queue the suite for review.

Idempotent per tenant and spec hash: the same spec submitted again (from the CLI, an upload or
the webhook, in JSON or YAML) returns the suite it made the first time and stores nothing new.
A new version of an API (same title, new hash) is compared with the newest suite of that title,
case by case on the rendered source, so reviewers see which tests are new, changed or gone.
Generation and rendering happen outside any transaction; only the writes hold one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from attrs import frozen

from application.ports import AlreadyExists, Clock, IdGenerator
from application.testgen.common import Generator, generated, record, spec_hash_of
from application.testgen.ports import (
    SpecLoader,
    StoredSpec,
    StoredSuite,
    SuiteRenderer,
    TestgenUnitOfWork,
)
from application.testgen.sources import case_sources
from application.testgen.views import ORIGINS, SpecUpload, SubmitResult
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize
from domain.pii import JsonValue
from domain.testgen.cases import Suite
from domain.testgen.changes import SuiteChanges, suite_changes
from domain.testgen.openapi import ApiSpec, read_spec
from domain.testgen.review import SuiteReview, TestReview


def first_review(suite: Suite) -> SuiteReview:
    """Every test pending, in case id order (the order a review is read back in)."""
    ids = sorted(case.id for case in suite.cases)
    return SuiteReview(suite.spec_hash, tuple(TestReview(case_id) for case_id in ids))


@frozen
class Comparison:
    """How a new suite compares with the newest earlier suite of the same API title."""

    previous_id: str | None = None
    changes: SuiteChanges | None = None
    removed: tuple[str, ...] = ()  # the function names of the tests gone


@frozen
class SubmitSpec:
    uow: Callable[[], TestgenUnitOfWork]
    clock: Clock
    ids: IdGenerator
    loader: SpecLoader
    renderer: SuiteRenderer
    generate: Generator

    def __call__(self, principal: Principal, upload: SpecUpload) -> SubmitResult:
        authorize(principal, Permission.TESTGEN_SUBMIT)
        if upload.origin not in ORIGINS:
            raise ValidationFailed((Problem("origin", f"must be one of {', '.join(ORIGINS)}"),))
        document = self.loader.load(upload.content)
        spec = read_spec(document)  # every problem of the spec, each at its JSON pointer
        spec_hash = spec_hash_of(document)
        existing = self._existing(principal.tenant_id, spec_hash)
        if existing is not None:
            return existing
        suite = self.generate(spec, spec_hash)
        comparison = self._compare(principal.tenant_id, suite, spec, document)
        now = self.clock.now()
        stored = StoredSuite(
            tenant_id=principal.tenant_id,
            id=self.ids.new_id(),
            spec_hash=spec_hash,
            title=spec.title,
            api_version=spec.version,
            origin=upload.origin,
            source=upload.source,
            previous_id=comparison.previous_id,
            changes=comparison.changes,
            cases=len(suite.cases),
            created_at=now,
            created_by=principal.user_id,
            removed=comparison.removed,
        )
        spec_record = StoredSpec(
            tenant_id=principal.tenant_id,
            spec_hash=spec_hash,
            title=spec.title,
            version=spec.version,
            document=document,
            origin=upload.origin,
            source=upload.source,
            created_at=now,
            created_by=principal.user_id,
        )
        try:
            with self.uow() as uow:
                uow.specs.add(spec_record)
                uow.suites.add(stored)
                uow.reviews.add(principal.tenant_id, stored.id, first_review(suite))
                record(
                    uow, principal, now, "testgen.suite_submitted", stored.id, new=_audit(stored)
                )
                uow.commit()
        except AlreadyExists:  # the same spec submitted at the same moment: the first stands
            again = self._existing(principal.tenant_id, spec_hash)
            if again is None:
                raise
            return again
        return _result(stored, created=True)

    def _existing(self, tenant_id: str, spec_hash: str) -> SubmitResult | None:
        with self.uow() as uow:
            stored = uow.suites.of_spec(tenant_id, spec_hash)
        return None if stored is None else _result(stored, created=False)

    def _compare(
        self, tenant_id: str, suite: Suite, spec: ApiSpec, document: Mapping[str, object]
    ) -> Comparison:
        with self.uow() as uow:
            previous = uow.suites.latest_of_title(tenant_id, spec.title)
            before = None if previous is None else uow.specs.get(tenant_id, previous.spec_hash)
        if previous is None or before is None:
            return Comparison()
        try:
            old = generated(previous, before, self.generate)
        except ValidationFailed:  # a stored spec today's reader refuses: nothing to compare
            return Comparison(previous.id)
        changes = suite_changes(
            self._sources(old.suite, old.spec, old.document),
            self._sources(suite, spec, document),
        )
        names = dict(old.suite.names)
        removed = tuple(sorted(names.get(case_id, case_id) for case_id in changes.removed))
        return Comparison(previous.id, changes, removed)

    def _sources(
        self, suite: Suite, spec: ApiSpec, document: Mapping[str, object]
    ) -> dict[str, str]:
        return case_sources(self.renderer, suite, spec, document)


def _audit(stored: StoredSuite) -> dict[str, JsonValue]:
    facts: dict[str, JsonValue] = {
        "spec_hash": stored.spec_hash,
        "title": stored.title,
        "api_version": stored.api_version,
        "origin": stored.origin,
        "cases": stored.cases,
    }
    if stored.source is not None:
        facts["source"] = stored.source
    if stored.previous_id is not None:
        facts["previous_id"] = stored.previous_id
    if stored.changes is not None:
        facts["new"] = len(stored.changes.new)
        facts["changed"] = len(stored.changes.changed)
        facts["removed"] = len(stored.changes.removed)
    return facts


def _result(stored: StoredSuite, *, created: bool) -> SubmitResult:
    return SubmitResult(
        suite_id=stored.id,
        spec_hash=stored.spec_hash,
        created=created,
        title=stored.title,
        version=stored.api_version,
        cases=stored.cases,
        changes=stored.changes,
    )
