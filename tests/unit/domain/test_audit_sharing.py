"""Snapshots that share parts (a new snapshot reusing the unchanged parts of the old one) give
exactly the events, diffs and hashes that unshared copies of them give."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from domain.audit import JsonValue, diff, record_event
from domain.pii import mask_record, mask_record_alike

from .json_strategies import json_values, keys, records

AT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@st.composite
def sharing_pairs(draw: st.DrawFn) -> tuple[dict[str, JsonValue], dict[str, JsonValue]]:
    """An old record, and a new one that reuses some of its values (the very objects), adds,
    drops or replaces others; the keys may hold dots, so shared paths can meet others."""
    old = draw(records)
    new: dict[str, JsonValue] = {}
    for key, value in old.items():
        fate = draw(st.sampled_from(["share", "copy", "replace", "drop"]))
        if fate == "share":
            new[key] = value
        elif fate == "copy":
            new[key] = copy.deepcopy(value)
        elif fate == "replace":
            new[key] = draw(json_values)
    new.update(draw(st.dictionaries(keys, json_values, max_size=2)))
    return old, new


@given(sharing_pairs())
def test_a_shared_part_changes_neither_the_diff_nor_the_masking(
    pair: tuple[dict[str, JsonValue], dict[str, JsonValue]],
) -> None:
    old, new = pair
    apart = copy.deepcopy(new)  # equal, but sharing nothing with `old`

    assert diff(old, new) == diff(old, apart)
    masked_old = mask_record(old)
    assert mask_record_alike(new, old, masked_old) == mask_record(apart)


@given(sharing_pairs())
def test_an_event_of_shared_snapshots_is_the_event_of_unshared_ones(
    pair: tuple[dict[str, JsonValue], dict[str, JsonValue]],
) -> None:
    old, new = pair

    def event(new_snapshot: dict[str, JsonValue]) -> object:
        return record_event(
            None,
            tenant_id="t-1",
            occurred_at=AT,
            actor="system",
            action="application.routed",
            entity_type="application",
            entity_id="app-1",
            old=old,
            new=new_snapshot,
        )

    assert event(new) == event(copy.deepcopy(new))


def test_equal_leaves_of_other_types_or_signs_still_differ() -> None:
    assert [c.path for c in diff({"a": 1, "b": 0.0, "c": True}, {"a": 1.0, "b": -0.0, "c": 1})] == [
        "a",
        "b",
        "c",
    ]
