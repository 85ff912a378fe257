"""What rendering a suite produces, and what the quality gate found when it compiled, collected
and ran it.

Plain values so the application layer can store and compare them without knowing pytest: a
rendered suite is its files (paths relative to the suite's root) plus where each case's test
function lives; a gate report says which files did not compile, which tests pytest collected,
and how each case fared against a live server (when one was given).
"""

from __future__ import annotations

from attrs import frozen


@frozen
class RenderedFile:
    """One file of a rendered suite; `path` is relative (`conftest.py`, `test_pets.py`)."""

    path: str
    text: str


@frozen
class RenderedSuite:
    """The files of a suite, and case id -> pytest node id (`test_pets.py::test_happy_path_...`)
    so a gate result or a review maps back to the case that proposed the test."""

    files: tuple[RenderedFile, ...]
    functions: tuple[tuple[str, str], ...]

    def file(self, path: str) -> RenderedFile | None:
        return next((f for f in self.files if f.path == path), None)

    def nodeid_of(self, case_id: str) -> str | None:
        return dict(self.functions).get(case_id)

    def case_of(self, nodeid: str) -> str | None:
        """The case whose test has this node id; parametrised ids (`...[1]`) map to their test."""
        base = nodeid.split("[", 1)[0]
        return next((case_id for case_id, node in self.functions if node == base), None)


@frozen
class GateTarget:
    """A live server to run the suite against, with the credentials the suite's conftest uses
    (`token` for the valid credential, `limited_token` for the one that lacks permission)."""

    base_url: str
    token: str | None = None
    limited_token: str | None = None


@frozen
class TestOutcome:
    """How one case's test fared in a run; `message` is short and never carries a credential."""

    __test__ = False  # not a pytest test class, despite the name

    case_id: str
    nodeid: str
    passed: bool
    message: str = ""


@frozen
class GateReport:
    """Compile errors (path, message), the collected node ids, and the outcomes of a run;
    `ran` is False when no target was given or the suite never got as far as running."""

    compile_errors: tuple[tuple[str, str], ...]
    collected: tuple[str, ...]
    outcomes: tuple[TestOutcome, ...]
    ran: bool
    error: str | None = None  # why the gate stopped early (collection failed, timeout...)

    @property
    def passed(self) -> bool:
        """Compiled, collected without error, and, when run, every test passed."""
        return (
            not self.compile_errors
            and self.error is None
            and all(outcome.passed for outcome in self.outcomes)
        )

    @property
    def failed_case_ids(self) -> tuple[str, ...]:
        return tuple(sorted({o.case_id for o in self.outcomes if not o.passed}))
