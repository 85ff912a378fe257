"""`creditdesk demo` as a user runs it: the installed console script, in a real process."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.e2e.console import ROOT, creditdesk


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return creditdesk(None, *args, timeout=60)


def test_the_demo_assesses_every_sample_application() -> None:
    result = _run("demo", "samples/applications.json", "--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for external_id in [f"LND-2026-000{i}" for i in range(1, 6)]:
        assert external_id in out
    assert out.count("AUTO-APPROVE") == 2
    assert out.count("HUMAN REVIEW") == 2
    assert out.count("AUTO-DECLINE") == 1
    assert "Debt-to-income 0.55 (0.45 to under 0.6): -29 points" in out
    assert "Principal reasons (adverse action)" in out
    assert "high_value_loan, long_term, purpose_review" in out


def test_the_demo_shows_no_personal_data() -> None:
    out = _run("demo", "samples/applications.json", "--today", "2026-11-22").stdout
    samples = json.loads((ROOT / "samples" / "applications.json").read_text("utf-8"))
    for sample in samples:
        personal = sample["applicant"]["personal"]
        for field in ("last_name", "email", "national_id"):
            assert personal[field] not in out


def test_the_demo_names_every_problem_of_a_broken_file(tmp_path: Path) -> None:
    broken = json.loads((ROOT / "samples" / "applications.json").read_text("utf-8"))[:1]
    broken[0]["loan"]["term_months"] = 0
    broken[0]["applicant"]["personal"]["email"] = "nobody"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    result = _run("demo", str(path), "--today", "2026-11-22")
    assert result.returncode == 1
    assert "applicant.personal.email" in result.stdout
    assert "loan.term_months" in result.stdout
