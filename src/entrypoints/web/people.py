"""Names for the user ids the queue, applications and overrides pages show (who holds a case,
who decided, who overrode), read through the use case the dashboard names analysts with.

That use case is for those who read analytics (analytics:view); a role without it sees the
short ids the API itself answers, not names it could not otherwise read.
"""

from __future__ import annotations

from collections.abc import Iterable

from application.credit.analyst_names import NameAnalysts
from domain.identity import Permission, Principal, can
from entrypoints.composition import Deps


def display_names(
    deps: Deps, principal: Principal, user_ids: Iterable[str | None]
) -> dict[str, str]:
    """The display name of each id the viewer may have named; the others are left out."""
    if not can(principal, Permission.ANALYTICS_VIEW):
        return {}
    return NameAnalysts(deps.uow())(principal, [user_id for user_id in user_ids if user_id])
