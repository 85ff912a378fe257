"""`creditdesk data import` and `creditdesk model ...` as an operator runs them: the installed
console script, in real processes, on a fresh SQLite database and object store in tmp_path."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.e2e.console import creditdesk


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return creditdesk(data_dir, *args, timeout=240)


def _row(listing: str, version: str) -> str:
    return next(line for line in listing.splitlines() if version in line)


def test_import_train_and_promote_with_four_eyes(tmp_path: Path) -> None:
    imported = _run(tmp_path, "data", "import", "german_credit")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert re.search(r"1000\s*\S\s*1000\s*\S\s*0\s*\S\s*0", imported.stdout), imported.stdout

    again = _run(tmp_path, "data", "import", "german_credit")
    assert re.search(r"1000\s*\S\s*0\s*\S\s*1000\s*\S\s*0", again.stdout), again.stdout

    trained = _run(tmp_path, "model", "train", "--folds", "3", "--trees", "10", "--quick")
    assert trained.returncode == 0, trained.stdout + trained.stderr
    found = re.search(r"Registered candidate (xgb-[0-9a-f]{16})", trained.stdout)
    assert found, trained.stdout
    version = found.group(1)
    assert "auc" in trained.stdout

    listing = _run(tmp_path, "model", "list").stdout
    assert "candidate" in _row(listing, version)

    out = tmp_path / "report"
    evaluated = _run(tmp_path, "model", "evaluate", version, "--out", str(out))
    assert evaluated.returncode == 0, evaluated.stdout + evaluated.stderr
    assert (out / "report.html").is_file()

    promote = ("model", "promote", version, "--to", "champion", "--reason", "first model")
    requested = _run(tmp_path, *promote, "--operator", "a")
    assert requested.returncode == 0, requested.stdout + requested.stderr

    own = _run(tmp_path, "model", "approve-promotion", version, "--operator", "a")
    assert own.returncode == 1
    assert "Traceback" not in own.stdout + own.stderr
    assert "Not allowed" in own.stdout
    assert "candidate" in _row(_run(tmp_path, "model", "list").stdout, version)

    approved = _run(tmp_path, "model", "approve-promotion", version, "--operator", "b")
    assert approved.returncode == 0, approved.stdout + approved.stderr
    assert "champion" in _row(_run(tmp_path, "model", "list").stdout, version)

    _serve_and_monitor_the_champion(tmp_path, version)


def _serve_and_monitor_the_champion(data_dir: Path, version: str) -> None:
    info = _run(data_dir, "model", "info")
    assert info.returncode == 0, info.stdout + info.stderr
    assert f"{version} (champion)" in info.stdout
    assert "Feature importance" in info.stdout
    assert re.search(r"\d+\.\d%\s*│\s*█", info.stdout), info.stdout

    predicted = _run(data_dir, "model", "predict", "samples/applications.json")
    assert predicted.returncode == 0, predicted.stdout + predicted.stderr
    assert predicted.stdout.count("probability of default") == 5
    assert "of approved applicants" in predicted.stdout  # placed among the training data
    assert "Marković" not in predicted.stdout  # a prediction names the reference, not people

    monitored = _run(data_dir, "model", "monitor")
    assert monitored.returncode == 0, monitored.stdout + monitored.stderr
    assert "0 applications" in monitored.stdout  # imported history is not live traffic
    assert "Overall: stable" in monitored.stdout
    listed = _run(data_dir, "model", "reports")
    assert version in listed.stdout


def test_without_a_champion_serving_says_what_to_do(tmp_path: Path) -> None:
    for command in (("model", "info"), ("model", "predict", "samples/applications.json")):
        result = _run(tmp_path, *command)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "no champion model" in result.stdout
        assert "Traceback" not in result.stdout + result.stderr


def test_predict_names_every_problem_of_every_form(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"external_id": "x"}, 7]', encoding="utf-8")
    result = _run(tmp_path, "model", "predict", str(bad))
    assert result.returncode == 1
    assert "[0]." in result.stdout
    assert "[1]" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_an_unknown_version_is_a_clear_error(tmp_path: Path) -> None:
    result = _run(tmp_path, "model", "approve-promotion", "xgb-nope", "--operator", "b")
    assert result.returncode == 1
    assert "Not found: model version xgb-nope not found" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
