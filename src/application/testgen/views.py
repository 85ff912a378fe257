"""What the test-generation use cases take and give back: plain frozen values.

The HTTP API, the workbench pages and the CLI all read these, so they carry what a reviewer
needs on one screen (the case, its rendered function, the spec operation behind it, its review
and whether it is new since the previous version of the API) and nothing of the storage.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from attrs import frozen

from domain.testgen.cases import TestCase
from domain.testgen.changes import Change, SuiteChanges
from domain.testgen.delivery import DeliveryReceipt, DeliveryTarget
from domain.testgen.rendered import GateReport
from domain.testgen.review import ReviewState, TestReview, Transition

Origin = Literal["cli", "upload", "webhook", "url"]
ORIGINS: tuple[Origin, ...] = ("cli", "upload", "webhook", "url")

ReviewAction = Literal["approve", "reject", "reopen"]
REVIEW_ACTIONS: tuple[ReviewAction, ...] = ("approve", "reject", "reopen")

GateState = Literal["passed", "failed", "not run"]


class SpecOrigin(StrEnum):
    """How a spec arrived (the same values as `Origin`, for checks and columns)."""

    CLI = "cli"
    UPLOAD = "upload"
    WEBHOOK = "webhook"
    URL = "url"


@frozen
class SpecUpload:
    """A spec as it arrived: the raw bytes (JSON or YAML), how, and from where (a file name,
    a URL, the webhook's sender), kept for the reviewer to see where a suite came from."""

    content: bytes
    origin: Origin
    source: str | None = None


@frozen
class SubmitResult:
    """The suite of a submitted spec. `created` is False when the tenant had submitted the
    same spec (same hash) before: the existing suite is returned, nothing new is stored.
    `changes` compares with the previous suite of the same API title by case id (None for
    the first suite of a title); `SuiteDetail` names the tests."""

    suite_id: str
    spec_hash: str
    created: bool
    title: str
    version: str
    cases: int
    changes: SuiteChanges | None


@frozen
class SuiteSummary:
    """One line of the review queue. `counts` holds every review state with its number of
    tests (zeros included, in `ReviewState` order); `gate` is the latest gate run's verdict."""

    id: str
    title: str
    api_version: str
    spec_hash: str
    origin: Origin
    created_at: datetime
    state: ReviewState
    counts: tuple[tuple[ReviewState, int], ...]
    suspects: int
    gate: GateState
    previous_id: str | None
    source: str | None = None
    created_by: str = ""

    @property
    def cases(self) -> int:
        return sum(n for _state, n in self.counts)


@frozen
class CaseDetail:
    """One generated test as a reviewer sees it. `module` is the rendered file it lives in,
    `operation_json` the spec's operation (pretty JSON) that it exercises; `change` says how
    it compares with the previous suite of the same API (None when there is none)."""

    case: TestCase
    function: str
    module: str
    source: str
    operation_json: str
    review: TestReview
    change: Change | None


@frozen
class DeliveryRecord:
    """A delivery done: which approved tests went where, by whom, and the commit made."""

    id: str
    suite_id: str
    target: DeliveryTarget
    receipt: DeliveryReceipt
    case_ids: tuple[str, ...]
    delivered_at: datetime
    delivered_by: str


@frozen
class SuiteDetail:
    """A suite for review: its summary, every case (in rendering order), the function names of
    tests the previous version had and this one has not, the latest gate report and the
    deliveries made so far (oldest first), and the history of the suite's own review."""

    summary: SuiteSummary
    cases: tuple[CaseDetail, ...]
    removed: tuple[str, ...]
    gate: GateReport | None = None
    deliveries: tuple[DeliveryRecord, ...] = ()
    history: tuple[Transition, ...] = ()


@frozen
class BulkResult:
    """What a bulk approval did: the case ids approved, and those it left as they were (not
    pending, not in the suite, or suspect without a comment)."""

    approved: tuple[str, ...]
    skipped: tuple[str, ...]
