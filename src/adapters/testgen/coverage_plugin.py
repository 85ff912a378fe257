"""The conftest the coverage gate writes next to the candidates it runs.

It runs inside the gate's pytest process (under `coverage run`) and does three things there:

- imports the target module first, so what its import executes is recorded in the empty
  context: the baseline every candidate is measured against;
- switches coverage.py's context to the candidate's file around each test call, so the lines
  and branches each candidate covers can be read apart afterwards;
- bounds each test with an alarm (`CANDIDATE_TIMEOUT_S`), and records every outcome (collection
  errors too) as one JSON line in `results.jsonl`, which the gate reads while the run goes on.

Kept as text: it is a file of the gate's run, not code of creditdesk's process.
"""

CONFTEST = """\
import importlib
import json
import os
import pathlib
import signal

import coverage
import pytest

TARGET = os.environ["CANDIDATE_TARGET"]
TIMEOUT_S = float(os.environ["CANDIDATE_TIMEOUT_S"])
RESULTS = pathlib.Path(__file__).with_name("results.jsonl")
TIMED_OUT = set()

importlib.import_module(TARGET)


class CandidateTimedOut(Exception):
    pass


def _write(record):
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\\n")


def _alarm(signum, frame):
    raise CandidateTimedOut(f"did not finish within {TIMEOUT_S:g} s")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    measuring = coverage.Coverage.current()
    if measuring is not None:
        measuring.switch_context(item.path.name)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT_S)
    try:
        outcome = yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if measuring is not None:
            measuring.switch_context("between")
    excinfo = outcome.excinfo
    if excinfo is not None and isinstance(excinfo[1], CandidateTimedOut):
        TIMED_OUT.add(item.nodeid)


def _message(report):
    text = str(report.longrepr or "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line[1:].strip() for line in lines if line.startswith("E ")]
    return (errors[0] if errors else (lines[-1] if lines else ""))[:300]


def pytest_runtest_logreport(report):
    if report.when == "call" or report.outcome != "passed":
        _write({
            "file": report.nodeid.split("::", 1)[0],
            "outcome": report.outcome,
            "timed_out": report.nodeid in TIMED_OUT,
            "message": _message(report),
        })


def pytest_collectreport(report):
    if report.failed:
        _write({
            "file": report.nodeid.split("::", 1)[0],
            "outcome": "failed",
            "timed_out": False,
            "message": _message(report),
        })
"""
