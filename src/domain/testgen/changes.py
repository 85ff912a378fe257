"""What a new spec version changes in a suite, and the commit message that delivers approved tests.

Cases keep their ids across spec versions (ids are digests of rule, operation and variant), so
two suites compare case by case: a case only in the new suite is new, one only in the old suite
is removed, and one in both whose rendered source differs is changed. Comparing the rendered
source rather than the case value means a reviewer is asked to look again exactly when the code
they would approve differs from the code they approved before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal

from attrs import frozen

from domain.errors import Problem, ValidationFailed

Change = Literal["new", "changed", "unchanged"]

#: git shows subjects in one line; 72 characters is the convention tools and people expect.
SUBJECT_LIMIT = 72


@frozen
class SuiteChanges:
    """Case ids (or, after `named`, function names) that are new, changed and removed; sorted."""

    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.new or self.changed or self.removed)

    def change_of(self, case_id: str) -> Change:
        """How a case of the NEW suite compares with the previous one."""
        if case_id in self.new:
            return "new"
        if case_id in self.changed:
            return "changed"
        return "unchanged"

    def named(self, names: Mapping[str, str]) -> SuiteChanges:
        """The same changes spelled with display names (function names, say), where known;
        `names` should hold both suites' names so removed cases are named too."""

        def spell(ids: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(sorted(names.get(case_id, case_id) for case_id in ids))

        return SuiteChanges(spell(self.new), spell(self.changed), spell(self.removed))


def suite_changes(previous: Mapping[str, str], current: Mapping[str, str]) -> SuiteChanges:
    """Compare two suites given as case id -> rendered source text."""
    return SuiteChanges(
        new=tuple(sorted(set(current) - set(previous))),
        changed=tuple(
            sorted(
                case_id
                for case_id in current.keys() & previous.keys()
                if current[case_id] != previous[case_id]
            )
        ),
        removed=tuple(sorted(set(previous) - set(current))),
    )


@frozen
class ApprovedTest:
    """One line of a delivery message: the test function, the rule behind it, its operation."""

    function: str
    rule: str
    operation: str


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _subject(title: str, version: str, count: int) -> str:
    noun = "test" if count == 1 else "tests"
    head = f"test: add {count} approved {noun} for "
    api = _one_line(f"{title} {version}") or "the API"
    room = SUBJECT_LIMIT - len(head)
    if len(api) > room:
        api = api[: room - 3].rstrip() + "..."
    return head + api


def delivery_message(
    title: str,
    version: str,
    approved: Sequence[ApprovedTest | tuple[str, str, str]],
) -> str:
    """A conventional commit message: a subject of at most 72 characters naming the API, then
    one line per approved test (function, rule, operation), sorted, so the history says what
    was delivered and why each test exists."""
    tests = sorted(
        {item if isinstance(item, ApprovedTest) else ApprovedTest(*item) for item in approved},
        key=lambda t: (t.function, t.rule, t.operation),
    )
    if not tests:
        raise ValidationFailed((Problem("approved", "no approved tests to deliver"),))
    lines = [
        f"- {_one_line(t.function)} ({_one_line(t.rule)}, {_one_line(t.operation)})" for t in tests
    ]
    about = _one_line(f"{title} {version}")
    body = (
        f"Approved tests generated from the OpenAPI spec of {about}:"
        if about
        else "Approved tests:"
    )
    return "\n".join((_subject(title, version, len(tests)), "", body, "", *lines)) + "\n"
