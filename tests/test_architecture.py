"""Imports respect the layering: each library has one home, the core never imports the CLI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ichinv"

HOMES = {
    "ruamel": {"ichinv.io.editor"},
    "yaml": {"ichinv.io.strict_yaml"},
    "jsonschema": {"ichinv.schemas.loader"},
    "fastjsonschema": {"ichinv.schemas.loader"},
    "git": {"ichinv.io.git"},
    "jinja2": {"ichinv.render.markdown.templates"},
    "markupsafe": {"ichinv.render.markdown.templates"},
    "typer": {"ichinv.cli"},
    "click": set(),
    "rich": {
        "ichinv.cli",
        "ichinv.render.findings.text",
        "ichinv.render.terminal",
    },
    "openpyxl": {"ichinv.exchange.spreadsheet"},
}


def _imports() -> list[tuple[str, str]]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        module = "ichinv." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.extend((module, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.extend([(module, node.module)])
    return found


def _home(module: str, homes: set[str]) -> bool:
    return any(module == h or module.startswith(h + ".") for h in homes)


@pytest.mark.parametrize("library", sorted(HOMES))
def test_each_library_has_one_home(library: str) -> None:
    strays = sorted(
        {
            module
            for module, imported in _imports()
            if imported.split(".")[0] == library and not _home(module, HOMES[library])
        }
    )
    assert strays == []


def test_nothing_outside_the_cli_imports_the_cli() -> None:
    strays = sorted(
        {
            m
            for m, imported in _imports()
            if imported.startswith("ichinv.cli")
            and not m.startswith(("ichinv.cli", "ichinv.__main__"))
        }
    )
    assert strays == []


def test_model_and_errors_use_only_the_standard_library() -> None:
    for module, imported in _imports():
        if module in ("ichinv.core.model", "ichinv.core.errors"):
            assert imported.split(".")[0] in sys.stdlib_module_names or imported == "__future__", (
                module,
                imported,
            )


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys\nfrom ichinv.cli import app\n"
        "heavy = [m for m in ('jsonschema', 'git', 'jinja2', 'fastjsonschema', 'ruamel.yaml', 'openpyxl') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
