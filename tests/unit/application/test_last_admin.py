"""`UpdateUser` keeps at least one active administrator in every tenant."""

from __future__ import annotations

import pytest

from application.credit.admin import UserChanges
from domain.errors import ConflictError
from domain.identity import Role
from tests.unit.application.helpers import ADMIN, ADMIN_2, Desk


def test_the_last_active_admin_is_kept_and_nothing_is_recorded(desk: Desk) -> None:
    desk.update_user(ADMIN, ADMIN_2.user_id, UserChanges(active=False))
    before, events = desk.stored(), desk.events()

    for change in (UserChanges(active=False), UserChanges(role=Role.SENIOR_ANALYST)):
        with pytest.raises(ConflictError, match="last active admin"):
            desk.update_user(ADMIN, ADMIN.user_id, change)

    assert desk.stored() == before
    assert desk.events() == events


def test_an_admin_may_step_down_once_another_is_active(desk: Desk) -> None:
    desk.update_user(ADMIN, ADMIN_2.user_id, UserChanges(active=False))
    renamed = desk.update_user(ADMIN, ADMIN.user_id, UserChanges(display_name="The Boss"))
    assert (renamed.role, renamed.active) == (Role.ADMIN, True)

    desk.update_user(ADMIN, ADMIN_2.user_id, UserChanges(active=True))
    demoted = desk.update_user(ADMIN_2, ADMIN.user_id, UserChanges(role=Role.ANALYST))

    assert demoted.role is Role.ANALYST
    with pytest.raises(ConflictError):
        desk.update_user(ADMIN_2, ADMIN_2.user_id, UserChanges(active=False))
