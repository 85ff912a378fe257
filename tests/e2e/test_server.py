"""`creditdesk serve --demo` as an operator runs it: the real server process on a free port,
over real HTTP, with the in-process worker scoring what is submitted, stopped by SIGTERM."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from entrypoints.demo import DEMO_LOGINS
from tests.e2e.console import CREDITDESK, ROOT, environment

AUTH = "/api/v1/auth"
APPS = "/api/v1/applications"
ROUTED = {"review", "approved", "declined"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """A running `creditdesk serve --demo` with `applications` demo applications and
    `settings` (CREDITDESK_ variables), its output in a file (a pipe could fill up)."""

    def __init__(
        self,
        data_dir: Path,
        applications: int = 20,
        settings: dict[str, str] | None = None,
        timeout: float = 10,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.output = data_dir / "serve.log"
        self.process = subprocess.Popen(  # noqa: S603 - our own console script
            [str(CREDITDESK), "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--demo", "--demo-applications", str(applications)],
            cwd=ROOT,
            env=environment(data_dir, settings),
            stdout=self.output.open("w"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.http = httpx.Client(base_url=self.url, timeout=timeout)

    def wait_until_healthy(self, within: float) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited early:\n{self.output.read_text()}")
            try:
                if self.http.get("/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        pytest.fail(f"no /health within {within} s:\n{self.output.read_text()}")

    def stop(self) -> int:
        self.http.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path)
    try:
        running.wait_until_healthy(within=180)
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()


def login(http: httpx.Client, key: str) -> dict[str, Any]:
    demo = DEMO_LOGINS.by_key(key)
    response = http.post(f"{AUTH}/login", json={"email": demo.email, "password": demo.password})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def a_new_form() -> dict[str, Any]:
    forms = json.loads((ROOT / "samples" / "applications.json").read_text())
    form: dict[str, Any] = forms[0]
    return {**form, "external_id": "E2E-SERVER-1"}


def test_a_session_and_an_application_over_real_http(server: Server) -> None:
    http = server.http
    analyst = login(http, "analyst1")
    me = http.get(f"{AUTH}/me", headers=bearer(analyst))
    assert (me.status_code, me.json()["role"]) == (200, "analyst"), me.text

    lender = {**bearer(login(http, "api")), "Idempotency-Key": "e2e-1"}
    created = http.post(APPS, json=a_new_form(), headers=lender)
    assert created.status_code == 201, created.text
    replayed = http.post(APPS, json=a_new_form(), headers=lender)
    assert replayed.status_code == 200, replayed.text
    application_id = created.json()["id"]
    assert replayed.json()["id"] == application_id

    deadline = time.monotonic() + 30
    status = "pending"
    while status not in ROUTED and time.monotonic() < deadline:
        time.sleep(0.5)
        detail = http.get(f"{APPS}/{application_id}", headers=bearer(analyst))
        assert detail.status_code == 200, detail.text
        status = detail.json()["application"]["status"]
    assert status in ROUTED, f"not routed in 30 s: {status}"

    refreshed = http.post(f"{AUTH}/refresh", json={"refresh_token": analyst["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    fresh = refreshed.json()
    out = http.post(
        f"{AUTH}/logout", json={"refresh_token": fresh["refresh_token"]}, headers=bearer(fresh)
    )
    assert out.status_code == 204, out.text
    after = http.get(f"{AUTH}/me", headers=bearer(fresh))
    assert after.status_code == 401
    assert after.headers["content-type"] == "application/problem+json"

    assert server.stop() == 0
    printed = server.output.read_text()
    assert f"http://127.0.0.1:{server.port}/schema" in printed
    assert DEMO_LOGINS.by_key("analyst1").password in printed
    assert "Traceback" not in printed
