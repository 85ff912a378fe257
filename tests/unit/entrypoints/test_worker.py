"""The worker's small policies: who a job acts as, and running again after a lost race."""

from __future__ import annotations

import pytest

from domain.audit import ChainMismatch
from domain.identity import Permission, can
from entrypoints.actors.common import again_on_race, worker_principal


class Racing:
    def __init__(self, losses: int) -> None:
        self.losses = losses
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1
        if self.calls <= self.losses:
            raise ChainMismatch("another job appended first")


def test_a_lost_race_is_run_again_at_once_until_it_wins() -> None:
    racing = Racing(losses=3)
    again_on_race(racing)
    assert racing.calls == 4


def test_a_job_that_keeps_losing_is_left_to_the_broker() -> None:
    racing = Racing(losses=100)
    with pytest.raises(ChainMismatch):
        again_on_race(racing, attempts=5)
    assert racing.calls == 5


def test_a_job_acts_as_a_system_user_that_may_score_and_nothing_more() -> None:
    principal = worker_principal("tenant-a")
    assert principal.tenant_id == "tenant-a"
    assert can(principal, Permission.APPLICATION_SCORE)
    assert not can(principal, Permission.DECISION_CREATE)
    assert not can(principal, Permission.CONFIG_MANAGE)
