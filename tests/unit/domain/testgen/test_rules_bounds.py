from __future__ import annotations

from domain.testgen.cases import BoundaryKeyword, JsonBody, Rule, TestCase
from domain.testgen.openapi import read_spec
from domain.testgen.rules.bounds import probes, string_of_length
from domain.testgen.schemas import Bound, Schema
from tests.unit.domain.testgen.generation import cases_of, suite_for
from tests.unit.domain.testgen.shop_spec import shop_31
from tests.unit.domain.testgen.specs import petstore_30

K = BoundaryKeyword


def bounds_of(cases: list[TestCase], keyword: BoundaryKeyword, label: str) -> dict[str, object]:
    """Side -> (value sent, status expected) for one keyword of one field."""
    found: dict[str, object] = {}
    for case in cases:
        if case.keyword is keyword and case.variant.startswith(label + " "):
            side = case.variant.rsplit(" ", 1)[1]
            body = case.request.body
            params = dict(case.request.query + case.request.path_params)
            on_body = isinstance(body, JsonBody) and isinstance(body.value, dict)
            sent = body.value.get(label) if on_body else params.get(label.rsplit(" ", 1)[-1])  # type: ignore[union-attr]
            found[side] = (sent, case.expectation.status)
    return found


def test_inside_expects_the_documented_2xx_and_outside_4xx_on_each_side() -> None:
    cases = cases_of(suite_for(petstore_30()), Rule.BOUNDARY, "createPet")
    assert bounds_of(cases, K.MIN_LENGTH, "name") == {
        "inside": ("e", "201"),
        "outside": ("", "4XX"),
    }
    high = bounds_of(cases, K.MAX_LENGTH, "name")
    assert high["inside"] == ("example" + "x" * 33, "201")
    assert high["outside"] == ("example" + "x" * 34, "4XX")
    assert bounds_of(cases, K.ENUM, "tag") == {
        "inside": ("dog", "201"),
        "outside": ("not-a-member", "4XX"),
    }
    items = bounds_of(cases, K.MAX_ITEMS, "children")
    assert [len(v[0]) for v in items.values()] == [5, 6]  # type: ignore[index]


def test_exclusive_bounds_are_probed_on_the_bound_itself() -> None:
    suite = suite_for(shop_31())
    line = cases_of(suite, Rule.BOUNDARY, "addLine")
    assert bounds_of(line, K.EXCLUSIVE_MINIMUM, "quantity") == {
        "inside": (1, "201"),
        "outside": (0, "4XX"),
    }
    assert bounds_of(line, K.MAXIMUM, "quantity") == {
        "inside": (99, "201"),
        "outside": (100, "4XX"),
    }
    petstore = cases_of(suite_for(petstore_30()), Rule.BOUNDARY, "listPets")
    assert bounds_of(petstore, K.EXCLUSIVE_MAXIMUM, "query limit") == {
        "inside": ("99", "200"),
        "outside": ("100", "4XX"),
    }


def test_patterns_formats_and_plain_path_values_are_probed() -> None:
    suite = suite_for(shop_31())
    line = cases_of(suite, Rule.BOUNDARY, "addLine")
    assert bounds_of(line, K.PATTERN, "sku") == {
        "inside": ("AAA-0000", "201"),
        "outside": ("!", "4XX"),
    }
    order = cases_of(suite, Rule.BOUNDARY, "createOrder")
    assert bounds_of(order, K.FORMAT, "placed")["outside"] == ("2024-02-30", "4XX")
    assert bounds_of(order, K.FORMAT, "customer")["outside"] == ("not-an-email", "4XX")
    year = cases_of(suite, Rule.BOUNDARY, "get_reports_year")
    assert bounds_of(year, K.MINIMUM, "path year") == {
        "inside": ("2000", "200"),
        "outside": ("1999", "4XX"),
    }


def test_an_id_captured_from_a_create_is_never_probed() -> None:
    cases = cases_of(suite_for(petstore_30()), Rule.BOUNDARY, "getPet")
    assert [c.variant for c in cases] == []


def test_a_boundary_cites_the_keyword_that_sets_it() -> None:
    cases = cases_of(suite_for(petstore_30()), Rule.BOUNDARY, "createPet")
    locations = {c.location for c in cases if c.keyword is K.MAX_LENGTH}
    assert locations == {"#/components/schemas/NewPet/properties/name/maxLength"}


def test_number_bounds_step_inside_a_narrow_range() -> None:
    schema = Schema("#", types=("number",), minimum=Bound(0, exclusive=True), maximum=Bound(0.5))
    spec = read_spec(petstore_30())
    assert probes(spec, schema) == [
        (K.EXCLUSIVE_MINIMUM, 0.25, 0),
        (K.MAXIMUM, 0.5, 0.75),
    ]


def test_strings_of_an_exact_length_keep_their_format_or_pattern() -> None:
    email = string_of_length(Schema("#", format="email"), 100)
    assert email is not None
    assert len(email) == 100
    local, domain = email.split("@")
    assert len(local) <= 64
    assert all(len(label) <= 63 for label in domain.split("."))
    assert string_of_length(Schema("#", pattern="^[A-Z]{2}$"), 3) is None
    assert string_of_length(Schema("#"), 3) == "exa"


def test_a_header_probe_is_only_a_value_a_client_can_send() -> None:
    document = petstore_30()
    create = document["paths"]["/pets"]["post"]
    create["parameters"] = [
        {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string",
         "minLength": 1, "maxLength": 8, "pattern": r"^\S+$"}},
    ]  # fmt: skip
    cases = cases_of(suite_for(document), Rule.BOUNDARY, "createPet")
    sent = [
        value for case in cases for name, value in case.request.headers if name == "Idempotency-Key"
    ]
    assert sent, "the header's bounds are probed"
    assert all(v and v == v.strip() and all(" " <= c <= "~" for c in v) for v in sent), sent
