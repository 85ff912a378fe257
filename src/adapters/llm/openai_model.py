"""A `LanguageModel` over the official `openai` client: any OpenAI-compatible chat endpoint.

OpenAI itself, Azure OpenAI, vLLM, Ollama or llama.cpp: the base URL, key, model, timeout and
retries come from the settings. Each question is one chat completion (a system and a user
message) asking for JSON of the request's schema through structured output
(`response_format` of type `json_schema`, strict), with `max_completion_tokens` as its limit.

The client retries timeouts, 408/409/429 and 5xx answers itself (`max_retries`, honouring a
server's Retry-After); what is still failing after them becomes `LlmUnavailable` with its
cause. A refusal, a content filter and a stop at the token limit are failures too: they cost
tokens, so the reply that was paid for rides on the failure (`LlmUnavailable.reply`) and the
gateway books it.

Nothing here writes the prompt or the key anywhere: a failure's detail names the status or the
kind of problem, never a response body (a server may echo the request in it). The client's own
debug log writes whole requests, prompts included, so its logger is kept at INFO at least.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import openai
from openai.types.chat import ChatCompletion

from application.llm.ports import FailureCause, LlmReply, LlmRequest, LlmUnavailable

__all__ = ["OpenAiModel"]

#: Sent as the key when none is configured: a local server (Ollama, vLLM) needs none, but the
#: client refuses to start without one (or would read OPENAI_API_KEY from the environment).
NO_KEY = "no-key"

NOT_A_COMPLETION = "the server's answer is not a chat completion"

_client_log = logging.getLogger("openai")
if _client_log.level < logging.INFO:
    _client_log.setLevel(logging.INFO)


class OpenAiModel:
    """One configured model behind one client (thread-safe; keep one per process)."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = 20.0,
        max_retries: int = 2,
    ) -> None:
        self._model = model
        self._client = openai.OpenAI(
            base_url=base_url,
            api_key=api_key or NO_KEY,
            timeout=timeout,
            max_retries=max_retries,
        )

    def __repr__(self) -> str:
        return f"OpenAiModel(model={self._model!r}, base_url={str(self._client.base_url)!r})"

    @property
    def model(self) -> str:
        return self._model

    def close(self) -> None:
        self._client.close()

    def complete(self, request: LlmRequest) -> LlmReply:
        started = time.monotonic()
        try:
            response = self._client.chat.completions.create(
                model=self._model,
                messages=[
                    {"role": "system", "content": request.system},
                    {"role": "user", "content": request.user},
                ],
                response_format={
                    "type": "json_schema",
                    "json_schema": {
                        "name": request.schema_name,
                        "schema": _plain(request.json_schema),
                        "strict": True,
                    },
                },
                max_completion_tokens=request.max_output_tokens,
            )
        except openai.APIError as error:
            raise _unavailable(error) from None
        latency_ms = (time.monotonic() - started) * 1000.0
        try:
            return _reply(response, self._model, latency_ms)
        except (AttributeError, TypeError, ValueError):
            # The client is lenient: a 200 whose body is no chat completion (text, a list, an
            # object of other fields) comes back as it is, and fails when read.
            raise LlmUnavailable(FailureCause.MALFORMED_JSON, NOT_A_COMPLETION) from None


def _plain(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The schema as the client's typing wants it (a dict), not copied deeper."""
    return dict(schema)


def _unavailable(error: openai.APIError) -> LlmUnavailable:
    """The cause of a failed request, after the client's retries. Timeouts are connection
    errors to the client, so they are told apart first."""
    if isinstance(error, openai.APITimeoutError):
        return LlmUnavailable(FailureCause.TIMEOUT, "no answer within the timeout")
    if isinstance(error, openai.APIConnectionError):
        return LlmUnavailable(FailureCause.CONNECTION, "the server could not be reached")
    if isinstance(error, openai.APIStatusError):
        status = error.status_code
        detail = f"HTTP {status}" + (f" ({error.code})" if error.code else "")
        if isinstance(error, openai.RateLimitError):
            return LlmUnavailable(FailureCause.RATE_LIMITED, detail)
        if status >= 500:
            return LlmUnavailable(FailureCause.SERVER_ERROR, detail)
        return LlmUnavailable(FailureCause.REJECTED, detail)
    # An answer the client could not read as a chat completion at all.
    return LlmUnavailable(FailureCause.MALFORMED_JSON, type(error).__name__)


def _reply(response: ChatCompletion, model: str, latency_ms: float) -> LlmReply:
    """The answer's text, or the failure it is (with the reply that was paid for)."""
    usage = response.usage
    paid = LlmReply(
        content="",
        model=response.model or model,
        input_tokens=usage.prompt_tokens if usage is not None else 0,
        output_tokens=usage.completion_tokens if usage is not None else 0,
        latency_ms=latency_ms,
    )
    if not response.choices:
        raise LlmUnavailable(FailureCause.MALFORMED_JSON, "an answer without choices", reply=paid)
    choice = response.choices[0]
    message = choice.message
    if message.refusal or choice.finish_reason == "content_filter":
        what = "the model refused" if message.refusal else "stopped by the content filter"
        raise LlmUnavailable(FailureCause.REFUSAL, what, reply=paid)
    if choice.finish_reason == "length":
        raise LlmUnavailable(FailureCause.TRUNCATED, "stopped at the token limit", reply=paid)
    if not message.content:
        raise LlmUnavailable(FailureCause.MALFORMED_JSON, "an empty answer", reply=paid)
    return LlmReply(
        content=message.content,
        model=paid.model,
        input_tokens=paid.input_tokens,
        output_tokens=paid.output_tokens,
        latency_ms=latency_ms,
    )
