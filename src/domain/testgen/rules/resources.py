"""Rules about resources: the happy path, an unknown id, and the create-read-update-delete chain."""

from __future__ import annotations

import re

from attrs import evolve

from domain.pii import JsonValue
from domain.testgen.cases import Capture, Expectation, JsonBody, Request, Rule, Step, TestCase
from domain.testgen.openapi import ApiSpec, Operation
from domain.testgen.rules.build import case, placeholders, unknown_value
from domain.testgen.rules.operations import (
    Prepared,
    documents,
    finish,
    given_value,
    is_id,
    json_media,
    name_of,
    path_parameters,
    prepare,
    replays,
    response_pointer,
    success,
    success_status,
    with_param,
)
from domain.testgen.schemas import escape
from domain.testgen.shapes import fields, shape


def happy_path(spec: ApiSpec, op: Operation) -> tuple[TestCase, ...]:
    """A valid request gets the documented 2XX status exactly."""
    prepared = prepare(spec, op)
    if prepared is None:
        return ()
    status = success_status(op)
    return (
        case(
            spec,
            op,
            Rule.HAPPY_PATH,
            location=response_pointer(op, status) if success(op) else op.location,
            title=f"{name_of(spec, op)}: a valid request is answered {status}",
            request=prepared.request,
            expectation=Expectation(status, also=replays(op), validate_body=False),
            setup=prepared.setup,
        ),
    )


def unknown_id(spec: ApiSpec, op: Operation) -> tuple[TestCase, ...]:
    """An id nobody created is answered 404, where the operation documents 404."""
    ids = [p for p in path_parameters(op) if is_id(spec, p)]
    if not ids or not documents(op, "404"):
        return ()
    target = ids[-1]
    missing = unknown_value(spec, target)
    prepared = prepare(spec, op)
    if prepared is not None:
        path = tuple(
            (n, missing if n == target.name else v) for n, v in prepared.request.path_params
        )
        setup = prepared.setup  # less the create of the very resource: see `needed_steps`
        request = evolve(prepared.request, path_params=path)
    else:
        path = tuple(
            (p.name, missing if p is target else given_value(spec, p) or unknown_value(spec, p))
            for p in path_parameters(op)
        )
        filled = finish(spec, op, (), path, False)
        if filled is None:
            return ()
        setup, request = (), filled.request
    return (
        case(
            spec,
            op,
            Rule.UNKNOWN_ID,
            location=response_pointer(op, "404"),
            title=f"{name_of(spec, op)}: {target.name} {missing!r} that nobody created is 404",
            request=request,
            expectation=Expectation("404"),
            setup=setup,
            variant=target.name,
        ),
    )


def crud_chains(spec: ApiSpec) -> tuple[TestCase, ...]:
    """For each item path `/things/{id}` beside a create `POST /things`: create, read, update,
    read back (it must include what the update sent: a lost update fails here), delete, and a
    read after the delete is 404."""
    found = []
    for create in (o for o in spec.operations if o.method == "post"):
        item = re.compile(re.escape(create.path) + r"/\{[^}/]+\}")
        paths = sorted({o.path for o in spec.operations if item.fullmatch(o.path)})
        for path in paths:
            chain = _chain(spec, path)
            if chain is not None:
                found.append(chain)
    return tuple(found)


def _chain(spec: ApiSpec, path: str) -> TestCase | None:
    on_item = {o.method: o for o in spec.operations if o.path == path}
    read = on_item.get("get")
    update = on_item.get("put") or on_item.get("patch")
    delete = on_item.get("delete")
    prepared = prepare(spec, read) if read else None
    name = path_parameters(read)[-1].name if read else ""
    if read is None or prepared is None or not (update or delete):
        return None
    if not prepared.setup or name not in [c.name for c in prepared.setup[-1].captures]:
        return None  # the id does not come from a create: nothing to chain
    steps = [*prepared.setup, _step(spec, read, prepared, "read the created resource")]
    at_location = _located(spec, prepared.setup[-1], name)
    if at_location is not None:  # the id in the body and the Location header must agree
        alias = at_location.captures[-1].name
        steps[len(prepared.setup) - 1] = at_location
        there = evolve(
            prepared.request,
            path_params=with_param(prepared.request.path_params, name, "{" + alias + "}"),
        )
        same = _same_id(spec, read, prepared.setup[-1], name)
        expectation = Expectation(success_status(read), body_includes=same, validate_body=False)
        title = "read it where Location points: the same resource"
        steps.append(_step(spec, read, evolve(prepared, request=there), title, expectation))
    if update is not None:
        changed = prepare(spec, update, alternate=True)
        if changed is None:
            return None
        steps.append(_step(spec, update, changed, "update it"))
        included = _includes(spec, read, changed)
        expectation = Expectation(success_status(read), body_includes=included, validate_body=False)
        steps.append(_step(spec, read, prepared, "read it back: the update is kept", expectation))
    if delete is not None:
        gone = prepare(spec, delete)
        if gone is None:
            return None
        steps.append(_step(spec, delete, gone, "delete it"))
    last = steps.pop()
    final_op, final_request, final_expectation = read, last.request, last.expectation
    if delete is not None and documents(read, "404"):
        steps.append(last)
        final_request, final_expectation = prepared.request, Expectation("404")
    elif delete is not None:
        final_op = delete
    elif update is not None:
        final_op = read
    return case(
        spec,
        final_op,
        Rule.CRUD_CHAIN,
        location="#/paths/" + escape(path),
        title=f"{path}: create, read, update, read back and delete in turn",
        request=final_request,
        expectation=final_expectation,
        setup=tuple(steps),
        variant="chain",
    )


def _located(spec: ApiSpec, create: Step, name: str) -> Step | None:
    """The create step also capturing its `Location`, when it documents one beside a body id."""
    op = next(
        o for o in spec.operations if (o.method.upper(), o.path) == (create.method, create.path)
    )
    response = success(op)
    documented = response is not None and any(h.lower() == "location" for h in response.headers)
    from_body = all(c.source.startswith("$response.body#") for c in create.captures)
    if not documented or not from_body:
        return None
    capture = Capture(f"{name}_at_location", "$response.header.Location#last-segment")
    return evolve(create, captures=(*create.captures, capture))


def _same_id(spec: ApiSpec, read: Operation, create: Step, name: str) -> JsonBody | None:
    """`{"id": "{petId}"}`: the resource read holds the id the create's body returned."""
    source = next(c.source for c in create.captures if c.name == name)
    member = source.removeprefix("$response.body#/")
    response = success(read)
    media = json_media(response.content) if response else None
    readable = {n for n, _ in shape(spec, media[1]).properties} if media else set()
    return JsonBody({member: "{" + name + "}"}) if member in readable else None


def _step(
    spec: ApiSpec,
    op: Operation,
    prepared: Prepared,
    title: str,
    expectation: Expectation | None = None,
) -> Step:
    uses = tuple(v[1:-1] for _, v in prepared.request.path_params if v.startswith("{"))
    if expectation is not None and expectation.body_includes is not None:
        uses = tuple(dict.fromkeys((*uses, *placeholders(Request(body=expectation.body_includes)))))
    return Step(
        title=title,
        operation_id=name_of(spec, op),
        method=op.method.upper(),
        path=op.path,
        request=prepared.request,
        expectation=expectation
        or Expectation(success_status(op), also=replays(op), validate_body=False),
        uses=uses,
    )


def _includes(spec: ApiSpec, read: Operation, update: Prepared) -> JsonBody | None:
    """What the update sent that the read documents, minus what a server may rewrite (write-only
    members, timestamps)."""
    response = success(read)
    media = json_media(response.content) if response else None
    if media is None or update.body_at is None or not isinstance(update.body, dict):
        return None
    readable = {n for n, _ in shape(spec, media[1]).properties}
    kept: dict[str, JsonValue] = {
        f.name: update.body[f.name]
        for f in fields(spec, update.body_at[1])
        if f.name in update.body
        and f.name in readable
        and not f.schema.write_only
        and f.schema.format != "date-time"
    }
    return JsonBody(kept) if kept else None
