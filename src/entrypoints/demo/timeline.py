"""The demo's weeks of business, replayed in time order through the real use cases.

Every application has a story: submitted by the lender's system, scored a minute later, and
then, if the model sent it to a person, taken, started, decided, perhaps overridden and
reviewed, its conditions met. Each story is a generator that yields the moment of its next act;
`replay` runs the acts of all stories in the order of their moments with the clock set to each,
so the audit trail reads like the weeks it records, and the ages of applications and the SLA
deadlines of cases vary as they would. Old cases are mostly settled and recent ones mostly
open, with every state present: pending, assigned, in progress, decided, conditions met,
overridden awaiting approval, override approved, override rejected, cancelled.

Only use cases act, so every audit event and outbox message is the one the system would have
written. A case nobody can take (every analyst at the workload cap) stays in the queue.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta

from attrs import field, frozen

from application.credit.decide import DecideCase
from application.credit.fulfil_condition import FulfilCondition
from application.credit.overrides import ApproveOverride, RejectOverride
from application.credit.queue_work import AssignCase, StartCase
from application.credit.routing_policies import policy_in_force
from application.credit.score_application import ScoreApplication
from application.credit.submit_application import SubmitApplication
from application.credit.update_application import CancelApplication
from application.ports import IdGenerator
from domain.credit.application import ApplicationForm
from domain.credit.queue import QueueEntry, WorkloadCapReached
from domain.credit.routing import RoutingOutcome
from domain.identity import Principal
from entrypoints.composition import Deps
from entrypoints.demo import drafts


class DemoClock:
    """A clock the replay sets to the moment of each act."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


@frozen
class Cast:
    """Who acts in the stories."""

    lender: Principal  # submits and cancels: the lender's system (api_consumer)
    scorer: Principal  # the scoring worker
    holders: tuple[Principal, ...]  # who takes and decides cases
    reviewer: Principal  # approves or rejects overrides; never holds an overridden case


#: The fates of a case in review, with their weights among recent and among older cases. The
#: override fates are open only to the few cases where the model recommended one way (a
#: business loan), which therefore mostly take them.
FATES: dict[str, tuple[float, float]] = {
    "pending": (0.30, 0.06),
    "assigned": (0.18, 0.0),
    "in_progress": (0.18, 0.0),
    "decided": (0.12, 0.44),
    "conditions_met": (0.0, 0.14),
    "override_awaiting": (0.5, 0.15),
    "override_approved": (0.0, 0.3),
    "override_rejected": (0.0, 0.25),
}
RECENT = timedelta(hours=30)
CANCEL_SHARE = 0.05


@frozen
class Replay:
    deps: Deps
    clock: DemoClock
    ids: IdGenerator
    cast: Cast
    rng: random.Random
    end: datetime
    #: The fates given so far: each fate a case may take is given once before any repeats, so
    #: that even a small demo holds every state.
    given: set[str] = field(factory=set)

    def run(
        self,
        plan: Sequence[tuple[datetime, ApplicationForm]],
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Play the story of each (submission moment, form) in `plan` up to `end`."""
        stories = [(at, number, self._story(at, form)) for number, (at, form) in enumerate(plan)]
        heap = [(next(story), number, story) for _at, number, story in stories]
        heapq.heapify(heap)
        done = 0
        while heap:
            moment, number, story = heapq.heappop(heap)
            self.clock.at = moment  # every act happens at the moment its story named
            following = next(story, None)
            if following is None:
                done += 1
                if progress is not None:
                    progress(done, len(plan))
            else:
                heapq.heappush(heap, (following, number, story))

    def _story(self, submitted: datetime, form: ApplicationForm) -> Iterator[datetime]:
        deps, clock, ids, cast, rng = self.deps, self.clock, self.ids, self.cast, self.rng
        yield submitted
        application = SubmitApplication(deps.uow(), clock, ids)(cast.lender, form).application
        if rng.random() < CANCEL_SHARE:
            yield submitted + timedelta(seconds=rng.randint(10, 50))
            CancelApplication(deps.uow(), clock)(cast.lender, application.id)
            return
        scored = submitted + timedelta(seconds=rng.randint(60, 180))
        yield scored
        score = ScoreApplication(
            deps.uow(), clock, ids, deps.models, shadow_share=deps.settings.shadow_share
        )
        if not score(cast.scorer, application.id).routing.needs_review:
            return
        entry, recommended = self._open_case(application.id)
        recent = self.end - scored < RECENT
        fate = self._fate(recommended, recent=recent)
        if fate == "pending":
            return
        # The rest of the story fits between scoring and now, and takes about a day at most.
        span = min((self.end - scored) * 0.9, timedelta(hours=rng.uniform(2, 26)))
        yield scored + span * 0.15
        overriding = fate.startswith("override")
        holder = self._assign(entry.id, exclude=cast.reviewer if overriding else None)
        if holder is None or fate == "assigned":
            return
        yield scored + span * 0.3
        StartCase(deps.uow(), clock)(holder, entry.id)
        if fate == "in_progress":
            return
        yield scored + span * 0.6
        if overriding:
            draft = drafts.overriding_draft(form, recommended, rng)
        else:
            conditional = True if fate == "conditions_met" else None
            draft = drafts.agreeing_draft(
                form, entry.score_at_routing, recommended, rng,
                today=clock.at.date(), conditional=conditional,
            )  # fmt: skip
        decision = DecideCase(deps.uow(), clock, ids)(holder, application.id, draft)
        if fate == "override_awaiting":
            return
        yield scored + span * 0.9
        if fate == "override_approved":
            comment = drafts.review_comment(rng, approve=True)
            ApproveOverride(deps.uow(), clock, ids)(cast.reviewer, decision.id, comment)
        elif fate == "override_rejected":
            comment = drafts.review_comment(rng, approve=False)
            RejectOverride(deps.uow(), clock, ids)(cast.reviewer, decision.id, comment)
        elif decision.conditions and fate == "conditions_met":
            FulfilCondition(deps.uow(), clock)(holder, decision.id, 0)

    def _open_case(self, application_id: str) -> tuple[QueueEntry, RoutingOutcome]:
        tenant_id = self.cast.lender.tenant_id
        with self.deps.uow() as uow:
            entry = uow.queue.open_for_application(tenant_id, application_id)
            policy = policy_in_force(uow, tenant_id).policy
        if entry is None:
            raise LookupError(f"application {application_id} was routed to review without a case")
        return entry, policy.model_outcome(entry.score_at_routing)

    def _fate(self, recommended: RoutingOutcome, *, recent: bool) -> str:
        names = [
            name
            for name in FATES
            if drafts.can_override(recommended) or not name.startswith("override")
        ]
        weights = [FATES[name][0 if recent else 1] for name in names]
        fresh = [n for n, w in zip(names, weights, strict=True) if w and n not in self.given]
        fresh.sort(key=lambda name: not name.startswith("override"))  # the rare ones first
        fate = fresh[0] if fresh else self.rng.choices(names, weights)[0]
        self.given.add(fate)
        return fate

    def _assign(self, entry_id: str, exclude: Principal | None) -> Principal | None:
        """Someone with room takes the case; None when everyone is at the workload cap."""
        holders = [h for h in self.cast.holders if h != exclude]
        self.rng.shuffle(holders)
        for holder in holders:
            try:
                AssignCase(self.deps.uow(), self.clock, self.ids)(holder, entry_id)
            except WorkloadCapReached:
                continue
            return holder
        return None


def submission_moments(count: int, rng: random.Random, end: datetime) -> list[datetime]:
    """`count` moments over the four weeks before `end`, a quarter of them in its last day."""
    moments = []
    for _ in range(count):
        window = timedelta(days=1) if rng.random() < 0.25 else timedelta(days=28)
        moments.append(end - window * rng.uniform(0.02, 1.0))
    return sorted(moments)
