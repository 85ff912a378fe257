"""Cases of its own for each workbench test: submitted through the API, scored by the demo
server's worker, routed to review, and given to an analyst, so no other browser test in the same
process acts on them.

A business loan always goes to review in the demo policy, whatever its score: a strong
applicant scores above the approval threshold (approving agrees with the model), a weak one below
the decline threshold (declining agrees with the model, approving is an override).
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from attrs import frozen

from tests.e2e.browser.workbench import DemoServer

APPLICATIONS = "/api/v1/applications"
QUEUE = "/api/v1/queue"


@frozen
class Case:
    application_id: str
    entry_id: str
    recommendation: str | None
    holder: str
    holder_id: str

    @property
    def path(self) -> str:
        return f"/app/cases/{self.application_id}"


#: What a lender adds about a strong applicant (none of it protected).
STRONG_ATTRIBUTES = {
    "home": "owner",
    "records": "no",
    "job": "fixed",
    "purchase_price": "7200.13",
    "income_missing": "no",
    "assets_missing": "no",
    "debt_missing": "no",
}


def _money(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


def loan_form(*, strong: bool) -> dict[str, Any]:
    """A form a person must review: a strong applicant asking a small business loan (business
    loans always go to review), or a weak one asking 60,000 (over the automatic limit)."""
    reference = f"wb-{uuid.uuid4().hex[:12]}"
    return {
        "external_id": reference,
        "applicant": {
            "personal": {"first_name": "Test", "last_name": reference,
                         "date_of_birth": "1980-04-02", "email": f"{reference}@example.com",
                         "phone": "+00 0000000000", "national_id": f"TEST-{reference}"},
            "address": {"street": "1 Example Street", "city": "Exampletown", "postal_code": "00000",
                        "country": "ES"},
            "employment": {"employment_type": "employed",
                           "contract_type": "permanent" if strong else "temporary",
                           "years_employed": "10" if strong else "0.5", "employer_name": ""},
        },
        "financials": {
            "net_monthly_income": _money("1388.34" if strong else "1100"),
            "other_monthly_income": _money("0"),
            "monthly_expenses": _money("270.46" if strong else "950"),
            "existing_loan_payments": _money("0" if strong else "400"),
            "savings": _money("144242.91" if strong else "0"),
            "other_assets": _money("0"),
            "total_liabilities": _money("0" if strong else "25000"),
        },
        "loan": {"amount": _money("1803.04" if strong else "60000"),
                 "term_months": 6 if strong else 60, "purpose": "business",
                 "annual_rate_percent": "10"},
        "attributes": STRONG_ATTRIBUTES if strong else {},
    }  # fmt: skip


def _recommendation(reasons: list[str]) -> str | None:
    first = reasons[0] if reasons else ""
    return {"score_above_threshold": "approve", "score_below_threshold": "decline"}.get(first)


def user_id(workbench: DemoServer, key: str) -> str:
    with workbench.api(key) as client:
        me = client.get("/api/v1/auth/me")
    assert me.status_code == 200, me.text
    found: str = me.json()["user_id"]
    return found


#: Who may hold a test's case, in order of preference: the scheduler hands cases near their
#: deadline to analysts, so an analyst may be at the workload cap when a test starts.
HOLDERS = ("analyst1", "analyst2", "senior")


def a_case(workbench: DemoServer, *, strong: bool) -> Case:
    """A new case in review, held by the first demo person of `HOLDERS` with room for it."""
    with workbench.api("admin") as admin:
        submitted = admin.post(APPLICATIONS, json=loan_form(strong=strong))
        assert submitted.status_code == 201, submitted.text
        application_id = submitted.json()["id"]
        detail = _reviewed(admin, application_id)
        entry = detail["queue_entry"]
        for holder in HOLDERS:
            assignee = user_id(workbench, holder)
            assigned = admin.post(f"{QUEUE}/{entry['id']}/assign", json={"assignee_id": assignee})
            if assigned.status_code != 409:
                break
        assert assigned.status_code == 200, assigned.text
    reasons = detail["scoring"]["routing"]["reasons"]
    return Case(application_id, entry["id"], _recommendation(reasons), holder, assignee)


def _reviewed(admin: Any, application_id: str, within: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        detail: dict[str, Any] = admin.get(f"{APPLICATIONS}/{application_id}").json()
        if detail["application"]["status"] == "review" and detail["queue_entry"]:
            return detail
        assert detail["application"]["status"] in {"pending", "scoring"}, detail["application"]
        time.sleep(0.3)
    raise AssertionError(f"application {application_id} was not routed to review in {within} s")


def detail_of(workbench: DemoServer, application_id: str) -> dict[str, Any]:
    with workbench.api("admin") as admin:
        answer = admin.get(f"{APPLICATIONS}/{application_id}")
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found
