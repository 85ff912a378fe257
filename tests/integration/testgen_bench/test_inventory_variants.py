"""The fault benchmark's demo API keeps its promises: the correct variant answers as its spec
documents, and every faulty variant answers some request differently from the correct one, so
the benchmark cannot lose a fault unnoticed (a variant that behaves correctly would count as a
fault nobody detects)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import jsonschema
import pytest
from benchmarks.testgen.faults import CORRECT, FAULTS
from benchmarks.testgen.serving import serving
from benchmarks.testgen.spec import ADMIN_TOKEN, READER_TOKEN, SPEC

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
READER = {"Authorization": f"Bearer {READER_TOKEN}"}
BOLT = {
    "name": "Bolt",
    "sku": "ABC-1234",
    "quantity": 5,
    "status": "active",
    "tags": ["steel"],
    "available_from": "2024-02-29",
}
Seen = tuple[object, ...]


def documented(method: str, path: str, answer: httpx.Response) -> None:
    """The answer's status is documented for the operation and its body matches the schema."""
    responses = SPEC["paths"][path][method]["responses"]
    assert str(answer.status_code) in responses, (method, path, answer.status_code, answer.text)
    content = responses[str(answer.status_code)].get("content", {})
    if not content:
        assert answer.content == b""
        return
    media = answer.headers["content-type"]
    assert media in content, (method, path, media)
    schema = {**content[media]["schema"], "components": SPEC["components"]}
    jsonschema.validate(answer.json(), schema, format_checker=jsonschema.FormatChecker())


def test_the_correct_variant_answers_as_its_spec_documents() -> None:
    with serving(CORRECT) as url, httpx.Client(base_url=url) as http:
        created = http.post("/items", json=BOLT, headers=ADMIN)
        documented("post", "/items", created)
        assert created.status_code == 201
        assert created.headers["location"] == f"/items/{created.json()['id']}"
        one = "/items/{itemId}"
        for method, path, answer, status in [
            ("get", one, http.get(created.headers["location"], headers=READER), 200),
            ("get", "/items", http.get("/items", params={"limit": 1}, headers=READER), 200),
            ("get", "/items", http.get("/items", params={"limit": 0}, headers=READER), 422),
            ("put", one, http.put("/items/1", json={**BOLT, "quantity": 0}, headers=ADMIN), 200),
            ("put", one, http.put("/items/1", json=BOLT, headers=READER), 403),
            ("post", "/items", http.post("/items", content=b"{", headers=ADMIN), 400),
            ("post", "/items", http.post("/items", json={"name": ""}, headers=ADMIN), 422),
            ("post", "/items", http.post("/items", json=BOLT), 401),
            ("get", one, http.get("/items/99", headers=ADMIN), 404),
            ("delete", one, http.delete("/items/1", headers=ADMIN), 204),
            ("get", one, http.get("/items/1", headers=ADMIN), 404),
        ]:
            documented(method, path, answer)
            assert answer.status_code == status, (method, path, answer.text)


def _create(http: httpx.Client, **changes: Any) -> Seen:
    answer = http.post("/items", json={**BOLT, **changes}, headers=ADMIN)
    return answer.status_code, answer.text, answer.headers.get("location")


def _without_status(http: httpx.Client) -> Seen:
    return (
        http.post(
            "/items", json={k: v for k, v in BOLT.items() if k != "status"}, headers=ADMIN
        ).status_code,
    )


def _read_back(http: httpx.Client, then: Callable[[httpx.Client], object]) -> Seen:
    _create(http)
    return then(http), http.get("/items/1", headers=ADMIN).text


# Per fault: requests whose answers tell that variant from the correct one.
PROBES: dict[str, Callable[[httpx.Client], Seen]] = {
    "quantity_max_off_by_one": lambda http: _create(http, quantity=1001),
    "name_max_off_by_one": lambda http: _create(http, name="n" * 40),
    "required_status_unchecked": _without_status,
    "create_returns_200": _create,
    "auth_bypass_get": lambda http: (_create(http), http.get("/items/1").status_code),
    "forbidden_bypass_create": lambda http: (
        http.post("/items", json=BOLT, headers=READER).status_code,
    ),
    "zero_quantity_500": lambda http: _create(http, quantity=0),
    "empty_tags_500": lambda http: _create(http, tags=[]),
    "quantity_as_text": lambda http: _read_back(http, lambda _: None),
    "lost_update": lambda http: _read_back(
        http, lambda h: h.put("/items/1", json={**BOLT, "quantity": 9}, headers=ADMIN).text
    ),
    "unknown_id_500": lambda http: (http.get("/items/7", headers=ADMIN).status_code,),
    "update_unknown_upserts": lambda http: (
        http.put("/items/7", json=BOLT, headers=ADMIN).status_code,
    ),
    "status_enum_unchecked": lambda http: _create(http, status="lost"),
    "sku_pattern_unchecked": lambda http: _create(http, sku="abc-12"),
    "location_wrong_id": _create,
    "delete_keeps_item": lambda http: _read_back(
        http, lambda h: h.delete("/items/1", headers=ADMIN).status_code
    ),
    "date_format_unchecked": lambda http: _create(http, available_from="2023-02-30"),
}


def test_every_fault_has_a_probe() -> None:
    assert sorted(PROBES) == sorted(fault.name for fault in FAULTS)


def seen(variant: str, probe: Callable[[httpx.Client], Seen]) -> Seen:
    with serving(variant) as url, httpx.Client(base_url=url) as http:
        return probe(http)


@pytest.mark.parametrize("fault", [fault.name for fault in FAULTS])
def test_each_faulty_variant_answers_differently_from_the_correct_one(fault: str) -> None:
    assert seen(fault, PROBES[fault]) != seen(CORRECT, PROBES[fault])
