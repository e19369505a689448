"""The shape of the code: packages by concern, layers enforced, one home for each library.

The layers (README "Development") are an import-linter contract in pyproject.toml, checked
here and by `.ci/run`: core < io < schemas < inventory < {validate, diff} < {edit, exchange,
reports, schemadocs} < render < {packets, site} < cli, with no import cycle at any depth. Imports
inside functions and under TYPE_CHECKING count.
"""

from __future__ import annotations

import ast
import functools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.helpers import REPO_ROOT, package_trees

PACKAGE = REPO_ROOT / "ichinv"
PACKAGES = (
    "core", "io", "schemas", "inventory", "validate", "diff", "edit", "exchange", "reports",
    "schemadocs", "render", "packets", "site", "cli",
)  # fmt: skip
"""The packages by concern, lowest layer first."""
MAX_LINES = 500
"""No module is longer: past it, a module does more than one job."""


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` with the contracts of pyproject.toml over the `ichinv` package at `root`."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"
    return subprocess.run(
        [sys.executable, "-P", "-c", code],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "", "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_layer_contracts_are_kept() -> None:
    done = lint_imports(REPO_ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The ichinv package and its settings, in a folder of their own to break things in."""
    shutil.copytree(PACKAGE, tmp_path / "ichinv", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(copy: Path) -> None:
    model = copy / "ichinv" / "core" / "model.py"
    model.write_text(
        model.read_text("utf-8")
        + "\n\ndef _sneaky() -> None:\n    from ichinv.cli.app import app\n",
        "utf-8",
    )
    done = lint_imports(copy)
    assert done.returncode == 1
    assert "ichinv.core is not allowed to import ichinv.cli" in done.stdout
    assert "ichinv.core.model -> ichinv.cli.app" in done.stdout


def test_an_import_cycle_breaks_the_contract_even_under_type_checking(copy: Path) -> None:
    locate = copy / "ichinv" / "validate" / "locate.py"
    locate.write_text(
        locate.read_text("utf-8")
        + "\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        + "    from ichinv.validate import engine\n",
        "utf-8",
    )
    done = lint_imports(copy)
    assert done.returncode == 1
    assert "No cycles are allowed in ichinv.validate" in done.stdout


def test_ichinv_holds_packages_only() -> None:
    # locale/ holds data, the message catalogues (ichinv.core.i18n reads them), not code.
    entries = sorted(p.name for p in PACKAGE.iterdir() if p.name not in ("__pycache__", "locale"))
    assert entries == sorted(["__init__.py", "__main__.py", *PACKAGES])
    assert len(entries) <= 16


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_says_what_it_owns_and_what_it_may_import(package: str) -> None:
    docstring = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text("utf-8")))
    assert docstring and len(docstring) > 80
    if package not in ("core", "cli"):
        assert "May import" in docstring or "may import" in docstring


def test_no_module_is_longer_than_the_limit() -> None:
    long = {
        path.relative_to(PACKAGE).as_posix(): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_module_opens_with_a_docstring_saying_what_it_owns() -> None:
    silent = [path for path, tree in package_trees().items() if not ast.get_docstring(tree)]
    assert silent == []


HOMES = {
    "ruamel": {"ichinv.io.editor"},
    "yaml": {"ichinv.io.strict_yaml"},
    "jsonschema": {"ichinv.schemas.loader"},
    "fastjsonschema": {"ichinv.schemas.loader"},
    "git": {"ichinv.io.git"},
    "jinja2": {
        "ichinv.render.markdown.templates",
        "ichinv.render.html",
        "ichinv.render.compiled",
        "ichinv.render.sandbox",
    },
    "markupsafe": {"ichinv.render.markdown.templates", "ichinv.render.html"},
    "typer": {"ichinv.cli"},
    "click": set(),
    "rich": {
        "ichinv.cli",
        "ichinv.render.findings.text",
        "ichinv.render.terminal",
    },
    "openpyxl": {"ichinv.exchange.spreadsheet"},
}


@functools.cache
def _imports() -> tuple[tuple[str, str], ...]:
    """(module, what it imports) across the package: parsed once for the tests below."""
    found: list[tuple[str, str]] = []
    for path, tree in package_trees().items():
        module = ".".join(Path(path).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.extend((module, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.extend([(module, node.module)])
    return tuple(found)


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


def test_the_core_uses_only_the_standard_library() -> None:
    for module, imported in _imports():
        if module.startswith("ichinv.core.") and not imported.startswith("ichinv.core"):
            assert imported.split(".")[0] in sys.stdlib_module_names or imported == "__future__", (
                module,
                imported,
            )


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys\nfrom ichinv.cli.app import app\n"
        "heavy = [m for m in ('jsonschema', 'git', 'jinja2', 'fastjsonschema', 'ruamel.yaml', 'openpyxl') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
