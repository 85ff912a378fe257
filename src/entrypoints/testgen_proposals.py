"""`propose_tests(deps)`: the proposal use case on the test-generation service's ports and the
LLM gateway of the settings, for the CLI and the API alike (built on each use: cheap)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from application.testgen.propose import ProposeTests
from application.testgen.submit import SubmitSpec

if TYPE_CHECKING:
    from entrypoints.composition import Deps

__all__ = ["LLM_SETTINGS_HINT", "propose_tests"]

#: What to set when a command or route needs a model and none is configured.
LLM_SETTINGS_HINT = (
    "No language model is configured. Set CREDITDESK_LLM_BASE_URL (an OpenAI-compatible "
    "endpoint, e.g. https://api.openai.com/v1), CREDITDESK_LLM_MODEL and, if the endpoint "
    "needs one, CREDITDESK_LLM_API_KEY."
)


def propose_tests(deps: Deps) -> ProposeTests:
    service = deps.testgen
    submit = SubmitSpec(
        service.uow, service.clock, service.ids, service.loader, service.renderer, service.generate
    )
    return ProposeTests(service.uow, deps.llm, service.generate, submit)
