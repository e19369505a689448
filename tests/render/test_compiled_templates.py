"""Templates compiled by an earlier run are taken from the cache (ichinv.render.compiled), and a
packet made from them is, byte for byte, the one compiled afresh: in every language (Jinja
prints the labels of constant keys into the code it compiles), after a template is edited,
and when the kept code is damaged. A template's mistakes are reported the same way. Kept code
is run only from a cache no one else can have written."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest

from ichinv.io import cache_files
from ichinv.render import compiled
from tests.support.helpers import Result, open_databases

Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def _nothing_compiled_names_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are of the database: each starts with no code compiled in this process
    (tests/render/test_compiled_names.py tests that memory)."""
    monkeypatch.setattr(compiled, "_HERE", OrderedDict())


def _packet(run: Run, templates: Path, *args: str, cache: bool = True) -> str:
    with pytest.MonkeyPatch.context() as patch:
        if cache:
            patch.delenv("ICHINV_NO_CACHE", raising=False)
        else:
            patch.setenv("ICHINV_NO_CACHE", "1")
        result = run("packet", "--templates", str(templates), *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


def _kept(root: Path) -> list[tuple[str, bytes]]:
    path = cache_files.database_path(root)
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        if "template_code" not in tables:
            return []
        return list(db.execute("SELECT key, code FROM template_code"))


def test_packets_in_every_language_from_kept_code_are_those_compiled_afresh(
    inventory: Path, run: Run, templates: Path
) -> None:
    for args in [(), ("--lang", "kk"), ("--lang", "ru"), ("--province", "KZ-23", "--lang", "kk")]:
        for _time in range(2):
            assert _packet(run, templates, *args) == _packet(run, templates, *args, cache=False)
    assert _kept(inventory), "nothing was kept: every run compiled its templates"


def test_an_edited_template_is_compiled_again(inventory: Path, run: Run, templates: Path) -> None:
    before = _packet(run, templates)
    page = templates / "packets" / "index.md.j2"
    page.write_text(page.read_text("utf-8") + "\nEdited after the first run.\n", "utf-8")
    after = _packet(run, templates)
    assert "Edited after the first run." in after
    assert "Edited after the first run." not in before


def test_damaged_kept_code_is_compiled_again(inventory: Path, run: Run, templates: Path) -> None:
    first = _packet(run, templates)
    with sqlite3.connect(cache_files.database_path(inventory)) as db:
        db.execute("UPDATE template_code SET code = substr(code, 1, 8) || x'00ff00ff' || code")
    assert _packet(run, templates) == first
    assert _packet(run, templates) == first


def test_a_template_mistake_is_reported_the_same_from_kept_code(
    inventory: Path, run: Run, templates: Path
) -> None:
    page = templates / "packets" / "index.md.j2"
    page.write_text("line one\n{{ packet.no_such_field }}\n", "utf-8")
    answers = [run("packet", "--templates", str(templates)) for _time in range(2)]
    assert [a.exit_code for a in answers] == [2, 2]
    assert answers[0].stderr == answers[1].stderr
    assert "packets/index.md.j2:2" in answers[1].stderr


@pytest.mark.parametrize(
    ("expression", "said"),
    [
        # Jinja wrote the number into its code as `inf`: NameError, "internal error", exit 3
        ("9e999999", "a number in the template is too large"),
        ("-9e999999 - 1", "a number in the template is too large"),
        # Jinja's filter checks its arguments with `assert`: AssertionError, exit 3
        ('"ab" | truncate(-5)', "expected length >= 3, got -5"),
        ('"ab" | truncate(1, leeway=-5)', "expected length >= 3"),
    ],
)
def test_a_template_mistake_in_a_value_is_an_error_of_the_template(
    inventory: Path, run: Run, templates: Path, expression: str, said: str
) -> None:
    page = templates / "packets" / "index.md.j2"
    page.write_text(f"line one\n{{{{ {expression} }}}}\n", "utf-8")
    answers = [run("packet", "--templates", str(templates)) for _time in range(2)]
    assert [a.exit_code for a in answers] == [2, 2], answers[0].stderr
    first = answers[0].stderr.splitlines()[0]
    assert first.startswith("error: packets/index.md.j2:2: "), first
    assert said in first
    assert "internal error" not in answers[1].stderr
    assert answers[0].stderr == answers[1].stderr


def test_no_code_is_kept_when_caching_is_off(inventory: Path, run: Run, templates: Path) -> None:
    _packet(run, templates, cache=False)
    assert _kept(inventory) == []


def _compiled(run: Run, templates: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many templates a packet run compiled (the others were taken from the cache)."""
    count = 0
    compile_ = jinja2.Environment.compile

    def counted(self: jinja2.Environment, *args: Any, **kwargs: Any) -> Any:
        nonlocal count
        count += 1
        return compile_(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(jinja2.Environment, "compile", counted)
        patch.setattr(compiled, "_HERE", OrderedDict())  # not from memory: a run of its own
        _packet(run, templates)
    return count


def test_kept_code_is_run_only_from_a_cache_no_one_else_can_write(
    inventory: Path, run: Run, templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _compiled(run, templates, monkeypatch) > 0
    assert _compiled(run, templates, monkeypatch) == 0
    above = Path(os.environ["XDG_CACHE_HOME"])
    above.chmod(0o777)  # another user could have put another cache folder in its place
    assert _compiled(run, templates, monkeypatch) > 0
    assert _compiled(run, templates, monkeypatch) > 0
    above.chmod(0o700)
    assert _compiled(run, templates, monkeypatch) == 0
    # A folder or file of ichinv's own that others could write (an older version made it with
    # the umask's bits) is closed, and nothing kept there is believed: it is made again.
    path = cache_files.database_path(inventory)
    for opened in (path.parent, path.parent.parent, Path(f"{path}-wal")):
        if not opened.exists():
            opened.touch()
        opened.chmod(0o775 if opened.is_dir() else 0o666)
        assert _compiled(run, templates, monkeypatch) > 0
        # Closed to others, or deleted (SQLite deletes its log when the last user lets go).
        assert not opened.exists() or stat.S_IMODE(opened.stat().st_mode) in (0o700, 0o600)
        assert _compiled(run, templates, monkeypatch) == 0
    # A file beside the database with another name too: nothing kept is believed.
    log = Path(f"{path}-wal")
    log.touch()
    os.link(log, log.with_name("another-name"))
    assert _compiled(run, templates, monkeypatch) > 0


@pytest.mark.parametrize(
    "expression",
    ['"a|b *c* it\'s <x> & y"', '"title.index" | t', '"[link](x) @user #1" ~ "!"', "[2, 1] | sort"],
)
def test_a_constant_is_printed_as_the_same_value_held_in_a_variable(
    inventory: Path, run: Run, templates: Path, expression: str
) -> None:
    """Jinja works out constant expressions as it compiles and printed them HTML-escaped, past
    the Markdown escaping every value gets (and kept the result in the compiled code)."""
    page = templates / "packets" / "index.md.j2"
    page.write_text(f"{{{{ {expression} }}}}\n", "utf-8")
    constant = [run("packet", "--templates", str(templates)) for _time in range(2)]
    page.write_text(f"{{% set v = {expression} %}}{{{{ v }}}}\n", "utf-8")
    held = run("packet", "--templates", str(templates))
    assert [(c.exit_code, c.stdout, c.stderr) for c in constant] == [
        (held.exit_code, held.stdout, held.stderr)
    ] * 2


def test_code_beyond_the_bound_is_not_kept(
    inventory: Path, run: Run, templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compiled, "MAX_CODE", 20_000)
    assert _packet(run, templates) == _packet(run, templates, cache=False)
    assert _kept(inventory)  # the smallest templates
    assert all(len(code) <= 20_000 for __, code in _kept(inventory))
    assert _compiled(run, templates, monkeypatch) > 0  # the others, every time


def test_the_cache_of_kept_code_may_be_let_go_in_any_thread(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its connection is closed when the cache is collected, in whichever thread collects it:
    tied to the thread that opened it, it raised there, and the error was printed (found as a
    test failing now and then, when a worker thread of the test run collected one)."""
    import gc
    import sys
    import threading

    monkeypatch.delenv("ICHINV_NO_CACHE", raising=False)
    held = [compiled.CompiledTemplates(inventory)]
    assert held[0]._connection() is not None
    seen: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)

    def let_go() -> None:
        held.clear()
        gc.collect()

    thread = threading.Thread(target=let_go)
    thread.start()
    thread.join()
    assert seen == []


def test_a_packet_lets_go_of_the_cache_database_once_made(
    inventory: Path, run: Run, templates: Path
) -> None:
    """Not when the garbage collector finds the template environment (it holds cycles): a
    connection left open that long, in a process that goes on (a test run), can see its
    database deleted and made again (a cache folder closed to others), and then close on the
    new one (a test failing now and then found it)."""
    before = open_databases()
    _packet(run, templates)
    after = open_databases()
    assert _kept(inventory)  # it did keep code there
    assert not after - before


def test_templates_compiled_on_a_spare_core_are_taken_not_compiled_again(
    inventory: Path,
    templates: Path,
    monkeypatch: pytest.MonkeyPatch,
    compiled_names: list[str],
    markdown_renderer: Callable[..., Any],
) -> None:
    """What a province packet of a large inventory does while it reads its records
    (Renderer.prepare_ahead): the code the other process compiled reaches this one through
    the cache, and the packet rendered from it is the one compiled here."""
    from ichinv.io import forked

    monkeypatch.delenv("ICHINV_NO_CACHE", raising=False)
    monkeypatch.setenv("ICHINV_WORKERS", "2")
    # Wait for the other process, as a long run's reading of its records does.
    monkeypatch.setattr(forked.Ahead, "ready", lambda self: self.result() or True)
    renderer = markdown_renderer(inventory, templates)
    renderer.prepare_ahead(["packets/index.md.j2"])
    renderer.prepare("packets/index.md.j2")
    renderer.close()
    assert compiled_names == []
    assert _kept(inventory)


def test_templates_the_spare_core_has_not_compiled_yet_are_compiled_names(
    inventory: Path,
    templates: Path,
    monkeypatch: pytest.MonkeyPatch,
    compiled_names: list[str],
    markdown_renderer: Callable[..., Any],
) -> None:
    """When the templates are needed before the other process is done (a busy machine gives
    a spare core nothing), it is stopped, and they are compiled here: no waiting on it."""
    from ichinv.io import forked

    monkeypatch.delenv("ICHINV_NO_CACHE", raising=False)
    monkeypatch.setenv("ICHINV_WORKERS", "2")
    monkeypatch.setattr(forked.Ahead, "ready", lambda self: False)
    renderer = markdown_renderer(inventory, templates)
    renderer.prepare_ahead(["packets/index.md.j2"])
    child = renderer._ahead._pid
    renderer.prepare("packets/index.md.j2")
    renderer.close()
    assert "packets/index.md.j2" in compiled_names
    assert child is not None and renderer._ahead is None
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # stopped and reaped


def test_a_large_inventorys_province_packet_has_its_templates_compiled_meanwhile(
    inventory: Path, templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ichinv packet --province` starts the compiling once the listing shows APART_FILES
    record files or more (ichinv.packets.province.Early); a smaller inventory compiles them
    itself (a fork would cost more than it saves)."""
    from ichinv.io import settings as settings_io
    from ichinv.packets import api, province
    from ichinv.packets.builder import Request

    started: list[list[str]] = []
    monkeypatch.setattr(
        "ichinv.render.markdown.templates.Renderer.prepare_ahead",
        lambda self, names: started.append(list(names)),
    )
    settings = settings_io.load(inventory)
    request = Request(provinces=("KZ-23",), templates=templates)
    for apart, expected in ((10**6, []), (1, [["packets/province.md.j2"]])):
        monkeypatch.setattr(province, "APART_FILES", apart)
        started.clear()
        renderer = api.renderer_for(settings, request)
        early = api.comparison_ahead(settings, request, renderer)
        inventory_read = api.read_inventory(settings, request, early)
        api.packets(settings, request, inventory_read, early=early, renderer=renderer)
        assert started == expected


def test_nothing_is_compiled_apart_when_the_code_is_kept(
    inventory: Path,
    templates: Path,
    monkeypatch: pytest.MonkeyPatch,
    markdown_renderer: Callable[..., Any],
) -> None:
    """A packet whose templates were compiled by an earlier run forks no process for them
    (it would only take the kept code), and the look-up leaves no database open; an edited
    template is compiled apart again."""
    monkeypatch.delenv("ICHINV_NO_CACHE", raising=False)
    monkeypatch.setenv("ICHINV_WORKERS", "2")
    name = "packets/index.md.j2"
    first = markdown_renderer(inventory, templates)
    first.prepare(name)
    first.close()
    again = markdown_renderer(inventory, templates)
    again.prepare_ahead([name])
    assert again._ahead is None and not cache_files.any_open()
    again.close()
    page = templates / name
    page.write_text(page.read_text("utf-8") + "\nEdited.\n", "utf-8")
    edited = markdown_renderer(inventory, templates)
    edited.prepare_ahead([name])
    assert edited._ahead is not None
    edited.close()
