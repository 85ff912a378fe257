"""`OpenAiModel` and `CattrsAnswerReader` through the real openai client over real HTTP.

The scripted server (tests/services/openai_server.py) plays every answer a provider gives:
good JSON, broken JSON, JSON of the wrong shape, refusals, stops at the token limit, answers
slower than the timeout, 429s with Retry-After, 500s, and a port where nobody listens.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable

import pytest
from attrs import field, frozen
from attrs.validators import in_

from adapters.llm.answers import CattrsAnswerReader
from adapters.llm.openai_model import OpenAiModel
from application.llm.ports import AnswerInvalid, FailureCause, LlmRequest, LlmUnavailable
from domain.pii import JsonValue
from tests.services.openai_server import (
    OpenAiServer,
    Reply,
    answer,
    content_filtered,
    json_answer,
    refusal,
    status,
    truncated,
)

KEY = "sk-integration-secret-0123456789"
SCHEMA: dict[str, JsonValue] = {
    "type": "object",
    "properties": {
        "outcome": {"type": "string", "enum": ["approve", "refer", "decline"]},
        "confidence": {"type": "number"},
    },
    "required": ["outcome", "confidence"],
    "additionalProperties": False,
}
REQUEST = LlmRequest(
    purpose="credit.second_opinion",
    prompt_version="v1",
    system="You assess loan applications.",
    user="monthly income 3200, monthly debts 400",
    schema_name="assessment",
    json_schema=SCHEMA,
    max_output_tokens=300,
)


@frozen
class Assessment:
    outcome: str = field(validator=in_(["approve", "refer", "decline"]))
    confidence: float


ModelMaker = Callable[..., OpenAiModel]


@pytest.fixture
def model_for(openai_server: OpenAiServer) -> ModelMaker:
    """Models on the scripted server: short timeouts and few retries keep the tests fast."""

    def make(*, timeout: float = 2.0, max_retries: int = 0, base_url: str = "") -> OpenAiModel:
        return OpenAiModel(
            base_url=base_url or openai_server.base_url,
            model="gpt-4o-mini",
            api_key=KEY,
            timeout=timeout,
            max_retries=max_retries,
        )

    return make


def failure_of(model: OpenAiModel) -> LlmUnavailable:
    with pytest.raises(LlmUnavailable) as failed:
        model.complete(REQUEST)
    assert KEY not in str(failed.value)
    assert REQUEST.user not in str(failed.value)
    return failed.value


def test_a_good_answer_is_read_with_its_tokens_and_latency(
    openai_server: OpenAiServer, model_for: ModelMaker
) -> None:
    openai_server.script(
        json_answer({"outcome": "refer", "confidence": 0.7}, input_tokens=321, output_tokens=17)
    )

    reply = model_for().complete(REQUEST)

    assert CattrsAnswerReader().read(reply.content, Assessment) == Assessment("refer", 0.7)
    assert (reply.model, reply.input_tokens, reply.output_tokens) == ("scripted-model", 321, 17)
    assert 0 < reply.latency_ms < 2_000


def test_the_request_is_a_strict_json_schema_chat_with_the_key_as_bearer(
    openai_server: OpenAiServer, model_for: ModelMaker
) -> None:
    openai_server.script(json_answer({"outcome": "refer", "confidence": 0.7}))

    model_for().complete(REQUEST)

    (sent,) = openai_server.received()
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.body["model"] == "gpt-4o-mini"
    assert sent.body["messages"] == [
        {"role": "system", "content": REQUEST.system},
        {"role": "user", "content": REQUEST.user},
    ]
    assert sent.body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "assessment", "schema": SCHEMA, "strict": True},
    }
    assert sent.body["max_completion_tokens"] == 300


def test_malformed_json_is_an_invalid_answer_that_quotes_nothing(
    openai_server: OpenAiServer, model_for: ModelMaker
) -> None:
    openai_server.script(answer('{"outcome": "refer", "confidence": 0.7 Sure! Here you go'))

    reply = model_for().complete(REQUEST)

    with pytest.raises(AnswerInvalid) as invalid:
        CattrsAnswerReader().read(reply.content, Assessment)
    assert invalid.value.cause is FailureCause.MALFORMED_JSON
    assert "Sure" not in invalid.value.detail
    assert "line 1 column" in invalid.value.detail


def test_json_of_the_wrong_shape_names_every_problem(
    openai_server: OpenAiServer, model_for: ModelMaker
) -> None:
    openai_server.script(json_answer({"outcome": "maybe", "confidence": "high", "note": "x"}))

    reply = model_for().complete(REQUEST)

    with pytest.raises(AnswerInvalid) as invalid:
        CattrsAnswerReader().read(reply.content, Assessment)
    assert invalid.value.cause is FailureCause.SCHEMA_MISMATCH
    detail = invalid.value.detail
    assert "$.confidence" in detail
    assert "extra fields found (note)" in detail


def test_an_answer_that_is_not_an_object_is_a_schema_mismatch(
    openai_server: OpenAiServer, model_for: ModelMaker
) -> None:
    openai_server.script(answer(json.dumps(["refer", 0.7])))
    reply = model_for().complete(REQUEST)
    with pytest.raises(AnswerInvalid) as invalid:
        CattrsAnswerReader().read(reply.content, Assessment)
    assert invalid.value.cause is FailureCause.SCHEMA_MISMATCH


@pytest.mark.parametrize(
    ("scripted", "cause"),
    [
        (refusal(input_tokens=40, output_tokens=9), FailureCause.REFUSAL),
        (content_filtered(input_tokens=40, output_tokens=9), FailureCause.REFUSAL),
        (truncated(input_tokens=40, output_tokens=9), FailureCause.TRUNCATED),
        (answer("", input_tokens=40, output_tokens=9), FailureCause.MALFORMED_JSON),
    ],
    ids=["refusal", "content_filter", "length", "empty"],
)
def test_an_answer_without_usable_text_fails_with_the_paid_reply(
    openai_server: OpenAiServer, model_for: ModelMaker, scripted: Reply, cause: FailureCause
) -> None:
    openai_server.script(scripted)

    failure = failure_of(model_for())

    assert failure.cause is cause
    assert failure.reply is not None
    assert (failure.reply.input_tokens, failure.reply.output_tokens) == (40, 9)


def test_an_answer_slower_than_the_timeout_is_a_timeout(
    openai_server: OpenAiServer, model_for: ModelMaker
) -> None:
    openai_server.script(json_answer({"outcome": "refer", "confidence": 0.7}, delay=2.0))

    failure = failure_of(model_for(timeout=0.3))

    assert failure.cause is FailureCause.TIMEOUT


def test_a_rate_limit_is_retried_after_the_servers_retry_after(
    openai_server: OpenAiServer, model_for: ModelMaker
) -> None:
    openai_server.script(
        status(429, retry_after=0.1),
        status(429, retry_after=0.8),
        json_answer({"outcome": "approve", "confidence": 0.9}),
    )

    reply = model_for(max_retries=2).complete(REQUEST)

    assert json.loads(reply.content)["outcome"] == "approve"
    first, second, third = (r.at for r in openai_server.received())
    assert second - first >= 0.1
    assert third - second >= 0.8  # honoured: the client's own backoff would be under 0.5 s


def test_a_rate_limit_that_persists_after_the_retries_is_rate_limited(
    openai_server: OpenAiServer, model_for: ModelMaker
) -> None:
    openai_server.script(*(status(429, retry_after=0.1) for _ in range(3)))

    failure = failure_of(model_for(max_retries=2))

    assert failure.cause is FailureCause.RATE_LIMITED
    assert failure.detail.startswith("HTTP 429")
    assert len(openai_server.received()) == 3


def test_a_server_error_is_retried_and_one_that_persists_is_a_server_error(
    openai_server: OpenAiServer, model_for: ModelMaker
) -> None:
    openai_server.script(
        status(500, retry_after=0.1), json_answer({"outcome": "refer", "confidence": 0.5})
    )
    assert model_for(max_retries=1).complete(REQUEST).content

    openai_server.script(status(500, retry_after=0.1), status(503, retry_after=0.1))
    failure = failure_of(model_for(max_retries=1))

    assert failure.cause is FailureCause.SERVER_ERROR
    assert failure.detail == "HTTP 503"
    assert len(openai_server.received()) == 4


def test_a_refused_request_is_rejected_without_retrying_and_quotes_no_body(
    openai_server: OpenAiServer, model_for: ModelMaker
) -> None:
    echo = {"error": {"message": f"bad key {KEY} for {REQUEST.user}", "code": "invalid_api_key"}}
    openai_server.script(status(401, body=echo))

    failure = failure_of(model_for(max_retries=2))

    assert failure.cause is FailureCause.REJECTED
    assert failure.detail == "HTTP 401 (invalid_api_key)"
    assert len(openai_server.received()) == 1


def test_a_port_where_nobody_listens_is_a_connection_failure(model_for: ModelMaker) -> None:
    with socket.socket() as probe:  # a free port, closed again: connections are refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    failure = failure_of(model_for(base_url=f"http://127.0.0.1:{port}/v1"))

    assert failure.cause is FailureCause.CONNECTION


@pytest.mark.parametrize("body", ["not json at all", [1, 2], {"weird": 1}, {"choices": [{}]}])
def test_a_success_status_without_a_chat_completion_is_malformed(
    openai_server: OpenAiServer, model_for: ModelMaker, body: object
) -> None:
    openai_server.script(Reply(body=body))

    failure = failure_of(model_for())

    assert failure.cause is FailureCause.MALFORMED_JSON
