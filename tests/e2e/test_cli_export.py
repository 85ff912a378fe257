"""`creditdesk export` as an operator runs it: the installed console script, in a real process,
over a SQLite database in tmp_path holding a few applications of the tenant "acme"."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import openpyxl

from domain.credit.status import ApplicationStatus
from entrypoints.cli.context import CLI_OPERATOR, operator
from entrypoints.composition import build
from entrypoints.settings import Settings
from tests.builders import NOW, an_application
from tests.e2e.console import creditdesk


def _store_applications(data_dir: Path) -> None:
    """Five applications of "acme", a day apart from NOW; the third declined."""
    deps = build(
        Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'creditdesk.db'}")
    )
    try:
        tenant_id = operator(deps, "acme", CLI_OPERATOR).tenant_id
        with deps.uow() as uow:
            for day in range(5):
                status = ApplicationStatus.DECLINED if day == 2 else ApplicationStatus.REVIEW
                uow.applications.add(
                    an_application(
                        id=f"acme-{day}", tenant_id=tenant_id, status=status,
                        submitted_at=NOW + timedelta(days=day),
                    )
                )  # fmt: skip
            uow.commit()
    finally:
        deps.close()


def test_an_export_is_written_to_the_file_filtered_and_masked(tmp_path: Path) -> None:
    _store_applications(tmp_path)
    out = tmp_path / "review.csv"
    done = creditdesk(
        tmp_path, "export", "--tenant", "acme", "--format", "csv", "--from", "2026-11-23",
        "--to", "2026-11-26", "--status", "review", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Wrote 2 applications to {out}" in done.stdout
    header, *rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [row[0] for row in rows] == ["acme-1", "acme-3"]
    assert rows[0][header.index("email")] == "***@example.com"


def test_an_xlsx_export_opens_and_a_bad_period_is_refused(tmp_path: Path) -> None:
    _store_applications(tmp_path)
    out = tmp_path / "all.xlsx"
    done = creditdesk(
        tmp_path, "export", "--tenant", "acme", "--format", "xlsx", "--personal-data",
        "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    sheet = openpyxl.load_workbook(out, read_only=True).active
    assert sheet is not None
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows] == [f"acme-{day}" for day in range(5)]
    assert rows[0][header.index("email")] == "ana.markovic@example.com"
    refused = creditdesk(
        tmp_path, "export", "--tenant", "acme", "--from", "soon", "--out", str(out)
    )
    assert refused.returncode == 1
    assert "--from" in refused.stdout
