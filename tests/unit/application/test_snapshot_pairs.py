"""Both snapshots of an application that moved: what each alone would be, the form built once."""

from __future__ import annotations

from datetime import timedelta

from attrs import evolve

from application.credit.snapshots import application_snapshot, application_snapshots
from domain.credit.status import ApplicationStatus
from tests.builders import NOW, an_application, an_application_form, eur


def test_a_moved_application_shares_its_forms_snapshot() -> None:
    pending = an_application()
    routed = evolve(pending, status=ApplicationStatus.REVIEW, updated_at=NOW + timedelta(hours=1))

    old, new = application_snapshots(pending, routed)

    assert (old, new) == (application_snapshot(pending), application_snapshot(routed))
    assert list(new) == list(application_snapshot(routed))  # the same keys, in the same order
    assert new["form"] is old["form"]
    assert "date_of_birth" not in str(new["form"])


def test_an_application_whose_form_changed_gets_a_snapshot_of_its_own() -> None:
    before = an_application()
    after = evolve(before, form=an_application_form(amount=eur(9_000)))

    old, new = application_snapshots(before, after)

    assert (old, new) == (application_snapshot(before), application_snapshot(after))
    assert new["form"] is not old["form"]
