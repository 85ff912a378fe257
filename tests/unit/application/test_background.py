"""The outbox relay and dead jobs, over the fakes: at least once, never lost, retried by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.credit.dead_jobs import (
    AlreadyRetried,
    FailedJob,
    ListDeadJobs,
    RecordDeadJob,
    RetryDeadJob,
)
from application.credit.recording import Topic
from application.credit.relay_outbox import RelayOutbox
from application.errors import NotFound
from application.ports import Job
from tests.builders import TENANT, an_application_form
from tests.fakes import FakeJobQueue
from tests.unit.application.helpers import APPROVE_PD, LENDER, WORKER, Desk, scorer_giving

SCORING = frozenset({Topic.SCORE_APPLICATION})


class BrokenQueue(FakeJobQueue):
    """Accepts `until` jobs, then the broker is away."""

    def __init__(self, until: int) -> None:
        super().__init__()
        self.until = until

    def enqueue(self, job: Job) -> None:
        if len(self.jobs) >= self.until:
            raise ConnectionError("broker unreachable")
        super().enqueue(job)


def _submitted(desk: Desk, n: int, prefix: str = "e") -> list[str]:
    ids = []
    for i in range(n):
        form = an_application_form(external_id=f"{prefix}-{i}")
        ids.append(desk.submit(LENDER, form).application.id)
        desk.clock.advance(timedelta(seconds=1))
    return ids


def _pending(desk: Desk) -> list[str]:
    return [m.topic for m in desk.read(lambda uow: uow.outbox.pending(1000))]


def test_the_relay_queues_each_scoring_job_once_with_its_tenant_and_marks_it_sent() -> None:
    desk = Desk()
    ids = _submitted(desk, 7)
    queue = FakeJobQueue()

    relayed = RelayOutbox(desk.uow, queue, SCORING, batch=3)()

    assert relayed == 7
    assert [job.payload for job in queue.jobs] == [
        {"application_id": i, "tenant_id": TENANT} for i in ids
    ]
    assert {job.name for job in queue.jobs} == {Topic.SCORE_APPLICATION}
    assert _pending(desk) == []
    assert RelayOutbox(desk.uow, queue, SCORING)() == 0


def test_topics_without_a_handler_wait_without_holding_up_the_others() -> None:
    desk = Desk(scorer_giving(APPROVE_PD))
    (first,) = _submitted(desk, 1, prefix="first")
    desk.score(WORKER, first)  # approved: an application.decided message, for notifications
    _submitted(desk, 2)
    queue = FakeJobQueue()

    RelayOutbox(desk.uow, queue, SCORING, batch=1)()

    assert len(queue.jobs) == 3
    assert _pending(desk) == [Topic.APPLICATION_DECIDED]


def test_a_broker_failure_leaves_the_batch_pending_and_the_next_run_loses_nothing() -> None:
    desk = Desk()
    ids = _submitted(desk, 5)
    broken = BrokenQueue(until=3)

    with pytest.raises(ConnectionError):
        RelayOutbox(desk.uow, broken, SCORING, batch=5)()

    assert len(_pending(desk)) == 5  # the batch's marks were rolled back with it
    broken.until = 100
    assert RelayOutbox(desk.uow, broken, SCORING, batch=5)() == 5
    assert [job.payload["application_id"] for job in broken.jobs] == ids  # no duplicate
    assert _pending(desk) == []


def test_the_limit_bounds_one_run() -> None:
    desk = Desk()
    _submitted(desk, 5)
    queue = FakeJobQueue()
    assert RelayOutbox(desk.uow, queue, SCORING, batch=2)(limit=3) == 3
    assert len(_pending(desk)) == 2


def _failed(message_id: str = "msg-9") -> FailedJob:
    return FailedJob(
        message_id=message_id,
        job_name=Topic.SCORE_APPLICATION,
        payload={"application_id": "app-1", "tenant_id": TENANT},
        error="NoChampion: no champion model: train one" + "!" * 2_000,
        attempts=3,
    )


def test_a_dead_job_is_kept_once_with_a_bounded_error_and_an_audit_event() -> None:
    desk = Desk()
    record = RecordDeadJob(desk.uow, desk.clock)

    first = record(_failed())
    again = record(_failed())

    assert again == first
    assert first.tenant_id == TENANT
    assert first.payload == {"application_id": "app-1"}
    assert len(first.error) == 1_000
    assert first.error.startswith("NoChampion: no champion model")
    assert [e.action for e in desk.events()].count("job.dead") == 1
    assert ListDeadJobs(desk.uow)() == [first]


def test_a_retry_sends_the_job_again_through_the_outbox_once() -> None:
    desk = Desk()
    RecordDeadJob(desk.uow, desk.clock)(_failed())
    desk.clock.advance(timedelta(minutes=5))
    retry = RetryDeadJob(desk.uow, desk.clock, desk.ids)

    message = retry("msg-9", actor="ops-ana")

    assert message.topic == Topic.SCORE_APPLICATION
    assert message.payload == {"application_id": "app-1"}
    assert message.id != "msg-9"  # a new job: the queue would drop the old key
    queue = FakeJobQueue()
    RelayOutbox(desk.uow, queue, SCORING)()
    assert [j.payload for j in queue.jobs] == [{"application_id": "app-1", "tenant_id": TENANT}]
    assert ListDeadJobs(desk.uow)() == []
    (kept,) = ListDeadJobs(desk.uow)(include_retried=True)
    assert kept.retried_at == desk.clock.now()
    with pytest.raises(AlreadyRetried):
        retry("msg-9", actor="ops-ana")
    with pytest.raises(NotFound):
        retry("msg-404", actor="ops-ana")
    assert desk.events()[-1].action == "job.retried"
    assert desk.events()[-1].actor == "ops-ana"
