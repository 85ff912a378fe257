"""The OpenAPI 3.0 / 3.1 model test generation works from, and `read_spec` that builds it.

`read_spec` takes an already-decoded document (JSON or YAML: loading is an adapter's job) and
either returns an `ApiSpec` or raises `ValidationFailed` listing every fault with its JSON
pointer, so a spec author fixes them in one pass. Everything a rule needs is settled here:
`$ref`s resolved (see `schemas.py` for cycles), path-level parameters merged into each operation
(the operation's own parameter of the same name and location wins), and an operation without
its own `security` given the document's. Each operation keeps its `location`, the JSON pointer
a generated test cites as the reason it exists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Literal

from attrs import frozen

from domain.errors import ValidationFailed
from domain.testgen.schemas import DocumentReader, Schema, SchemaNode, child
from domain.testgen.security import SecurityRequirement, SecurityScheme, read_schemes, requirements
from domain.testgen.values import mapping_at as _mapping
from domain.testgen.values import text_at as _text

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ParameterLocation = Literal["path", "query", "header", "cookie"]
_LOCATIONS: tuple[ParameterLocation, ...] = ("path", "query", "header", "cookie")
_STATUS = re.compile(r"[1-5](XX|[0-9]{2})")
#: The operation member accepted test proposals are kept in (a specification extension).
PROPOSALS_EXTENSION = "x-creditdesk-proposals"


@frozen
class Parameter:
    name: str
    location: ParameterLocation
    required: bool
    schema: SchemaNode | None
    pointer: str = ""  # where the parameter object is, cited by the cases it justifies


@frozen
class RequestBody:
    required: bool
    content: tuple[tuple[str, SchemaNode | None], ...]  # media type -> schema, in spec order


@frozen
class Link:
    """How one response feeds another operation: `$response.body#/id` into its `petId`."""

    name: str
    operation_id: str | None
    operation_ref: str | None
    parameters: tuple[tuple[str, str], ...]  # parameter name -> runtime expression
    request_body: str | None = None


@frozen
class Response:
    status: str  # "200", "4XX" or "default", as the spec writes it
    content: tuple[tuple[str, SchemaNode | None], ...]
    headers: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()


@frozen
class Operation:
    method: str
    path: str
    operation_id: str | None
    location: str  # JSON pointer, e.g. "#/paths/~1pets~1{petId}/get"
    tags: tuple[str, ...] = ()
    summary: str | None = None
    parameters: tuple[Parameter, ...] = ()
    request_body: RequestBody | None = None
    responses: tuple[Response, ...] = ()
    security: tuple[SecurityRequirement, ...] = ()  # any one of them suffices; () is public
    #: Accepted test proposals kept in the spec (`x-creditdesk-proposals`, see
    #: `domain.testgen.proposals`), each as canonical JSON text.
    proposals: tuple[str, ...] = ()

    @property
    def links_by_status(self) -> Mapping[str, tuple[Link, ...]]:
        return {r.status: r.links for r in self.responses if r.links}


@frozen
class ApiSpec:
    title: str
    version: str
    openapi: str
    servers: tuple[str, ...]
    operations: tuple[Operation, ...]
    security_schemes: tuple[SecurityScheme, ...]
    security: tuple[SecurityRequirement, ...]
    schemas: tuple[tuple[str, Schema], ...]  # every resolved `$ref` target, by pointer

    def schema_at(self, pointer: str) -> Schema:
        """The schema a `SchemaRef` names; KeyError only for a pointer this spec never read."""
        for at, schema in self.schemas:
            if at == pointer:
                return schema
        raise KeyError(pointer)

    def operation(self, operation_id: str) -> Operation | None:
        return next((o for o in self.operations if o.operation_id == operation_id), None)


def read_spec(document: Mapping[str, object]) -> ApiSpec:
    reader = DocumentReader(document if isinstance(document, Mapping) else {})
    spec = _read(reader, document)
    if reader.problems or spec is None:
        raise ValidationFailed(tuple(reader.problems))
    return spec


def _read(r: DocumentReader, doc: object) -> ApiSpec | None:
    if not isinstance(doc, Mapping):
        r.problem("#", "an OpenAPI document must be an object")
        return None
    version = doc.get("openapi")
    if not isinstance(version, str) or not re.match(r"3\.[01]\.", version):
        r.problem("#/openapi", "must name OpenAPI 3.0.x or 3.1.x (Swagger 2.0 is not supported)")
    info = _mapping(r, doc.get("info"), "#/info") or {}
    components = _mapping(r, doc.get("components", {}), "#/components") or {}
    schemes = read_schemes(r, components.get("securitySchemes", {}))
    declared = {s.name for s in schemes}
    security = requirements(r, doc.get("security", []), "#/security", declared)
    raw_schemas = _mapping(r, components.get("schemas", {}), "#/components/schemas") or {}
    for name in raw_schemas:  # read even unused ones, so `schema_at` knows them all
        r.schema({"$ref": child("#/components/schemas", name)}, "#/components/schemas")
    if "paths" not in doc:
        r.problem("#/paths", "missing: a spec without paths has nothing to test")
    paths = _mapping(r, doc.get("paths", {}), "#/paths") or {}
    operations = [
        op
        for path, item in paths.items()
        for op in _path_item(
            r, str(path), item, child("#/paths", path), security=security, declared=declared
        )
    ]
    r.read_deferred()  # before `schemas` is taken below, so every `SchemaRef` resolves
    servers = doc.get("servers", [])
    return ApiSpec(
        title=_text(r, info, "title", "#/info") or "",
        version=_text(r, info, "version", "#/info") or "",
        openapi=version if isinstance(version, str) else "",
        servers=tuple(
            s["url"]
            for s in (servers if isinstance(servers, list) else [])
            if isinstance(s, Mapping) and isinstance(s.get("url"), str)
        ),
        operations=tuple(operations),
        security_schemes=schemes,
        security=security,
        schemas=tuple(sorted(r.schemas.items())),
    )


def _path_item(
    r: DocumentReader,
    path: str,
    raw: object,
    at: str,
    *,
    security: tuple[SecurityRequirement, ...],
    declared: set[str],
) -> list[Operation]:
    found = r.deref(raw, at)
    item = _mapping(r, found[0], found[1]) if found else None
    if item is None or found is None:
        return []
    item_at = found[1]
    shared = _parameters(r, item.get("parameters", []), child(item_at, "parameters"))
    operations = []
    for method in METHODS:
        raw_op = item.get(method)
        if raw_op is None:
            continue
        op_at = child(item_at, method)
        op = _mapping(r, raw_op, op_at)
        if op is None:
            continue
        own = _parameters(r, op.get("parameters", []), child(op_at, "parameters"))
        mine = {(p.name, p.location) for p in own}
        merged = (*(p for p in shared if (p.name, p.location) not in mine), *own)
        op_security = (
            requirements(r, op["security"], child(op_at, "security"), declared)
            if "security" in op
            else security
        )
        tags = op.get("tags", [])
        operations.append(
            Operation(
                method=method,
                path=path,
                operation_id=_text(r, op, "operationId", op_at),
                location=op_at,
                tags=tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else (),
                summary=_text(r, op, "summary", op_at),
                parameters=merged,
                request_body=_request_body(r, op.get("requestBody"), child(op_at, "requestBody")),
                responses=_responses(r, op.get("responses", {}), child(op_at, "responses")),
                security=op_security,
                proposals=_proposals(op.get(PROPOSALS_EXTENSION)),
            )
        )
    return operations


def _proposals(raw: object) -> tuple[str, ...]:
    """The extension's items as canonical JSON text; what they say is checked by the rule."""
    if not isinstance(raw, list):
        return ()
    return tuple(json.dumps(item, sort_keys=True, separators=(",", ":")) for item in raw)


def _parameters(r: DocumentReader, raw: object, at: str) -> tuple[Parameter, ...]:
    if not isinstance(raw, list):
        r.problem(at, "must be a list of parameters")
        return ()
    parameters = []
    for index, entry in enumerate(raw):
        found = r.deref(entry, child(at, index))
        value = _mapping(r, found[0], found[1]) if found else None
        if value is None or found is None:
            continue
        p_at = found[1]
        name = _text(r, value, "name", p_at)
        location = value.get("in")
        if location not in _LOCATIONS:
            r.problem(child(p_at, "in"), f"unknown parameter location {location!r}")
            continue
        if name is None:
            r.problem(child(p_at, "name"), "missing")
            continue
        schema = r.schema(value["schema"], child(p_at, "schema")) if "schema" in value else None
        if schema is None and "content" in value:
            content = _content(r, value["content"], child(p_at, "content"))
            schema = content[0][1] if content else None
        loc = next(x for x in _LOCATIONS if x == location)
        parameters.append(
            Parameter(name, loc, loc == "path" or value.get("required") is True, schema, p_at)
        )
    return tuple(parameters)


def _content(r: DocumentReader, raw: object, at: str) -> tuple[tuple[str, SchemaNode | None], ...]:
    content = _mapping(r, raw, at) or {}
    pairs = []
    for media, entry in content.items():
        media_at = child(at, media)
        value = _mapping(r, entry, media_at) or {}
        schema = r.schema(value["schema"], child(media_at, "schema")) if "schema" in value else None
        pairs.append((str(media), schema))
    return tuple(pairs)


def _request_body(r: DocumentReader, raw: object, at: str) -> RequestBody | None:
    if raw is None:
        return None
    found = r.deref(raw, at)
    value = _mapping(r, found[0], found[1]) if found else None
    if value is None or found is None:
        return None
    return RequestBody(
        value.get("required") is True,
        _content(r, value.get("content", {}), child(found[1], "content")),
    )


def _responses(r: DocumentReader, raw: object, at: str) -> tuple[Response, ...]:
    responses = []
    for status, entry in (_mapping(r, raw, at) or {}).items():
        code = str(status)
        if code != "default" and not _STATUS.fullmatch(code):
            r.problem(child(at, code), f"{code!r} is not a status: expected 200, 4XX or default")
            continue
        found = r.deref(entry, child(at, code))
        value = _mapping(r, found[0], found[1]) if found else None
        if value is None or found is None:
            continue
        headers = value.get("headers", {})
        links = _mapping(r, value.get("links", {}), child(found[1], "links")) or {}
        responses.append(
            Response(
                status=code,
                content=_content(r, value.get("content", {}), child(found[1], "content")),
                headers=tuple(map(str, headers)) if isinstance(headers, Mapping) else (),
                links=tuple(
                    link
                    for name, raw_link in links.items()
                    if (
                        link := _link(r, str(name), raw_link, child(child(found[1], "links"), name))
                    )
                ),
            )
        )
    return tuple(responses)


def _link(r: DocumentReader, name: str, raw: object, at: str) -> Link | None:
    found = r.deref(raw, at)
    value = _mapping(r, found[0], found[1]) if found else None
    if value is None or found is None:
        return None
    operation_id = _text(r, value, "operationId", found[1])
    operation_ref = _text(r, value, "operationRef", found[1])
    if operation_id is None and operation_ref is None:
        r.problem(found[1], "a link needs an operationId or an operationRef")
        return None
    params = _mapping(r, value.get("parameters", {}), child(found[1], "parameters")) or {}
    body = value.get("requestBody")
    return Link(
        name,
        operation_id,
        operation_ref,
        tuple((str(k), str(v)) for k, v in params.items()),
        body if isinstance(body, str) else None,
    )
