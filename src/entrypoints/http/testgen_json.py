"""The test-generation values as the API answers them: plain JSON, with links to follow.

Written out field by field rather than unstructured whole, so the answer is a documented shape
that does not change when a stored value grows a field: counts are an object by state, the spec
operation is JSON (not the text it is stored as), every test carries its rule and spec location
so a client can show why it exists, and a suite links to its files, gate and reviews.
"""

from __future__ import annotations

import json
from typing import Any

from adapters.serialization import unstructure
from application.testgen.views import (
    BulkResult,
    CaseDetail,
    DeliveryRecord,
    SubmitResult,
    SuiteDetail,
    SuiteSummary,
)
from domain.testgen.changes import SuiteChanges
from domain.testgen.delivery import DeliveryReceipt
from domain.testgen.rendered import GateReport, RenderedSuite
from domain.testgen.review import SuiteReview, TestReview, Transition

BASE = "/api/v1/testgen/suites"


def suite_links(suite_id: str) -> dict[str, str]:
    own = f"{BASE}/{suite_id}"
    return {
        "self": own,
        "files": f"{own}/files",
        "review": f"{own}/review",
        "bulk_approve": f"{own}/bulk-approve",
        "gate": f"{own}/gate",
        "deliveries": f"{own}/deliveries",
        "page": f"/app/testgen/{suite_id}",
    }


def changes_json(changes: SuiteChanges | None) -> dict[str, list[str]] | None:
    if changes is None:
        return None
    return {"new": [*changes.new], "changed": [*changes.changed], "removed": [*changes.removed]}


def submit_json(result: SubmitResult) -> dict[str, Any]:
    return {
        "suite_id": result.suite_id,
        "spec_hash": result.spec_hash,
        "created": result.created,
        "title": result.title,
        "version": result.version,
        "cases": result.cases,
        "changes": changes_json(result.changes),
        "links": suite_links(result.suite_id),
    }


def summary_json(summary: SuiteSummary) -> dict[str, Any]:
    return {
        "id": summary.id,
        "title": summary.title,
        "api_version": summary.api_version,
        "spec_hash": summary.spec_hash,
        "origin": summary.origin,
        "source": summary.source,
        "created_at": summary.created_at.isoformat(),
        "created_by": summary.created_by,
        "state": summary.state.value,
        "counts": {state.value: count for state, count in summary.counts},
        "cases": summary.cases,
        "suspects": summary.suspects,
        "gate": summary.gate,
        "previous_id": summary.previous_id,
        "links": suite_links(summary.id),
    }


def transitions_json(history: tuple[Transition, ...]) -> list[dict[str, Any]]:
    return [
        {
            "from": t.from_state.value,
            "to": t.to_state.value,
            "reviewer": t.reviewer,
            "at": t.at.isoformat(),
            "comment": t.comment,
        }
        for t in history
    ]


def review_json(review: TestReview) -> dict[str, Any]:
    return {
        "case_id": review.case_id,
        "state": review.state.value,
        "suspect": review.suspect,
        "history": transitions_json(review.history),
    }


def suite_review_json(review: SuiteReview) -> dict[str, Any]:
    return {
        "spec_hash": review.spec_hash,
        "state": review.state.value,
        "history": transitions_json(review.history),
        "tests": [review_json(test) for test in review.tests],
    }


def case_json(detail: CaseDetail) -> dict[str, Any]:
    case = detail.case
    return {
        "case_id": case.id,
        "function": detail.function,
        "module": detail.module,
        "title": case.title,
        "rule": case.rule.value,
        "keyword": None if case.keyword is None else case.keyword.value,
        "operation_id": case.operation_id,
        "method": case.method,
        "path": case.path,
        "location": case.location,
        "source": detail.source,
        "operation": json.loads(detail.operation_json),
        "review": review_json(detail.review),
        "change": detail.change,
        "case": unstructure(case),
    }


def gate_json(report: GateReport) -> dict[str, Any]:
    return {
        "passed": report.passed,
        "ran": report.ran,
        "error": report.error,
        "compile_errors": [{"path": p, "message": m} for p, m in report.compile_errors],
        "collected": [*report.collected],
        "outcomes": [
            {"case_id": o.case_id, "nodeid": o.nodeid, "passed": o.passed, "message": o.message}
            for o in report.outcomes
        ],
        "failed_case_ids": [*report.failed_case_ids],
    }


def receipt_json(receipt: DeliveryReceipt) -> dict[str, Any]:
    return {
        "commit": receipt.commit,
        "branch": receipt.branch,
        "files": [*receipt.files],
        "committed": receipt.committed,
    }


def delivery_json(record: DeliveryRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "repository": record.target.shown,
        "branch": record.target.branch,
        "directory": record.target.directory,
        "receipt": receipt_json(record.receipt),
        "case_ids": [*record.case_ids],
        "delivered_at": record.delivered_at.isoformat(),
        "delivered_by": record.delivered_by,
    }


def detail_json(detail: SuiteDetail) -> dict[str, Any]:
    return {
        **summary_json(detail.summary),
        "history": transitions_json(detail.history),
        "tests": [case_json(case) for case in detail.cases],
        "removed": [*detail.removed],
        "latest_gate": None if detail.gate is None else gate_json(detail.gate),
        "deliveries": [delivery_json(record) for record in detail.deliveries],
    }


def bulk_json(result: BulkResult) -> dict[str, Any]:
    return {"approved": [*result.approved], "skipped": [*result.skipped]}


def files_json(rendered: RenderedSuite) -> dict[str, Any]:
    return {
        "files": [{"path": f.path, "text": f.text} for f in rendered.files],
        "functions": dict(rendered.functions),
    }
