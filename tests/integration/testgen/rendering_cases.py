"""Hand-written test cases over the sample petstore spec, one of every shape the renderer must
write: a plain request, a chain with captures and placeholders, raw and drawn bodies, every kind
of credential, and every expectation field. Independent of the generation rules on purpose: the
renderer's tests must not pass or fail with them.
"""

from __future__ import annotations

from domain.testgen.cases import (
    BoundaryKeyword,
    Capture,
    Credentials,
    Expectation,
    JsonBody,
    RawBody,
    Request,
    Rule,
    SchemaBody,
    Step,
    Suite,
    TestCase,
    suite_of,
)

NEW_PET = "#/paths/~1pets/post/requestBody"
DRAWN = SchemaBody("#/components/requestBodies/NewPet/content/application~1json/schema")


def create_step(name: str = "Rex") -> Step:
    return Step(
        title="Create a pet and keep its id",
        operation_id="createPet",
        method="post",
        path="/pets",
        request=Request(body=JsonBody({"name": name, "tag": "dog"})),
        expectation=Expectation("201"),
        captures=(Capture("pet_id", "$response.body#/id"),),
    )


def petstore_cases() -> tuple[TestCase, ...]:
    by_id = Request(path_params=(("petId", "{pet_id}"),))
    return (
        TestCase(
            rule=Rule.HAPPY_PATH,
            operation_id="listPets",
            method="get",
            path="/pets",
            location="#/paths/~1pets/get",
            request=Request(query=(("limit", "10"),)),
            expectation=Expectation("200", time_budget_ms=2000),
            title="List pets, ten at most",
            tag="pets",
        ),
        TestCase(
            rule=Rule.BOUNDARY,
            keyword=BoundaryKeyword.MAX_LENGTH,
            operation_id="createPet",
            method="post",
            path="/pets",
            location="#/components/schemas/NewPet/properties/name",
            request=Request(body=JsonBody({"name": "x" * 41})),
            expectation=Expectation("4XX"),
            title='A name one longer than maxLength (40) is refused: "x" * 41',
            variant="name above",
            tag="pets",
        ),
        TestCase(
            rule=Rule.MALFORMED_JSON,
            operation_id="createPet",
            method="post",
            path="/pets",
            location=NEW_PET,
            request=Request(body=RawBody('{"name": "Rex"')),
            expectation=Expectation("400", also=("422",), validate_body=False),
            title="A body that is not JSON is refused",
            tag="pets",
        ),
        TestCase(
            rule=Rule.MISSING_CREDENTIALS,
            operation_id="createPet",
            method="post",
            path="/pets",
            location="#/security",
            request=Request(body=JsonBody({"name": "Rex"}), credentials=Credentials.NONE),
            expectation=Expectation("401"),
            title="Creating a pet without credentials is refused",
            tag="pets",
        ),
        TestCase(
            rule=Rule.INVALID_CREDENTIALS,
            operation_id="createPet",
            method="post",
            path="/pets",
            location="#/security",
            request=Request(body=JsonBody({"name": "Rex"}), credentials=Credentials.INVALID),
            expectation=Expectation("401"),
            title="Creating a pet with a forged credential is refused",
            tag="pets",
        ),
        TestCase(
            rule=Rule.FORBIDDEN,
            operation_id="deletePet",
            method="delete",
            path="/pets/{petId}",
            location="#/paths/~1pets~1{petId}/delete/responses/403",
            request=Request(path_params=(("petId", "{pet_id}"),), credentials=Credentials.LIMITED),
            expectation=Expectation("403"),
            title="Deleting a pet without the permission to is forbidden",
            tag="pets",
            steps=(create_step(),),
        ),
        TestCase(
            rule=Rule.CRUD_CHAIN,
            operation_id="createPet",
            method="get",
            path="/pets/{petId}",
            location="#/paths/~1pets/post/responses/201/links/GetPet",
            request=by_id,
            expectation=Expectation("404"),
            title="Create, read, update, read back, delete: then the pet is gone",
            tag="pets",
            steps=(
                create_step(),
                Step(
                    "Read it",
                    "getPet",
                    "get",
                    "/pets/{petId}",
                    by_id,
                    Expectation("200", body_includes=JsonBody({"id": "{pet_id}", "name": "Rex"})),
                ),
                Step(
                    "Rename it",
                    "updatePet",
                    "put",
                    "/pets/{petId}",
                    Request(
                        path_params=(("petId", "{pet_id}"),),
                        headers=(("X-Trace", "trace-0001"),),
                        body=JsonBody({"name": "Max"}),
                    ),
                    Expectation("200"),
                ),
                Step(
                    "Read back the new name",
                    "getPet",
                    "get",
                    "/pets/{petId}",
                    by_id,
                    Expectation("200", body_includes=JsonBody({"name": "Max"})),
                ),
                Step(
                    "Delete it", "deletePet", "delete", "/pets/{petId}", by_id, Expectation("204")
                ),
            ),
        ),
        TestCase(
            rule=Rule.UNKNOWN_ID,
            operation_id="getPet",
            method="get",
            path="/pets/{petId}",
            location="#/paths/~1pets~1{petId}/get/responses/404",
            request=Request(path_params=(("petId", "987654321"),)),
            expectation=Expectation("404"),
            title="Reading a pet that does not exist answers 404",
            tag="pets",
        ),
        TestCase(
            rule=Rule.PROPERTY,
            operation_id="createPet",
            method="post",
            path="/pets",
            location=NEW_PET,
            request=Request(body=DRAWN),
            expectation=Expectation("2XX", also=("4XX",)),
            title="Any body drawn from the NewPet schema is created or refused, never a 5XX",
            tag="pets",
        ),
    )


def petstore_suite() -> Suite:
    return suite_of("petstore-sample", petstore_cases())
