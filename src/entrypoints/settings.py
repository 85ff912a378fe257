"""Settings: the only place that reads environment variables (prefix CREDITDESK_).

Everything else receives configuration as arguments. Each setting has a default that works on a
laptop with no services (SQLite under the user's data folder); production overrides it.
"""

from __future__ import annotations

import math
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


#: The share of live applications each challenger model scores in shadow.
DEFAULT_SHADOW_SHARE = 0.2


@frozen
class Settings:
    data_dir: Path
    database_url: str
    shadow_share: float = DEFAULT_SHADOW_SHARE

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
    share_text = env.get(f"{PREFIX}SHADOW_SHARE", "") or str(DEFAULT_SHADOW_SHARE)
    try:
        share = float(share_text)
    except ValueError:
        share = math.nan
    if not 0.0 <= share <= 1.0:
        problems.append(
            Problem(f"{PREFIX}SHADOW_SHARE", "must be a number from 0 to 1, such as 0.2")
        )
    if problems:
        raise ValidationFailed(tuple(problems))
    return Settings(data_dir=data_dir, database_url=url, shadow_share=share)
