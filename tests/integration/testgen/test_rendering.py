"""The renderer's files: one module per group, one function per case, deterministic to the byte,
compilable, and with Hypothesis strategies that draw what the spec's schemas describe."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.testgen.renderer import PytestRenderer
from domain.testgen.cases import Expectation, Request, Rule, SchemaBody, TestCase, suite_of
from domain.testgen.openapi import read_spec
from domain.testgen.rendered import RenderedSuite
from tests.integration.testgen.rendered_files import (
    digest,
    digest_with_hash_seed,
    loaded,
    reordered,
    written,
)
from tests.integration.testgen.rendering_cases import petstore_cases, petstore_suite
from tests.unit.domain.testgen.specs import catalogue_31, petstore_30

RENDERER = PytestRenderer()


def render_petstore(document: dict[str, Any] | None = None) -> RenderedSuite:
    document = petstore_30() if document is None else document
    return RENDERER.render(petstore_suite(), read_spec(document), document)


def test_the_suite_is_a_conftest_the_spec_and_one_module_per_group() -> None:
    rendered = render_petstore()
    assert [f.path for f in rendered.files] == ["conftest.py", "openapi.json", "test_pets.py"]
    suite = petstore_suite()
    assert dict(rendered.functions) == {
        case.id: f"test_pets.py::{suite.name_of(case)}" for case in suite.cases
    }
    module = ast.parse(rendered.files[2].text)
    functions = [node.name for node in module.body if isinstance(node, ast.FunctionDef)]
    assert functions == [suite.name_of(case) for case in suite.cases]


def test_each_function_documents_its_title_rule_and_spec_location() -> None:
    rendered = render_petstore()
    module = ast.parse(rendered.files[2].text)
    docs = {
        node.name: ast.get_docstring(node) or ""
        for node in module.body
        if isinstance(node, ast.FunctionDef)
    }
    suite = petstore_suite()
    for case in suite.cases:
        doc = docs[suite.name_of(case)]
        assert doc.splitlines()[0] == case.title
        assert f"Rule: {case.rule.value}" in doc
        assert f"Spec: {case.location}" in doc


def test_the_spec_ships_canonical_and_equal_to_the_document() -> None:
    text = render_petstore().files[1].text
    assert json.loads(text) == petstore_30()
    assert text == json.dumps(petstore_30(), sort_keys=True, indent=2) + "\n"


def test_rendering_twice_gives_byte_identical_files() -> None:
    assert render_petstore() == render_petstore()


def test_the_document_s_member_order_changes_nothing() -> None:
    assert digest(render_petstore(reordered(petstore_30()))) == digest(render_petstore())


def test_the_hash_seed_changes_nothing() -> None:
    assert digest_with_hash_seed(1) == digest_with_hash_seed(2) == digest(render_petstore())


def test_every_python_file_compiles() -> None:
    for file in render_petstore().files:
        if file.path.endswith(".py"):
            compile(file.text, file.path, "exec")


def test_case_source_is_the_function_as_its_module_holds_it() -> None:
    rendered = render_petstore()
    document = petstore_30()
    for case in petstore_cases():
        source = RENDERER.case_source(petstore_suite(), read_spec(document), document, case.id)
        assert source in rendered.files[2].text
        assert f"def {petstore_suite().name_of(case)}(api" in source


def test_a_recursive_schema_draws_through_a_deferred_strategy(tmp_path: Path) -> None:
    document = catalogue_31()
    case = TestCase(
        rule=Rule.PROPERTY,
        operation_id="getCategory",
        method="get",
        path="/categories/{id}",
        location="#/components/schemas/Category",
        request=Request(
            path_params=(("id", "c1"),), body=SchemaBody("#/components/schemas/Category")
        ),
        expectation=Expectation("2XX", also=("4XX",)),
        title="Categories of any shape",
    )
    rendered = RENDERER.render(suite_of("c", [case]), read_spec(document), document)
    text = rendered.files[2].text
    assert "st.deferred(lambda: CATEGORY)" in text
    module = loaded(written(rendered, tmp_path) / rendered.files[2].path, "catalogue_tests")
    validator = jsonschema.Draft202012Validator(
        {**document, "$ref": "#/components/schemas/Category"}
    )

    @settings(max_examples=60, database=None)
    @given(st.data())
    def drawn_categories_are_valid(data: st.DataObject) -> None:
        validator.validate(data.draw(module.CATEGORY))

    drawn_categories_are_valid()


def test_petstore_bodies_drawn_are_valid_against_the_converted_3_0_schema(tmp_path: Path) -> None:
    rendered = render_petstore()
    directory = written(rendered, tmp_path)
    conftest = loaded(directory / "conftest.py", "petstore_conftest")
    module = loaded(directory / "test_pets.py", "petstore_tests")
    pointer = "#/components/schemas/NewPet"
    validator = jsonschema.Draft7Validator({**conftest.SCHEMA_DOCUMENT, "$ref": pointer})
    assert not validator.is_valid({"name": "Rex", "tag": "bird"})
    assert validator.is_valid({"name": "Rex", "tag": None})

    @settings(max_examples=60, database=None)
    @given(st.data())
    def drawn_pets_are_valid(data: st.DataObject) -> None:
        validator.validate(data.draw(module.NEW_PET))

    drawn_pets_are_valid()


def test_case_source_names_a_case_the_suite_lacks() -> None:
    document = petstore_30()
    with pytest.raises(KeyError, match="no case nope"):
        RENDERER.case_source(petstore_suite(), read_spec(document), document, "nope")
