from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationFailed
from domain.testgen.changes import (
    SUBJECT_LIMIT,
    ApprovedTest,
    SuiteChanges,
    delivery_message,
    suite_changes,
)

ids = st.text("abcdef0123456789", min_size=1, max_size=4)
sources = st.dictionaries(ids, st.sampled_from(["a", "b", "c"]), max_size=12)


def test_a_case_only_in_the_new_suite_is_new_only_in_the_old_removed_and_edited_changed() -> None:
    changes = suite_changes(
        {"keep": "x", "edit": "old", "gone": "y"}, {"keep": "x", "edit": "new", "born": "z"}
    )
    assert changes == SuiteChanges(new=("born",), changed=("edit",), removed=("gone",))
    assert [changes.change_of(c) for c in ("born", "edit", "keep")] == [
        "new",
        "changed",
        "unchanged",
    ]
    assert not changes.empty


def test_names_replace_ids_for_display_and_stay_sorted() -> None:
    changes = SuiteChanges(new=("a1", "b2"), changed=(), removed=("c3",))
    named = changes.named({"a1": "test_z", "b2": "test_a", "c3": "test_gone"})
    assert named == SuiteChanges(new=("test_a", "test_z"), removed=("test_gone",))


@given(sources, sources)
def test_changes_partition_the_ids_of_both_suites(
    previous: dict[str, str], current: dict[str, str]
) -> None:
    changes = suite_changes(previous, current)
    unchanged = {c for c in current if c in previous and previous[c] == current[c]}
    parts = [set(changes.new), set(changes.changed), set(changes.removed), unchanged]
    assert set().union(*parts) == set(previous) | set(current)
    assert sum(map(len, parts)) == len(set(previous) | set(current))
    for part in (changes.new, changes.changed, changes.removed):
        assert list(part) == sorted(part)
    assert changes.empty == (previous == current)


@given(sources)
def test_a_suite_compared_with_itself_has_no_changes(suite: dict[str, str]) -> None:
    assert suite_changes(suite, suite).empty


def test_the_message_lists_every_approved_test_under_a_conventional_subject() -> None:
    message = delivery_message(
        "Petstore",
        "1.0.0",
        [
            ("test_happy_path_list_pets", "happy_path", "listPets"),
            ApprovedTest("test_boundary_maxlength_create_pet_name", "boundary", "createPet"),
        ],
    )
    subject, blank, *rest = message.splitlines()
    assert subject == "test: add 2 approved tests for Petstore 1.0.0"
    assert blank == ""
    assert "- test_boundary_maxlength_create_pet_name (boundary, createPet)" in rest
    assert "- test_happy_path_list_pets (happy_path, listPets)" in rest
    assert message.endswith("\n")


def test_a_message_needs_approved_tests() -> None:
    with pytest.raises(ValidationFailed, match="no approved tests"):
        delivery_message("Petstore", "1", [])


line = st.text(min_size=0, max_size=120)
approved = st.lists(st.tuples(line, line, line), min_size=1, max_size=6)


@given(line, line, approved)
def test_the_subject_is_one_line_of_at_most_72_characters_and_every_test_is_listed(
    title: str, version: str, tests: list[tuple[str, str, str]]
) -> None:
    message = delivery_message(title, version, tests)
    subject = message.split("\n", 1)[0]
    assert len(subject) <= SUBJECT_LIMIT
    assert subject.startswith("test: add ")
    body = message.split("\n\n", 2)[2]
    assert len(body.splitlines()) == len({ApprovedTest(*t) for t in tests})
    assert all(entry.startswith("- ") for entry in body.splitlines())
