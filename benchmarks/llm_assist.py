"""LLM-assisted unit tests on creditdesk's own pure modules: acceptance, cache and fallback rates.

    uv run python -m benchmarks.llm_assist [--timeout 2] [--faults 5]

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

With `--faults N` the server fails the prompts whose digest is a multiple of N (about one in N,
and the same prompts every time, retries included), each with one of the faults a real server
gives: a persistent 500, a persistent 429, malformed JSON, JSON of the wrong shape, a refusal.
The fallback rates printed are then what the product measured of those faults, and a faulted
prompt is never cached, so it is asked (and fails) again in the second run.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.llm_fakes import InMemoryLlmCache, InMemoryUsageLedger
from tests.services.openai_server import (
    MODEL,
    Reply,
    answer,
    json_answer,
    refusal,
    running_openai_server,
    status,
)

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


#: What `--faults` answers instead, by the prompt's digest: each a failure a real server gives.
FAULTS: tuple[Callable[[], Reply], ...] = (
    lambda: status(500),
    lambda: status(429, retry_after=0.05),
    lambda: answer("{ not json"),
    lambda: json_answer({"unexpected": "shape"}),
    refusal,
)


def responder(faults: int = 0) -> Callable[[Any], Reply]:
    """Answers from each request's user message, as a model would: unit tests, or a second
    opinion when that is the schema asked for; with `faults`, about one prompt in `faults`
    fails instead (always the same prompts, so a retry fails too)."""

    def respond(body: Any) -> Reply:
        messages = body.get("messages", []) if isinstance(body, dict) else []
        prompt = str(next((m.get("content", "") for m in messages if m.get("role") == "user"), ""))
        digest = int.from_bytes(hashlib.sha256(prompt.encode()).digest()[:8], "big")
        if faults and digest % faults == 0:
            return FAULTS[(digest // faults) % len(FAULTS)]()
        tokens_in = len(prompt) // 4
        given = opinion_for(prompt) if is_opinion_request(body) else answer_for(prompt)
        return json_answer(given, input_tokens=tokens_in, output_tokens=len(str(given)) // 4)

    return respond


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
    parser.add_argument(
        "--faults", type=int, default=0, help="fail about one prompt in N (0: none)"
    )
    arguments = parser.parse_args(argv)
    print(SOURCE_NOTE)
    if arguments.faults:
        print(
            f"Faults injected: about one prompt in {arguments.faults} fails (500, 429, "
            "malformed JSON, wrong shape, refusal)."
        )
    runs: list[list[UnitTestsWritten]] = [[], []]
    with running_openai_server() as server:
        server.responder = responder(arguments.faults)
        model = OpenAiModel(base_url=server.base_url, model=MODEL, timeout=30.0, max_retries=1)
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
    verdict = _summary(runs, requests, faulted=arguments.faults > 0)
    if opinions is not None:
        print("\n" + "\n".join(opinion_lines(*opinions)))
        print(SOURCE_NOTE)
    return verdict


def _summary(runs: list[list[UnitTestsWritten]], requests: int, *, faulted: bool) -> int:
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
    causes: Counter[str] = Counter()
    for written in first + second:
        causes.update({str(cause): n for cause, n in written.fallbacks.items()})
    print(f"  fallback rate (both runs, {calls} calls): {_rate(fallbacks, calls)}")
    if causes:
        print("  fallbacks by cause: " + ", ".join(f"{c} {n}" for c, n in sorted(causes.items())))
    print(f"  requests the server received: {requests}")
    print(f"  run 2 kept the same tests: {'yes' if same else 'NO'}")
    if faulted:  # a faulted prompt is asked again (and fails again): only the rest is cached
        return 0 if same and second_cached == second_given else 1
    ok = second_cached == second_given == sum(w.calls for w in second) and same
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
