"""What the CLI tests of tenants, users and thresholds share: the script with a standard input
(passwords go in there, never as arguments), and a tenant to work in."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.e2e.console import CREDITDESK, ROOT, environment

PASSWORD = "a long and secret passphrase"


def creditdesk_with_input(
    data_dir: Path, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """`creditdesk ARGS` as `console.creditdesk` runs it, with `stdin` on its standard input."""
    return subprocess.run(  # noqa: S603 - our own console script with fixed arguments
        [str(CREDITDESK), *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environment(data_dir),
    )


def create_acme(data_dir: Path) -> None:
    """The tenant "acme" with its administrator boss@acme.example (password PASSWORD)."""
    create = ("tenants", "create", "acme", "--name", "Acme Credit")
    admin = ("--admin-email", "boss@acme.example", "--password-stdin")
    done = creditdesk_with_input(data_dir, *create, *admin, stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert PASSWORD not in done.stdout + done.stderr
