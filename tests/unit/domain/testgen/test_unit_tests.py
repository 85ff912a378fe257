"""Which proposed unit tests are kept: only those that pass and cover something new."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.testgen.unit_tests import (
    Candidate,
    CandidateRun,
    Covered,
    Measurable,
    ModuleOutline,
    ProposedTest,
    RunOutcome,
    UnitTestAnswer,
    Verdict,
    candidates_of,
    select,
    written_tests,
)

MEASURABLE = Measurable(frozenset(range(1, 21)), frozenset({(3, 4), (3, 6), (8, 9), (8, 11)}))
OUTLINE = ModuleOutline("pkg.money", "/src/pkg/money.py", "Money.", ())


def _candidate(index: int, name: str = "") -> Candidate:
    name = name or f"test_{index}"
    return Candidate(
        f"c{index:03d}", "add", name, ("from pkg.money import add",), f"def {name}():\n    pass\n"
    )


def _passed(index: int, lines: set[int], branches: set[tuple[int, int]] = set()) -> CandidateRun:  # noqa: B006
    return CandidateRun(
        f"c{index:03d}", RunOutcome.PASSED, Covered(frozenset(lines), frozenset(branches))
    )


def test_a_passing_test_that_covers_new_lines_is_kept_and_one_that_adds_nothing_is_not() -> None:
    candidates = [_candidate(1), _candidate(2), _candidate(3)]
    runs = [_passed(1, {1, 2, 5}), _passed(2, {1, 5}), _passed(3, {1, 2}, {(3, 4)})]

    selection = select(candidates, runs, Covered(frozenset({1})), MEASURABLE)

    assert [j.verdict for j in selection.judged] == [
        Verdict.KEPT,
        Verdict.ADDS_NO_COVERAGE,
        Verdict.KEPT,  # no new line, but a new branch
    ]
    assert selection.before.lines == 1
    assert (selection.after.lines, selection.after.branches) == (3, 1)
    assert selection.kept == (candidates[0], candidates[2])


def test_failed_timed_out_and_uncompiled_tests_are_discarded_with_their_reason() -> None:
    candidates = [_candidate(1), _candidate(2), _candidate(3), _candidate(4)]
    runs = [
        CandidateRun("c001", RunOutcome.FAILED, Covered(frozenset({7})), "assert 2 == 3"),
        CandidateRun("c002", RunOutcome.TIMED_OUT, message="did not finish within 1 s"),
        CandidateRun("c003", RunOutcome.NOT_COMPILED, message="line 2: SyntaxError"),
    ]

    selection = select(candidates, runs, Covered(), MEASURABLE)

    assert [(j.verdict, j.reason) for j in selection.judged] == [
        (Verdict.FAILS, "assert 2 == 3"),
        (Verdict.TIMED_OUT, "did not finish within 1 s"),
        (Verdict.DOES_NOT_COMPILE, "line 2: SyntaxError"),
        (Verdict.FAILS, "the gate reported no result"),
    ]
    assert selection.after == selection.before
    assert selection.count(Verdict.FAILS) == 2


def test_lines_that_are_not_statements_do_not_count_as_coverage() -> None:
    outside = _passed(1, {99}, {(1, 2)})  # a docstring line, an arc that is no branch

    selection = select([_candidate(1)], [outside], Covered(), MEASURABLE)

    assert selection.judged[0].verdict is Verdict.ADDS_NO_COVERAGE


coverages = st.builds(
    Covered,
    st.frozensets(st.integers(1, 25), max_size=8),
    st.frozensets(st.sampled_from([(3, 4), (3, 6), (8, 9), (8, 11), (1, 2)]), max_size=3),
)
outcomes = st.sampled_from(list(RunOutcome))


@given(st.lists(st.tuples(outcomes, coverages), max_size=12), coverages)
def test_every_kept_test_passed_and_coverage_never_falls(
    facts: list[tuple[RunOutcome, Covered]], baseline: Covered
) -> None:
    candidates = [_candidate(i) for i in range(1, len(facts) + 1)]
    runs = [
        CandidateRun(c.id, outcome, covered)
        for c, (outcome, covered) in zip(candidates, facts, strict=True)
    ]

    selection = select(candidates, runs, baseline, MEASURABLE)

    so_far = MEASURABLE.within(baseline)
    for judged, run in zip(selection.judged, runs, strict=True):
        if judged.verdict is Verdict.KEPT:
            assert run.outcome is RunOutcome.PASSED
            assert MEASURABLE.within(run.covered).adds_to(so_far)
            so_far = so_far | MEASURABLE.within(run.covered)
    assert selection.after == MEASURABLE.percent(so_far)
    assert selection.after.combined_rate >= selection.before.combined_rate
    assert selection.after.combined_rate <= 1.0


def test_candidates_get_unique_test_names_and_their_def_is_renamed_to_match() -> None:
    answer = UnitTestAnswer(
        imports=("from pkg.money import add", "  "),
        tests=(
            ProposedTest("test_add", "def test_add():\n    assert add(1, 2) == 3\n"),
            ProposedTest("test_add", "def test_add():\n    assert add(0, 0) == 0\n"),
            ProposedTest("adds_zero", "def adds_zero():\n    pass\n"),
            ProposedTest("not a name", "def x():\n    pass\n"),
        ),
    )
    taken = {"test_add_3"}

    found = candidates_of("add", answer, taken)

    assert [c.name for c in found] == [
        "test_add",
        "test_add_2",
        "test_adds_zero",
        "test_proposal_5",
    ]
    assert found[1].source.startswith("def test_add_2():")
    assert found[2].source.startswith("def test_adds_zero():")
    assert found[0].imports == ("from pkg.money import add",)
    assert len({c.id for c in found}) == 4
    assert taken >= {"test_add", "test_add_2", "test_adds_zero"}


def test_the_written_file_holds_each_import_once_and_the_kept_tests_in_order() -> None:
    kept = (_candidate(2, "test_b"), _candidate(1, "test_a"))

    text = written_tests(OUTLINE, kept)

    compile(text, "written.py", "exec")
    assert text.count("from pkg.money import add") == 1
    assert text.index("def test_b") < text.index("def test_a")
    assert "pkg.money" in text.splitlines()[0]


def test_a_file_with_nothing_kept_still_compiles() -> None:
    compile(written_tests(OUTLINE, ()), "written.py", "exec")
