"""Reading uploaded spec files: JSON and YAML alike into plain JSON values, and every
unreadable file refused with where and why."""

from __future__ import annotations

import json

import pytest
import yaml

from adapters.testgen.spec_loader import JsonYamlSpecLoader
from application.testgen.common import spec_hash_of
from domain.errors import ValidationFailed
from tests.unit.domain.testgen.specs import petstore_30

LOADER = JsonYamlSpecLoader()


def _refusal(content: bytes, loader: JsonYamlSpecLoader = LOADER) -> str:
    with pytest.raises(ValidationFailed) as refused:
        loader.load(content)
    [problem] = refused.value.problems
    assert problem.path == "spec"
    return problem.message


def test_the_same_spec_in_json_and_yaml_reads_the_same_and_hashes_the_same() -> None:
    spec = petstore_30()
    from_json = LOADER.load(json.dumps(spec).encode())
    from_yaml = LOADER.load(yaml.safe_dump(spec, sort_keys=False).encode())
    assert from_json == from_yaml == spec
    assert spec_hash_of(from_json) == spec_hash_of(from_yaml)


def test_yaml_dates_stay_text_and_numeric_status_keys_become_text() -> None:
    text = b"openapi: 3.0.3\ninfo: {title: T, version: 2024-01-31}\npaths:\n  /a:\n    get:\n"
    text += b"      responses:\n        200: {description: ok}\n"
    loaded = LOADER.load(text)
    assert loaded["info"] == {"title": "T", "version": "2024-01-31"}
    assert loaded["paths"] == {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}


def test_a_byte_order_mark_is_allowed() -> None:
    assert LOADER.load(b'\xef\xbb\xbf{"openapi": "3.1.0"}') == {"openapi": "3.1.0"}


def test_broken_json_is_refused_with_its_line_and_column() -> None:
    message = _refusal(b'{\n  "openapi": "3.1.0",\n  "info": {\n}')
    assert message.startswith("is not valid JSON")
    assert "line 4, column 2" in message


def test_broken_yaml_is_refused_with_its_line_and_column() -> None:
    message = _refusal(b"openapi: 3.1.0\ninfo:\n  title: [unclosed\n  version: 1\n")
    assert "YAML" in message
    assert "line 4" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"   \n", "is empty"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[1, 2]", "must be a JSON or YAML object"),
        (b"just text", "must be a JSON or YAML object"),
        (b'{"x": NaN}', "not a JSON number"),
        (b"x: .inf\n", "not a JSON number"),
        (b"a: &a [*a]\n", "refers to itself"),
        (b"1.5: x\n", "is not text"),
        (b"true: x\n", "is not text"),
        (b"x: !!binary aGVsbG8=\n", "has no JSON form"),
    ],
)
def test_what_is_not_a_json_document_is_refused(content: bytes, expected: str) -> None:
    assert expected in _refusal(content)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read() -> None:
    assert "the limit is 16 bytes" in _refusal(b'{"openapi": "3.1.0"}', JsonYamlSpecLoader(16))


def test_aliases_that_expand_beyond_the_limit_are_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 8):  # each level refers ten times to the one before: 10**8 values
        below = "b" * (level - 1) or "a"
        lines.append(f"{'b' * level}: &{'b' * level} [{', '.join(['*' + below] * 10)}]")
    message = _refusal("\n".join(lines).encode(), JsonYamlSpecLoader(max_nodes=100_000))
    assert "too many values" in message
