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
from pathlib import Path

from attrs import field, frozen

from adapters.storage.keys import InvalidObjectKey, key_segments
from domain.errors import Problem, ValidationFailed

PREFIX = "CREDITDESK_"


def default_data_dir(environ: Mapping[str, str]) -> Path:
    """$XDG_DATA_HOME/creditdesk, else ~/.local/share/creditdesk (the XDG convention)."""
    base = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME", "~")) / ".local" / "share")
    return Path(base).expanduser() / "creditdesk"


#: The share of live applications each challenger model scores in shadow.
DEFAULT_SHADOW_SHARE = 0.2


@frozen
class Settings:
    data_dir: Path
    database_url: str
    shadow_share: float = DEFAULT_SHADOW_SHARE
    #: Where jobs go: None runs them in process (the embedded default), else a redis:// URL.
    broker_url: str | None = field(default=None, repr=False)  # may hold a password
    #: Seconds without a heartbeat after which a worker's jobs are handed to another.
    broker_heartbeat_timeout: float = 60.0
    #: Where objects go: None keeps them in the data folder (the default), else an S3 bucket.
    s3: S3Settings | None = None

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
    broker = env.get(f"{PREFIX}BROKER_URL", "") or None
    if broker is not None and not broker.startswith(("redis://", "rediss://")):
        problems.append(Problem(f"{PREFIX}BROKER_URL", "must be a redis:// URL, or unset"))
    s3 = _s3_settings(env, problems)
    if problems:
        raise ValidationFailed(tuple(problems))
    return Settings(
        data_dir=data_dir,
        database_url=url,
        shadow_share=share,
        broker_url=broker,
        broker_heartbeat_timeout=heartbeat,
        s3=s3,
    )


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
