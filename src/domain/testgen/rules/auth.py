"""Rules about credentials: none or a forged one is 401 on a secured operation; a genuine one
that lacks the permission is 403 where the operation documents 403."""

from __future__ import annotations

from attrs import evolve

from domain.testgen.cases import Credentials, Expectation, Request, Rule, Step, TestCase
from domain.testgen.openapi import ApiSpec, Operation
from domain.testgen.rules.build import case, unknown_value
from domain.testgen.rules.operations import (
    documents,
    ends_session,
    finish,
    given_value,
    name_of,
    path_parameters,
    prepare,
    response_pointer,
)
from domain.testgen.schemas import child


def secured(op: Operation) -> bool:
    """Credentials are required: some requirement is declared and none of them is empty."""
    return bool(op.security) and all(r.schemes for r in op.security)


def _security_pointer(spec: ApiSpec, op: Operation) -> str:
    return (
        "#/security"
        if spec.security and op.security == spec.security
        else child(op.location, "security")
    )


def _request(spec: ApiSpec, op: Operation) -> tuple[tuple[Step, ...], Request] | None:
    """The valid request, or, when its ids cannot be created, one with ids nobody created:
    credentials are checked before the resource is looked up."""
    prepared = prepare(spec, op)
    if prepared is not None:
        return prepared.setup, prepared.request
    path = tuple(
        (p.name, given_value(spec, p) or unknown_value(spec, p)) for p in path_parameters(op)
    )
    filled = finish(spec, op, (), path, False)
    return None if filled is None else ((), filled.request)


def missing_credentials(spec: ApiSpec, op: Operation) -> tuple[TestCase, ...]:
    return _refused(spec, op, Rule.MISSING_CREDENTIALS, Credentials.NONE, "without credentials")


def invalid_credentials(spec: ApiSpec, op: Operation) -> tuple[TestCase, ...]:
    return _refused(
        spec, op, Rule.INVALID_CREDENTIALS, Credentials.INVALID, "with forged credentials"
    )


def _refused(
    spec: ApiSpec, op: Operation, rule: Rule, credentials: Credentials, how: str
) -> tuple[TestCase, ...]:
    found = _request(spec, op) if secured(op) else None
    if found is None:
        return ()
    setup, request = found
    return (
        case(
            spec,
            op,
            rule,
            location=_security_pointer(spec, op),
            title=f"{name_of(spec, op)}: {how} the request is 401",
            request=evolve(request, credentials=credentials),
            expectation=Expectation("401"),
            setup=setup,
        ),
    )


def forbidden(spec: ApiSpec, op: Operation) -> tuple[TestCase, ...]:
    """A valid credential without the permission is 403, where the operation documents 403."""
    wanted = secured(op) and documents(op, "403") and not ends_session(op)
    found = _request(spec, op) if wanted else None
    if found is None:
        return ()
    setup, request = found
    return (
        case(
            spec,
            op,
            Rule.FORBIDDEN,
            location=response_pointer(op, "403"),
            title=f"{name_of(spec, op)}: a credential lacking the permission is 403",
            request=evolve(request, credentials=Credentials.LIMITED),
            expectation=Expectation("403"),
            setup=setup,
        ),
    )
