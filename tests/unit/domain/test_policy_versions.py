from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.defaults import DEFAULT_ROUTING_POLICY
from domain.credit.policy_versions import VersionStatus, approve, propose, reject
from domain.errors import ConflictError, PermissionDenied
from domain.identity import Principal, Role

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
admin = Principal("u-adm", "t-1", Role.ADMIN)
other_admin = Principal("u-adm2", "t-1", Role.ADMIN)
senior = Principal("u-sen", "t-1", Role.SENIOR_ANALYST)
people = st.sampled_from(
    [
        admin,
        other_admin,
        senior,
        Principal("u-x", "t-2", Role.ADMIN),
        Principal("u-a", "t-1", Role.ANALYST),
    ]
)


def test_a_second_person_with_config_manage_approves_a_proposal() -> None:
    proposed = propose(DEFAULT_ROUTING_POLICY, proposer=admin, now=NOW, note="tighter band")
    assert proposed.status is VersionStatus.PROPOSED
    approved = approve(proposed, reviewer=other_admin, now=NOW)
    assert (approved.status, approved.reviewed_by) == (VersionStatus.APPROVED, "u-adm2")
    with pytest.raises(ConflictError):
        reject(approved, reviewer=other_admin, now=NOW)


def test_only_config_managers_propose() -> None:
    with pytest.raises(PermissionDenied, match="config:manage"):
        propose(DEFAULT_ROUTING_POLICY, proposer=senior, now=NOW)


@given(st.lists(st.tuples(people, st.booleans()), max_size=6))
def test_property_a_version_is_never_approved_by_its_author_or_an_outsider(
    attempts: list[tuple[Principal, bool]],
) -> None:
    version = propose(DEFAULT_ROUTING_POLICY, proposer=admin, now=NOW)
    for reviewer, approving in attempts:
        try:
            version = (approve if approving else reject)(version, reviewer=reviewer, now=NOW)
        except (PermissionDenied, ConflictError):
            continue
    if version.status is not VersionStatus.PROPOSED:
        assert version.reviewed_by == other_admin.user_id
