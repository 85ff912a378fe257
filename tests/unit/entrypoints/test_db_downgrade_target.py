"""Where `creditdesk db downgrade REVISION` ends, worked out before anything is dropped, so
that every way of reaching base (by name or by too many steps) asks for --yes."""

from __future__ import annotations

from entrypoints.cli.db import downgrade_destination

CHAIN = ["0001", "0002", "0003"]


def test_steps_back_count_from_the_current_revision_and_end_at_base() -> None:
    assert downgrade_destination("-1", "0003", CHAIN) == "0002"
    assert downgrade_destination("-2", "0003", CHAIN) == "0001"
    assert downgrade_destination("-3", "0003", CHAIN) is None
    assert downgrade_destination("-20", "0002", CHAIN) is None


def test_a_named_revision_is_where_it_ends_and_base_is_base() -> None:
    assert downgrade_destination("0001", "0003", CHAIN) == "0001"
    assert downgrade_destination("base", "0003", CHAIN) is None
