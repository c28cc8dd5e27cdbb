"""The test suite's own rules: test modules share builders through helper modules only."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_modules(path: Path) -> set[str]:
    """The modules a file imports (`from X import ...`, `import X`), anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def is_test_module(module: str) -> bool:
    """A test module or a conftest: `tests.test_x`, `tests.neo4j.test_y`, `tests.conftest`."""
    last = module.rsplit(".", 1)[-1]
    return module.startswith("tests.") and (last.startswith("test_") or last == "conftest")


def test_no_test_module_imports_another_test_module_or_a_conftest() -> None:
    offenders = sorted(
        f"{path.relative_to(TESTS.parent)} imports {module}"
        for path in TESTS.rglob("*.py")
        for module in imported_modules(path)
        if is_test_module(module)
    )
    assert offenders == [], "move what they share into a helper (tests/scenarios.py, ...)"
