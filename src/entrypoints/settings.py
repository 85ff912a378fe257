"""Settings: the only place that reads environment variables (prefix CREDITDESK_).

Everything else receives configuration as arguments. Each setting has a default that works on a
laptop with no services (SQLite under the user's data folder); production overrides it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from attrs import frozen

from domain.errors import Problem, ValidationFailed

PREFIX = "CREDITDESK_"


def default_data_dir(environ: Mapping[str, str]) -> Path:
    """$XDG_DATA_HOME/creditdesk, else ~/.local/share/creditdesk (the XDG convention)."""
    base = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME", "~")) / ".local" / "share")
    return Path(base).expanduser() / "creditdesk"


@frozen
class Settings:
    data_dir: Path
    database_url: str

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
    if problems:
        raise ValidationFailed(tuple(problems))
    return Settings(data_dir=data_dir, database_url=url)
