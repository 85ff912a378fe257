"""`seed_demo`: the embedded default's demo tenant, people, champion model and applications.

Idempotent, step by step: the tenant and each user are created when missing, the champion
trained when the tenant has none, and the applications submitted when the first demo
application is not there yet; a second call finds everything and only returns the logins.
(The applications are one step: a seeding interrupted in the middle of them is finished by
starting over on a fresh database.)

Deterministic: with one `seed`, the same loans take the same paths through the same people at
the same distances in time from the moment of seeding.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable

from adapters.ml.training import TrainingConfig
from adapters.security.passwords import Argon2PasswordHasher
from application.ports import PasswordHasher
from domain.identity import Principal, Role
from entrypoints.actors.common import worker_principal
from entrypoints.composition import Deps
from entrypoints.demo.champion import FAST_TRAINING, ensure_champion
from entrypoints.demo.forms import demo_forms, external_id
from entrypoints.demo.people import DEMO_LOGINS, DEMO_SETUP, DemoLogins, demo_tenant, ensure_people
from entrypoints.demo.timeline import Cast, DemoClock, Replay, submission_moments

DEFAULT_APPLICATIONS = 300
DEFAULT_SEED = 20261122

#: Called with (what is being done, steps done, steps in all) as the seeding goes.
Progress = Callable[[str, int, int], None]


class SeededIds:
    """Version-4 UUIDs drawn from a seeded generator, so a seeding is repeatable to the id.

    That matters beyond looks: the history is read for training in the order of its ids, so
    random ids would train a slightly different first model each time. Each step draws from a
    generator seeded with the step's name and the number of audit events the tenant has when
    it starts; a step that committed anything before failing has changed that number, so a
    retry never draws an id it already stored.
    """

    def __init__(self, seed: str) -> None:
        self._rng = random.Random(seed)  # noqa: S311 - repeatable ids, not secrets

    def new_id(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))


def _ids(deps: Deps, seed: int, step: str, tenant_id: str | None) -> SeededIds:
    events = 0
    if tenant_id is not None:
        with deps.uow() as uow:
            events = len(uow.audit.events(tenant_id))
    return SeededIds(f"{seed}:{step}:{events}")


def _has_demo_applications(deps: Deps, tenant_id: str) -> bool:
    with deps.uow() as uow:
        return uow.applications.get_by_external_id(tenant_id, external_id(1)) is not None


def seed_demo(
    deps: Deps,
    *,
    hasher: PasswordHasher | None = None,
    applications: int = DEFAULT_APPLICATIONS,
    training: TrainingConfig = FAST_TRAINING,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> DemoLogins:
    """Make sure the demo tenant is there, with its people, a champion and `applications`
    applications in every state; the demo logins (demo-only passwords). Passwords are hashed
    by `hasher`, Argon2id with its default parameters unless given."""
    if applications < 0:
        raise ValueError("the number of applications cannot be negative")
    end = deps.clock.now()
    clock = DemoClock(end)
    rng = random.Random(seed)  # noqa: S311 - a repeatable story, not a secret

    def report(what: str, done: int, total: int) -> None:
        if progress is not None:
            progress(what, done, total)

    report("creating the demo tenant and its users", 0, 1)
    tenant = demo_tenant(deps)
    people = ensure_people(
        deps,
        clock,
        _ids(deps, seed, "people", tenant.id if tenant else None),
        hasher or Argon2PasswordHasher(),
    )
    admin = people["admin"]
    tenant_id = admin.tenant_id
    report("users ready", 1, 1)
    # The setup operator asks for the first model's promotion; the demo administrator approves.
    ensure_champion(
        deps,
        clock,
        _ids(deps, seed, "champion", tenant_id),
        requester=Principal(DEMO_SETUP, tenant_id, Role.ADMIN),
        approver=admin,
        config=training,
        step=report,
    )
    if applications == 0:
        return DEMO_LOGINS
    if _has_demo_applications(deps, tenant_id):
        report("applications already there", 1, 1)
        return DEMO_LOGINS
    forms = demo_forms(applications, rng, end.date())
    moments = submission_moments(applications, rng, end)
    cast = Cast(
        lender=people["api"],
        scorer=worker_principal(tenant_id),
        holders=(people["analyst1"], people["analyst2"], people["senior"]),
        reviewer=people["senior"],
    )
    replay = Replay(deps, clock, _ids(deps, seed, "applications", tenant_id), cast, rng, end)
    report("replaying four weeks of applications", 0, applications)
    replay.run(
        list(zip(moments, forms, strict=True)),
        progress=lambda done, total: report("replaying four weeks of applications", done, total),
    )
    return DEMO_LOGINS
