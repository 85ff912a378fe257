"""Reading a model's JSON answer into the value asked for, through the one cattrs converter.

A model's answer is input from outside like any request body, so it is structured as strictly:
numbers are not turned into text, a whole number is not a float, attrs validators run, and
unknown keys are refused (the converter's `forbid_extra_keys`). Refusing them matches the strict
JSON schema sent with the question (`additionalProperties: false`): an answer carrying a key the
schema does not have did not follow the schema, and a field misspelt by the model must not pass
as a missing optional one.

The problems are named by their JSON path, every one of them, so a fallback's detail says what
was wrong. A detail never repeats the answer: at most a short piece of a validator's message.
"""

from __future__ import annotations

import json
from typing import TypeVar

import cattrs
from cattrs.v import format_exception

from adapters.serialization import converter
from application.llm.ports import AnswerInvalid, FailureCause

__all__ = ["CattrsAnswerReader"]

T = TypeVar("T")

#: The longest piece of an error message a problem keeps: enough for "'maybe' is not a valid
#: RiskLevel", short enough that an answer's text cannot come through whole.
_MESSAGE_CHARS = 120


def _short(text: str) -> str:
    return text if len(text) <= _MESSAGE_CHARS else text[: _MESSAGE_CHARS - 1] + "…"


def _describe(error: BaseException, expected: type | None) -> str:
    """cattrs' plain wording, with the message of a hook or validator that says more."""
    plain = format_exception(error, expected)
    said = ""
    if isinstance(error, ValueError | TypeError) and error.args:
        # attrs validators raise with (message, attribute, ...): the message is the first.
        first = error.args[0]
        said = first if isinstance(first, str) else str(error)
    return f"{plain} ({_short(said)})" if said and said not in plain else plain


class CattrsAnswerReader:
    """An `AnswerReader`: `json.loads`, then the converter; failures as `AnswerInvalid`."""

    def read(self, content: str, answer_type: type[T]) -> T:
        try:
            data = json.loads(content)
        except json.JSONDecodeError as error:
            # The position only (line, column): the message never quotes the text.
            where = f"line {error.lineno} column {error.colno}"
            raise AnswerInvalid(FailureCause.MALFORMED_JSON, f"{error.msg} at {where}") from None
        try:
            return converter.structure(data, answer_type)
        except (cattrs.ClassValidationError, cattrs.IterableValidationError) as group:
            problems = cattrs.transform_error(group, format_exception=_describe)
            raise AnswerInvalid(FailureCause.SCHEMA_MISMATCH, "; ".join(problems)) from None
        except (TypeError, ValueError, KeyError, AttributeError):
            # The whole answer has the wrong shape: an array or a number where an object belongs.
            what = f"expected {getattr(answer_type, '__name__', 'the structure asked for')}"
            raise AnswerInvalid(
                FailureCause.SCHEMA_MISMATCH, f"{what}, not {type(data).__name__} @ $"
            ) from None
