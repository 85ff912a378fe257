"""Schemathesis, the fuzzer we measure against, run on one variant as its users run it.

The installed `schemathesis run` command with every check, the admin token on every request,
deterministic generation (so two runs find the same), one worker (the suites run one test at a
time too), and `--max-time` set to the wall-clock time our suite took on the same variant: its
fuzzing and stateful phases repeat until the budget is spent. A run that found a failure exits
with status 1; any other non-zero status is an error of the run, not a finding.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import time
from pathlib import Path

from attrs import frozen

from benchmarks.testgen.spec import ADMIN_TOKEN, SPEC

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
_FAILURE = re.compile(r"^\s*❌ (ST\d+ [^:]+): (\d+)$", re.MULTILINE)


@frozen
class SchemathesisRun:
    found: bool
    failures: tuple[str, ...]  # "ST205 Allow header mismatch", one per kind found
    seconds: float


def run_schemathesis(base_url: str, budget_s: float, folder: Path) -> SchemathesisRun:
    """Schemathesis against the server at `base_url` for `budget_s` seconds (at least 1)."""
    spec = folder / "inventory-openapi.json"
    spec.write_text(json.dumps(SPEC, indent=2))
    command = [
        str(SCHEMATHESIS),
        "run",
        str(spec),
        "--url",
        base_url,
        "--checks",
        "all",
        "-H",
        f"Authorization: Bearer {ADMIN_TOKEN}",
        "--max-time",
        str(max(1, math.ceil(budget_s))),
        "--generation-deterministic",
        "--workers",
        "1",
        "--no-color",
    ]
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 - the installed console script, fixed arguments
        command, cwd=folder, capture_output=True, text=True, check=False, timeout=budget_s + 300
    )
    seconds = time.monotonic() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(
            f"schemathesis stopped with {done.returncode}:\n{done.stdout[-3000:]}"
            f"{done.stderr[-3000:]}"
        )
    failures = tuple(name for name, _count in _FAILURE.findall(done.stdout))
    return SchemathesisRun(found=done.returncode == 1, failures=failures, seconds=seconds)
