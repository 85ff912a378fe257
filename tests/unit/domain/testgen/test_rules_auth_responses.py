from __future__ import annotations

from domain.testgen.cases import Credentials, Rule
from domain.testgen.rules.responses import RESPONSE_TIME_BUDGET_MS
from tests.unit.domain.testgen.generation import cases_of, one, suite_for
from tests.unit.domain.testgen.shop_spec import shop_31
from tests.unit.domain.testgen.specs import petstore_30


def test_secured_operations_refuse_missing_and_forged_credentials_with_401() -> None:
    suite = suite_for(petstore_30())
    missing = one(suite, Rule.MISSING_CREDENTIALS, "createPet")
    assert missing.request.credentials is Credentials.NONE
    assert missing.expectation.status == "401"
    assert missing.location == "#/security"  # the document's requirement applies
    forged = one(suite, Rule.INVALID_CREDENTIALS, "getPet")
    assert forged.request.credentials is Credentials.INVALID
    assert forged.location == "#/paths/~1pets~1{petId}/get/security"  # its own requirement
    assert forged.steps[0].request.credentials is Credentials.VALID  # the pet exists


def test_public_operations_get_no_credential_cases() -> None:
    suite = suite_for(petstore_30())
    assert cases_of(suite, Rule.MISSING_CREDENTIALS, "listPets") == []
    assert cases_of(suite_for(shop_31()), Rule.INVALID_CREDENTIALS, "get_reports_year") == []


def test_a_limited_credential_is_403_only_where_403_is_documented() -> None:
    suite = suite_for(petstore_30())
    case = one(suite, Rule.FORBIDDEN, "deletePet")
    assert case.request.credentials is Credentials.LIMITED
    assert case.expectation.status == "403"
    assert case.location == "#/paths/~1pets~1{petId}/delete/responses/403"
    assert [c.operation_id for c in cases_of(suite, Rule.FORBIDDEN)] == ["deletePet"]


def test_the_success_body_is_checked_against_its_documented_schema() -> None:
    suite = suite_for(petstore_30())
    case = one(suite, Rule.RESPONSE_SCHEMA, "getPet")
    assert case.expectation.status == "200"
    assert case.expectation.response_schema == "#/components/schemas/Pet"
    assert case.location == "#/paths/~1pets~1{petId}/get/responses/200"
    listed = one(suite, Rule.RESPONSE_SCHEMA, "listPets")
    assert listed.expectation.response_schema == (
        "#/paths/~1pets/get/responses/200/content/application~1json/schema"
    )
    assert cases_of(suite, Rule.RESPONSE_SCHEMA, "deletePet") == []  # no body documented


def test_every_operation_with_a_valid_request_has_a_time_budget() -> None:
    suite = suite_for(petstore_30())
    timed = cases_of(suite, Rule.RESPONSE_TIME)
    assert sorted(c.operation_id for c in timed) == [
        "createPet", "deletePet", "getPet", "listPets", "updatePet",
    ]  # fmt: skip
    assert {c.expectation.time_budget_ms for c in timed} == {RESPONSE_TIME_BUDGET_MS}


def test_ending_the_session_is_tested_only_without_a_working_credential() -> None:
    document = petstore_30()
    document["paths"]["/auth/logout"] = {
        "post": {
            "operationId": "logout",
            "responses": {"204": {"description": "ended"}, "403": {"description": "no"}},
        }
    }
    suite = suite_for(document)
    rules = sorted(c.rule.value for c in suite.cases if c.operation_id == "logout")
    assert rules == ["invalid_credentials", "missing_credentials"]
