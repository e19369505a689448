"""The README documents every command, option and format, and the rules tables match the catalogue."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import typer

from ichinv.cli.app import app
from ichinv.core.catalogue import CATALOGUE
from tests.support.helpers import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, Any]]:
    group = typer.main.get_command(app)
    found: list[tuple[str, Any]] = []

    def walk(prefix: str, command: Any) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            full = f"{prefix} {name}".strip()
            if getattr(sub, "commands", None):
                walk(full, sub)
            else:
                found.append((full, sub))

    walk("", group)
    return found


COMMANDS = _commands()


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_a_readme_section_and_help(name: str, command: Any) -> None:
    assert re.search(rf"^#+ .*`ichinv {re.escape(name)}\b", README, re.MULTILINE), (
        f"no README section for ichinv {name}"
    )
    assert command.help, f"ichinv {name} has no --help text"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_option_and_choice_is_documented(name: str, command: Any) -> None:
    for param in command.params:
        for option in getattr(param, "opts", []):
            if option.startswith("--") and option not in ("--help",):
                assert option in README, f"ichinv {name}: {option} is not in README.md"
        choices = getattr(getattr(param, "type", None), "choices", None)
        for choice in choices or ():
            value = getattr(choice, "value", choice)
            assert f"`{value}`" in README or f"{value}|" in README or f"|{value}" in README, (
                f"ichinv {name}: the value {value!r} of {param.name} is not in README.md"
            )


def _rules_table(marker: str) -> dict[str, tuple[str, str]]:
    table = README.split(f"<!-- {marker} -->")[1].split(f"<!-- /{marker} -->")[0]
    rows = re.findall(r"^\| `([\w.-]+)` \| (\w+) \| (.+?) \|$", table, re.MULTILINE)
    # A summary such as "<id>.yaml" is written &lt;id&gt; in the README, or GitHub hides it.
    return {rule: (severity, html.unescape(text)) for rule, severity, text in rows}


@pytest.mark.parametrize(
    ("marker", "files_and_yaml"), [("rules-table", False), ("file-rules-table", True)]
)
def test_rules_tables_match_the_catalogue(marker: str, files_and_yaml: bool) -> None:
    expected = {
        rule.id: (rule.severity.value, rule.summary)
        for rule in CATALOGUE.values()
        if rule.id.startswith(("yaml.", "file.")) is files_and_yaml
    }
    assert _rules_table(marker) == expected


def test_quick_start_has_exactly_two_commands() -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 1
    commands = [line for line in blocks[0].splitlines() if line.strip()]
    assert len(commands) == 2
    assert "pip install -e '.[test]'" in commands[0] and "ichinv validate" in commands[0]
    assert "pytest" in commands[1]


def test_the_ci_files_use_only_documented_commands_and_options() -> None:
    """Every `ichinv …` the workflow and the pre-commit hook run is documented in README.md."""
    files = [
        REPO_ROOT / ".github" / "workflows" / "inventory.yml",
        REPO_ROOT / ".pre-commit-hooks.yaml",
    ]
    calls = [
        line.split("ichinv ", 1)[1]
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"(^|[\s:])ichinv [a-z]", line) and not line.lstrip().startswith("#")
    ]
    assert len(calls) >= 8
    for call in calls:
        words = call.split()
        command = words[0] if words[0] != "ci" else f"ci {words[1]}"
        assert re.search(rf"^#+ .*`ichinv {re.escape(command)}\b", README, re.MULTILINE), command
        for option in (w for w in words if w.startswith("--")):
            assert option in README, f"{option} of ichinv {command} is not in README.md"
    assert "--format sarif" in README
