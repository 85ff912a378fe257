"""Settings: the only place that reads environment variables (prefix CREDITDESK_).

Everything else receives configuration as arguments. Each setting has a default that works on a
laptop with no services (SQLite under the user's data folder); production overrides it.
"""

from __future__ import annotations

import math
import os
import re
import urllib.parse
from collections.abc import Mapping
from datetime import time, timedelta
from pathlib import Path

from attrs import field, frozen

from adapters.storage.keys import InvalidObjectKey, key_segments
from application.credit.upload_batch import DEFAULT_CHUNK_ROWS, DEFAULT_MAX_BYTES
from domain.errors import Problem, ValidationFailed
from entrypoints.auth_settings import AuthSettings, auth_settings
from entrypoints.http.settings import HttpSettings, http_settings
from entrypoints.llm_settings import LlmSettings, llm_settings
from entrypoints.smtp_settings import SmtpSettings, smtp_settings
from entrypoints.testgen_settings import TestgenSettings, testgen_settings
from entrypoints.webhook_settings import (
    DEFAULT_WEBHOOK_TIMEOUT,
    WebhookSettings,
    webhook_settings,
)

__all__ = [
    "DEFAULT_DB_POOL_SIZE",
    "DEFAULT_SHADOW_SHARE",
    "DEFAULT_WEBHOOK_TIMEOUT",
    "OBJECT_STORES",
    "PREFIX",
    "BatchSettings",
    "LlmSettings",
    "S3Settings",
    "SchedulerSettings",
    "Settings",
    "SmtpSettings",
    "WebhookSettings",
    "default_data_dir",
    "load",
]

PREFIX = "CREDITDESK_"


def default_data_dir(environ: Mapping[str, str]) -> Path:
    """$XDG_DATA_HOME/creditdesk, else ~/.local/share/creditdesk (the XDG convention)."""
    base = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME", "~")) / ".local" / "share")
    return Path(base).expanduser() / "creditdesk"


#: The share of live applications each challenger model scores in shadow.
DEFAULT_SHADOW_SHARE = 0.2

#: Database connections a process keeps open: as many as the threads the HTTP server runs
#: requests on (anyio's default of 40), so a busy server reuses its connections instead of
#: opening and closing one per request beyond the pool (a new PostgreSQL session costs a fork).
DEFAULT_DB_POOL_SIZE = 40


@frozen
class SchedulerSettings:
    """The periodic jobs of `creditdesk scheduler`: when they run (times of day in UTC) and how
    long what the clean-up removes is kept."""

    #: Seconds between two looks at the clock; a job runs at most this late.
    tick: float = 1.0
    model_check_at: time = time(2, 0)
    clean_up_at: time = time(3, 0)
    #: A pending case is auto-assigned this close to its SLA deadline; zero turns it off.
    auto_assign_within: timedelta = timedelta(hours=2)
    #: Sent outbox messages, idempotency keys and slot claims are kept this long.
    retention: timedelta = timedelta(days=30)
    #: Exported files are kept this long.
    export_retention: timedelta = timedelta(days=7)


@frozen
class BatchSettings:
    """CSV batches: the largest upload accepted, and how many rows one job reads."""

    max_bytes: int = DEFAULT_MAX_BYTES
    chunk_rows: int = DEFAULT_CHUNK_ROWS


@frozen
class Settings:
    data_dir: Path
    database_url: str
    shadow_share: float = DEFAULT_SHADOW_SHARE
    #: Where jobs go: None runs them in process (the embedded default), else a redis:// URL
    #: (Redis) or an amqp:// URL (RabbitMQ).
    broker_url: str | None = field(default=None, repr=False)  # may hold a password
    #: Seconds without a heartbeat after which a worker's jobs are handed to another.
    broker_heartbeat_timeout: float = 60.0
    #: Database connections each process keeps open (CREDITDESK_DB_POOL_SIZE).
    db_pool_size: int = DEFAULT_DB_POOL_SIZE
    #: Where objects go: None keeps them in the data folder (the default), else an S3 bucket.
    s3: S3Settings | None = None
    #: When the periodic jobs run and how long what they clean up is kept.
    scheduler: SchedulerSettings = field(factory=SchedulerSettings)
    #: CSV batches: the size limit of an upload, and the rows each job reads.
    batches: BatchSettings = field(factory=BatchSettings)
    #: The mail server notifications are sent through; None turns email off.
    smtp: SmtpSettings | None = None
    #: Seconds a webhook endpoint has to answer a call, and whether it may be a private address.
    webhooks: WebhookSettings = field(factory=WebhookSettings)
    #: The token-signing secret (see `entrypoints.auth_settings`) and the token lifetimes.
    auth: AuthSettings = field(factory=AuthSettings)
    #: The HTTP API: CORS origins, HSTS, and the rate limits of login and intake.
    http: HttpSettings = field(factory=HttpSettings)
    #: Test generation: the largest spec accepted, and each tenant's webhook signing secret.
    testgen: TestgenSettings = field(factory=TestgenSettings)
    #: The OpenAI-compatible model, its prices and daily budgets; LLM use is off by default.
    llm: LlmSettings = field(factory=LlmSettings)

    @property
    def uses_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment (os.environ unless given), every problem reported at once."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get(f"{PREFIX}DATA_DIR", "") or default_data_dir(env)).expanduser()
    url = env.get(f"{PREFIX}DATABASE_URL", "") or f"sqlite:///{data_dir / 'creditdesk.db'}"
    problems = []
    if not url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
        problems.append(
            Problem(f"{PREFIX}DATABASE_URL", "must be a sqlite:/// path or a postgresql:// DSN")
        )
    share = _number(env.get(f"{PREFIX}SHADOW_SHARE", "") or str(DEFAULT_SHADOW_SHARE))
    if not 0.0 <= share <= 1.0:
        problems.append(
            Problem(f"{PREFIX}SHADOW_SHARE", "must be a number from 0 to 1, such as 0.2")
        )
    heartbeat = _number(env.get(f"{PREFIX}BROKER_HEARTBEAT_TIMEOUT", "") or "60")
    if not 1.0 <= heartbeat <= 3600.0:
        problems.append(
            Problem(f"{PREFIX}BROKER_HEARTBEAT_TIMEOUT", "must be seconds from 1 to 3600")
        )
    pool_size = _db_pool_size(env, problems)
    broker = env.get(f"{PREFIX}BROKER_URL", "") or None
    if broker is not None and not broker.startswith(
        ("redis://", "rediss://", "amqp://", "amqps://")
    ):
        problems.append(
            Problem(f"{PREFIX}BROKER_URL", "must be a redis:// or amqp:// (RabbitMQ) URL, or unset")
        )
    s3 = _s3_settings(env, problems)
    scheduler = _scheduler_settings(env, problems)
    batches = _batch_settings(env, problems)
    smtp = smtp_settings(env, problems)
    auth = auth_settings(env, problems, shared=url.startswith("postgresql"))
    http = http_settings(env, problems)
    webhooks = webhook_settings(env, problems)
    testgen = testgen_settings(env, problems)
    llm = llm_settings(env, problems)
    if problems:
        raise ValidationFailed(tuple(problems))
    return Settings(
        data_dir=data_dir,
        database_url=url,
        shadow_share=share,
        broker_url=broker,
        broker_heartbeat_timeout=heartbeat,
        db_pool_size=pool_size,
        s3=s3,
        scheduler=scheduler,
        batches=batches,
        smtp=smtp,
        webhooks=webhooks,
        auth=auth,
        http=http,
        testgen=testgen,
        llm=llm,
    )


def _db_pool_size(env: Mapping[str, str], problems: list[Problem]) -> int:
    """CREDITDESK_DB_POOL_SIZE: 1 to 1,000 connections, DEFAULT_DB_POOL_SIZE when unset."""
    text = (env.get(f"{PREFIX}DB_POOL_SIZE", "") or str(DEFAULT_DB_POOL_SIZE)).strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= 1000:
        return int(text)
    problems.append(Problem(f"{PREFIX}DB_POOL_SIZE", "must be a whole number from 1 to 1,000"))
    return DEFAULT_DB_POOL_SIZE


def _number(text: str) -> float:
    """The number `text` spells, or NaN (which every range check refuses)."""
    try:
        return float(text)
    except ValueError:
        return math.nan


#: What CREDITDESK_OBJECT_STORE may name: the local folder (the default) or an S3 bucket.
OBJECT_STORES = ("local", "s3")
_S3_VARIABLES = ("ENDPOINT_URL", "BUCKET", "PREFIX", "REGION", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY")
_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


@frozen
class S3Settings:
    """Where the S3 object store keeps its objects (CREDITDESK_OBJECT_STORE=s3).

    Without an endpoint it is AWS itself; without keys boto3's own credential chain (an instance
    or pod role) signs the requests. The secret key never appears in a repr, so settings can be
    logged or shown in an error whole.
    """

    bucket: str
    prefix: str = ""
    endpoint_url: str | None = None
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = field(default=None, repr=False)


def _s3_settings(env: Mapping[str, str], problems: list[Problem]) -> S3Settings | None:
    """The S3 settings when the S3 store is chosen (None for the local folder), and every problem
    with them appended to `problems`. No message repeats a value: any of them may be secret."""
    kind = env.get(f"{PREFIX}OBJECT_STORE", "") or "local"
    given = {name: env.get(f"{PREFIX}S3_{name}", "") for name in _S3_VARIABLES}
    if kind not in OBJECT_STORES:
        problems.append(Problem(f"{PREFIX}OBJECT_STORE", "must be local or s3"))
        return None
    if kind == "local":  # S3 settings that would be silently ignored are a mistake to name
        problems.extend(
            Problem(f"{PREFIX}S3_{name}", f"is set, but {PREFIX}OBJECT_STORE is not s3")
            for name, value in given.items()
            if value
        )
        return None
    bucket, endpoint = given["BUCKET"], given["ENDPOINT_URL"]
    if not bucket:
        problems.append(Problem(f"{PREFIX}S3_BUCKET", "is required when the object store is s3"))
    elif not _BUCKET_NAME.fullmatch(bucket) or ".." in bucket:
        problems.append(
            Problem(f"{PREFIX}S3_BUCKET", "must be an S3 bucket name: 3 to 63 lowercase letters, "
                    "digits, '.' and '-', beginning and ending with a letter or digit")
        )  # fmt: skip
    prefix = given["PREFIX"].removesuffix("/")
    try:
        if prefix:
            key_segments(prefix)
    except InvalidObjectKey as invalid:
        problems.append(Problem(f"{PREFIX}S3_PREFIX", f"must be a key path: {invalid.reason}"))
    if endpoint:
        parts = urllib.parse.urlsplit(endpoint)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            problems.append(
                Problem(f"{PREFIX}S3_ENDPOINT_URL", "must be an http:// or https:// URL")
            )
        elif parts.username is not None or parts.password is not None:
            problems.append(
                Problem(f"{PREFIX}S3_ENDPOINT_URL", "must not hold credentials: set "
                        f"{PREFIX}S3_ACCESS_KEY_ID and {PREFIX}S3_SECRET_ACCESS_KEY instead")
            )  # fmt: skip
    key_id, secret = given["ACCESS_KEY_ID"], given["SECRET_ACCESS_KEY"]
    if key_id and not secret:
        problems.append(Problem(f"{PREFIX}S3_SECRET_ACCESS_KEY", "is required with a key id"))
    if secret and not key_id:
        problems.append(Problem(f"{PREFIX}S3_ACCESS_KEY_ID", "is required with a secret key"))
    return S3Settings(
        bucket=bucket,
        prefix=prefix,
        endpoint_url=endpoint or None,
        region=given["REGION"] or None,
        access_key_id=key_id or None,
        secret_access_key=secret or None,
    )


_TIME_OF_DAY = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


def _scheduler_settings(env: Mapping[str, str], problems: list[Problem]) -> SchedulerSettings:
    """The scheduler's settings, every problem with them appended to `problems`."""
    default = SchedulerSettings()

    def read(name: str, fallback: object) -> str:
        return env.get(f"{PREFIX}{name}", "") or str(fallback)

    def time_of_day(name: str, fallback: time) -> time:
        found = _TIME_OF_DAY.fullmatch(read(name, f"{fallback:%H:%M}"))
        if found is None:
            problems.append(Problem(f"{PREFIX}{name}", "must be a time of day in UTC, as HH:MM"))
            return fallback
        return time(int(found[1]), int(found[2]))

    def number(name: str, fallback: float, low: float, high: float, what: str) -> float:
        value = _number(read(name, fallback))
        if not low <= value <= high or (what != "seconds" and not value.is_integer()):
            problems.append(Problem(f"{PREFIX}{name}", f"must be {what} from {low:g} to {high:g}"))
            return fallback
        return value

    minutes = default.auto_assign_within // timedelta(minutes=1)
    return SchedulerSettings(
        tick=number("SCHEDULER_TICK", default.tick, 0.05, 60, "seconds"),
        model_check_at=time_of_day("MODEL_CHECK_AT", default.model_check_at),
        clean_up_at=time_of_day("CLEAN_UP_AT", default.clean_up_at),
        auto_assign_within=timedelta(
            minutes=number("AUTO_ASSIGN_MINUTES", minutes, 0, 24 * 60, "whole minutes")
        ),
        retention=timedelta(
            days=number("RETENTION_DAYS", default.retention.days, 1, 3650, "whole days")
        ),
        export_retention=timedelta(
            days=number(
                "EXPORT_RETENTION_DAYS", default.export_retention.days, 1, 3650, "whole days"
            )
        ),
    )


#: The bounds of the batch settings: a byte up to 1 GiB per upload, 1 to 100,000 rows per job.
_BATCH_BOUNDS = {"BATCH_MAX_BYTES": (1, 1024**3), "BATCH_CHUNK_ROWS": (1, 100_000)}


def _batch_settings(env: Mapping[str, str], problems: list[Problem]) -> BatchSettings:
    """The CSV batch settings, every problem with them appended to `problems`."""
    defaults = {"BATCH_MAX_BYTES": DEFAULT_MAX_BYTES, "BATCH_CHUNK_ROWS": DEFAULT_CHUNK_ROWS}
    values: dict[str, int] = {}
    for name, default in defaults.items():
        low, high = _BATCH_BOUNDS[name]
        text = (env.get(f"{PREFIX}{name}", "") or str(default)).strip().replace("_", "")
        if not (text.isascii() and text.isdigit() and low <= int(text) <= high):
            problems.append(
                Problem(f"{PREFIX}{name}", f"must be a whole number from {low:,} to {high:,}")
            )
            values[name] = default
        else:
            values[name] = int(text)
    return BatchSettings(max_bytes=values["BATCH_MAX_BYTES"], chunk_rows=values["BATCH_CHUNK_ROWS"])
