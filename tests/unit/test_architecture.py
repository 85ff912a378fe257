"""The domain imports only the standard library, attrs and itself (DESIGN.md, rule 1).

import-linter enforces the layers; this test is the stricter, positive rule for the domain: rather
than a list of forbidden libraries it allows a short list, so a new dependency cannot slip in.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "src" / "domain"
ALLOWED_THIRD_PARTY = frozenset({"attrs", "attr"})


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # a relative import stays inside the domain
                continue
            roots.add((node.module or "").split(".")[0])
    return roots


def _domain_modules() -> list[Path]:
    return sorted(DOMAIN.rglob("*.py"))


def test_the_domain_has_modules_to_check() -> None:
    assert len(_domain_modules()) > 10


@pytest.mark.parametrize("path", _domain_modules(), ids=lambda p: str(p.relative_to(DOMAIN)))
def test_a_domain_module_imports_only_stdlib_attrs_and_the_domain(path: Path) -> None:
    allowed = sys.stdlib_module_names | ALLOWED_THIRD_PARTY | {"domain", "__future__"}
    assert _imported_roots(path) - allowed == set()


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("import numpy as np\nfrom sqlalchemy import select\nimport json\n")
    assert _imported_roots(module) - sys.stdlib_module_names == {"numpy", "sqlalchemy"}
