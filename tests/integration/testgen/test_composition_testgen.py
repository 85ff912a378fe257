"""`Deps.testgen` is the test-generation facade on the Deps' current adapters: a Deps evolved
with another clock, id generator or settings gets a service on those, not on the ones it had."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from attrs import evolve

from application.testgen.views import SpecUpload
from domain.identity import Role
from entrypoints.composition import build
from entrypoints.settings import Settings
from tests.builders import TENANT, a_principal, a_tenant
from tests.fakes import FixedClock, SequentialIds
from tests.integration.http.testgen import SPEC


def test_the_facade_follows_the_clock_ids_and_settings_the_deps_hold_now(
    sqlite_database: Path,
) -> None:
    settings = Settings(
        data_dir=sqlite_database.parent, database_url=f"sqlite:///{sqlite_database}"
    )
    built = build(settings, migrate=False)
    noon = datetime(2030, 1, 2, 12, 0, tzinfo=UTC)
    deps = evolve(built, clock=FixedClock(noon), ids=SequentialIds("composed-"))
    try:
        with deps.uow() as uow:
            uow.tenants.add(a_tenant(id=TENANT, slug=TENANT))
            uow.commit()
        qa = a_principal(Role.QA_ENGINEER)
        made = deps.testgen.submit(qa, SpecUpload(SPEC, "upload", "petstore.json"))
        [summary] = deps.testgen.suites(qa)
        assert made.suite_id.startswith("composed-")
        assert summary.created_at == noon
        assert deps.testgen.repositories.prefixes == ()
        listed = evolve(
            deps,
            settings=evolve(settings, testgen=evolve(settings.testgen, repositories=("/srv/git",))),
        )
        assert listed.testgen.repositories.prefixes == ("/srv/git",)
        assert listed.testgen.repositories.setting == "CREDITDESK_TESTGEN_REPOSITORIES"
        assert listed.testgen.gate_urls.setting == "CREDITDESK_TESTGEN_GATE_URLS"
    finally:
        deps.close()
