"""Security schemes a spec declares and the requirements its operations carry.

Read with the rest of the spec by `openapi.read_spec`: a requirement naming a scheme the spec
does not declare is a fault reported at its JSON pointer.
"""

from __future__ import annotations

from attrs import frozen

from domain.testgen.schemas import DocumentReader, child
from domain.testgen.values import mapping_at as _mapping
from domain.testgen.values import text_at as _text


@frozen
class SecurityScheme:
    """A declared scheme; oauth2 and openIdConnect are kept by type, their flows unread."""

    name: str
    type: str  # http, apiKey, oauth2, openIdConnect, mutualTLS
    scheme: str | None = None  # http: bearer, basic...
    key_name: str | None = None  # apiKey: the header, query or cookie name
    key_location: str | None = None  # apiKey: header, query or cookie


@frozen
class SecurityRequirement:
    """All of these schemes together (scheme name -> scopes); `()` means no credentials."""

    schemes: tuple[tuple[str, tuple[str, ...]], ...]


def read_schemes(r: DocumentReader, raw: object) -> tuple[SecurityScheme, ...]:
    at = "#/components/securitySchemes"
    schemes = []
    for name, entry in (_mapping(r, raw, at) or {}).items():
        found = r.deref(entry, child(at, name))
        value = _mapping(r, found[0], found[1]) if found else None
        if value is None or found is None:
            continue
        kind = _text(r, value, "type", found[1])
        if kind is None:
            r.problem(child(found[1], "type"), "missing")
            continue
        if kind == "apiKey" and value.get("in") not in ("header", "query", "cookie"):
            r.problem(child(found[1], "in"), "an apiKey goes in a header, query or cookie")
        scheme = _text(r, value, "scheme", found[1])
        schemes.append(
            SecurityScheme(
                str(name),
                kind,
                scheme.lower() if scheme else None,
                _text(r, value, "name", found[1]),
                _text(r, value, "in", found[1]),
            )
        )
    return tuple(schemes)


def requirements(
    r: DocumentReader, raw: object, at: str, declared: set[str]
) -> tuple[SecurityRequirement, ...]:
    if not isinstance(raw, list):
        r.problem(at, "must be a list of security requirements")
        return ()
    requirements = []
    for index, entry in enumerate(raw):
        value = _mapping(r, entry, child(at, index))
        if value is None:
            continue
        for name in value:
            if name not in declared:
                r.problem(child(child(at, index), name), f"no security scheme named {name!r}")
        requirements.append(
            SecurityRequirement(
                tuple(
                    (str(name), tuple(map(str, scopes)) if isinstance(scopes, list) else ())
                    for name, scopes in value.items()
                )
            )
        )
    return tuple(requirements)
