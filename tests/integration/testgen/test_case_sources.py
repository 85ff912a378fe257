"""Cutting every test function out of one rendering gives exactly what the renderer gives
for each case on its own, and takes one rendering rather than one per case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from adapters.testgen.renderer import PytestRenderer
from application.testgen.common import spec_hash_of
from application.testgen.sources import case_sources
from domain.testgen.cases import Suite
from domain.testgen.generate import generate
from domain.testgen.openapi import ApiSpec, read_spec
from domain.testgen.rendered import RenderedSuite
from tests.unit.domain.testgen.specs import catalogue_31, petstore_30


class CountingRenderer(PytestRenderer):
    def __init__(self) -> None:
        super().__init__()
        self.renders = 0
        self.asked = 0

    def render(self, suite: Suite, spec: ApiSpec, document: Any) -> RenderedSuite:
        self.renders += 1
        return super().render(suite, spec, document)

    def case_source(self, suite: Suite, spec: ApiSpec, document: Any, case_id: str) -> str:
        self.asked += 1
        return super().case_source(suite, spec, document, case_id)


@pytest.mark.parametrize("document", [petstore_30, catalogue_31])
def test_each_function_cut_from_the_modules_is_the_renderers_own(
    document: Callable[[], dict[str, Any]],
) -> None:
    doc = document()
    spec = read_spec(doc)
    suite = generate(spec, spec_hash_of(doc))
    renderer = CountingRenderer()
    sources = case_sources(renderer, suite, spec, doc)
    assert (renderer.renders, renderer.asked) == (1, 0)
    assert sources == {c.id: renderer.case_source(suite, spec, doc, c.id) for c in suite.cases}


def test_a_function_missing_from_the_modules_is_asked_of_the_renderer() -> None:
    doc = petstore_30()
    spec = read_spec(doc)
    suite = generate(spec, spec_hash_of(doc))
    renderer = CountingRenderer()
    whole = renderer.render(suite, spec, doc)
    broken = RenderedSuite(
        tuple(f for f in whole.files if f.path == "conftest.py"), whole.functions
    )
    sources = case_sources(renderer, suite, spec, doc, broken)
    assert renderer.asked == len(suite.cases)
    assert sources == case_sources(renderer, suite, spec, doc)
