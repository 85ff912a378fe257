"""The test cases generation rules propose, and the suite that groups them for review and rendering.

A case is a plain value: which rule proposed it, for which operation, the spec location that
justifies it (so a reviewer sees why it exists), the request to send and what to expect back.
Ids are digests of rule, operation and variant, so the same spec yields the same ids and a new
spec version can be compared case by case. Suites sort their cases by a total key, so the files
rendered from them are byte-identical whatever order the rules ran in.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from enum import StrEnum
from functools import cached_property

from attrs import field, frozen

from domain.errors import Problem, ValidationFailed
from domain.pii import JsonValue


class Rule(StrEnum):
    """Every generation rule; the value names the rule in ids, function names and reports."""

    HAPPY_PATH = "happy_path"
    CRUD_CHAIN = "crud_chain"
    REQUIRED_FIELD_MISSING = "required_field_missing"
    WRONG_TYPE = "wrong_type"
    BOUNDARY = "boundary"
    MALFORMED_JSON = "malformed_json"
    MISSING_CREDENTIALS = "missing_credentials"
    INVALID_CREDENTIALS = "invalid_credentials"
    FORBIDDEN = "forbidden"
    UNKNOWN_ID = "unknown_id"
    RESPONSE_SCHEMA = "response_schema"
    RESPONSE_TIME = "response_time"
    PROPERTY = "property"  # a Hypothesis property test over request bodies drawn from the schema
    LLM_PROPOSAL = "llm_proposal"  # proposed by a language model, checked against the spec


class BoundaryKeyword(StrEnum):
    """The JSON Schema keyword a boundary case probes (spelled as in the spec)."""

    MINIMUM = "minimum"
    MAXIMUM = "maximum"
    EXCLUSIVE_MINIMUM = "exclusiveMinimum"
    EXCLUSIVE_MAXIMUM = "exclusiveMaximum"
    MIN_LENGTH = "minLength"
    MAX_LENGTH = "maxLength"
    MIN_ITEMS = "minItems"
    MAX_ITEMS = "maxItems"
    ENUM = "enum"
    PATTERN = "pattern"
    FORMAT = "format"


class Credentials(StrEnum):
    """What the request authenticates with: nothing, the suite's credentials, a forged one, or a
    genuine credential that lacks the permission the operation needs (for 403 cases)."""

    NONE = "none"
    VALID = "valid"
    INVALID = "invalid"
    LIMITED = "limited"


@frozen
class JsonBody:
    """A body sent as JSON (`value` may itself be null, hence the wrapper)."""

    value: JsonValue


@frozen
class RawBody:
    """A body sent as text exactly as written (malformed JSON, for instance)."""

    text: str
    media_type: str = "application/json"


@frozen
class SchemaBody:
    """A body drawn by Hypothesis from the schema at `pointer`, a JSON pointer into the raw spec
    document (e.g. `#/paths/~1pets/post/requestBody/content/application~1json/schema`). The
    renderer resolves it in the document, `$ref`s included: the domain names the schema rather
    than copying it, so the property test checks what the spec says, not a summary of it."""

    pointer: str
    media_type: str = "application/json"


Params = tuple[tuple[str, str], ...]


@frozen
class Request:
    """What a case sends. Parameter values are text (they travel in URLs and headers).

    Placeholders: a value that is exactly `{name}` in `path_params`, `query` or `headers`, or a
    string leaf of a `JsonBody` that is exactly `{name}`, is replaced by the capture `name` of an
    earlier step, keeping the captured JSON type (an integer id stays an integer in a body). The
    path itself keeps the spec's template (`/pets/{petId}`) and is filled from `path_params`.
    """

    path_params: Params = ()
    query: Params = ()
    headers: Params = ()
    body: JsonBody | RawBody | SchemaBody | None = None
    credentials: Credentials = Credentials.VALID


_STATUS = re.compile(r"^(?:[1-5][0-9][0-9]|[1-5]XX)$")


def _check_status(_: object, __: object, value: str) -> None:
    if not _STATUS.match(value):
        raise ValidationFailed(
            (Problem("status", f"{value!r} is not a status or a class like 4XX"),)
        )


def _check_statuses(_: object, __: object, value: tuple[str, ...]) -> None:
    for status in value:
        _check_status(_, __, status)


def _check_budget(_: object, __: object, value: int | None) -> None:
    if value is not None and value <= 0:
        raise ValidationFailed((Problem("time_budget_ms", "must be positive"),))


@frozen
class Expectation:
    """What must come back.

    - `status`: a status ("201") or class ("4XX"); `also`: further statuses or classes accepted
      (a property test admits "2XX" and "4XX", never a 5XX).
    - `response_schema`: an explicit JSON pointer the body must be valid against.
    - `validate_body`: the body must match the schema the spec documents for the status actually
      received (the exact status, else its class like `4XX`, else `default`), when one is
      documented with a JSON media type.
    - `body_includes`: members the response JSON must contain with equal values (a recursive
      subset for objects): reading back after an update catches a lost update.
    - `time_budget_ms`: the response must arrive within this many milliseconds.
    """

    status: str = field(validator=_check_status)
    response_schema: str | None = None
    time_budget_ms: int | None = field(default=None, validator=_check_budget)
    also: tuple[str, ...] = field(default=(), validator=_check_statuses)
    body_includes: JsonBody | None = None
    validate_body: bool = True

    def admits(self, status_code: int) -> bool:
        return any(_admits(status, status_code) for status in (self.status, *self.also))


def _admits(status: str, status_code: int) -> bool:
    if status.endswith("XX"):
        return status_code // 100 == int(status[0])
    return status_code == int(status)


@frozen
class Capture:
    """A value a step keeps for later steps: `name` taken from `source`, one of

    - `$response.body#/json/pointer`: a member of the response JSON (its JSON type kept);
    - `$response.header.<Name>`: a response header's text;
    - `$response.header.Location#last-segment`: the last path segment of the Location header
      (the new resource's id when the body does not carry it).
    """

    name: str
    source: str


@frozen
class Step:
    """One request of a chain; `uses` names captures of earlier steps its request refers to."""

    title: str
    operation_id: str
    method: str
    path: str
    request: Request
    expectation: Expectation
    captures: tuple[Capture, ...] = ()
    uses: tuple[str, ...] = ()


def _check_location(_: object, __: object, value: str) -> None:
    if not (value.startswith("#/") or value.startswith("/")):
        raise ValidationFailed((Problem("location", f"{value!r} is not a JSON pointer"),))


@frozen
class TestCase:
    """One proposed test. `variant` tells apart cases of one rule on one operation (the field a
    boundary probes, the status a response check covers); `keyword` is set for boundary cases
    only. `location` points at the part of the spec that justifies the case."""

    __test__ = False  # not a pytest test class, despite the name

    rule: Rule
    operation_id: str
    method: str
    path: str
    location: str = field(validator=_check_location)
    request: Request
    expectation: Expectation
    title: str
    variant: str = ""
    keyword: BoundaryKeyword | None = None
    tag: str | None = None
    steps: tuple[Step, ...] = ()

    def __attrs_post_init__(self) -> None:
        if (self.rule is Rule.BOUNDARY) != (self.keyword is not None):
            raise ValidationFailed((Problem("keyword", "set exactly for boundary cases"),))
        problems = chain_problems(self.steps)
        if problems:
            raise ValidationFailed(problems)

    @cached_property
    def id(self) -> str:
        """A digest of what the case is, stable across runs and spec versions."""
        material = "\x1f".join(
            (self.rule.value, self.keyword or "", self.operation_id, self.variant)
        )
        return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


def chain_problems(steps: tuple[Step, ...]) -> tuple[Problem, ...]:
    """A step may use only what an earlier step captured."""
    captured: set[str] = set()
    found: list[Problem] = []
    for index, step in enumerate(steps):
        found.extend(
            Problem(f"steps[{index}].uses", f"{name!r} is not captured by an earlier step")
            for name in step.uses
            if name not in captured
        )
        captured.update(capture.name for capture in step.captures)
    return tuple(found)


def _snake(text: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")


def function_name(case: TestCase) -> str:
    """The readable test function name: rule, boundary keyword, operation and variant, e.g.
    `test_boundary_maxlength_create_pet_name`. Two cases may share it; `suite_of` tells
    them apart."""
    parts = [case.rule.value, (case.keyword or "").lower(), _snake(case.operation_id)]
    parts.append(_snake(case.variant))
    return "_".join(part for part in ("test", *parts) if part)


def group_of(case: TestCase) -> str:
    """The module a case is rendered into: its tag, else the first literal path segment."""
    if case.tag:
        return _snake(case.tag) or "default"
    segments = [s for s in case.path.split("/") if s and not s.startswith("{")]
    return _snake(segments[0]) if segments and _snake(segments[0]) else "root"


def _order(case: TestCase, name: str) -> tuple[str, str, str, str, str]:
    return (group_of(case), name, case.path, case.method, case.id)


@frozen
class Suite:
    """Cases of one spec, in rendering order, with the function name of each (by case id)."""

    spec_hash: str
    cases: tuple[TestCase, ...]
    names: tuple[tuple[str, str], ...]

    @cached_property
    def _name_by_id(self) -> dict[str, str]:
        return dict(self.names)

    def name_of(self, case: TestCase) -> str:
        return self._name_by_id[case.id]

    def groups(self) -> tuple[tuple[str, tuple[TestCase, ...]], ...]:
        grouped: dict[str, list[TestCase]] = {}
        for case in self.cases:
            grouped.setdefault(group_of(case), []).append(case)
        return tuple((group, tuple(cases)) for group, cases in grouped.items())


def suite_of(spec_hash: str, cases: tuple[TestCase, ...] | list[TestCase]) -> Suite:
    """Sort the cases by a total key and name their functions; a readable name two cases share
    gets a suffix from each case's id. Refuses two cases with the same id."""
    if not spec_hash:
        raise ValidationFailed((Problem("spec_hash", "must not be empty"),))
    counts = Counter(case.id for case in cases)
    duplicates = sorted(case_id for case_id, count in counts.items() if count > 1)
    if duplicates:
        raise ValidationFailed(
            tuple(Problem("cases", f"duplicate case id {case_id}") for case_id in duplicates)
        )
    readable = {case.id: function_name(case) for case in cases}
    ordered = tuple(sorted(cases, key=lambda c: _order(c, readable[c.id])))
    shared = Counter(readable.values())
    names = tuple(
        (
            case.id,
            readable[case.id]
            if shared[readable[case.id]] == 1
            else f"{readable[case.id]}_{case.id[:8]}",
        )
        for case in ordered
    )
    return Suite(spec_hash=spec_hash, cases=ordered, names=names)
