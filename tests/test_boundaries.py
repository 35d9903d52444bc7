"""The core imports neither Textual nor the command line: every interface is an adapter over it."""

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
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_core_module_imports_textual_or_an_interface() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            name
            for name in imported_names(path)
            if name.split(".")[0] == "textual" or name.startswith(("septfois.cli", "septfois.tui"))
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
