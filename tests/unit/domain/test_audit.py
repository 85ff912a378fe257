"""PII masking, field diffs and the tamper-evident audit chain."""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from attrs import evolve
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.audit import (
    GENESIS_HASH,
    AuditEvent,
    ChainAnchor,
    ChainMismatch,
    ChainVerification,
    ChangeKind,
    FieldChange,
    JsonValue,
    compute_hash,
    diff,
    flatten,
    record_event,
    verify_chain,
)
from domain.pii import (
    calling_code,
    mask_email,
    mask_name,
    mask_national_id,
    mask_phone,
    mask_record,
)

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
TENANT = "t-1"

# The oracle for mask_record, written out from the specification (including spelling variants).
MASKER_OF_KEY: dict[str, Callable[[str], str]] = {
    **dict.fromkeys(["email", "Email"], mask_email),
    **dict.fromkeys(["phone", "phone_number", "mobile", "PHONE_NUMBER"], mask_phone),
    **dict.fromkeys(["national_id", "personal_id", "tax_id", "ssn"], mask_national_id),
    **dict.fromkeys(
        ["first_name", "last_name", "full_name", "name", "middle_name", "firstName"], mask_name
    ),
    **dict.fromkeys(
        ["street", "address_line", "address_line1", "address_line2", "address-line1"],
        lambda _: "***",
    ),
}
# Keys the masker must leave alone; random keys use an alphabet that cannot spell a PII key.
keys = st.sampled_from([*MASKER_OF_KEY, "address", "amount", "status", "id"]) | st.text(
    alphabet=string.digits + "._ ", max_size=4
)
scalars: st.SearchStrategy[JsonValue] = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=16)
)
json_values: st.SearchStrategy[JsonValue] = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(keys, children, max_size=3),
    max_leaves=10,
)
records = st.dictionaries(keys, json_values, max_size=5)
optional_records = st.none() | records


@st.composite
def chains(draw: st.DrawFn, min_size: int = 0) -> list[AuditEvent]:
    steps = draw(
        st.lists(
            st.tuples(optional_records, optional_records, st.sampled_from(["u-1", "system"])),
            min_size=min_size,
            max_size=6,
        )
    )
    events: list[AuditEvent] = []
    for minute, (old, new, actor) in enumerate(steps):
        events.append(
            event_after(events[-1] if events else None, old, new, actor=actor, minute=minute)
        )
    return events


def event_after(
    previous: AuditEvent | None,
    old: dict[str, JsonValue] | None,
    new: dict[str, JsonValue] | None,
    *,
    actor: str = "u-1",
    minute: int = 0,
    tenant_id: str = TENANT,
) -> AuditEvent:
    return record_event(
        previous,
        tenant_id=tenant_id,
        occurred_at=T0 + timedelta(minutes=minute),
        actor=actor,
        action="application.updated",
        entity_type="application",
        entity_id=f"app-{minute % 3}",
        old=old,
        new=new,
    )


def resealed(event: AuditEvent, **changes: Any) -> AuditEvent:
    """What a forger with the hashing code would do: edit, then recompute the hash."""
    edited = evolve(event, **changes)
    return evolve(edited, hash=compute_hash(edited))


def chain_of(length: int) -> list[AuditEvent]:
    events: list[AuditEvent] = []
    for n in range(length):
        events.append(event_after(events[-1] if events else None, {"n": n}, {"n": n + 1}, minute=n))
    return events


# --- masking: examples -------------------------------------------------------------------


def test_masking_examples_from_the_specification() -> None:
    assert mask_email("marko.petrovic@example.com") == "***@example.com"
    assert mask_email("not an email") == "***"
    assert mask_phone("+381641234567") == "+381*******67"
    assert mask_phone("+381 64 123-45-67") == "+381*******67"
    assert mask_phone("(064) 123 4567") == "********67"
    assert mask_phone("+38112") == "+*****"
    assert mask_national_id("1503985710012") == "1503*********"
    assert mask_national_id("1503") == "****"
    assert mask_name("Marković") == "Ma*****ć"
    assert mask_name("Ana") == "A**"
    assert mask_name("Ana Marković") == "A** Ma*****ć"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("12025550100", "1"),
        ("74951234567", "7"),
        ("447911123456", "44"),
        ("4915112345678", "49"),
        ("201001234567", "20"),
        ("381641234567", "381"),
        ("385911234567", "385"),
        ("8613800138000", "86"),
        ("971501234567", "971"),
        ("212612345678", "212"),
    ],
)
def test_calling_code_follows_the_itu_plan(number: str, code: str) -> None:
    assert calling_code(number) == code


def test_mask_record_masks_nested_lists_and_spelling_variants() -> None:
    record: dict[str, JsonValue] = {
        "applicant": {
            "firstName": "Marko",
            "last_name": "Petrović",
            "contacts": [{"email": "m@example.com"}, {"mobile": 381641234567}],
            "address": {"street": "Knez Mihailova 5", "city": "Beograd"},
        },
        "phone": ["+381641234567", None],
        "amount": 250000,
        "name": {"given": "Ana", "email": "ana@example.com"},
    }
    assert mask_record(record) == {
        "applicant": {
            "firstName": "Ma**o",
            "last_name": "Pe*****ć",
            "contacts": [{"email": "***@example.com"}, {"mobile": "**********67"}],
            "address": {"street": "***", "city": "Beograd"},
        },
        "phone": ["+381*******67", None],
        "amount": 250000,
        "name": {"given": "A**", "email": "***@example.com"},
    }


# --- masking: properties -----------------------------------------------------------------


@given(st.emails())
def test_a_masked_email_keeps_the_domain_and_hides_the_local_part(email: str) -> None:
    local, _, domain = email.rpartition("@")
    masked = mask_email(email)
    assert masked == "***@" + domain
    assume(local not in "***@" + domain)
    assert local not in masked


@given(st.booleans(), st.text(alphabet=string.digits, min_size=1, max_size=15), st.data())
def test_a_masked_phone_keeps_country_and_last_two_digits_only(
    international: bool, digits: str, data: st.DataObject
) -> None:
    separators = data.draw(st.lists(st.sampled_from(["", " ", "-", "(", ")"]), min_size=15))
    plus = "+" if international else ""
    masked = mask_phone(plus + "".join(s + d for s, d in zip(separators, digits, strict=False)))
    code = calling_code(digits) if international else ""
    hidden = len(digits) - len(code) - 2
    assert set(masked) <= set(string.digits + "*+")
    assert masked.startswith(plus)
    if hidden >= 3:
        assert masked.startswith(plus + code)
        assert masked.endswith(digits[-2:])
        assert masked.count("*") == hidden
    else:
        assert masked == plus + "*" * len(digits)
    assert mask_phone(masked) == masked


@given(st.text(max_size=20))
def test_a_masked_national_id_shows_only_its_first_four_characters(national_id: str) -> None:
    masked = mask_national_id(national_id)
    assert len(masked) == len(national_id)
    kept = 4 if len(national_id) > 4 else 0
    assert masked[:kept] == national_id[:kept]
    assert set(masked[kept:]) <= {"*"}


@given(st.lists(st.text(st.characters(categories=["L"]), min_size=1, max_size=12), min_size=1))
def test_a_masked_name_hides_the_middle_of_every_word(words: list[str]) -> None:
    masked = mask_name(" ".join(words)).split(" ")
    assert len(masked) == len(words)
    for word, masked_word in zip(words, masked, strict=True):
        assert len(masked_word) == len(word)
        shown = [0] if len(word) <= 4 else [0, 1, len(word) - 1]
        for i, char in enumerate(masked_word):
            assert char == (word[i] if i in shown else "*")


@given(records)
def test_mask_record_is_idempotent(record: dict[str, JsonValue]) -> None:
    once = mask_record(record)
    assert mask_record(once) == once


def assert_masked(
    original: JsonValue, masked: JsonValue, masker: Callable[[str], str] | None
) -> None:
    if isinstance(original, dict):
        assert isinstance(masked, dict)
        assert masked.keys() == original.keys()
        for key, value in original.items():
            assert_masked(value, masked[key], MASKER_OF_KEY.get(key, masker))
    elif isinstance(original, list):
        assert isinstance(masked, list)
        assert len(masked) == len(original)
        for item, masked_item in zip(original, masked, strict=True):
            assert_masked(item, masked_item, masker)
    elif masker is None or original is None or isinstance(original, bool):
        assert masked == original
    else:
        assert masked == masker(original if isinstance(original, str) else str(original))


@given(records)
def test_mask_record_leaves_nothing_under_a_pii_key_unmasked(record: dict[str, JsonValue]) -> None:
    assert_masked(record, mask_record(record), None)


# --- diff ----------------------------------------------------------------------------------


def test_diff_lists_added_removed_and_changed_leaves_by_path() -> None:
    old: dict[str, JsonValue] = {"a": {"b": 1, "c": None}, "tags": [1, 2], "gone": True}
    new: dict[str, JsonValue] = {"a": {"b": 1.0, "d": "x"}, "tags": [1, 2], "added": None}
    assert diff(old, new) == (
        FieldChange("a.b", 1, 1.0, ChangeKind.CHANGED),
        FieldChange("a.c", None, None, ChangeKind.REMOVED),
        FieldChange("a.d", None, "x", ChangeKind.ADDED),
        FieldChange("added", None, None, ChangeKind.ADDED),
        FieldChange("gone", True, None, ChangeKind.REMOVED),
    )
    assert diff(None, {"x": {}}) == (FieldChange("x", None, {}, ChangeKind.ADDED),)


@given(optional_records, optional_records)
def test_applying_the_diff_to_old_gives_new(
    old: dict[str, JsonValue] | None, new: dict[str, JsonValue] | None
) -> None:
    state = flatten(old)
    changes = diff(old, new)
    assert [c.path for c in changes] == sorted({c.path for c in changes})
    for change in changes:
        if change.kind is ChangeKind.REMOVED:
            del state[change.path]
        else:
            state[change.path] = change.after
    assert state == flatten(new)
    assert diff(new, new) == ()


# --- the chain: examples -------------------------------------------------------------------


def test_record_event_masks_links_and_numbers_events() -> None:
    first = event_after(None, None, {"email": "marko@example.com", "status": "pending"})
    second = event_after(first, {"status": "pending"}, {"status": "approved"}, minute=1)
    assert (first.sequence, first.previous_hash) == (1, GENESIS_HASH)
    assert first.new == {"email": "***@example.com", "status": "pending"}
    assert FieldChange("email", None, "***@example.com", ChangeKind.ADDED) in first.diff
    assert (second.sequence, second.previous_hash) == (2, first.hash)
    assert second.diff == (FieldChange("status", "pending", "approved", ChangeKind.CHANGED),)
    assert compute_hash(second) == second.hash
    assert len(second.hash) == 64


def test_record_event_refuses_another_tenants_chain_and_naive_times() -> None:
    first = event_after(None, None, {"n": 1})
    with pytest.raises(ChainMismatch):
        event_after(first, None, {"n": 2}, tenant_id="t-2")
    with pytest.raises(ValueError, match="timezone"):
        record_event(
            None,
            tenant_id=TENANT,
            occurred_at=T0.replace(tzinfo=None),
            actor="system",
            action="application.created",
            entity_type="application",
            entity_id="app-1",
            old=None,
            new=None,
        )


def test_verification_names_the_problem_in_plain_words() -> None:
    events = chain_of(8)
    anchor = ChainAnchor.at(events[-1])
    assert verify_chain(events, anchor) == verify_chain(events)
    assert verify_chain(events).checked == 8
    assert verify_chain([]).ok
    assert verify_chain([], ChainAnchor.empty(TENANT)).ok

    altered = [*events[:6], evolve(events[6], actor="u-9"), events[7]]
    assert verify_chain(altered).problem == "event 7 was altered"
    assert verify_chain([*events[:4], *events[5:]]).problem == "event 5 is missing"
    assert verify_chain(events[:5], anchor).problem == "events after 5 were removed"
    assert verify_chain([], anchor).problem == "all events were removed"
    swapped = [events[0], events[2], events[1], *events[3:]]
    assert verify_chain(swapped).problem == "event 2 is out of order"
    assert verify_chain([*events[:3], events[2], *events[3:]]).problem == "event 3 appears twice"

    stranger = resealed(events[2], tenant_id="t-2")
    foreign = [*events[:2], stranger, *events[3:]]
    assert verify_chain(foreign).problem == "event 3 belongs to another tenant"

    forged = event_after(events[2], {"n": 3}, {"n": 99}, minute=3)
    replaced = [*events[:3], forged, *events[4:]]
    assert verify_chain(replaced) == ChainVerification(False, 4, 4, "event 4 was replaced")
    rewritten = [*events[:7], event_after(events[6], None, None, minute=7)]
    result = verify_chain(rewritten, anchor)
    assert (result.ok, result.broken_at, result.problem) == (
        False,
        8,
        "event 8 does not match the anchor",
    )


# --- the chain: properties -----------------------------------------------------------------


@given(chains())
def test_a_chain_built_with_record_event_verifies(events: list[AuditEvent]) -> None:
    anchor = ChainAnchor.at(events[-1]) if events else ChainAnchor.empty(TENANT)
    assert verify_chain(events) == verify_chain(events, anchor)
    assert verify_chain(events, anchor).ok
    assert verify_chain(events).checked == len(events)
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))


hex_digests = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
field_changes = st.builds(
    FieldChange, st.text(max_size=5), json_values, json_values, st.sampled_from(ChangeKind)
)
REPLACEMENTS: dict[str, st.SearchStrategy[Any]] = {
    "tenant_id": st.text(max_size=8),
    "sequence": st.integers(-3, 40),
    "occurred_at": st.datetimes(timezones=st.just(UTC)),
    "actor": st.text(max_size=8),
    "action": st.text(max_size=8),
    "entity_type": st.text(max_size=8),
    "entity_id": st.text(max_size=8),
    "old": optional_records,
    "new": optional_records,
    "diff": st.lists(field_changes, max_size=3).map(tuple),
    "previous_hash": hex_digests,
    "hash": hex_digests,
}


@given(chains(min_size=1), st.sampled_from(sorted(REPLACEMENTS)), st.data())
def test_any_edit_of_any_field_is_detected(
    events: list[AuditEvent], field: str, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(events) - 1))
    current = getattr(events[index], field)
    replacement = data.draw(REPLACEMENTS[field].filter(lambda value: value != current))
    tampered = [*events]
    tampered[index] = evolve(events[index], **{field: replacement})
    for anchor in (None, ChainAnchor.at(events[-1])):
        result = verify_chain(tampered, anchor)
        assert not result.ok
        assert result.broken_at is not None
        assert result.broken_at <= events[index].sequence


@given(chains(min_size=2), st.data())
def test_deleting_an_event_before_the_newest_is_detected(
    events: list[AuditEvent], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(events) - 2))
    result = verify_chain([*events[:index], *events[index + 1 :]])
    assert (result.ok, result.broken_at) == (False, index + 1)
    assert result.problem == f"event {index + 1} is missing"


@given(chains(min_size=1), st.data())
def test_deleting_the_newest_events_is_detected_with_the_anchor(
    events: list[AuditEvent], data: st.DataObject
) -> None:
    kept = data.draw(st.integers(0, len(events) - 1))
    anchor = ChainAnchor.at(events[-1])
    assert verify_chain(events[:kept]).ok  # which is why the anchor is kept apart
    result = verify_chain(events[:kept], anchor)
    assert (result.ok, result.broken_at) == (False, kept + 1)
