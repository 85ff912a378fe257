"""Over HTTP, the tenant's last active administrator can be neither deactivated nor demoted:
the answer is 409 problem+json, and the user stays as they were."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from domain.identity import Role
from tests.integration.http.admin_audit import ADMIN, new_user_json
from tests.integration.http.support import auth

Client = TestClient[Any]
HEADERS = auth(Role.ADMIN)


def _admin(client: Client, email: str) -> str:
    body = {**new_user_json(email), "role": "admin"}
    created = client.post(f"{ADMIN}/users", json=body, headers=HEADERS)
    assert created.status_code == 201, created.text
    user_id: str = created.json()["id"]
    return user_id


def test_the_last_active_admin_is_refused_with_a_conflict(client: Client) -> None:
    boss = _admin(client, "boss@example.com")
    boss_url = f"{ADMIN}/users/{boss}"

    for change in ({"active": False}, {"role": "senior_analyst"}):
        refused = client.patch(boss_url, json=change, headers=HEADERS)
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert "last active admin" in refused.json()["detail"]
    kept = client.get(boss_url, headers=HEADERS).json()
    assert (kept["role"], kept["active"]) == ("admin", True)

    _admin(client, "deputy@example.com")
    stepped_down = client.patch(boss_url, json={"role": "senior_analyst"}, headers=HEADERS)
    assert stepped_down.status_code == 200, stepped_down.text
    assert stepped_down.json()["role"] == "senior_analyst"
