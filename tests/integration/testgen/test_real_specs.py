"""Public, real-world OpenAPI specs go through reading, generation and rendering without error.

The specs come from the npm package `@readme/oas-examples` (`make test-data` fetches it into
`.cache/oas-examples/`, checksum verified): the OpenAPI Initiative's petstore examples, and
larger public APIs (USPTO's data sets, the Star Trek API, Bump.sh's Train Travel API, ReadMe's
own API). The package's feature examples (circular schemas, discriminators, parameter styles,
every security type) are edge cases a spec author may write: each must either generate a suite
that compiles, or be refused with its faults named by JSON pointer, never crash.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from adapters.testgen.pytest_gate import PytestQualityGate
from adapters.testgen.renderer import PytestRenderer
from domain.errors import ValidationFailed
from domain.testgen.generate import generate
from domain.testgen.openapi import read_spec

PACKAGE = Path(__file__).resolve().parents[3] / ".cache" / "oas-examples" / "package"

REAL_APIS = (
    "3.0/json/petstore.json",
    "3.0/json/petstore-expanded.json",
    "3.0/json/uspto.json",
    "3.0/json/star-trek.json",
    "3.1/json/petstore.json",
    "3.1/json/train-travel.json",
    "3.1/json/readme.json",
)

#: Feature examples read_spec refuses, and why (both are faults of the example, not ours).
REFUSED = {
    "3.0/json/response-http-behavior.json": "no security scheme named 'api_key'",
    "3.1/json/webhooks.json": "a spec without paths has nothing to test",
}


@pytest.fixture(scope="module")
def package() -> Path:
    """The unpacked package; missing data fails under CI (a silent skip would hide that the
    proof never ran) and skips elsewhere with the command that fetches it."""
    if not (PACKAGE / "package.json").is_file():
        message = f"{PACKAGE} is missing: run `make test-data` to download the public specs"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return PACKAGE


def examples() -> list[str]:
    found = sorted(
        str(path.relative_to(PACKAGE))
        for version in ("3.0", "3.1")
        for path in (PACKAGE / version / "json").glob("*.json")
    )
    return [name for name in found if name not in REAL_APIS] or ["(not downloaded)"]


def render(document: dict[str, object], name: str) -> dict[str, str]:
    """Read, generate and render `document`; every file compiles; path -> text."""
    spec = read_spec(document)
    suite = generate(spec, f"sha256-{name}")
    rendered = PytestRenderer().render(suite, spec, document)
    files = {file.path: file.text for file in rendered.files}
    for path, text in files.items():
        if path.endswith(".py"):
            compile(text, f"{name}:{path}", "exec")
    assert "conftest.py" in files
    assert json.loads(files["openapi.json"]) == document
    assert {case_id for case_id, _ in rendered.functions} == {case.id for case in suite.cases}
    for _case_id, nodeid in rendered.functions:
        module, function = nodeid.split("::")
        assert f"def {function}(" in files[module]
    return files


def load(package: Path, name: str) -> dict[str, object]:
    document = json.loads((package / name).read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


@pytest.mark.parametrize("name", REAL_APIS)
def test_a_real_api_is_generated_into_a_suite_that_compiles(package: Path, name: str) -> None:
    document = load(package, name)
    spec = read_spec(document)
    files = render(document, name)
    suite = generate(spec, f"sha256-{name}")
    assert len(suite.cases) >= len(spec.operations)  # at least a happy path per operation
    assert any(path.startswith("test_") for path in files)


@pytest.mark.parametrize("name", ["3.0/json/petstore-expanded.json", "3.1/json/train-travel.json"])
def test_pytest_collects_every_test_of_a_real_api(package: Path, name: str) -> None:
    document = load(package, name)
    spec = read_spec(document)
    rendered = PytestRenderer().render(generate(spec, f"sha256-{name}"), spec, document)
    report = PytestQualityGate(timeout_s=300).check(rendered, None)
    assert (report.compile_errors, report.error) == ((), None)
    assert sorted(report.collected) == sorted(node for _case, node in rendered.functions)


def test_rendering_a_large_spec_twice_gives_the_same_bytes(package: Path) -> None:
    document = load(package, "3.0/json/star-trek.json")
    assert render(document, "star-trek") == render(document, "star-trek")


@pytest.mark.parametrize("name", examples())
def test_a_feature_example_is_generated_or_refused_with_pointed_problems(
    package: Path, name: str
) -> None:
    document = load(package, name)
    if name in REFUSED:
        with pytest.raises(ValidationFailed, match=REFUSED[name]) as refused:
            read_spec(document)
        assert all(p.path.startswith("#") for p in refused.value.problems)
        return
    render(document, name)
