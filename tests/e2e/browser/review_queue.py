"""Cases of their own for the queue and override browser tests: submitted through the API as a
business loan (always reviewed in the demo policy) and waited for until routed to review, left
unassigned or decided against the model by an analyst through the API.
"""

from __future__ import annotations

import time
from typing import Any

from attrs import frozen

from domain.credit.queue import QueuePolicy
from tests.e2e.browser.workbench import DemoServer
from tests.e2e.browser.workbench_cases import HOLDERS, loan_form, user_id

APPLICATIONS = "/api/v1/applications"
QUEUE = "/api/v1/queue"
JUSTIFICATION = (
    "The applicant's new permanent contract starts next month and doubles the income the "
    "model saw; the payment fits easily."
)


@frozen
class Override:
    application_id: str
    decision_id: str
    external_id: str
    author: str


def routed(workbench: DemoServer, *, strong: bool = False, within: float = 60) -> dict[str, Any]:
    """A new application's detail once it waits, unassigned, in the review queue."""
    with workbench.api("admin") as admin:
        submitted = admin.post(APPLICATIONS, json=loan_form(strong=strong))
        assert submitted.status_code == 201, submitted.text
        application_id = submitted.json()["id"]
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            detail: dict[str, Any] = admin.get(f"{APPLICATIONS}/{application_id}").json()
            if detail["application"]["status"] == "review" and detail["queue_entry"]:
                return detail
            time.sleep(0.3)
    raise AssertionError(f"application {application_id} was not routed to review in {within} s")


def with_room(workbench: DemoServer, keys: tuple[str, ...] = HOLDERS) -> str:
    """The first of `keys` holding fewer active cases than the workload cap."""
    with workbench.api("admin") as admin:
        for key in keys:
            held = admin.get(QUEUE, params={"analyst_id": user_id(workbench, key)}).json()
            if held["total"] < QueuePolicy().max_active_cases:
                return key
    raise AssertionError(f"none of {keys} has room for another case")


def an_override(workbench: DemoServer, author: str | None = None) -> Override:
    """A weak applicant's case (the model declines it) approved by `author` (or the first demo
    analyst with room), so the approval waits for a second person."""
    detail = routed(workbench, strong=False)
    assert detail["scoring"]["routing"]["reasons"][0] == "score_below_threshold", detail["scoring"]
    application, entry = detail["application"], detail["queue_entry"]
    key = author or with_room(workbench)
    loan = application["form"]["loan"]
    draft = {
        "decision_type": "analyst_approve",
        "terms": {key_: loan[key_] for key_ in ("amount", "term_months", "annual_rate_percent")},
        "override_justification": JUSTIFICATION,
    }
    with workbench.api(key) as analyst:
        taken = analyst.post(f"{QUEUE}/{entry['id']}/assign", json={})
        assert taken.status_code == 200, taken.text
        decided = analyst.post(f"{APPLICATIONS}/{application['id']}/decisions", json=draft)
    assert decided.status_code == 201, decided.text
    decision = decided.json()
    assert decision["status"] == "awaiting_override_approval", decision
    return Override(application["id"], decision["id"], application["form"]["external_id"], key)
