"""Test proposals from a model: checked against the spec, dropped with reasons, kept in the spec."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from domain.testgen.cases import Credentials, JsonBody, Rule
from domain.testgen.generate import generate
from domain.testgen.openapi import PROPOSALS_EXTENSION, ApiSpec, Operation, read_spec
from domain.testgen.proposals import (
    ProposalAnswer,
    ProposedCase,
    ProposedParameter,
    proposal_problem,
    proposed_cases,
    review_proposals,
    with_proposals,
)
from tests.unit.domain.testgen.specs import petstore_30

SPEC = read_spec(petstore_30())


def _op(spec: ApiSpec, operation_id: str) -> Operation:
    found = spec.operation(operation_id)
    assert found is not None
    return found


CREATE = _op(SPEC, "createPet")
GET = _op(SPEC, "getPet")
GOOD_CREATE = ProposedCase(
    title="A pet with two children is created",
    expected_status="201",
    body_json=json.dumps({"name": "Rex", "children": [{"name": "a"}, {"name": "b"}]}),
)
GOOD_GET = ProposedCase(
    title="A negative id is not found",
    expected_status="404",
    parameters=(ProposedParameter("petId", "path", "-1"),),
    credentials="none",
)


def test_a_proposal_that_fits_the_spec_becomes_a_case_of_its_own_rule() -> None:
    review = review_proposals(SPEC, CREATE, ProposalAnswer((GOOD_CREATE,)))

    assert review.accepted == (GOOD_CREATE,)
    assert review.dropped == ()
    (case,) = review.cases
    assert case.rule is Rule.LLM_PROPOSAL
    assert (case.method, case.path, case.operation_id) == ("POST", "/pets", "createPet")
    assert case.request.body == JsonBody(json.loads(GOOD_CREATE.body_json))
    assert case.expectation.status == "201"
    assert case.location == "#/paths/~1pets/post/x-creditdesk-proposals/0"
    assert case.title.endswith("(proposed)")


def test_path_parameters_and_credentials_are_carried_into_the_request() -> None:
    (case,) = review_proposals(SPEC, GET, ProposalAnswer((GOOD_GET,))).cases

    assert case.request.path_params == (("petId", "-1"),)
    assert case.request.credentials is Credentials.NONE


def _reason(op: Operation, **changes: object) -> str:
    base = GOOD_GET if op is GET else GOOD_CREATE
    fields: dict[str, object] = {
        "title": base.title,
        "expected_status": base.expected_status,
        "parameters": base.parameters,
        "body_json": base.body_json,
        "credentials": base.credentials,
    }
    fields.update(changes)
    return proposal_problem(SPEC, op, ProposedCase(**fields))  # type: ignore[arg-type]


def test_each_kind_of_wrong_proposal_is_dropped_with_its_reason() -> None:
    assert "not JSON" in _reason(CREATE, body_json='{"name": ')
    assert "body field(s) the spec does not have: colour" in _reason(
        CREATE, body_json='{"name": "Rex", "colour": "red"}'
    )
    assert "does not document" in _reason(CREATE, expected_status="500")
    assert "is not an HTTP status" in _reason(CREATE, expected_status="2XX")
    assert "query parameter 'sort'" in _reason(
        GET, parameters=(*GOOD_GET.parameters, ProposedParameter("sort", "query", "name"))
    )
    assert "leaves out the path parameter(s) petId" in _reason(GET, parameters=())
    assert "twice" in _reason(GET, parameters=GOOD_GET.parameters * 2)
    assert "no usable location" in _reason(
        GET, parameters=(ProposedParameter("petId", "body", "1"),)
    )
    assert "operation takes none" in _reason(GET, body_json='{"name": "Rex"}')
    assert "credentials 'root'" in _reason(GET, credentials="root")
    assert "title" in _reason(GET, title="  ")
    assert _reason(CREATE, expected_status="422") == ""  # a 4XX class is documented


def test_a_review_keeps_the_good_and_names_every_dropped_one() -> None:
    bad = ProposedCase("Teapot", "500")
    answer = ProposalAnswer((GOOD_CREATE, bad, GOOD_CREATE))

    review = review_proposals(SPEC, CREATE, answer)

    assert review.accepted == (GOOD_CREATE,)
    assert [(d.title, d.reason.split(",")[0]) for d in review.dropped] == [
        ("Teapot", "it expects status 500"),
        (GOOD_CREATE.title, "the same test is already proposed"),
    ]


def test_kept_proposals_live_in_the_spec_and_generation_makes_the_same_cases() -> None:
    document = petstore_30()
    review = review_proposals(SPEC, CREATE, ProposalAnswer((GOOD_CREATE,)))

    updated = with_proposals(document, CREATE, review.accepted)

    assert PROPOSALS_EXTENSION not in document["paths"]["/pets"]["post"]  # a copy was changed
    spec = read_spec(updated)
    assert proposed_cases(spec, _op(spec, "createPet")) == review.cases
    suite = generate(spec, "hash")
    assert [c.id for c in suite.cases if c.rule is Rule.LLM_PROPOSAL] == [review.cases[0].id]
    again = review_proposals(spec, _op(spec, "createPet"), ProposalAnswer((GOOD_CREATE,)))
    assert again.accepted == ()  # already in the spec


def test_a_proposal_edited_into_something_invalid_is_left_out_of_the_suite() -> None:
    document = petstore_30()
    document["paths"]["/pets"]["post"][PROPOSALS_EXTENSION] = [
        {"title": "Teapot", "expected_status": "500"},
        {"nonsense": True},
        "text",
    ]

    spec = read_spec(document)

    assert proposed_cases(spec, _op(spec, "createPet")) == ()


statuses = st.sampled_from(["200", "201", "204", "404", "418", "500", "503", "2XX", "abc"])
names = st.sampled_from(["name", "tag", "children", "colour", "id"])


@given(
    statuses,
    st.dictionaries(names, st.just("x"), max_size=3),
    st.sampled_from(["valid", "none", "invalid", "limited", "root"]),
)
def test_only_documented_statuses_and_known_fields_are_ever_accepted(
    status: str, body: dict[str, str], credentials: str
) -> None:
    proposal = ProposedCase("t", status, body_json=json.dumps(body), credentials=credentials)

    review = review_proposals(SPEC, CREATE, ProposalAnswer((proposal,)))

    accepted = bool(review.accepted)
    assert accepted != bool(review.dropped)
    if accepted:
        assert status == "201" or status.startswith("4")  # 201 and 4XX are documented
        assert set(body) <= {"name", "tag", "children", "id"}
        assert credentials in {"valid", "none", "invalid", "limited"}
