"""The clean-up forgets denylist entries and refresh tokens once they have expired, no sooner."""

from __future__ import annotations

from datetime import timedelta

from application.credit.clean_up import CleanUp
from application.credit.token_clean_up import ExpiredTokenCleaner
from domain.auth import TokenLifetimes, new_family
from tests.builders import NOW, TENANT
from tests.fakes import FixedClock, InMemoryUnitOfWork


def test_expired_tokens_are_removed_in_batches_and_live_ones_kept() -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        for n in range(5):
            uow.denylist.add(f"jti-{n}", NOW + timedelta(minutes=n))
            token = new_family(
                f"rt-{n}",
                tenant_id=TENANT,
                user_id="user-1",
                secret="a" * 64,
                now=NOW - TokenLifetimes().refresh + timedelta(minutes=n),
                lifetimes=TokenLifetimes(),
            )
            uow.refresh_tokens.add(token)
        uow.commit()
    cleaner = ExpiredTokenCleaner(uow, batch=2)

    report = CleanUp([cleaner], FixedClock(NOW + timedelta(minutes=3)))()

    assert report.removed == {"expired_tokens": 6}  # three of each, expired before 3 minutes
    with uow:
        assert [n for n in range(5) if uow.denylist.is_denied(f"jti-{n}")] == [3, 4]
        assert [n for n in range(5) if uow.refresh_tokens.get(f"rt-{n}")] == [3, 4]
