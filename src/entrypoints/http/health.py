"""Liveness, readiness and metrics: the routes a load balancer and Prometheus call.

`/health` says the process answers, nothing more, so a busy database never gets a healthy
replica restarted. `/ready` says whether it can serve: the database answers `SELECT 1`, the
broker (when one is configured) answers a ping, the object store answers an existence probe.
A failing part is named in a 503, with the error's type only (a message may hold a DSN).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from typing import Any

import redis
from litestar import Controller, Request, Response, get
from litestar.exceptions import NotAuthorizedException
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from entrypoints.composition import Deps
from entrypoints.http.auth import PUBLIC
from entrypoints.http.metrics import AppMetrics

#: A readiness check: returns when the part answers, raises when it does not.
Probe = Callable[[], None]
PROBE_KEY = "readiness/probe"


def default_probes(deps: Deps) -> dict[str, Probe]:
    """The database, the broker when one is configured, and the object store."""

    def database() -> None:
        with deps.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def object_store() -> None:
        deps.store.exists(PROBE_KEY)

    probes: dict[str, Probe] = {"database": database, "object_store": object_store}
    url = deps.settings.broker_url
    if url is not None:

        def broker() -> None:
            client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
            try:
                client.ping()
            finally:
                client.close()

        probes["broker"] = broker
    return probes


def check(probes: Mapping[str, Probe]) -> dict[str, str]:
    """Each part's state: "ok", or the type of the error it raised."""
    states: dict[str, str] = {}
    for name, probe in probes.items():
        try:
            probe()
            states[name] = "ok"
        except Exception as error:  # any failure means not ready; the type says which kind
            states[name] = f"failed: {type(error).__name__}"
    return states


class OperationsController(Controller):
    """What load balancers and Prometheus call; cheap, and open but for /metrics when a
    metrics token is set (`HttpSettings.metrics_token`)."""

    path = "/"
    tags = ["operations"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get("/health", opt=PUBLIC, summary="Liveness", operation_id="health")
    async def health(self) -> dict[str, str]:
        return {"status": "ok"}

    @get(
        "/ready",
        opt=PUBLIC,
        summary="Readiness",
        operation_id="ready",
        sync_to_thread=True,
        responses={503: ResponseSpec(dict[str, Any], description="A part does not answer")},
    )
    def ready(self, request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        states = check(request.app.state["probes"])
        failing = sorted(name for name, state in states.items() if state != "ok")
        body: dict[str, Any] = {"status": "unavailable" if failing else "ok", "checks": states}
        if failing:
            body["failing"] = failing
        return Response(body, status_code=HTTP_503_SERVICE_UNAVAILABLE if failing else 200)

    @get(
        "/metrics",
        opt=PUBLIC,
        summary="Prometheus metrics",
        operation_id="metrics",
        include_in_schema=False,
        sync_to_thread=True,
    )
    def metrics(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        """The registry; with `CREDITDESK_METRICS_TOKEN` set, only for `Authorization: Bearer`
        with that token (compared in constant time)."""
        expected: str | None = request.app.state["metrics_token"]
        if expected is not None:
            scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
            if not (
                scheme.lower() == "bearer"
                and hmac.compare_digest(presented.strip().encode(), expected.encode())
            ):
                raise NotAuthorizedException("/metrics needs the metrics bearer token")
        registry: AppMetrics = request.app.state["metrics"]
        return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)
