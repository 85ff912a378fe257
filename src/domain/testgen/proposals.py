"""Test cases a language model proposes for an operation, checked against the spec.

A model fills a small, strict shape (`ProposalAnswer`): a title, the parameters it sends (name,
location, value as text), the body as JSON text, which credentials, and the status it expects.
Nothing it says is trusted: a proposal whose body does not parse, or that names a parameter, a
body field or a status the operation does not document, is dropped with the reason, so a
reviewer sees what was refused and why. Accepted proposals are kept in the spec itself, in the
operation's `x-creditdesk-proposals` extension (OpenAPI's place for such additions), and the
rule `proposed_cases` turns them into cases like any other rule: the suite is still generated
from the stored spec alone, byte for byte the same every time.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Mapping

from attrs import frozen

from domain.pii import JsonValue
from domain.testgen.cases import Credentials, Expectation, JsonBody, Request, Rule, TestCase
from domain.testgen.openapi import PROPOSALS_EXTENSION, ApiSpec, Operation
from domain.testgen.rules.build import case
from domain.testgen.rules.operations import body_schema, path_parameters
from domain.testgen.schemas import child
from domain.testgen.shapes import shape

MAX_TITLE = 200
_STATUS = re.compile(r"^[1-5][0-9][0-9]$")
_LOCATIONS = ("path", "query", "header")


@frozen
class ProposedParameter:
    name: str
    location: str  # "path", "query" or "header"
    value: str


@frozen
class ProposedCase:
    """One proposal as a model writes it; `body_json` is "" for no body."""

    title: str
    expected_status: str
    parameters: tuple[ProposedParameter, ...] = ()
    body_json: str = ""
    credentials: str = "valid"


@frozen
class ProposalAnswer:
    """The structure a model fills."""

    cases: tuple[ProposedCase, ...] = ()


@frozen
class DroppedProposal:
    title: str
    reason: str


@frozen
class ProposalReview:
    """The proposals kept (with the cases they become) and those dropped with reasons."""

    accepted: tuple[ProposedCase, ...]
    cases: tuple[TestCase, ...]
    dropped: tuple[DroppedProposal, ...]


def _documented(op: Operation, status: str) -> bool:
    """The exact status or its class (`4XX`) is in the operation's responses."""
    statuses = {response.status.upper() for response in op.responses}
    return status in statuses or f"{status[0]}XX" in statuses


def _body_problem(spec: ApiSpec, op: Operation, body_json: str) -> str:
    try:
        body = json.loads(body_json)
    except ValueError:
        return "its body is not JSON"
    if op.request_body is None:
        return "it sends a body, and the operation takes none"
    media = body_schema(op)
    if media is None or not isinstance(body, dict):
        return ""
    known = {name for name, _ in shape(spec, media[1]).properties}
    unknown = sorted(set(body) - known)
    if known and unknown:
        return f"it names body field(s) the spec does not have: {', '.join(unknown)}"
    return ""


def _parameter_problem(op: Operation, parameters: tuple[ProposedParameter, ...]) -> str:
    declared = {(p.name, p.location) for p in op.parameters}
    seen: set[tuple[str, str]] = set()
    for parameter in parameters:
        key = (parameter.name, parameter.location)
        if parameter.location not in _LOCATIONS:
            return f"parameter {parameter.name!r} has no usable location {parameter.location!r}"
        if key not in declared:
            return (
                f"it names the {parameter.location} parameter {parameter.name!r}, "
                "which the spec does not have"
            )
        if key in seen:
            return f"it gives the {parameter.location} parameter {parameter.name!r} twice"
        seen.add(key)
    missing = [p.name for p in path_parameters(op) if (p.name, "path") not in seen]
    if missing:
        return f"it leaves out the path parameter(s) {', '.join(missing)}"
    return ""


def proposal_problem(spec: ApiSpec, op: Operation, proposal: ProposedCase) -> str:
    """Why the proposal cannot be a case of `op` ("" when it can)."""
    title = proposal.title.strip()
    if not title or len(title) > MAX_TITLE or "\n" in title:
        return f"its title must be one line of 1 to {MAX_TITLE} characters"
    usable = {"valid", "none", "invalid"} | ({"limited"} if op.security else set())
    if proposal.credentials not in usable:
        return f"credentials {proposal.credentials!r} is not one of {', '.join(sorted(usable))}"
    if not _STATUS.match(proposal.expected_status):
        return f"{proposal.expected_status!r} is not an HTTP status"
    if not _documented(op, proposal.expected_status):
        return f"it expects status {proposal.expected_status}, which the spec does not document"
    problem = _parameter_problem(op, proposal.parameters)
    if problem:
        return problem
    return _body_problem(spec, op, proposal.body_json) if proposal.body_json.strip() else ""


def proposal_json(proposal: ProposedCase) -> dict[str, JsonValue]:
    """The proposal as it is kept in the spec extension."""
    return {
        "title": proposal.title.strip(),
        "expected_status": proposal.expected_status,
        "parameters": [
            {"name": p.name, "location": p.location, "value": p.value} for p in proposal.parameters
        ],
        "body_json": proposal.body_json,
        "credentials": proposal.credentials,
    }


def _canonical(proposal: ProposedCase) -> str:
    return json.dumps(proposal_json(proposal), sort_keys=True, separators=(",", ":"))


def proposal_of(text: str) -> ProposedCase | None:
    """A proposal kept in a spec, read back; None for anything not of its shape."""
    try:
        raw = json.loads(text)
        params = tuple(
            ProposedParameter(str(p["name"]), str(p["location"]), str(p["value"]))
            for p in raw.get("parameters", [])
        )
        return ProposedCase(
            title=str(raw["title"]),
            expected_status=str(raw["expected_status"]),
            parameters=params,
            body_json=str(raw.get("body_json", "")),
            credentials=str(raw.get("credentials", "valid")),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def proposal_case(spec: ApiSpec, op: Operation, proposal: ProposedCase, index: int) -> TestCase:
    """The case of an accepted proposal, justified by its place in the extension (`index`)."""
    values = {location: tuple(
        (p.name, p.value) for p in proposal.parameters if p.location == location
    ) for location in _LOCATIONS}  # fmt: skip
    body = JsonBody(json.loads(proposal.body_json)) if proposal.body_json.strip() else None
    digest = hashlib.sha256(_canonical(proposal).encode()).hexdigest()[:8]
    words = re.sub(r"[^a-z0-9]+", "_", proposal.title.lower()).strip("_")[:40].strip("_")
    return case(
        spec,
        op,
        Rule.LLM_PROPOSAL,
        location=child(child(op.location, PROPOSALS_EXTENSION), index),
        title=f"{proposal.title.strip()} (proposed)",
        request=Request(
            path_params=values["path"],
            query=values["query"],
            headers=values["header"],
            body=body,
            credentials=Credentials(proposal.credentials),
        ),
        expectation=Expectation(proposal.expected_status),
        variant=f"{words}_{digest}",
    )


def review_proposals(spec: ApiSpec, op: Operation, answer: ProposalAnswer) -> ProposalReview:
    """Check each proposal; a repeat of one already kept (in the spec or earlier in the answer)
    is dropped too, so asking again never doubles a test."""
    kept_texts = set(op.proposals)
    accepted: list[ProposedCase] = []
    cases: list[TestCase] = []
    dropped: list[DroppedProposal] = []
    for proposal in answer.cases:
        problem = proposal_problem(spec, op, proposal)
        if not problem and _canonical(proposal) in kept_texts:
            problem = "the same test is already proposed"
        if problem:
            dropped.append(DroppedProposal(proposal.title.strip()[:MAX_TITLE], problem))
            continue
        kept_texts.add(_canonical(proposal))
        cases.append(proposal_case(spec, op, proposal, len(op.proposals) + len(accepted)))
        accepted.append(proposal)
    return ProposalReview(tuple(accepted), tuple(cases), tuple(dropped))


def proposed_cases(spec: ApiSpec, op: Operation) -> tuple[TestCase, ...]:
    """The rule: the operation's kept proposals as cases (any no longer valid are left out)."""
    found = []
    for index, text in enumerate(op.proposals):
        proposal = proposal_of(text)
        if proposal is not None and not proposal_problem(spec, op, proposal):
            found.append(proposal_case(spec, op, proposal, index))
    return tuple(found)


def with_proposals(
    document: Mapping[str, object], op: Operation, accepted: tuple[ProposedCase, ...]
) -> dict[str, object]:
    """A copy of the spec document with `accepted` appended to the operation's extension."""
    copied: dict[str, object] = copy.deepcopy(dict(document))
    node: object = copied
    for token in op.location.removeprefix("#/").split("/"):
        name = token.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or name not in node:
            raise KeyError(op.location)
        node = node[name]
    if not isinstance(node, dict):
        raise KeyError(op.location)
    kept = node.get(PROPOSALS_EXTENSION)
    items = list(kept) if isinstance(kept, list) else []
    node[PROPOSALS_EXTENSION] = items + [proposal_json(p) for p in accepted]
    return copied


__all__ = [
    "DroppedProposal",
    "ProposalAnswer",
    "ProposalReview",
    "ProposedCase",
    "ProposedParameter",
    "proposal_case",
    "proposal_json",
    "proposal_of",
    "proposal_problem",
    "proposed_cases",
    "review_proposals",
    "with_proposals",
]
