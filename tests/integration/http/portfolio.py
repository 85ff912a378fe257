"""The batch, notification, webhook, dead-job, model and monitoring routes, with what each
needs: one record per id-taking route (`seed`) and the concrete path to call (`concrete`)."""

from __future__ import annotations

from typing import Any

from adapters.ml.model import TrainedModel
from application.credit.dead_jobs import FailedJob, RecordDeadJob
from application.credit.upload_batch import UploadBatch
from application.credit.webhooks import RegisterWebhook
from domain.credit.model_registry import ModelStage, ModelVersion
from domain.identity import Permission, Role
from entrypoints.composition import Deps
from tests.batch_builders import csv_file, rows_for
from tests.builders import a_model_version, a_principal, a_user
from tests.integration.http.support import form_json
from tests.notification_builders import an_inbox_message

_P = Permission
BATCHES, INBOX, HOOKS = "/api/v1/batches", "/api/v1/notifications", "/api/v1/webhooks"
DEAD, MODELS, MONITORING = "/api/v1/jobs/dead", "/api/v1/models", "/api/v1/monitoring"
CSV_FILE = csv_file(rows_for(1))
HOOK = {"url": "https://hooks.example.com/creditdesk", "secret": "s3cret-signing-key-of-32-chars!!"}
#: The plot of a report the report route is asked for, and a PNG (its signature alone).
REPORT_PLOT, PNG = "roc.png", b"\x89PNG\r\n\x1a\n"
#: Versions seeded beside the champion, named by the route that takes them.
PROMOTED, APPROVED, REJECTED = "m-promote", "m-approve", "m-reject"

#: (method, path as the app lists it, body: JSON, CSV bytes or None, the permission it requires).
ROUTES: list[tuple[str, str, Any, Permission]] = [
    ("POST", BATCHES, CSV_FILE, _P.APPLICATION_CREATE),
    ("GET", BATCHES, None, _P.APPLICATION_VIEW),
    ("GET", f"{BATCHES}/{{batch_id:str}}", None, _P.APPLICATION_VIEW),
    ("GET", f"{BATCHES}/{{batch_id:str}}/errors", None, _P.APPLICATION_VIEW),
    ("GET", INBOX, None, _P.APPLICATION_VIEW),
    ("POST", f"{INBOX}/{{message_id:str}}/read", None, _P.APPLICATION_VIEW),
    ("POST", f"{INBOX}/read-all", None, _P.APPLICATION_VIEW),
    ("GET", HOOKS, None, _P.CONFIG_MANAGE),
    ("POST", HOOKS, HOOK, _P.CONFIG_MANAGE),
    ("DELETE", f"{HOOKS}/{{endpoint_id:str}}", None, _P.CONFIG_MANAGE),
    ("GET", DEAD, None, _P.CONFIG_MANAGE),
    ("POST", f"{DEAD}/{{job_id:str}}/retry", None, _P.CONFIG_MANAGE),
    ("GET", MODELS, None, _P.CONFIG_MANAGE),
    ("GET", f"{MODELS}/champion/info", None, _P.ANALYTICS_VIEW),
    ("GET", f"{MODELS}/{{version:str}}", None, _P.ANALYTICS_VIEW),
    ("GET", f"{MODELS}/{{version:str}}/importance", None, _P.ANALYTICS_VIEW),
    ("GET", f"{MODELS}/{{version:str}}/report/{{name:str}}", None, _P.ANALYTICS_VIEW),
    ("POST", f"{MODELS}/{{version:str}}/promote",
     {"target": "challenger", "reason": "Beats the champion."}, _P.CONFIG_MANAGE),
    ("POST", f"{MODELS}/{{version:str}}/approve-promotion", None, _P.CONFIG_MANAGE),
    ("POST", f"{MODELS}/{{version:str}}/reject-promotion", {"comment": "Not yet."},
     _P.CONFIG_MANAGE),
    ("POST", f"{MODELS}/predict", form_json(), _P.APPLICATION_SCORE),
    ("POST", f"{MODELS}/predict/batch", [form_json("B-1"), form_json("B-2")], _P.APPLICATION_SCORE),
    ("GET", f"{MONITORING}/reports", None, _P.ANALYTICS_VIEW),
    ("POST", f"{MONITORING}/check", None, _P.CONFIG_MANAGE),
]  # fmt: skip
#: The (method, path) pairs of `ROUTES`, as the route-enumeration test lists guarded routes.
ROUTE_KEYS = frozenset((method, path) for method, path, _body, _permission in ROUTES)


def seed(deps: Deps, model: TrainedModel, role: Role, tenant_id: str) -> dict[str, str]:
    """One record for every id-taking route of `tenant_id`, `role`'s person holding the
    message; the ids, by the path parameter that takes them."""
    admin = a_principal(Role.ADMIN, tenant_id=tenant_id)
    person = a_principal(role, tenant_id=tenant_id).user_id
    batch = UploadBatch(deps.uow(), deps.store, deps.clock, deps.ids)(admin, [CSV_FILE]).batch
    hook = RegisterWebhook(deps.uow(), deps.clock, deps.ids)(admin, HOOK["url"], HOOK["secret"])
    RecordDeadJob(deps.uow(), deps.clock)(
        FailedJob("m-job", "application.score", {"tenant_id": tenant_id}, "Boom: failed", 5)
    )
    champion = a_model_version(model.version, tenant_id=tenant_id, stage=ModelStage.CHAMPION)
    deps.store.put(champion.artifact_key, model.to_bytes(), "application/zip")
    store_report_plot(deps, champion)
    with deps.uow() as uow:
        uow.users.add(a_user(id=person, tenant_id=tenant_id, email=f"{person}@example.com"))
        uow.inbox.add(an_inbox_message("m-message", tenant_id=tenant_id, user_id=person))
        uow.models.add(champion)
        uow.models.add(a_model_version(PROMOTED, tenant_id=tenant_id))
        for version in (APPROVED, REJECTED):
            pending = ModelStage.CHALLENGER
            uow.models.add(a_model_version(version, tenant_id=tenant_id, pending=pending))
        uow.commit()
    return {
        "batch_id": batch.id,
        "message_id": "m-message",
        "endpoint_id": hook.id,
        "job_id": "m-job",
        "version": model.version,
        "name": REPORT_PLOT,
    }


def store_report_plot(deps: Deps, version: ModelVersion) -> None:
    """A plot of `version`'s report where training puts it, beside the report's page."""
    assert version.report_key is not None
    folder = version.report_key.rsplit("/", 1)[0]
    deps.store.put(f"{folder}/{REPORT_PLOT}", PNG, "image/png")


def concrete(path: str, ids: dict[str, str]) -> str:
    """The route's path with the seeded ids; each promotion route gets a version of its own."""
    for action, version in (
        ("promote", PROMOTED), ("approve-promotion", APPROVED), ("reject-promotion", REJECTED),
    ):  # fmt: skip
        if path.endswith(f"/{action}"):
            return path.replace("{version:str}", version)
    for name, value in ids.items():
        path = path.replace(f"{{{name}:str}}", value)
    return path


def call_kwargs(body: Any) -> dict[str, Any]:
    """How the client sends `body`: a CSV file as is, anything else as JSON."""
    if isinstance(body, bytes):
        return {"content": body, "headers": {"Content-Type": "text/csv"}}
    return {} if body is None else {"json": body}
