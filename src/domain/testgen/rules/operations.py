"""What every rule needs to know about an operation: its name, statuses, body, and a valid request.

A valid request is the starting point of nearly every case: parameters from the spec's examples,
a body from `examples.example`, and, when the path names a resource only a create can produce
(`/pets/{petId}`), the create steps that produce it, the id captured from the response (a link's
expression, the returned id, or the last segment of `Location`) and used as `{petId}`. A path
whose id nothing produces gets no valid request: the rules then propose no case that would
expect a 2XX for a made-up id.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from attrs import frozen

from domain.pii import JsonValue
from domain.testgen.cases import Capture, Expectation, JsonBody, Params, Request, Step
from domain.testgen.examples import as_json, example, json_type
from domain.testgen.openapi import ApiSpec, Operation, Parameter, Response
from domain.testgen.rules.memo import remembered
from domain.testgen.schemas import SchemaNode, child
from domain.testgen.shapes import shape

# OpenAPI ignores header parameters by these names: the request itself sets them
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_SESSION_ENDING = frozenset({"logout", "log-out", "signout", "sign-out", "logoff"})


def name_of(spec: ApiSpec, op: Operation) -> str:
    """The operation's id, made unique (and invented from method and path when missing)."""
    if op.operation_id and _id_counts(spec)[op.operation_id] == 1:
        return op.operation_id
    path = re.sub(r"[{}]", "", op.path).strip("/").replace("/", "_") or "root"
    return f"{op.operation_id}_{op.method}_{path}" if op.operation_id else f"{op.method}_{path}"


def _id_counts(spec: ApiSpec) -> Counter[str | None]:
    return remembered(spec, "ids", lambda: Counter(o.operation_id for o in spec.operations))


def tag_of(op: Operation) -> str | None:
    return op.tags[0] if op.tags else None


def _status_key(status: str) -> tuple[int, str]:
    return (0 if status[1:].isdigit() else 1, status)


def success(op: Operation) -> Response | None:
    """The documented 2XX response a valid request gets: 201 for a POST that documents it (a
    create; a 200 beside it is usually the replay of an idempotent one), else the lowest exact
    status, else the `2XX` class."""
    found = sorted(
        (r for r in op.responses if r.status.startswith("2")), key=lambda r: _status_key(r.status)
    )
    created = [r for r in found if r.status == "201" and op.method == "post"]
    return next(iter(created or found), None)


def success_status(op: Operation) -> str:
    found = success(op)
    return found.status if found else "2XX"


def replays(op: Operation) -> tuple[str, ...]:
    """("200",) for a create documenting 200 beside 201: the same request sent again (each case
    starts from the same example) may be answered as the replay of an idempotent create."""
    if op.method == "post" and success_status(op) == "201" and documents(op, "200"):
        return ("200",)
    return ()


def documents(op: Operation, status: str) -> bool:
    return any(r.status == status for r in op.responses)


def response_pointer(op: Operation, status: str) -> str:
    return child(child(op.location, "responses"), status)


def json_media(content: tuple[tuple[str, SchemaNode | None], ...]) -> tuple[str, SchemaNode] | None:
    """The first JSON media type with a schema (`application/json`, `...+json`)."""
    for media, schema in content:
        base = media.split(";")[0].strip().lower()
        if schema is not None and (base == "application/json" or base.endswith("+json")):
            return media, schema
    return None


def body_schema(op: Operation) -> tuple[str, SchemaNode] | None:
    return json_media(op.request_body.content) if op.request_body else None


def text_of(value: JsonValue) -> str | None:
    """A JSON value as a parameter's text (simple style), None for objects."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        parts = [text_of(item) for item in value]
        return ",".join(p for p in parts if p is not None)
    if isinstance(value, dict) or value is None:
        return None
    return str(value)


def is_id(spec: ApiSpec, parameter: Parameter) -> bool:
    """A path parameter naming a resource (`petId`, `id`, a uuid) rather than a plain value."""
    schema = shape(spec, parameter.schema) if parameter.schema is not None else None
    named = parameter.name.lower().endswith("id") or parameter.name.lower() in ("key", "slug")
    return named or (schema is not None and schema.format == "uuid")


def given_value(spec: ApiSpec, parameter: Parameter) -> str | None:
    """A value the spec itself gives for the parameter (const, example, default, enum)."""
    if parameter.schema is None:
        return None
    schema = shape(spec, parameter.schema)
    for given in (schema.const, schema.example, schema.default):
        if given is not None and json_type(given.value) not in ("object", "null"):
            return text_of(as_json(given.value))
    if schema.enum:
        return text_of(as_json(schema.enum[0]))
    return None


def parameter_value(spec: ApiSpec, parameter: Parameter) -> str:
    if parameter.schema is None:
        return "example"
    return text_of(example(spec, parameter.schema)) or "example"


@frozen
class Prepared:
    """A valid request for an operation and the steps that must run before it."""

    setup: tuple[Step, ...]
    request: Request
    body: JsonValue | None  # the JSON body sent, when there is one
    body_at: tuple[str, SchemaNode] | None  # its media type and schema


def ends_session(op: Operation) -> bool:
    """`POST /auth/logout` and the like: sent with the suite's credential, it would revoke it,
    and every test after it would meet a 401 (one with a limited credential, that credential)."""
    segments = [s for s in op.path.lower().split("/") if s and not s.startswith("{")]
    return bool(segments) and segments[-1] in _SESSION_ENDING


def authenticates_itself(op: Operation) -> bool:
    """A public operation that documents 401 (a login, a signed webhook) succeeds only with a
    secret the spec cannot give: its valid request is out of a generated test's reach."""
    return not op.security and documents(op, "401")


def prepare(spec: ApiSpec, op: Operation, *, alternate: bool = False) -> Prepared | None:
    """A valid request for `op`, with the create steps its path ids need; None when impossible,
    when it would end the session the suite runs on (`ends_session`), or when it needs a secret
    (`authenticates_itself`). A path parameter takes the value the spec gives it (example,
    default, enum) or the id a create returns; without either there is no valid request."""
    if ends_session(op) or authenticates_itself(op):
        return None
    key = ("prepare", op.location, alternate)
    return remembered(spec, key, lambda: _prepare(spec, op, alternate=alternate))


def _prepare(spec: ApiSpec, op: Operation, *, alternate: bool) -> Prepared | None:
    steps: list[Step] = []
    captured: dict[str, str] = {}
    path_params = _path_values(spec, op, steps, captured, frozenset())
    if path_params is None:
        return None
    return finish(spec, op, tuple(steps), path_params, alternate)


def finish(
    spec: ApiSpec, op: Operation, steps: tuple[Step, ...], path_params: Params, alternate: bool
) -> Prepared | None:
    body_at = body_schema(op)
    if op.request_body and op.request_body.required and body_at is None:
        return None  # only a form or a file would do: not a JSON request
    body = example(spec, body_at[1], alternate=alternate) if body_at else None
    request = Request(
        path_params=path_params,
        query=_required(spec, op, "query"),
        headers=_required(spec, op, "header"),
        body=JsonBody(body) if body_at else None,
    )
    return Prepared(steps, request, body, body_at)


def _required(spec: ApiSpec, op: Operation, location: str) -> Params:
    return tuple(
        (p.name, parameter_value(spec, p))
        for p in op.parameters
        if p.location == location and p.required and p.name.lower() not in IGNORED_HEADERS
    )


def path_parameters(op: Operation) -> tuple[Parameter, ...]:
    names = re.findall(r"{([^}]+)}", op.path)
    found = {p.name: p for p in op.parameters if p.location == "path"}
    return tuple(found.get(n, Parameter(n, "path", True, None)) for n in names)


def _path_values(
    spec: ApiSpec,
    op: Operation,
    steps: list[Step],
    captured: dict[str, str],
    visiting: frozenset[str],
) -> Params | None:
    values = []
    for parameter in path_parameters(op):
        if parameter.name in captured:
            values.append((parameter.name, captured[parameter.name]))
            continue
        produced = _produce(
            spec, op, parameter, steps=steps, captured=captured, visiting=visiting | {op.location}
        )
        if produced:
            values.append((parameter.name, "{" + parameter.name + "}"))
            continue
        given = given_value(spec, parameter)
        if given is None:  # a path names a resource: a made-up value would be a made-up id
            return None
        values.append((parameter.name, given))
    return tuple(values)


def producer(spec: ApiSpec, op: Operation, parameter: Parameter) -> tuple[Operation, str] | None:
    """The create operation whose response gives `parameter`, and how to take it from there."""
    for source in spec.operations:
        for response in source.responses:
            for link in response.links:
                given = dict(link.parameters)
                expression = given.get(parameter.name) or given.get(f"path.{parameter.name}")
                if (
                    link.operation_id
                    and link.operation_id == op.operation_id
                    and expression
                    and source.method == "post"
                    and _capturable(expression)
                ):
                    return source, expression
    marker = "/{" + parameter.name + "}"
    if marker not in op.path:
        return None
    collection = op.path.split(marker)[0]
    create = next((o for o in spec.operations if o.method == "post" and o.path == collection), None)
    if create is None:
        return None
    source_expression = id_source(spec, create, parameter.name)
    return (create, source_expression) if source_expression else None


def _capturable(expression: str) -> bool:
    return expression.startswith("$response.body#/") or expression.startswith("$response.header.")


def id_source(spec: ApiSpec, create: Operation, name: str) -> str | None:
    """Where a create's response carries the new id: the body member, else `Location`."""
    response = success(create)
    if response is None:
        return None
    media = json_media(response.content)
    if media is not None:
        body = shape(spec, media[1])
        names = [n for n, _ in body.properties]
        ids = [n for n in names if n.lower().endswith("id")]
        for candidate in (name, "id", *(ids if len(ids) == 1 else ())):
            if candidate in names:
                return f"$response.body#/{candidate}"
    if any(h.lower() == "location" for h in response.headers):
        return "$response.header.Location#last-segment"
    return None


def _produce(
    spec: ApiSpec,
    op: Operation,
    parameter: Parameter,
    *,
    steps: list[Step],
    captured: dict[str, str],
    visiting: frozenset[str],
) -> bool:
    found = producer(spec, op, parameter)
    if found is None or found[0].location in visiting:
        return False
    create, expression = found
    mark, before = len(steps), dict(captured)
    path_params = _path_values(spec, create, steps, captured, visiting)
    prepared = finish(spec, create, (), path_params, False) if path_params is not None else None
    if prepared is None:  # undo what the create's own ids added
        del steps[mark:]
        captured.clear()
        captured.update(before)
        return False
    uses = tuple(v[1:-1] for _, v in prepared.request.path_params if v.startswith("{"))
    steps.append(
        Step(
            title=f"create with {name_of(spec, create)}",
            operation_id=name_of(spec, create),
            method=create.method.upper(),
            path=create.path,
            request=prepared.request,
            expectation=Expectation(
                success_status(create), also=replays(create), validate_body=False
            ),
            captures=(Capture(parameter.name, expression),),
            uses=uses,
        )
    )
    captured[parameter.name] = "{" + parameter.name + "}"
    return True


def with_param(params: Params, name: str, value: str) -> Params:
    """`params` with `name` set to `value`: replaced where it is, else added at the end."""
    if any(k == name for k, _ in params):
        return tuple((k, value if k == name else v) for k, v in params)
    return (*params, (name, value))


def body_text(value: JsonValue) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
