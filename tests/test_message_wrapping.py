"""No English-only message slips into the code: every user-facing text goes through the catalogues.

ichinv speaks Kazakh, Russian and English (README, "Languages"): a message, hint or help text
written as a plain string or f-string reaches a Kazakh- or Russian-speaking editor in English.
This test reads the package's source (AST only, nothing imported) and fails where a string
literal or f-string holding words is passed directly

- as the message or hint of an `IchinvError` (any subclass, in any module), a `Finding` or a
  rule's `.finding(...)`, or as the message of `typer.BadParameter`;
- as `help=` of `typer.Option`, `typer.Argument`, `typer.Typer`, a command or a callback, or a
  command has no `help=` and typer would show its docstring;
- as text `typer.echo` prints;

and where a module that imports `_` assigns `_` (a throwaway `_` would hide the function).
Wrap such a text in `_("… {name} …").format(name=…)`, `ngettext(…)` or `N_(…)` of
`ichinv.core.i18n`; a text made only of placeholders and punctuation (`f"{where}: {message}"`)
holds no words and passes.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.helpers import Result, package_trees
from tests.support.languages import english_words

Run = Callable[..., Result]


WORDS = re.compile(r"[A-Za-z]{2,}")
"""Literal text with a word in it (placeholders, paths like `{a}:{b}` and punctuation have none)."""

MESSAGE_ARGS = {"message", "hint"}
HELP_CALLS = {"Option", "Argument", "Typer", "command", "callback", "add_typer"}
ECHO_CALLS = {"echo", "secho"}

ALLOWED = {("ichinv/cli/app.py", "f'ichinv {__version__}'")}
"""Texts that are no words of a language (the program's name and version)."""


@dataclass(frozen=True, slots=True)
class Slip:
    where: str
    what: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}: {self.text}"


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _literal_words(node: ast.expr) -> bool:
    """Whether `node` is English written out: a string literal or f-string with words in its
    literal parts, a `+` or conditional made of one, or such a text `.format()`-ed."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(WORDS.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_literal_words(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) or _literal_words(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_words(node.body) or _literal_words(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(_literal_words(value) for value in node.values)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "format":
            return _literal_words(node.func.value)
    return False


def error_classes(trees: dict[str, ast.Module]) -> set[str]:
    """`IchinvError` and the names of every class that derives from it, in any module."""
    found = {"IchinvError"}
    bases = {
        node.name: {_name(base) for base in node.bases}
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    grew = True
    while grew:
        grew = False
        for name, parents in bases.items():
            if name not in found and parents & found:
                found.add(name)
                grew = True
    return found


def _texts(call: ast.Call, name: str, errors: set[str]) -> Iterator[tuple[str, ast.expr]]:
    """(what, argument) of `call` that must not be English written out."""
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    if name in errors:
        for index, what in enumerate(("message", "hint")):
            if len(call.args) > index:
                yield what, call.args[index]
        yield from ((k, v) for k, v in keywords.items() if k in MESSAGE_ARGS)
    elif name == "Finding":
        if len(call.args) > 2:
            yield "message", call.args[2]
        yield from ((k, v) for k, v in keywords.items() if k in MESSAGE_ARGS)
    elif name == "finding" and isinstance(call.func, ast.Attribute):
        if len(call.args) > 1:
            yield "message", call.args[1]
        yield from ((k, v) for k, v in keywords.items() if k in MESSAGE_ARGS)
    elif name == "BadParameter" and call.args:
        yield "message", call.args[0]
    if name in HELP_CALLS and "help" in keywords:
        yield "help", keywords["help"]
    if name in ECHO_CALLS and call.args:
        yield "echoed text", call.args[0]


def _imports_gettext(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "ichinv.core.i18n"
        and any(alias.name == "_" and alias.asname is None for alias in node.names)
        for node in ast.walk(tree)
    )


def slips(trees: dict[str, ast.Module], errors: set[str] | None = None) -> list[Slip]:
    """Every English-only message, help text and hidden `_` of `trees` (path → module);
    `errors`: the names of the error classes, when `trees` do not define them all."""
    errors = error_classes(trees) if errors is None else errors
    found: list[Slip] = []
    for path, tree in trees.items():
        gettext = _imports_gettext(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (name := _name(node.func)) is not None:
                for what, argument in _texts(node, name, errors):
                    text = ast.unparse(argument)
                    if _literal_words(argument) and (path, text) not in ALLOWED:
                        found.append(Slip(f"{path}:{argument.lineno}", f"{name} {what}", text))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found.extend(
                    Slip(
                        f"{path}:{node.lineno}",
                        "docstring shown as help",
                        f"def {node.name}: give help=_(…) to the decorator",
                    )
                    for decorator in node.decorator_list
                    if isinstance(decorator, ast.Call)
                    and _name(decorator.func) in {"command", "callback"}
                    and not any(k.arg == "help" for k in decorator.keywords)
                    and ast.get_docstring(node)
                )
            if gettext:
                stored = (
                    isinstance(node, ast.Name)
                    and node.id == "_"
                    and isinstance(node.ctx, ast.Store)
                ) or (isinstance(node, ast.arg) and node.arg == "_")
                if stored:
                    found.append(Slip(f"{path}:{node.lineno}", "`_` assigned", "use `__`"))
    return found


def test_every_message_hint_and_help_of_the_package_goes_through_the_catalogues() -> None:
    found = slips(package_trees())
    assert not found, (
        "English-only texts (wrap them in _(…).format(…), ngettext or N_; README, 'Languages'):\n"
        + "\n".join(map(str, found))
    )


def _check(source: str) -> list[str]:
    """The slips of one module's source (as ichinv/cli/sample.py, beside the package's error
    classes), described."""
    sample = {"ichinv/cli/sample.py": ast.parse(source)}
    errors = error_classes({**package_trees(), **sample})
    return [s.what for s in slips(sample, errors)]


def test_the_guard_catches_english_written_out() -> None:
    source = '''
from ichinv.core.errors import UsageError
from ichinv.core.i18n import _

class OwnError(UsageError):
    pass

def f(x, path):
    raise UsageError(f"{x} is not a province", hint="give " + x)

def g(x):
    raise OwnError("no such thing: {x}".format(x=x))

def h(x):
    return Finding("a.yaml", "rule.id", f"bad {x}", hint=f"fix {x}")

def k(x):
    return rule("r").finding("a.yaml", "the value is wrong")

@app.command()
def cmd(opt: Annotated[str, typer.Option("--opt", help="What it does.")] = "") -> None:
    """Do something."""
    typer.echo(f"wrote {opt}")
    first, _, rest = opt.partition("/")
'''
    assert sorted(_check(source)) == sorted(
        [
            "UsageError message",
            "UsageError hint",
            "OwnError message",
            "Finding message",
            "Finding hint",
            "finding message",
            "Option help",
            "echo echoed text",
            "docstring shown as help",
            "`_` assigned",
        ]
    )


def test_the_guard_lets_translated_and_wordless_texts_through() -> None:
    source = '''
from ichinv.core.errors import UsageError
from ichinv.core.i18n import N_, _, ngettext

HINT = N_("give a province id")

def f(x, where, message):
    if x:
        raise UsageError(_("{x} is not a province").format(x=x), hint=_(HINT))
    raise UsageError(f"{where}: {message}", hint=message)

@app.command(help=_("Do something."))
def cmd(opt: Annotated[str, typer.Option("--opt", help=_("What it does."))] = "") -> None:
    """Developer notes."""
    typer.echo(ngettext("{count} file", "{count} files", 2).format(count=2))
    first, __, rest = opt.partition("/")
    raise ValueError(f"programmer error: {opt}")
'''
    assert _check(source) == []


def test_a_module_without_gettext_may_use_the_throwaway_name() -> None:
    assert _check("for _ in range(3):\n    pass\n") == []


# --- what an editor sees --------------------------------------------------------------------

TOOLS = (
    *("ODK", "Central", "Collect", "KoboToolbox", "OData", "Submissions", "expand"),
    *("CSV", "ZIP", "XLSForm", "xlsx", "KEY", "site"),
)
"""Names the messages of the field form, its import and the site keep in every language (tools,
formats, a column, the command `ichinv site`)."""


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_form_the_odk_import_and_the_site_say_their_errors_in_the_language(
    lang: str, inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICHINV_LANG", lang)
    (inventory / "export.json").write_text('{"x": 1}', encoding="utf-8")
    (inventory / "export.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (inventory / "_site").mkdir()
    (inventory / "_site" / "index.html").write_text("hand-made\n", encoding="utf-8")
    commands = [
        ("form", "--output", "form.xls"),
        ("form", "--province", "KZ-99", "--output", "form.xlsx"),
        ("import", "--from", "odk", "missing.json"),
        ("import", "--from", "odk", "export.json"),
        ("import", "--from", "odk", "export.csv"),
        ("site", "--lang", "kz"),
        ("site", "--base-url", "ftp://example.org"),
        ("site", "--output", "_site"),
        ("site", "--output", "_site/index.html"),
    ]
    for command in commands:
        result = run(*command)
        assert result.exit_code == 2, (command, result.stderr)
        assert result.stderr.strip(), command
        assert english_words(result.stderr, TOOLS) == [], (command, result.stderr)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_help_of_the_form_and_the_site_is_in_the_language(lang: str) -> None:
    """Help texts are translated as a command's module is imported: a process of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    for command in ("form", "site"):
        done = subprocess.run(
            [sys.executable, "-m", "ichinv", command, "--help"],
            env=env | {"ICHINV_LANG": lang, "COLUMNS": "100"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        text = done.stdout.split("\n", 1)[1]  # the usage line keeps click's [OPTIONS]
        assert english_words(text, TOOLS) == [], (command, text)
