"""The thresholds page's split of versions into those waiting for review and the rest."""

from __future__ import annotations

from domain.credit.application import LoanPurpose
from domain.credit.policy_versions import VersionStatus
from entrypoints.web.threshold_page import purpose_label, split_versions
from tests.builders import a_policy_version


def test_proposals_wait_and_reviewed_versions_are_history_each_in_the_order_given() -> None:
    versions = [
        a_policy_version(version=5),
        a_policy_version(version=4, status=VersionStatus.APPROVED),
        a_policy_version(version=3),
        a_policy_version(version=2, status=VersionStatus.REJECTED),
    ]
    pending, reviewed = split_versions(versions)
    assert [v.version for v in pending] == [5, 3]
    assert [v.version for v in reviewed] == [4, 2]


def test_a_purpose_reads_as_words() -> None:
    assert purpose_label(LoanPurpose.HOME_IMPROVEMENT) == "Home improvement"
    assert purpose_label(LoanPurpose.CAR) == "Car"
