"""LLM-assisted unit tests on creditdesk's own pure modules: acceptance, cache and fallback rates.

    uv run python -m benchmarks.llm_assist [--timeout 2]

The answers come from the scripted OpenAI-compatible server of the test suite
(`tests/services/openai_server.py`) on loopback, NOT from a real model: no real model is
reachable from the machines this runs on. Its responder (`benchmarks/unit_test_responder.py`)
writes tests from what each prompt gives it (signatures, docstrings, related enums) and gets
some wrong on purpose. So the acceptance rate (kept / proposed) measures the gate (compile, pass,
raise coverage) on plausible proposals; it says nothing about any model's skill.

What runs is the product's path end to end: `WriteUnitTests` asks through the `LlmGateway`, the
real `openai` client talks HTTP to the server, the cattrs reader reads the answers, and the
coverage gate runs every candidate with pytest under coverage.py in a subprocess. Every module
is done twice on one cache: the second run must make no model call (all cache hits) and keep
the same tests. Then the credit second opinion (`SecondOpinionAdviser`) is asked about 200 demo
applications, twice on a cache of its own (`benchmarks/llm_opinions.py`; `--no-opinions` skips
it), for its cache hit and fallback rates.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.llm_fakes import InMemoryLlmCache, InMemoryUsageLedger
from tests.services.openai_server import MODEL, Reply, json_answer, running_openai_server

from adapters.llm.answers import CattrsAnswerReader
from adapters.llm.openai_model import OpenAiModel
from adapters.testgen.coverage_gate import CoverageGate
from adapters.testgen.module_outline import AstModuleReader
from application.llm.gateway import LlmGateway
from application.testgen.unit_tests import UnitTestsWritten, WriteUnitTests
from benchmarks.llm_opinions import is_opinion_request, measure_opinions, opinion_for, opinion_lines
from benchmarks.unit_test_responder import answer_for
from domain.testgen.unit_tests import Verdict
from entrypoints.composition import SystemClock

ROOT = Path(__file__).resolve().parents[1]
MODULES = (
    "src/domain/pii.py",
    "src/domain/credit/money.py",
    "src/domain/credit/status.py",
    "src/domain/webhooks.py",
    "src/domain/schedules.py",
    "src/domain/testgen/patterns.py",
)
TENANT = "benchmark"
SOURCE_NOTE = (
    "Answers come from the scripted OpenAI-compatible server on loopback "
    "(tests/services/openai_server.py), not a real model: no real model is reachable from "
    "the test machines. The acceptance rate measures the gate, not a model."
)


def respond(body: Any) -> Reply:
    """Answer a chat completion request from its user message, as a model would: unit tests,
    or a second opinion when that is the schema asked for."""
    messages = body.get("messages", []) if isinstance(body, dict) else []
    prompt = next((m.get("content", "") for m in messages if m.get("role") == "user"), "")
    tokens_in = len(str(prompt)) // 4
    answer = opinion_for(str(prompt)) if is_opinion_request(body) else answer_for(str(prompt))
    return json_answer(answer, input_tokens=tokens_in, output_tokens=len(str(answer)) // 4)


def _gateway(model: OpenAiModel) -> LlmGateway:
    return LlmGateway(
        model=model,
        reader=CattrsAnswerReader(),
        cache=InMemoryLlmCache(),
        ledger=InMemoryUsageLedger(),
        clock=SystemClock(),
    )


def _rate(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


def _row(path: str, written: UnitTestsWritten, seconds: float) -> str:
    selection = written.selection
    before, after = selection.before, selection.after
    reasons = " ".join(f"{selection.count(v)}" for v in Verdict if v is not Verdict.KEPT)
    return (
        f"| {path} | {written.proposed} | {written.kept} | {reasons} | "
        f"{before.line_rate:.0%} / {before.branch_rate:.0%} | "
        f"{after.line_rate:.0%} / {after.branch_rate:.0%} | "
        f"{written.answered}/{written.cached}/{sum(written.fallbacks.values())} | {seconds:.1f} s |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds per proposed test")
    parser.add_argument(
        "--no-opinions", action="store_true", help="skip the credit second-opinion measurement"
    )
    arguments = parser.parse_args(argv)
    print(SOURCE_NOTE)
    runs: list[list[UnitTestsWritten]] = [[], []]
    with running_openai_server() as server:
        server.responder = respond
        model = OpenAiModel(base_url=server.base_url, model=MODEL, timeout=30.0)
        write = WriteUnitTests(
            _gateway(model), AstModuleReader(), CoverageGate(timeout_s=arguments.timeout)
        )
        header = (
            "| module | proposed | kept | discarded (no compile, fails, timed out, no "
            "coverage) | before lines / branches | after | calls answered/cached/fallback "
            "| time |\n| --- | --- | --- | --- | --- | --- | --- | --- |"
        )
        for number, found in enumerate(runs, start=1):
            print(f"\nRun {number}\n{header}")
            for path in MODULES:
                started = time.perf_counter()
                written = write(TENANT, str(ROOT / path))
                found.append(written)
                print(_row(path, written, time.perf_counter() - started), flush=True)
        requests = len(server.received())
        opinions = None if arguments.no_opinions else measure_opinions(_gateway(model))
        model.close()
    status = _summary(runs, requests)
    if opinions is not None:
        print("\n" + "\n".join(opinion_lines(*opinions)))
        print(SOURCE_NOTE)
    return status


def _summary(runs: list[list[UnitTestsWritten]], requests: int) -> int:
    first, second = runs
    proposed = sum(w.proposed for w in first)
    kept = sum(w.kept for w in first)
    verdicts: Counter[str] = Counter()
    for written in first:
        for verdict in Verdict:
            verdicts[verdict.value] += written.selection.count(verdict)
    calls = sum(w.calls for w in first + second)
    fallbacks = sum(sum(w.fallbacks.values()) for w in first + second)
    second_given = sum(w.answered + w.cached for w in second)
    second_cached = sum(w.cached for w in second)
    same = [w.text for w in first] == [w.text for w in second]
    print("\nSummary (run 1; run 2 must repeat it from the cache)")
    print(f"  proposed: {proposed}")
    print(f"  kept: {kept}")
    print("  discarded: " + ", ".join(f"{v} {verdicts[v]}" for v in verdicts if v != "kept"))
    print(f"  acceptance rate (kept / proposed): {_rate(kept, proposed)}")
    print(f"  cache hit rate of run 2: {_rate(second_cached, second_given)}")
    print(f"  fallback rate (both runs, {calls} calls): {_rate(fallbacks, calls)}")
    print(f"  requests the server received: {requests} (all in run 1)")
    print(f"  run 2 kept the same tests: {'yes' if same else 'NO'}")
    ok = second_cached == second_given == sum(w.calls for w in second) and same
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
