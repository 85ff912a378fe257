"""Reads a Python module with `ast` into the outline a test writer is shown.

Only the public surface goes into a prompt: each public function's and class's signature and
docstring, a class's fields and public methods. The bodies stay out: a test written from the
documented contract checks that contract, not whatever the code happens to do, and the prompt
stays small. Nothing is imported or run here, so reading a module has no side effects.
"""

from __future__ import annotations

import ast
from pathlib import Path

from domain.errors import Problem, ValidationFailed
from domain.testgen.unit_tests import ModuleOutline, UnitOutline

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class AstModuleReader:
    """`outline(path)`: the module's import name (from the packages around it), docstring and
    public units, in source order."""

    def outline(self, path: str) -> ModuleOutline:
        file = Path(path).resolve()
        try:
            source = file.read_text(encoding="utf-8")
            tree = ast.parse(source, filename=str(file))
        except (OSError, UnicodeDecodeError) as error:
            raise ValidationFailed((Problem("path", f"cannot read {path}: {error}"),)) from None
        except SyntaxError as error:
            raise ValidationFailed(
                (Problem("path", f"{path} is not valid Python: line {error.lineno}"),)
            ) from None
        if file.suffix != ".py":
            raise ValidationFailed((Problem("path", f"{path} is not a .py file"),))
        public = _exported(tree)
        units = tuple(
            _unit(node)
            for node in tree.body
            if isinstance(node, (*_FUNCTIONS, ast.ClassDef)) and _is_public(node.name, public)
        )
        return ModuleOutline(
            module=import_name(file),
            path=str(file),
            docstring=ast.get_docstring(tree) or "",
            units=units,
        )


def import_root(file: Path) -> Path:
    """The directory to put on `sys.path`: the first one up that is not a package."""
    root = file.resolve().parent
    while (root / "__init__.py").is_file():
        root = root.parent
    return root


def import_name(file: Path) -> str:
    """`src/domain/credit/money.py` -> `domain.credit.money` (`src` is not a package)."""
    relative = file.resolve().relative_to(import_root(file)).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def _exported(tree: ast.Module) -> frozenset[str] | None:
    """The names in a literal `__all__`, if the module declares one."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            try:
                names = ast.literal_eval(node.value)
            except ValueError:
                return None
            return frozenset(str(name) for name in names)
    return None


def _is_public(name: str, exported: frozenset[str] | None) -> bool:
    return name in exported if exported is not None else not name.startswith("_")


def _decorators(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> str:
    return "".join(f"@{ast.unparse(d)}\n" for d in node.decorator_list)


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    prefix = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
    returns = f" -> {ast.unparse(node.returns)}" if node.returns is not None else ""
    return f"{_decorators(node)}{prefix} {node.name}({ast.unparse(node.args)}){returns}"


def _unit(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> UnitOutline:
    docstring = ast.get_docstring(node) or ""
    if isinstance(node, _FUNCTIONS):
        return UnitOutline(node.name, "function", _signature(node), docstring)
    bases = ", ".join(ast.unparse(base) for base in (*node.bases, *node.keywords))
    header = f"{_decorators(node)}class {node.name}({bases})" if bases else f"class {node.name}"
    return UnitOutline(node.name, "class", header, docstring, _members(node))


def _members(node: ast.ClassDef) -> tuple[str, ...]:
    """Fields (annotated or enum members) and public methods, each with its docstring."""
    members = []
    for item in node.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            if not item.target.id.startswith("_"):
                members.append(ast.unparse(item))
        elif isinstance(item, ast.Assign) and all(
            isinstance(t, ast.Name) and not t.id.startswith("_") for t in item.targets
        ):
            members.append(ast.unparse(item))
        elif isinstance(item, _FUNCTIONS) and (
            not item.name.startswith("_") or item.name in ("__init__", "__call__")
        ):
            doc = ast.get_docstring(item)
            members.append(_signature(item) + (f'\n    """{doc}"""' if doc else ""))
    return tuple(members)
