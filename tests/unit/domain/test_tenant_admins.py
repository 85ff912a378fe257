"""A tenant that has an active administrator keeps one through any single change to a user."""

from __future__ import annotations

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.identity import Role
from domain.tenancy import User
from domain.tenant_admins import LastAdminError, check_keeps_an_admin, is_active_admin
from tests.builders import a_user

_users = st.lists(
    st.builds(
        lambda role, active: a_user(role=role, active=active),
        st.sampled_from(Role),
        st.booleans(),
    ),
    min_size=1,
    max_size=6,
).map(lambda users: [evolve(user, id=f"u-{n}") for n, user in enumerate(users)])


@given(_users, st.data())
def test_an_allowed_change_never_leaves_a_tenant_without_an_active_admin(
    users: list[User], data: st.DataObject
) -> None:
    before = data.draw(st.sampled_from(users))
    after = evolve(before, role=data.draw(st.sampled_from(Role)), active=data.draw(st.booleans()))
    others = [user for user in users if user.id != before.id]
    try:
        check_keeps_an_admin(before, after, users)
    except LastAdminError:
        assert is_active_admin(before)
        assert not is_active_admin(after)
        assert not any(is_active_admin(user) for user in others)
        return
    had_one = any(is_active_admin(user) for user in users)
    assert not had_one or any(is_active_admin(user) for user in [*others, after])


def test_the_last_active_admin_can_be_neither_deactivated_nor_demoted() -> None:
    boss = a_user(id="boss", role=Role.ADMIN)
    retired = a_user(id="retired", role=Role.ADMIN, active=False)
    staff = [boss, retired, a_user(id="ana", role=Role.SENIOR_ANALYST)]

    for change in (evolve(boss, active=False), evolve(boss, role=Role.SENIOR_ANALYST)):
        with pytest.raises(LastAdminError, match="last active admin"):
            check_keeps_an_admin(boss, change, staff)
    check_keeps_an_admin(boss, evolve(boss, display_name="The Boss"), staff)
    check_keeps_an_admin(
        boss, evolve(boss, active=False), [*staff, a_user(id="co", role=Role.ADMIN)]
    )
