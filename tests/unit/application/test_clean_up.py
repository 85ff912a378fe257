"""The clean-up removes what has expired and nothing else; a failing cleaner stops no other."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from application.credit.clean_up import (
    CleanUp,
    ExportCleaner,
    IdempotencyKeyCleaner,
    ScheduleClaimCleaner,
    SentOutboxCleaner,
    export_day,
)
from tests.builders import (
    NOW,
    OTHER_TENANT,
    TENANT,
    a_tenant,
    an_idempotency_record,
    an_outbox_message,
)
from tests.fakes import FixedClock, InMemoryObjectStore, InMemoryScheduleClaims, InMemoryUnitOfWork

DAY = timedelta(days=1)
KEEP = 30 * DAY


class Broken:
    name = "tokens"

    def __call__(self, now: datetime) -> int:
        raise RuntimeError("token store unreachable")


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        for tenant_id in (TENANT, OTHER_TENANT):
            uow.tenants.add(a_tenant(id=tenant_id, slug=tenant_id, active=tenant_id == TENANT))
        uow.commit()
    return uow


def test_only_sent_messages_older_than_the_retention_are_removed(uow: InMemoryUnitOfWork) -> None:
    with uow:
        for name, age, sent in [("old", 31, True), ("old-unsent", 40, False), ("new", 29, True)]:
            uow.outbox.add(an_outbox_message(id=name, created_at=NOW - age * DAY))
            if sent:
                uow.outbox.mark_sent(name)
        for i in range(1_500):  # more than one batch
            uow.outbox.add(an_outbox_message(id=f"bulk-{i}", created_at=NOW - 60 * DAY))
            uow.outbox.mark_sent(f"bulk-{i}")
        uow.commit()
    assert SentOutboxCleaner(uow, KEEP)(NOW) == 1_501
    with uow:
        assert [m.id for m in uow.outbox.pending(10)] == ["old-unsent"]
        uow.outbox.mark_sent("new")  # still stored


def test_idempotency_keys_expire_in_every_tenant_even_an_inactive_one(
    uow: InMemoryUnitOfWork,
) -> None:
    with uow:
        for tenant_id in (TENANT, OTHER_TENANT):
            uow.idempotency.add(
                an_idempotency_record(tenant_id=tenant_id, key="old", created_at=NOW - 31 * DAY)
            )
            uow.idempotency.add(
                an_idempotency_record(tenant_id=tenant_id, key="new", created_at=NOW - DAY)
            )
        uow.commit()
    assert IdempotencyKeyCleaner(uow, KEEP)(NOW) == 2
    with uow:
        for tenant_id in (TENANT, OTHER_TENANT):
            assert uow.idempotency.get(tenant_id, "old") is None
            assert uow.idempotency.get(tenant_id, "new") is not None


def test_exports_older_than_the_retention_are_removed_and_other_objects_kept(
    uow: InMemoryUnitOfWork,
) -> None:
    store = InMemoryObjectStore()
    keys = {
        f"{TENANT}/exports/2026-11-14/decisions.csv": False,  # 8 days old at NOW
        f"{TENANT}/exports/2026-11-15/queue/cases.csv": True,  # 7: kept until tomorrow
        f"{TENANT}/exports/2026-11-22/decisions.csv": True,
        f"{OTHER_TENANT}/exports/2025-01-01/decisions.csv": False,
        f"{TENANT}/exports/latest.csv": True,  # not the layout: left alone
        f"{TENANT}/exports/2026-13-01/x.csv": True,
        f"{TENANT}/models/2020-01-01/model.bin": True,
        f"{TENANT}/batches/2020-01-01/rows.csv": True,
    }
    for key in keys:
        store.put(key, b"x", "text/csv")
    assert ExportCleaner(uow, store, 7 * DAY)(NOW) == 2
    assert store.keys("") == sorted(key for key, kept in keys.items() if kept)


def test_an_export_key_names_its_day() -> None:
    assert export_day("t/exports/2026-11-14/a.csv") == NOW.date() - 8 * DAY
    for key in ("t/exports/2026-11-14", "t/models/2026-11-14/a", "t/exports/20261114/a"):
        assert export_day(key) is None


def test_old_slot_claims_are_forgotten() -> None:
    claims = InMemoryScheduleClaims()
    claims.claim("sla_check", NOW - 31 * DAY, holder="a", at=NOW)
    claims.claim("sla_check", NOW - DAY, holder="a", at=NOW)
    assert ScheduleClaimCleaner(claims, KEEP)(NOW) == 1
    assert list(claims.claims) == [("sla_check", NOW - DAY)]


def test_a_failing_cleaner_is_reported_and_the_others_still_run(uow: InMemoryUnitOfWork) -> None:
    with uow:
        uow.outbox.add(an_outbox_message(id="old", created_at=NOW - 40 * DAY))
        uow.outbox.mark_sent("old")
        uow.commit()
    report = CleanUp((Broken(), SentOutboxCleaner(uow, KEEP)), FixedClock(NOW))()
    assert report.removed == {"sent_outbox_messages": 1}
    assert list(report.failed) == ["tokens"]
    assert str(report.failed["tokens"]) == "token store unreachable"


def test_a_retention_is_a_positive_span(uow: InMemoryUnitOfWork) -> None:
    with pytest.raises(ValueError, match="keep"):
        SentOutboxCleaner(uow, timedelta(0))
