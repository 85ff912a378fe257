"""Roles, permissions and authorize(): the grants table and the denial-wins rule."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import PermissionDenied
from domain.identity import (
    ROLE_GRANTS,
    Permission,
    Principal,
    Role,
    authorize,
    can,
    effective_permissions,
)

roles = st.sampled_from(Role)
permissions = st.sampled_from(Permission)
permission_sets = st.frozensets(permissions)
principals = st.builds(
    Principal,
    user_id=st.text(min_size=1, max_size=10),
    tenant_id=st.text(min_size=1, max_size=10),
    role=roles,
    extra_grants=permission_sets,
    denials=permission_sets,
)


def principal(role: Role, **adjustments: frozenset[Permission]) -> Principal:
    return Principal(user_id="u-17", tenant_id="t-1", role=role, **adjustments)


def test_the_permission_vocabulary_is_exactly_the_documented_one() -> None:
    assert {p.value for p in Permission} == {
        "application:view",
        "application:create",
        "application:score",
        "queue:view",
        "queue:assign",
        "decision:view",
        "decision:create",
        "decision:override",
        "decision:approve_override",
        "analytics:view",
        "config:manage",
        "user:manage",
        "audit:view",
        "testgen:view",
        "testgen:submit",
        "testgen:review",
    }
    # StrEnum: the member is its stored string, so it serialises without a lookup table.
    assert str(Permission.DECISION_APPROVE_OVERRIDE) == "decision:approve_override"
    assert Permission("queue:assign") is Permission.QUEUE_ASSIGN
    assert {r.value for r in Role} == {
        "admin",
        "senior_analyst",
        "analyst",
        "readonly",
        "api_consumer",
        "qa_engineer",
    }


def test_every_role_has_grants_and_the_table_cannot_be_edited() -> None:
    assert set(ROLE_GRANTS) == set(Role)
    with pytest.raises(TypeError):
        ROLE_GRANTS[Role.READONLY] = frozenset(Permission)  # type: ignore[index]


def test_an_analyst_may_override_but_not_approve_an_override() -> None:
    analyst = principal(Role.ANALYST)
    assert can(analyst, Permission.DECISION_OVERRIDE)
    assert not can(analyst, Permission.DECISION_APPROVE_OVERRIDE)
    assert can(principal(Role.SENIOR_ANALYST), Permission.DECISION_APPROVE_OVERRIDE)


def test_analysts_cannot_manage_configuration_users_or_read_the_audit_trail() -> None:
    analyst = principal(Role.ANALYST)
    for permission in (Permission.CONFIG_MANAGE, Permission.USER_MANAGE, Permission.AUDIT_VIEW):
        assert not can(analyst, permission)
    assert can(principal(Role.SENIOR_ANALYST), Permission.AUDIT_VIEW)
    assert not can(principal(Role.SENIOR_ANALYST), Permission.CONFIG_MANAGE)


def test_an_api_consumer_submits_and_reads_but_does_not_decide() -> None:
    service = principal(Role.API_CONSUMER)
    assert effective_permissions(service) == {
        Permission.APPLICATION_CREATE,
        Permission.APPLICATION_VIEW,
        Permission.DECISION_VIEW,
    }


def test_readonly_sees_but_cannot_create() -> None:
    viewer = principal(Role.READONLY)
    assert can(viewer, Permission.QUEUE_VIEW)
    assert not can(viewer, Permission.APPLICATION_CREATE)
    assert not can(viewer, Permission.DECISION_CREATE)


def test_an_extra_grant_adds_a_permission_and_a_denial_removes_it_again() -> None:
    lent = principal(Role.ANALYST, extra_grants=frozenset({Permission.QUEUE_ASSIGN}))
    assert can(lent, Permission.QUEUE_ASSIGN)
    both = principal(
        Role.ANALYST,
        extra_grants=frozenset({Permission.QUEUE_ASSIGN}),
        denials=frozenset({Permission.QUEUE_ASSIGN, Permission.DECISION_CREATE}),
    )
    assert not can(both, Permission.QUEUE_ASSIGN)
    assert not can(both, Permission.DECISION_CREATE)
    assert can(both, Permission.DECISION_VIEW)


def test_authorize_names_the_permission_and_the_user_id_only() -> None:
    analyst = Principal(user_id="u-42", tenant_id="t-1", role=Role.ANALYST)
    authorize(analyst, Permission.DECISION_CREATE)
    with pytest.raises(PermissionDenied) as raised:
        authorize(analyst, Permission.CONFIG_MANAGE)
    assert "config:manage" in str(raised.value)
    assert "u-42" in str(raised.value)


@given(roles, permission_sets, permission_sets)
def test_a_denial_always_wins(
    role: Role, extra: frozenset[Permission], denied: frozenset[Permission]
) -> None:
    someone = principal(role, extra_grants=extra, denials=denied)
    assert effective_permissions(someone).isdisjoint(denied)
    for permission in denied:
        assert not can(someone, permission)


@given(roles, permission_sets, permission_sets)
def test_effective_permissions_are_the_grants_less_the_denials(
    role: Role, extra: frozenset[Permission], denied: frozenset[Permission]
) -> None:
    someone = principal(role, extra_grants=extra, denials=denied)
    for permission in Permission:
        granted = permission in ROLE_GRANTS[role] or permission in extra
        assert can(someone, permission) == (granted and permission not in denied)


@given(permissions)
def test_admin_holds_every_permission(permission: Permission) -> None:
    assert can(principal(Role.ADMIN), permission)


@given(roles)
def test_no_role_holds_more_than_admin(role: Role) -> None:
    assert ROLE_GRANTS[role] <= ROLE_GRANTS[Role.ADMIN]


@given(st.sampled_from([Role.ANALYST, Role.SENIOR_ANALYST]))
def test_every_analyst_role_sees_what_readonly_sees(role: Role) -> None:
    assert ROLE_GRANTS[Role.READONLY] <= ROLE_GRANTS[role]


@given(principals, permissions)
def test_authorize_raises_exactly_when_can_is_false(
    someone: Principal, permission: Permission
) -> None:
    if can(someone, permission):
        authorize(someone, permission)
    else:
        with pytest.raises(PermissionDenied, match=re.escape(permission.value)) as raised:
            authorize(someone, permission)
        assert someone.user_id in str(raised.value)


def test_a_qa_engineer_works_on_test_suites_and_sees_nothing_of_credit() -> None:
    qa = principal(Role.QA_ENGINEER)
    assert effective_permissions(qa) == {
        Permission.TESTGEN_VIEW,
        Permission.TESTGEN_SUBMIT,
        Permission.TESTGEN_REVIEW,
    }
    assert not can(qa, Permission.APPLICATION_VIEW)
    assert can(principal(Role.ADMIN), Permission.TESTGEN_REVIEW)
