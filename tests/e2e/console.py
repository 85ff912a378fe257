"""Running the installed `creditdesk` console script as an operator would, in a real process.

Every CLI test goes through here, so each runs the script the same way: from the project root,
with a wide, colourless terminal (so Rich's tables can be read by the tests), and, given a data
folder, with the database and object store in it and nothing of the caller's environment.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CREDITDESK = Path(sys.executable).parent / "creditdesk"


def creditdesk(
    data_dir: Path | None,
    *args: str,
    timeout: float = 120,
    settings: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`creditdesk ARGS` with its data (SQLite database, object store) under `data_dir`, and
    `settings` (CREDITDESK_ variables) on top."""
    return subprocess.run(  # noqa: S603 - our own console script with fixed arguments
        [str(CREDITDESK), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=environment(data_dir, settings),
    )


def environment(data_dir: Path | None, settings: Mapping[str, str] | None = None) -> dict[str, str]:
    """The whole environment a `creditdesk` process gets: none of the caller's."""
    env = {"COLUMNS": "200", "PATH": str(CREDITDESK.parent), "NO_COLOR": "1"}
    if data_dir is not None:
        env |= {"HOME": str(data_dir), "CREDITDESK_DATA_DIR": str(data_dir)}
    return env | dict(settings or {})
