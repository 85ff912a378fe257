"""The second-opinion adviser of the settings, for scoring and for the HTTP routes.

Scoring asks for a second opinion only when a language model is configured: with none,
`scoring_adviser` is None and scoring runs exactly as it does without the feature (no prompt
built, no ledger row, no audit field). The routes always get an adviser, so that asking
without a model answers a clear "not configured" problem rather than a missing route.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from application.credit.second_opinion import SecondOpinionAdviser

if TYPE_CHECKING:
    from entrypoints.composition import Deps

__all__ = ["scoring_adviser", "second_opinion_adviser"]


def second_opinion_adviser(deps: Deps) -> SecondOpinionAdviser:
    return SecondOpinionAdviser(deps.llm, deps.ids)


def scoring_adviser(deps: Deps) -> SecondOpinionAdviser | None:
    """The adviser scoring passes each application through, or None when LLM use is off."""
    adviser = second_opinion_adviser(deps)
    return adviser if adviser.configured else None
