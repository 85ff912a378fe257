"""Query parameters read as the OpenAPI document says, not as leniently as Litestar would.

Two leniencies are refused, with a 422 naming each parameter:
- a parameter that holds one value sent more than once: Litestar keeps one value and drops
  the others without a word, so `?actor=a&actor=b` would search for one actor when the client
  asked for two. A parameter that holds a list (`?status=pending&status=review`) takes each.
- a date or time given as a bare number: Litestar would read `?occurred_to=68` as 68 seconds
  after 1970, where the document (and every client) means ISO 8601 text.
A parameter the route does not have is ignored, whatever it holds.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request
from litestar.constants import RESERVED_KWARGS
from litestar.enums import ParamType
from litestar.params import ParameterKwarg
from litestar.typing import FieldDefinition

from domain.errors import Problem, ValidationFailed


def _query_key(
    name: str, parameter: FieldDefinition, request: Request[Any, Any, Any]
) -> str | None:
    """The query key the parameter is read from, or None when it is not read from the query."""
    definition = parameter.kwarg_definition
    if isinstance(definition, ParameterKwarg):
        return (definition.name or name) if definition.param_type is ParamType.QUERY else None
    if definition is not None or name in RESERVED_KWARGS or name in request.path_params:
        return None  # a body, a dependency, or a value Litestar supplies
    return None if name in request.route_handler.resolve_dependencies() else name


def _is_moment(parameter: FieldDefinition) -> bool:
    kinds = [parameter, *parameter.inner_types]
    return any(
        isinstance(kind.annotation, type) and issubclass(kind.annotation, date) for kind in kinds
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def query_problems(request: Request[Any, Any, Any]) -> list[Problem]:
    """Each parameter of the route's query that breaks one of the two rules."""
    sent = request.query_params.dict()
    if not sent:
        return []
    found: list[Problem] = []
    for name, parameter in request.route_handler.parsed_fn_signature.parameters.items():
        key = _query_key(name, parameter, request)
        values = [] if key is None else sent.get(key, [])
        if len(values) > 1 and not parameter.is_non_string_sequence:
            found.append(Problem(str(key), "must be given once"))
        elif _is_moment(parameter) and any(_is_number(value) for value in values):
            found.append(Problem(str(key), "must be ISO 8601 text like 2026-11-22T09:30:00Z"))
    return found


def refuse_lenient_query(request: Request[Any, Any, Any]) -> None:
    """A `before_request` hook: 422 listing every query parameter `query_problems` finds."""
    if found := query_problems(request):
        raise ValidationFailed(tuple(found))
