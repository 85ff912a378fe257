"""`creditdesk thresholds show|propose|approve` on a fresh SQLite database in tmp_path: a
proposal is in force only once a second operator approves it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.e2e.console import creditdesk
from tests.e2e.tenancy_support import create_acme


def _thresholds(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return creditdesk(data_dir, "thresholds", *args, "--tenant", "acme")


def test_thresholds_are_proposed_by_one_operator_and_approved_by_another(tmp_path: Path) -> None:
    create_acme(tmp_path)
    shown = _thresholds(tmp_path, "show")
    assert "In force: version 1 (the default)" in shown.stdout, shown.stdout + shown.stderr

    scores = ("--auto-decline-max", "540", "--auto-approve-min", "700")
    proposed = _thresholds(tmp_path, "propose", *scores, "--operator", "ana", "--note", "Fewer")
    assert proposed.returncode == 0, proposed.stdout + proposed.stderr
    assert "Proposed version 2 (proposed): decline at or below 540" in proposed.stdout
    inverted = _thresholds(
        tmp_path, "propose", "--auto-decline-max", "700", "--auto-approve-min", "540",
        "--operator", "ana",
    )  # fmt: skip
    assert (inverted.returncode, "Refused" in inverted.stdout) == (1, True)

    own = _thresholds(tmp_path, "approve", "2", "--operator", "ana")
    assert (own.returncode, "Not allowed" in own.stdout) == (1, True), own.stdout
    approved = _thresholds(tmp_path, "approve", "2", "--operator", "bo")
    assert approved.returncode == 0, approved.stdout + approved.stderr
    after = _thresholds(tmp_path, "show").stdout
    assert "In force: version 2, decline at or below 540, approve at or above 700." in after
