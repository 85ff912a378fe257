"""The credit second opinion on demo applications, for `benchmarks.llm_assist`: how many asks
were answered, served from the cache or fell back, over two passes on one cache.

The applications are the demo's (`entrypoints.demo.forms`: acceptable loans of credit_data),
scored with the default scorecard and routed by the default policy; the model's probability of
default is drawn per application from a fixed seed. The answers come from the same scripted
server as the unit tests' (a deterministic opinion from a digest of the prompt), not a model.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from datetime import date
from typing import Any

from tests.builders import NOW, a_model_score, a_scoring_result
from tests.fakes import SequentialIds

from application.credit.second_opinion import SCHEMA_NAME, SecondOpinionAdviser
from application.llm.gateway import LlmGateway
from domain.credit.second_opinion_record import OpinionOutcome, OpinionTrigger
from entrypoints.demo.forms import demo_forms

APPLICATIONS = 200
_OUTCOMES = ("approve", "review", "decline")
_RISKS = ("low", "medium", "high")


def opinion_for(prompt: str) -> dict[str, Any]:
    """A valid second opinion, chosen by the prompt's digest (the same prompt, the same one)."""
    digest = hashlib.sha256(prompt.encode()).digest()
    return {
        "suggested_outcome": _OUTCOMES[digest[0] % 3],
        "risk_level": _RISKS[digest[1] % 3],
        "key_factors": [{"name": "debt_to_income", "evidence": "as given in the figures"}],
        "confidence": round(digest[2] / 255, 2),
    }


def is_opinion_request(body: Any) -> bool:
    response_format = body.get("response_format", {}) if isinstance(body, dict) else {}
    return bool(response_format.get("json_schema", {}).get("name") == SCHEMA_NAME)


def measure_opinions(gateway: LlmGateway) -> tuple[Counter[str], Counter[str]]:
    """The outcomes of asking about every demo application, in a first and a second pass."""
    rng = random.Random(20261123)
    forms = demo_forms(APPLICATIONS, rng, date(2026, 11, 23))
    adviser = SecondOpinionAdviser(gateway, SequentialIds("opinion-"))
    results = [
        (
            a_scoring_result(
                application_id=f"demo-{number}",
                form=form,
                model=a_model_score(probability_of_default=round(rng.uniform(0.01, 0.6), 3)),
            ),
            form.loan,
        )
        for number, form in enumerate(forms, start=1)
    ]
    passes: list[Counter[str]] = []
    for _ in range(2):
        seen: Counter[str] = Counter()
        for result, loan in results:
            record = adviser.advise(result, loan, trigger=OpinionTrigger.REQUESTED, at=NOW)
            seen[record.outcome.value] += 1
        passes.append(seen)
    return passes[0], passes[1]


def opinion_lines(first: Counter[str], second: Counter[str]) -> list[str]:
    def given(counts: Counter[str]) -> int:
        return counts[OpinionOutcome.ANSWERED.value] + counts[OpinionOutcome.CACHED.value]

    both = first + second
    calls = sum(both.values())
    hit_rate = second[OpinionOutcome.CACHED.value] / given(second) if given(second) else 0.0
    fallback_rate = both[OpinionOutcome.FALLBACK.value] / calls if calls else 0.0
    return [
        f"Second opinion on {APPLICATIONS} demo applications, asked twice",
        f"  pass 1: {dict(sorted(first.items()))}",
        f"  pass 2: {dict(sorted(second.items()))}",
        f"  cache hit rate of pass 2: {hit_rate:.1%}",
        f"  fallback rate (both passes, {calls} asks): {fallback_rate:.1%}",
    ]


__all__ = ["is_opinion_request", "measure_opinions", "opinion_for", "opinion_lines"]
