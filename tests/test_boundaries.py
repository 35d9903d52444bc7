"""The core imports neither Textual, the command line nor the background process: every interface is an
adapter over it; and no module imports, even late, one that imports it back."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import septfois

PACKAGE = Path(septfois.__file__).parent
ADAPTERS = {"cli", "tui", "server", "__main__.py"}  # interfaces over check()


def core_modules() -> list[Path]:
    return [path for path in PACKAGE.rglob("*.py") if path.relative_to(PACKAGE).parts[0] not in ADAPTERS]


def imported_names(path: Path) -> set[str]:
    """Every module an import statement of `path` names, at any depth (an import inside a function is
    still a dependency), but not those only type checkers read (`if TYPE_CHECKING:`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            node.body = []
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            # `from septfois.cli import check_cmd` imports the module septfois.cli.check_cmd.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def module_name(path: Path) -> str:
    parts = ("septfois", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Each module of the package, and the modules of the package it imports."""
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {
        name: {other for other in imported_names(path) if other in paths and other != name}
        for name, path in paths.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle (its modules, the first repeated at the end), or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        for other in sorted(graph[node]):
            if (found := visit(other)) is not None:
                return found
        path.pop()
        done.add(node)
        return None

    for node in sorted(graph):
        if (found := visit(node)) is not None:
            return found
    return None


def test_no_core_module_imports_textual_or_an_interface() -> None:
    # The core is sources, analysis, findings and the shared values; the server is an interface too.
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            name
            for name in imported_names(path)
            if name.split(".")[0] == "textual"
            or name.startswith(("septfois.cli", "septfois.tui", "septfois.server"))
        )
        for path in core_modules()
    }
    assert {module: names for module, names in offenders.items() if names} == {}


def test_checking_a_post_loads_neither_textual_nor_the_cli() -> None:
    code = (
        "import sys; from septfois.findings.engine import check; check('Bonjour à tous, mdr'); "
        "print(sorted(m for m in sys.modules if m.startswith(('textual', 'septfois.cli', 'septfois.tui'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_no_module_of_the_package_imports_one_that_imports_it_back() -> None:
    assert find_cycle(import_graph()) is None


def test_an_import_circle_is_found_and_named() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
