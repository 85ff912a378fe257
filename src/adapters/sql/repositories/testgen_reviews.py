"""Reviews of test-generation suites, with every move kept.

A suite's review is three kinds of rows: the suite's own state, one row per test (state and
suspect flag), and the history of every move, the suite's under the case id "". Saving a
review writes only what changed since the stored one: the states that moved and the history
entries appended.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import select, update

from adapters.sql.schema.testgen import (
    testgen_review_history,
    testgen_suite_reviews,
    testgen_suites,
    testgen_test_reviews,
)
from adapters.sql.transaction import Transaction
from application.ports import RecordNotFound
from domain.testgen.review import ReviewState, SuiteReview, TestReview, Transition

_r = testgen_suite_reviews.c
_t = testgen_test_reviews.c
_h = testgen_review_history.c
_s = testgen_suites.c
_IN_LIST = 500  # suite ids per IN list, well within every engine's limit
SUITE = ""  # the case id under which the suite's own moves are kept


def _history_rows(
    tenant_id: str, suite_id: str, case_id: str, moves: Iterable[Transition], first: int
) -> list[dict[str, Any]]:
    return [
        {
            "tenant_id": tenant_id,
            "suite_id": suite_id,
            "case_id": case_id,
            "position": position,
            "from_state": move.from_state.value,
            "to_state": move.to_state.value,
            "reviewer": move.reviewer,
            "at": move.at,
            "comment": move.comment,
        }
        for position, move in enumerate(moves, start=first)
    ]


def _move(row: Any) -> Transition:
    return Transition(
        from_state=ReviewState(row.from_state),
        to_state=ReviewState(row.to_state),
        reviewer=row.reviewer,
        at=row.at,
        comment=row.comment,
    )


def chunks(ids: Collection[str]) -> Iterable[list[str]]:
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _IN_LIST):
        yield wanted[start : start + _IN_LIST]


class SqlReviewRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, tenant_id: str, suite_id: str, review: SuiteReview) -> None:
        self._db.insert_new(
            testgen_suite_reviews,
            {"tenant_id": tenant_id, "suite_id": suite_id, "state": review.state.value},
            f"the review of suite {suite_id}",
        )
        tests = [
            {
                "tenant_id": tenant_id,
                "suite_id": suite_id,
                "case_id": test.case_id,
                "state": test.state.value,
                "suspect": test.suspect,
            }
            for test in review.tests
        ]
        self._db.insert_many_new(
            testgen_test_reviews, tests, lambda row: f"the review of test {row['case_id']}"
        )
        history = _history_rows(tenant_id, suite_id, SUITE, review.history, 0)
        for test in review.tests:
            history += _history_rows(tenant_id, suite_id, test.case_id, test.history, 0)
        self._insert_history(history)

    def _insert_history(self, rows: list[dict[str, Any]]) -> None:
        self._db.insert_many_new(
            testgen_review_history,
            rows,
            lambda row: f"move {row['position']} of review {row['case_id'] or 'of the suite'}",
        )

    def get(self, tenant_id: str, suite_id: str) -> SuiteReview | None:
        return self.of_suites(tenant_id, [suite_id]).get(suite_id)

    def of_suites(self, tenant_id: str, suite_ids: Collection[str]) -> dict[str, SuiteReview]:
        found: dict[str, SuiteReview] = {}
        for chunk in chunks(suite_ids):
            found.update(self._reviews(tenant_id, chunk))
        return found

    def _reviews(self, tenant_id: str, suite_ids: list[str]) -> dict[str, SuiteReview]:
        heads = self._db.execute(
            select(_r.suite_id, _r.state, _s.spec_hash)
            .join(testgen_suites, (_s.tenant_id == _r.tenant_id) & (_s.id == _r.suite_id))
            .where(_r.tenant_id == tenant_id, _r.suite_id.in_(suite_ids))
        ).all()
        if not heads:
            return {}
        moves: dict[tuple[str, str], list[Transition]] = {}
        for row in self._db.execute(
            select(testgen_review_history)
            .where(_h.tenant_id == tenant_id, _h.suite_id.in_(suite_ids))
            .order_by(_h.suite_id, _h.case_id, _h.position)
        ):
            moves.setdefault((row.suite_id, row.case_id), []).append(_move(row))
        tests: dict[str, list[TestReview]] = {}
        for row in self._db.execute(
            select(testgen_test_reviews)
            .where(_t.tenant_id == tenant_id, _t.suite_id.in_(suite_ids))
            .order_by(_t.suite_id, _t.case_id)
        ):
            tests.setdefault(row.suite_id, []).append(
                TestReview(
                    case_id=row.case_id,
                    state=ReviewState(row.state),
                    suspect=row.suspect,
                    history=tuple(moves.get((row.suite_id, row.case_id), ())),
                )
            )
        return {
            head.suite_id: SuiteReview(
                spec_hash=head.spec_hash,
                tests=tuple(tests.get(head.suite_id, ())),
                state=ReviewState(head.state),
                history=tuple(moves.get((head.suite_id, SUITE), ())),
            )
            for head in heads
        }

    def save(self, tenant_id: str, suite_id: str, review: SuiteReview) -> None:
        stored = self.get(tenant_id, suite_id)
        if stored is None:
            raise RecordNotFound(f"the review of suite {suite_id} does not exist")
        before = {test.case_id: test for test in stored.tests}
        if before.keys() != {test.case_id for test in review.tests}:
            raise ValueError("a saved review must hold the same tests as the stored one")
        if review.state is not stored.state:
            self._db.update_existing(
                update(testgen_suite_reviews)
                .where(_r.tenant_id == tenant_id, _r.suite_id == suite_id)
                .values(state=review.state.value),
                f"the review of suite {suite_id}",
            )
        history = _appended(tenant_id, suite_id, SUITE, stored.history, review.history)
        moved: list[dict[str, Any]] = []
        for test in review.tests:
            old = before[test.case_id]
            if (test.state, test.suspect) != (old.state, old.suspect):
                moved.append(
                    {
                        "tenant_id": tenant_id,
                        "suite_id": suite_id,
                        "case_id": test.case_id,
                        "state": test.state.value,
                        "suspect": test.suspect,
                    }
                )
            history += _appended(tenant_id, suite_id, test.case_id, old.history, test.history)
        self._db.update_many_existing(
            testgen_test_reviews, moved, ("tenant_id", "suite_id", "case_id"), "a test review"
        )
        self._insert_history(history)


def _appended(
    tenant_id: str,
    suite_id: str,
    case_id: str,
    stored: tuple[Transition, ...],
    now: tuple[Transition, ...],
) -> list[dict[str, Any]]:
    if now[: len(stored)] != stored:
        raise ValueError(f"the history of review {case_id or 'of the suite'} was rewritten")
    return _history_rows(tenant_id, suite_id, case_id, now[len(stored) :], len(stored))
