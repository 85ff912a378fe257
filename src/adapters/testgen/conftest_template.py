"""The `conftest.py` of every rendered suite: the `api` fixture the tests call and its checks.

The text is fixed apart from the header (the spec's title) and how credentials travel (from the
spec's first security scheme), so every suite carries the same reviewed helpers. They need only
pytest, httpx and jsonschema, and they read the spec the suite ships as `openapi.json` to find
the schema documented for whatever status comes back.
"""

from __future__ import annotations

import textwrap

from attrs import frozen

from adapters.testgen.conftest_checks import BODY_CHECKS
from adapters.testgen.pysource import LINE, docstring, string
from domain.testgen.openapi import ApiSpec
from domain.testgen.security import SecurityScheme


@frozen
class CredentialPlacement:
    """Where a token goes: `location` header, query or cookie (None: the spec has no scheme)."""

    location: str | None
    name: str
    prefix: str
    scheme: str  # the scheme's name in the spec, for the conftest's docstring


def placement(spec: ApiSpec) -> CredentialPlacement:
    """The spec's first security scheme: the first one its top-level requirement names, else
    the first declared. Bearer-like schemes (http bearer, oauth2, OpenID Connect) send
    `Authorization: Bearer`; an apiKey goes by its own name where the spec puts it."""
    named = [name for requirement in spec.security for name, _ in requirement.schemes]
    schemes = {scheme.name: scheme for scheme in spec.security_schemes}
    first: SecurityScheme | None = next(
        (schemes[name] for name in named if name in schemes),
        spec.security_schemes[0] if spec.security_schemes else None,
    )
    if first is None:
        return CredentialPlacement(None, "", "", "")
    if first.type == "apiKey" and first.key_location in ("header", "query", "cookie"):
        return CredentialPlacement(first.key_location, first.key_name or "", "", first.name)
    if first.type == "http" and first.scheme == "basic":
        return CredentialPlacement("header", "Authorization", "Basic ", first.name)
    if first.type in ("http", "oauth2", "openIdConnect"):
        return CredentialPlacement("header", "Authorization", "Bearer ", first.name)
    return CredentialPlacement(None, "", "", first.name)


def conftest_source(spec: ApiSpec) -> str:
    where = placement(spec)
    how = (
        f'the spec\'s security scheme "{where.scheme}" ({where.location} {where.name})'
        if where.location
        else "none: the spec declares no usable security scheme"
    )
    summary = f"Fixtures and checks shared by the generated tests of {spec.title} {spec.version}."
    header = docstring(
        [
            *(textwrap.wrap(" ".join(summary.split()), LINE - 4) or [""]),
            "",
            "The tests call the server at TESTGEN_BASE_URL. Credentials: TESTGEN_TOKEN (valid),",
            "TESTGEN_LIMITED_TOKEN (valid but lacking permission, for the 403 tests); how they",
            f"travel: {how}.",
            "TESTGEN_MAX_EXAMPLES sets how many bodies each property test draws (default 25).",
            "Bodies are checked against openapi.json, the spec the tests were generated from.",
        ],
        0,
    )
    constants = "\n".join(
        (
            f"CREDENTIAL_IN = {string(where.location) if where.location else None}",
            f"CREDENTIAL_NAME = {string(where.name)}",
            f"CREDENTIAL_PREFIX = {string(where.prefix)}",
        )
    )
    text = _REQUESTS.replace("<HEADER>", header).replace("<CREDENTIALS>", constants)
    return f"{text}\n\n{BODY_CHECKS}"


_REQUESTS = '''<HEADER>

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import jsonschema
import pytest

SPEC: dict[str, Any] = json.loads(
    (Path(__file__).parent / "openapi.json").read_text(encoding="utf-8")
)
# Where the credential goes ("header", "query", "cookie", or None), under which name, after what.
<CREDENTIALS>
FORGED_CREDENTIAL = "testgen-forged-credential"
NO_BODY: Any = object()
PLACEHOLDER = re.compile(r"^\\{([^{}]+)\\}$")


@pytest.fixture
def api() -> Iterator[Api]:
    base_url = os.environ.get("TESTGEN_BASE_URL")
    if not base_url:
        pytest.fail("TESTGEN_BASE_URL is not set: the tests need the server under test")
    with httpx.Client(base_url=base_url, timeout=30.0, follow_redirects=False) as client:
        yield Api(client)


class Api:
    """Sends a test's requests and checks the responses; keeps what steps capture, so a value
    written "{name}" in a later request is the value captured as `name`."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.captured: dict[str, Any] = {}
        self._sent: dict[int, tuple[httpx.Response, str, str]] = {}

    def send(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
        headers: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
        body: Any = NO_BODY,
        raw: str | None = None,
        media_type: str = "application/json",
        credentials: str = "valid",
    ) -> httpx.Response:
        """One request; `path` is the spec's template, filled from `path_params`."""
        url = path
        for name, given in self.fill(dict(path_params or {})).items():
            url = url.replace("{" + name + "}", quote(str(given), safe=""))
        if re.search(r"\\{[^{}]+\\}", url):
            pytest.fail(f"{method} {path}: no value for a path parameter in {url}")
        params = [(k, str(v)) for k, v in _pairs(self.fill(query))]
        sent_headers = {k: str(v) for k, v in _pairs(self.fill(headers))}
        token = _credential(credentials)
        if token is not None and CREDENTIAL_IN == "header":
            sent_headers[CREDENTIAL_NAME] = CREDENTIAL_PREFIX + token
        elif token is not None and CREDENTIAL_IN == "query":
            params.append((CREDENTIAL_NAME, token))
        elif token is not None and CREDENTIAL_IN == "cookie":
            sent_headers["Cookie"] = f"{CREDENTIAL_NAME}={token}"
        content: str | None = raw
        if body is not NO_BODY:
            content = json.dumps(self.fill(body))
        if content is not None:
            sent_headers.setdefault("Content-Type", media_type)
        response = self.client.request(
            method, url, params=params, headers=sent_headers, content=content
        )
        self._sent[id(response)] = (response, method, path)
        return response

    def expect(
        self,
        response: httpx.Response,
        status: str,
        *,
        also: tuple[str, ...] = (),
        schema: str | None = None,
        validate_body: bool = True,
        body_includes: Any = NO_BODY,
        within_ms: int | None = None,
    ) -> None:
        """The status is `status` or one of `also` (a class like "4XX" admits any of it); the
        body matches the schema the spec documents for the status received (and `schema`, a
        pointer into the spec, when given), includes `body_includes`, and came within budget."""
        _, method, path = self._sent[id(response)]
        where = f"{method} {path}"
        admitted = (status, *also)
        if not any(_admits(expected, response.status_code) for expected in admitted):
            pytest.fail(
                f"{where}: expected {' or '.join(admitted)}, got {response.status_code}"
                f"{_excerpt(response)}"
            )
        if within_ms is not None:
            elapsed = response.elapsed.total_seconds() * 1000
            if elapsed > within_ms:
                pytest.fail(f"{where}: answered in {elapsed:.0f} ms, over {within_ms} ms")
        if schema is not None:
            _validate(response, where, schema)
        documented = _documented_schema(method, path, response) if validate_body else None
        if documented is not None:
            _validate(response, where, documented)
        if body_includes is not NO_BODY:
            expected = self.fill(body_includes)
            if not _includes(_json(response, where), expected):
                pytest.fail(f"{where}: the body lacks {json.dumps(expected)[:300]}")

    def capture(self, response: httpx.Response, name: str, source: str) -> None:
        """Keep `source` (`$response.body#/ptr`, `$response.header.Name`, or
        `$response.header.Location#last-segment`) as `name` for later requests."""
        _, method, path = self._sent[id(response)]
        where = f"{method} {path}"
        if source.startswith("$response.body"):
            found = _pointer(_json(response, where), source.partition("#")[2])
            if found is NO_BODY:
                pytest.fail(f"{where}: the body has nothing at {source}")
            self.captured[name] = found
            return
        header, _, part = source.removeprefix("$response.header.").partition("#")
        text = response.headers.get(header)
        if text is None:
            pytest.fail(f"{where}: no {header} header to capture")
        if part == "last-segment":
            text = text.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        self.captured[name] = text

    def fill(self, data: Any) -> Any:
        """`data` with every exact "{name}" replaced by the value captured as `name`."""
        if isinstance(data, str):
            match = PLACEHOLDER.match(data)
            return self.captured.get(match.group(1), data) if match else data
        if isinstance(data, Mapping):
            return {key: self.fill(item) for key, item in data.items()}
        if isinstance(data, list | tuple):
            return [self.fill(item) for item in data]
        return data


def _pairs(items: Any) -> list[tuple[str, Any]]:
    if items is None:
        return []
    if isinstance(items, Mapping):
        return list(items.items())
    return [(str(pair[0]), pair[1]) for pair in items]


def _credential(kind: str) -> str | None:
    if CREDENTIAL_IN is None or kind == "none":
        return None
    if kind == "invalid":
        return FORGED_CREDENTIAL
    variable = "TESTGEN_LIMITED_TOKEN" if kind == "limited" else "TESTGEN_TOKEN"
    token = os.environ.get(variable)
    if not token and kind == "limited":
        pytest.skip("TESTGEN_LIMITED_TOKEN is not set: no credential lacking permission")
    if not token:
        pytest.fail(f"{variable} is not set: the spec asks for credentials")
    return token


def _admits(expected: str, status_code: int) -> bool:
    if expected.upper().endswith("XX"):
        return status_code // 100 == int(expected[0])
    return status_code == int(expected)


def _excerpt(response: httpx.Response) -> str:
    text = " ".join(response.text.split())
    return f": {text[:200]}" if text else ""


def _json(response: httpx.Response, where: str) -> Any:
    try:
        return response.json()
    except ValueError:
        pytest.fail(f"{where}: the {response.status_code} body is not JSON{_excerpt(response)}")


def _pointer(data: Any, pointer: str) -> Any:
    for raw in pointer.split("/")[1:] if pointer else []:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(data, Mapping) and token in data:
            data = data[token]
        elif isinstance(data, list) and token.isdigit() and int(token) < len(data):
            data = data[int(token)]
        else:
            return NO_BODY
    return data


def _includes(actual: Any, expected: Any) -> bool:
    """`expected`'s members are in `actual` with equal values, recursively for objects."""
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(
            key in actual and _includes(actual[key], item) for key, item in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_includes(a, e) for a, e in zip(actual, expected, strict=True))
        )
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected
    return actual == expected
'''
