"""Schemathesis against the app, in process over ASGI, as a logged-in administrator: every
operation of the OpenAPI document, with data that fits its schema and data that does not.

Every check Schemathesis 4 has runs on every response, except one:
- `not_a_server_error`: no 5xx, whatever is sent.
- `status_code_conformance`, `content_type_conformance`, `response_headers_conformance`,
  `response_schema_conformance`: every answer (problem+json errors included) is one the
  document declares, in the declared media type, with the declared headers and shape (most
  success bodies are documented as plain JSON objects, so for them the shape is only that).
- `negative_data_rejection`: a request that breaks the schema is refused with a 4xx.
- `missing_required_header`, `unsupported_method`, `allow_header_conformance`,
  `use_after_free`, `ensure_resource_availability`, `ignored_auth`,
  `object_level_authorization`: on; most of them judge what the CLI's coverage and stateful
  phases send, and pass through the requests made here.
- `positive_data_acceptance` is EXCLUDED: it expects every schema-valid request to be
  accepted, but the domain's rules go beyond what JSON Schema can say (an applicant's age
  from a date of birth, every amount in the loan's currency, a decline threshold below the
  approve threshold, an email address that is one), and those rules answer 422 listing each
  broken one, which is the behaviour `test_problems` pins.

Each operation gets its own Hypothesis test, built from `APIOperation.as_strategy` once per
generation mode (positive: data that fits the schema; negative: data that breaks it), because
the schema comes from a fixture (the app needs a database) and Schemathesis's own fixture
loader (`schemathesis.pytest.from_fixture`) does not run under pytest 9. A failure is the
first one Hypothesis found on the operation, shrunk, with the curl line that repeats it; every
operation is tried and all failures are reported together. An operation with no parameter and
no body has no negative data to send, which Hypothesis reports as unsatisfiable: not a failure.

The Litestar docs routes (`/schema/...`, the page and the document itself) are left out: they
serve the documentation, not the API. Logging out is sent with a session of its own, so it
does not end the one every other request uses.

Settings keep the run short and the same every time: a few examples per operation and mode
(`EXAMPLES`), no deadline (the first request of an operation pays for imports and caches),
`derandomize` so a failure repeats on the next run, no example database, and the health checks
off (schemas like the application form are large by nature). Each example costs about four
requests (`ignored_auth` repeats the request without and with false credentials). The whole
run, both modes over some 50 operations, took 50 s on two cores. Data that breaks a schema may
be very large, so a body past the server's limit (413) counts as rejected (`CONFIG`).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from attrs import frozen
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from litestar.testing import TestClient
from schemathesis import Case, GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance
from schemathesis.specs.openapi.schemas import OpenApiSchema

from domain.identity import Role
from entrypoints.http.app import create_app
from entrypoints.http.settings import HttpSettings
from tests.integration.http.auth_support import auth_deps, bearer, login

EXAMPLES = 15
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
LOGOUT = "POST /api/v1/auth/logout"
#: A body past the server's size limit is refused with 413 before it is read, so Schemathesis
#: counts 413 as a rejection of data that breaks the schema, beside its usual 4xx statuses
#: (negative data can be very large: a list of forms past `maxItems`, each at its longest).
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "negative_data_rejection": {
                # Schemathesis 4's defaults, and 413.
                "expected-statuses": [
                    *("400", "401", "403", "404", "405", "406", "409", "413", "415", "422"),
                    *("428", "429", "5xx"),
                ]
            }
        }
    }
)


@frozen
class Api:
    schema: OpenApiSchema
    client: TestClient[Any]
    headers: dict[str, str]

    def headers_for(self, case: Case[Any]) -> dict[str, str]:
        """The administrator's session; a fresh one for logging out, which ends it."""
        if case.operation.label == LOGOUT:
            return bearer(login(self.client, Role.ADMIN))
        return self.headers


@pytest.fixture(scope="module")
def api(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    database = tmp_path_factory.mktemp("schemathesis") / "creditdesk.db"
    shutil.copyfile(sqlite_template, database)
    # Login is rate limited; logging out sends many logins, and generated logins many more.
    deps = auth_deps(database, HttpSettings(login_per_minute=100_000))
    app = create_app(deps)
    try:
        with TestClient(app) as client:
            loaded = schemathesis.openapi.from_asgi("/schema/openapi.json", app, config=CONFIG)
            schema = loaded.exclude(path_regex="^/schema")
            assert isinstance(schema, OpenApiSchema)
            yield Api(schema, client, bearer(login(client, Role.ADMIN)))
    finally:
        deps.close()


def check_operation(api: Api, label: str, mode: GenerationMode) -> str | None:
    """The failure Schemathesis found on one operation (the first, shrunk), or None."""
    operation = api.schema.find_operation_by_label(label)
    assert operation is not None

    @given(case=operation.as_strategy(generation_mode=mode))
    @SETTINGS
    def run(case: Case[Any]) -> None:
        case.call_and_validate(
            headers=api.headers_for(case), excluded_checks=[positive_data_acceptance]
        )

    try:
        run()
    except Unsatisfiable:  # nothing to send that breaks the schema (no parameter, no body)
        return None
    except (AssertionError, BaseExceptionGroup) as failure:
        return f"{label} ({mode.value}): {failure}"
    return None


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_its_schema_says(api: Api, mode: GenerationMode) -> None:
    results = list(api.schema.get_all_operations())
    labels = [result.ok().label for result in results if isinstance(result, Ok)]
    assert len(labels) == len(results), "every operation of the document can be read"
    assert len(labels) > 40, labels  # the document lists the API, not an empty shell
    failures = [found for label in labels if (found := check_operation(api, label, mode))]
    assert not failures, "\n\n".join(failures)
