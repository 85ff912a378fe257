"""Composition: build the adapters once, from the settings, for every entrypoint to share.

`build(settings)` returns `Deps`: the SQL engine (migrated), a unit-of-work factory (a unit of work
serves one thread at a time, so each use case gets its own), the object store, the clock, the id
generator, a trainer factory and the model loader (which keeps each model version it loads for the
life of the process, so every use case shares one loaded champion). Nothing here reads the
environment: `settings.py` does.

Migrations. An SQLite database is the embedded default: it is created under the data folder and
migrated to head on every start (a no-op once it is at head), so a first run just works. A
PostgreSQL database is shared by replicas and upgraded on purpose, by `creditdesk db upgrade`
before a deployment; `build` does not touch its schema unless asked with `migrate=True`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from attrs import Factory, field, frozen
from sqlalchemy.engine import Engine

from adapters.files import SpreadsheetExportWriter
from adapters.ml.serving import ArtifactModelLoader
from adapters.ml.trainer import XGBoostTrainer
from adapters.ml.training import TrainingConfig
from adapters.notify.smtp import SmtpEmailSender
from adapters.notify.webhook import HttpWebhookSender
from adapters.security.passwords import Argon2PasswordHasher
from adapters.security.secrets import RandomSecrets, kept_secret
from adapters.security.tokens import JwtTokenIssuer
from adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from adapters.sql.testgen_unit_of_work import SqlTestgenUnitOfWork
from adapters.storage.local import LocalObjectStore
from adapters.storage.s3 import S3ObjectStore, make_client
from adapters.testgen.git_delivery import GitDelivery
from adapters.testgen.pytest_gate import PytestQualityGate
from adapters.testgen.renderer import PytestRenderer
from adapters.testgen.spec_loader import JsonYamlSpecLoader
from application.credit.ports import SecretSource
from application.credit.ports.exports import ExportFileWriter
from application.llm.gateway import LlmGateway
from application.ports import (
    Clock,
    EmailSender,
    IdGenerator,
    ObjectStore,
    PasswordHasher,
    TokenIssuer,
    WebhookSender,
)
from application.testgen.service import TestgenService
from domain.testgen.targets import Allowlist
from entrypoints.llm_wiring import llm_gateway
from entrypoints.settings import Settings, SmtpSettings
from entrypoints.testgen_settings import GATE_URLS_VARIABLE, REPOSITORIES_VARIABLE

OBJECTS_FOLDER = "objects"


class SystemClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class UuidIds:
    """Random version-4 UUIDs as text: unique without coordination between replicas."""

    def new_id(self) -> str:
        return str(uuid.uuid4())


@frozen
class Deps:
    """Everything the entrypoints wire into use cases, built once per process."""

    settings: Settings
    engine: Engine
    store: ObjectStore
    clock: Clock
    ids: IdGenerator
    trainer_for: Callable[[TrainingConfig], XGBoostTrainer]
    models: ArtifactModelLoader
    #: Sends email notifications; None when no mail server is configured (email is off).
    email: EmailSender | None
    webhooks: WebhookSender
    #: Authentication: Argon2 password hashes, JWTs signed with the settings' secret, and
    #: random secrets for refresh tokens and API keys.
    hasher: PasswordHasher = field(factory=Argon2PasswordHasher)
    tokens: TokenIssuer = field(
        default=Factory(lambda deps: token_issuer(deps.settings), takes_self=True)
    )
    secrets: SecretSource = field(factory=RandomSecrets)
    #: Writes CSV and XLSX export files (stateless; no configuration).
    export_files: ExportFileWriter = field(factory=SpreadsheetExportWriter)

    @property
    def testgen(self) -> TestgenService:
        """The test-generation use cases (specs in, reviewed suites out), over the same
        database. Built on each access (cheap: no I/O), so a Deps evolved with another clock,
        id generator or settings gets a service on those, never on the ones it replaced."""
        return testgen_service(self)

    @property
    def llm(self) -> LlmGateway:
        """The LLM gateway of the settings (`entrypoints.llm_wiring`): the one way a use case
        asks a model. Built on each access (cheap), like `testgen`; with no LLM configured
        every question falls back at once."""
        return llm_gateway(self)

    def uow(self) -> SqlUnitOfWork:
        """A fresh unit of work: one per use case call, never shared between threads."""
        return SqlUnitOfWork(self.engine)

    def close(self) -> None:
        self.engine.dispose()


#: Where git clones of delivery targets are kept, under the data folder.
TESTGEN_GIT_FOLDER = "testgen-git"


def testgen_service(deps: Deps) -> TestgenService:
    """The test-generation facade: SQL storage on the engine, specs read up to the configured
    size, pytest rendering and gate, and delivery through git clones under the data folder;
    gates and deliveries reach only the targets the settings' allowlists permit."""
    testgen = deps.settings.testgen
    return TestgenService(
        uow=lambda: SqlTestgenUnitOfWork(deps.engine),
        clock=deps.clock,
        ids=deps.ids,
        loader=JsonYamlSpecLoader(max_bytes=testgen.max_spec_bytes),
        renderer=PytestRenderer(),
        gate=PytestQualityGate(),
        repository=GitDelivery(Path(deps.settings.data_dir) / TESTGEN_GIT_FOLDER),
        gate_urls=Allowlist(GATE_URLS_VARIABLE, testgen.gate_urls),
        repositories=Allowlist(REPOSITORIES_VARIABLE, testgen.repositories),
    )


def token_issuer(settings: Settings) -> TokenIssuer:
    """JWTs signed with CREDITDESK_JWT_SECRET, or else with the secret kept in the data folder
    (the embedded default; `entrypoints.auth_settings`)."""
    secret = settings.auth.jwt_secret
    return JwtTokenIssuer(secret.encode() if secret else kept_secret(settings.data_dir))


def email_sender(smtp: SmtpSettings | None) -> EmailSender | None:
    """The SMTP sender of the settings, or None: email is off without a mail server."""
    if smtp is None:
        return None
    return SmtpEmailSender(
        host=smtp.host,
        port=smtp.port,
        sender=smtp.sender,
        username=smtp.username,
        password=smtp.password,
        starttls=smtp.starttls,
    )


def object_store(settings: Settings) -> ObjectStore:
    """The S3 store when one is configured, else the folder under the data directory."""
    s3 = settings.s3
    if s3 is None:
        return LocalObjectStore(Path(settings.data_dir) / OBJECTS_FOLDER)
    client = make_client(
        endpoint_url=s3.endpoint_url,
        region=s3.region,
        access_key_id=s3.access_key_id,
        secret_access_key=s3.secret_access_key,
    )
    return S3ObjectStore(client, s3.bucket, s3.prefix)


def build(settings: Settings, *, migrate: bool | None = None) -> Deps:
    """The adapters for `settings`; `migrate` defaults to True on SQLite, False otherwise."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine_for(settings.database_url, pool_size=settings.db_pool_size)
    if settings.uses_sqlite if migrate is None else migrate:
        upgrade(engine)
    store = object_store(settings)
    return Deps(
        settings=settings,
        engine=engine,
        store=store,
        clock=SystemClock(),
        ids=UuidIds(),
        trainer_for=XGBoostTrainer,
        models=ArtifactModelLoader(store),
        email=email_sender(settings.smtp),
        webhooks=HttpWebhookSender(
            timeout=settings.webhooks.timeout,
            allow_private_networks=settings.webhooks.allow_private_networks,
        ),
    )
