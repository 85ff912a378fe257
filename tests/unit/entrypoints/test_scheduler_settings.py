"""The scheduler's settings: sensible defaults, and every bad value named at once."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from domain.errors import ValidationFailed
from entrypoints.settings import SchedulerSettings, load


def test_the_defaults() -> None:
    assert load({}).scheduler == SchedulerSettings(
        tick=1.0,
        model_check_at=time(2, 0),
        clean_up_at=time(3, 0),
        auto_assign_within=timedelta(hours=2),
        retention=timedelta(days=30),
        export_retention=timedelta(days=7),
    )


def test_every_one_can_be_set() -> None:
    scheduler = load(
        {
            "CREDITDESK_SCHEDULER_TICK": "0.5",
            "CREDITDESK_MODEL_CHECK_AT": "23:45",
            "CREDITDESK_CLEAN_UP_AT": "00:05",
            "CREDITDESK_AUTO_ASSIGN_MINUTES": "0",
            "CREDITDESK_RETENTION_DAYS": "90",
            "CREDITDESK_EXPORT_RETENTION_DAYS": "1",
        }
    ).scheduler
    assert scheduler == SchedulerSettings(
        tick=0.5,
        model_check_at=time(23, 45),
        clean_up_at=time(0, 5),
        auto_assign_within=timedelta(0),
        retention=timedelta(days=90),
        export_retention=timedelta(days=1),
    )


def test_every_bad_value_is_named() -> None:
    with pytest.raises(ValidationFailed) as refused:
        load(
            {
                "CREDITDESK_SCHEDULER_TICK": "0",
                "CREDITDESK_MODEL_CHECK_AT": "2am",
                "CREDITDESK_CLEAN_UP_AT": "24:00",
                "CREDITDESK_AUTO_ASSIGN_MINUTES": "-5",
                "CREDITDESK_RETENTION_DAYS": "1.5",
                "CREDITDESK_EXPORT_RETENTION_DAYS": "forever",
            }
        )
    named = {problem.path: problem.message for problem in refused.value.problems}
    assert named == {
        "CREDITDESK_SCHEDULER_TICK": "must be seconds from 0.05 to 60",
        "CREDITDESK_MODEL_CHECK_AT": "must be a time of day in UTC, as HH:MM",
        "CREDITDESK_CLEAN_UP_AT": "must be a time of day in UTC, as HH:MM",
        "CREDITDESK_AUTO_ASSIGN_MINUTES": "must be whole minutes from 0 to 1440",
        "CREDITDESK_RETENTION_DAYS": "must be whole days from 1 to 3650",
        "CREDITDESK_EXPORT_RETENTION_DAYS": "must be whole days from 1 to 3650",
    }
