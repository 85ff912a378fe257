"""`creditdesk users deactivate` refuses the tenant's last active administrator."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.console import creditdesk
from tests.e2e.tenancy_support import create_acme


def test_the_last_active_admin_is_not_deactivated(tmp_path: Path) -> None:
    create_acme(tmp_path)

    refused = creditdesk(tmp_path, "users", "deactivate", "boss@acme.example", "--tenant", "acme")

    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "Conflict:" in refused.stdout
    assert "last active admin" in refused.stdout
    listed = creditdesk(tmp_path, "users", "list", "--tenant", "acme").stdout
    boss = next(line for line in listed.splitlines() if "boss@acme.example" in line)
    assert boss.replace("│", " ").split()[-2:] == ["admin", "yes"]
