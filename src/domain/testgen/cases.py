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
    """What the request authenticates with: nothing, the suite's credentials, or a forged one."""

    NONE = "none"
    VALID = "valid"
    INVALID = "invalid"


@frozen
class JsonBody:
    """A body sent as JSON (`value` may itself be null, hence the wrapper)."""

    value: JsonValue


@frozen
class RawBody:
    """A body sent as text exactly as written (malformed JSON, for instance)."""

    text: str
    media_type: str = "application/json"


Params = tuple[tuple[str, str], ...]


@frozen
class Request:
    """What a case sends. Parameter values are text (they travel in URLs and headers); a value
    written `{name}` refers to something an earlier step captured."""

    path_params: Params = ()
    query: Params = ()
    headers: Params = ()
    body: JsonBody | RawBody | None = None
    credentials: Credentials = Credentials.VALID


_STATUS = re.compile(r"^(?:[1-5][0-9][0-9]|[1-5]XX)$")


def _check_status(_: object, __: object, value: str) -> None:
    if not _STATUS.match(value):
        raise ValidationFailed(
            (Problem("status", f"{value!r} is not a status or a class like 4XX"),)
        )


def _check_budget(_: object, __: object, value: int | None) -> None:
    if value is not None and value <= 0:
        raise ValidationFailed((Problem("time_budget_ms", "must be positive"),))


@frozen
class Expectation:
    """What must come back: a status ("201") or class ("4XX"), optionally a body valid against
    the schema at `response_schema` (a JSON pointer), optionally within a time budget."""

    status: str = field(validator=_check_status)
    response_schema: str | None = None
    time_budget_ms: int | None = field(default=None, validator=_check_budget)

    def admits(self, status_code: int) -> bool:
        if self.status.endswith("XX"):
            return status_code // 100 == int(self.status[0])
        return status_code == int(self.status)


@frozen
class Capture:
    """A value a step keeps for later steps: `name` taken from `source`, a runtime expression
    such as `$response.body#/id` or `$response.header.Location`."""

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

    @property
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


def _order(case: TestCase) -> tuple[str, str, str, str, str]:
    return (group_of(case), function_name(case), case.path, case.method, case.id)


@frozen
class Suite:
    """Cases of one spec, in rendering order, with the function name of each (by case id)."""

    spec_hash: str
    cases: tuple[TestCase, ...]
    names: tuple[tuple[str, str], ...]

    def name_of(self, case: TestCase) -> str:
        return dict(self.names)[case.id]

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
    ordered = tuple(sorted(cases, key=_order))
    readable = Counter(function_name(case) for case in ordered)
    names = tuple(
        (
            case.id,
            function_name(case)
            if readable[function_name(case)] == 1
            else f"{function_name(case)}_{case.id[:8]}",
        )
        for case in ordered
    )
    return Suite(spec_hash=spec_hash, cases=ordered, names=names)
