"""Helpers for the rendering tests: write a rendered suite to disk, load a generated module, and
render in a fresh interpreter with a chosen hash seed."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from domain.testgen.rendered import RenderedSuite

ROOT = Path(__file__).resolve().parents[3]


def written(rendered: RenderedSuite, directory: Path) -> Path:
    for file in rendered.files:
        (directory / file.path).write_text(file.text, encoding="utf-8")
    return directory


def loaded(path: Path, name: str) -> ModuleType:
    """Import a generated file as a module of its own name (the tests in it are not run)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reordered(value: Any) -> Any:
    """The same JSON value with every object's members in reverse order."""
    if isinstance(value, dict):
        return {key: reordered(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reordered(item) for item in value]
    return value


_DIGEST = """
import hashlib
from adapters.testgen.renderer import PytestRenderer
from domain.testgen.openapi import read_spec
from tests.integration.testgen.rendering_cases import petstore_suite
from tests.unit.domain.testgen.specs import petstore_30
document = petstore_30()
rendered = PytestRenderer().render(petstore_suite(), read_spec(document), document)
digest = hashlib.sha256()
for file in rendered.files:
    digest.update(file.path.encode() + b"\\0" + file.text.encode() + b"\\0")
print(digest.hexdigest())
"""


def digest_with_hash_seed(seed: int) -> str:
    """The digest of the sample suite's files rendered by a fresh interpreter."""
    env = {
        **os.environ,
        "PYTHONHASHSEED": str(seed),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
    }
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", _DIGEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.strip()


def digest(rendered: RenderedSuite) -> str:
    found = hashlib.sha256()
    for file in rendered.files:
        found.update(file.path.encode() + b"\0" + file.text.encode() + b"\0")
    return found.hexdigest()
