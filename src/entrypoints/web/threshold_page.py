"""The thresholds page: the routing policy in force, a form to propose the next version, and
the proposals waiting for a second person.

The page reads through the same use cases as `/api/v1/thresholds`; proposing and approving go
through that API from the page's script, so the four-eyes rule (a proposer cannot approve their
own version) is the API's answer, shown as it is given, not a rule the page repeats.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get

from application.credit.thresholds import ActiveThresholds, ListThresholdVersions
from domain.credit.application import LoanPurpose
from domain.credit.policy_versions import PolicyVersion, VersionStatus
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal
from entrypoints.web.guards import page
from entrypoints.web.layout import page_context
from entrypoints.web.rendering import render


def purpose_label(purpose: LoanPurpose) -> str:
    """`home_improvement` as "Home improvement", for a checkbox's label."""
    return purpose.value.replace("_", " ").capitalize()


def split_versions(
    versions: list[PolicyVersion],
) -> tuple[list[PolicyVersion], list[PolicyVersion]]:
    """(proposals still waiting for review, versions already reviewed), each newest first."""
    pending = [v for v in versions if v.status is VersionStatus.PROPOSED]
    reviewed = [v for v in versions if v.status is not VersionStatus.PROPOSED]
    return pending, reviewed


class ThresholdsPage(Controller):
    include_in_schema = False

    @get("/app/thresholds", **page(Permission.CONFIG_MANAGE))
    def thresholds(self, deps: AppDeps, principal: CurrentPrincipal) -> Any:
        in_force = ActiveThresholds(deps.uow())(principal)
        pending, reviewed = split_versions(ListThresholdVersions(deps.uow())(principal))
        purposes = [(p.value, purpose_label(p)) for p in LoanPurpose]
        return render(
            "thresholds.html",
            page_context(
                deps, principal, "thresholds",
                in_force=in_force, pending=pending, reviewed=reviewed[:20],
                purposes=purposes, me=principal.user_id,
            ),
        )  # fmt: skip
