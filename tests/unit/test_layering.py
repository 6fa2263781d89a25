"""The one rule of dependencies (ARCHITECTURE.md), checked on the import statements of every module:
the domain is pure, the services know nothing of their callers, and agents reach the OMS through the
services only, never its database."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES = {
    "src/oms/domain": ("sqlalchemy", "fastapi", "starlette", "httpx", "langchain", "langchain_core", "langgraph",
                       "oms.db", "oms.services", "oms.api", "oms.web", "oms.channels", "agents"),
    "src/oms/services": ("fastapi", "starlette", "oms.api", "oms.web", "agents", "langchain_core", "langgraph"),
    "agents": ("oms.db", "oms.api", "oms.web", "sqlalchemy", "fastapi"),
}  # fmt: skip


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(RULES))
def test_no_module_imports_what_its_layer_may_not(package):
    forbidden = RULES[package]
    breaches = [f"{path.relative_to(ROOT)} imports {name}"
                for path in sorted((ROOT / package).rglob("*.py")) for name in sorted(_imports(path))
                if any(name == f or name.startswith(f + ".") for f in forbidden)]  # fmt: skip
    assert breaches == []
