"""Code compiled in this process is taken by the next renderer of the same templates, wherever
they are (ichinv.render.compiled._HERE): the packets it renders are those compiled afresh, its
templates name their own files, an edited template is compiled again, and nothing is taken
from memory when caching is off."""

from __future__ import annotations

import shutil
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest

from ichinv.render import compiled

NAME = "packets/index.md.j2"


@pytest.fixture(autouse=True)
def _nothing_compiled_here_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ICHINV_NO_CACHE", raising=False)
    monkeypatch.setattr(compiled, "_HERE", OrderedDict())


def _html(root: Path, templates: Path) -> Any:
    from ichinv.render.html.templates import Renderer

    return Renderer(templates / "site", cache_root=root)


def _elsewhere(templates: Path, tmp_path: Path, name: str) -> Path:
    copy = tmp_path / name / "templates"
    shutil.copytree(templates, copy)
    return copy


def test_another_inventorys_renderer_takes_the_code_and_names_its_own_files(
    inventory: Path,
    templates: Path,
    tmp_path: Path,
    compiled_names: list[str],
    markdown_renderer: Callable[..., Any],
) -> None:
    first = markdown_renderer(inventory, templates)
    first.prepare(NAME)
    first.close()
    assert NAME in compiled_names
    other_root = tmp_path / "other-inventory"
    other_root.mkdir()
    copy = _elsewhere(templates, tmp_path, "copy")
    compiled_names.clear()
    second = markdown_renderer(other_root, copy)
    template = second.env.get_template(NAME)
    second.close()
    assert NAME not in compiled_names
    # Jinja names a template's file in its code (for the lines of a traceback).
    assert template.filename == str(copy / "packets" / "index.md.j2")
    assert {c.co_filename for c in _codes(template.root_render_func.__code__)} == {
        template.filename
    }


def _codes(code: Any) -> Iterator[Any]:
    yield code
    for const in code.co_consts:
        if hasattr(const, "co_filename"):
            yield from _codes(const)


def _packet(run: Any, templates: Path, *args: str) -> Any:
    return run("packet", "--templates", str(templates), *args)


def test_a_packet_from_memory_is_the_one_compiled_afresh(
    inventory: Path,
    run: Any,
    templates: Path,
    tmp_path: Path,
    compiled_names: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for lang in ("en", "kk", "ru"):
        _packet(run, _elsewhere(templates, tmp_path, f"first-{lang}"), "--lang", lang)
        compiled_names.clear()
        again = _elsewhere(templates, tmp_path, f"again-{lang}")
        from_memory = _packet(run, again, "--lang", lang)
        assert compiled_names == [], lang
        monkeypatch.setenv("ICHINV_NO_CACHE", "1")
        fresh = _packet(run, again, "--lang", lang)
        monkeypatch.delenv("ICHINV_NO_CACHE")
        assert NAME in compiled_names
        assert from_memory.exit_code == fresh.exit_code == 0, fresh.stderr
        assert from_memory.stdout == fresh.stdout


def test_a_template_mistake_is_reported_the_same_from_memory(
    inventory: Path, run: Any, templates: Path, tmp_path: Path, compiled_names: list[str]
) -> None:
    (templates / NAME).write_text("line one\n{{ packet.no_such_field }}\n", "utf-8")
    first = _packet(run, templates)
    compiled_names.clear()
    second = _packet(run, _elsewhere(templates, tmp_path, "copy"))
    assert compiled_names == []
    assert first.exit_code == second.exit_code == 2
    assert "packets/index.md.j2:2" in second.stderr
    assert first.stderr == second.stderr


def test_an_edited_template_is_compiled_again(
    inventory: Path, run: Any, templates: Path, tmp_path: Path, compiled_names: list[str]
) -> None:
    _packet(run, templates)
    copy = _elsewhere(templates, tmp_path, "copy")
    (copy / NAME).write_text((copy / NAME).read_text("utf-8") + "\nEdited.\n", "utf-8")
    compiled_names.clear()
    edited = _packet(run, copy)
    assert compiled_names == [NAME]
    assert "Edited." in edited.stdout


def test_nothing_is_taken_from_or_kept_in_memory_when_caching_is_off(
    inventory: Path,
    run: Any,
    templates: Path,
    tmp_path: Path,
    compiled_names: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _packet(run, templates)
    assert compiled._HERE
    monkeypatch.setenv("ICHINV_NO_CACHE", "1")
    monkeypatch.setattr(compiled, "_HERE", OrderedDict())
    for name in ("one", "two"):
        compiled_names.clear()
        _packet(run, _elsewhere(templates, tmp_path, name))
        assert NAME in compiled_names
    assert not compiled._HERE


def test_the_markdown_and_html_environments_do_not_share_code(
    inventory: Path,
    templates: Path,
    tmp_path: Path,
    compiled_names: list[str],
    markdown_renderer: Callable[..., Any],
) -> None:
    """They are sandboxes of different kinds, with other filters and no labels for the site's:
    the same source compiled by one is compiled again by the other."""
    page = "shared.j2"
    for folder in (templates, templates / "site"):
        (folder / page).write_text("{{ 1 }}\n", "utf-8")
    markdown_renderer(inventory, templates).env.get_template(page)
    compiled_names.clear()
    _html(inventory, templates).env.get_template(page)
    assert compiled_names == [page]


def test_memory_keeps_at_most_its_bound(
    inventory: Path,
    templates: Path,
    compiled_names: list[str],
    monkeypatch: pytest.MonkeyPatch,
    markdown_renderer: Callable[..., Any],
) -> None:
    monkeypatch.setattr(compiled, "MAX_ENTRIES", 3)
    renderer = markdown_renderer(inventory, templates)
    for number in range(5):
        (templates / f"page{number}.j2").write_text(f"{number}\n", "utf-8")
        renderer.env.get_template(f"page{number}.j2")
    assert len(compiled._HERE) == 3
    assert [key[2] for key in compiled._HERE] == ["page2.j2", "page3.j2", "page4.j2"]


def test_code_taken_from_the_database_is_kept_in_memory_too(
    inventory: Path, run: Any, templates: Path, tmp_path: Path, compiled_names: list[str]
) -> None:
    """As code compiled on a spare core reaches this process (Renderer.prepare_ahead)."""
    _packet(run, templates)
    compiled._HERE.clear()
    compiled_names.clear()
    _packet(run, templates)  # from the database
    assert compiled_names == []
    assert compiled._HERE
    _packet(run, _elsewhere(templates, tmp_path, "copy"))
    assert compiled_names == []


def test_code_of_a_source_edited_meanwhile_is_kept_for_the_source_it_was_made_of(
    inventory: Path, templates: Path, tmp_path: Path, markdown_renderer: Callable[..., Any]
) -> None:
    """Two threads asked for the same template, its file edited between their reads: the one
    that finishes first keeps its code for its own source (an outside review: it was kept
    for the other's, and other inventories' renderers printed the old text for the new)."""
    renderer = markdown_renderer(inventory, templates)
    env, cache = renderer.env, renderer.env.bytecode_cache
    page, filename = "page.j2", str(templates / "page.j2")
    old = cache.get_bucket(env, page, filename, "old\n")
    cache.get_bucket(env, page, filename, "new\n")  # the other thread, not done yet
    old.code = env.compile("old\n", page, filename)
    cache.set_bucket(old)
    copy = _elsewhere(templates, tmp_path, "copy")
    (copy / page).write_text("new\n", "utf-8")
    assert markdown_renderer(tmp_path / "copy", copy).render(page, {}) == "new\n"


def test_code_beyond_the_bound_is_not_kept_in_memory(
    inventory: Path,
    templates: Path,
    monkeypatch: pytest.MonkeyPatch,
    markdown_renderer: Callable[..., Any],
) -> None:
    monkeypatch.setattr(compiled, "MAX_CODE", 2_000)
    renderer = markdown_renderer(inventory, templates)
    renderer.env.get_template(NAME)  # tens of kilobytes of code
    (templates / "small.j2").write_text("small\n", "utf-8")
    renderer.env.get_template("small.j2")
    assert [key[2] for key in compiled._HERE] == ["small.j2"]


def test_an_environment_that_works_out_constants_as_it_compiles_takes_nothing_from_memory(
    inventory: Path, templates: Path, compiled_names: list[str]
) -> None:
    """Jinja's `optimized` prints constant expressions into the code, with whatever filters
    the environment has: code of the same source may differ by more than the key says."""
    (templates / "plain.j2").write_text("{{ 'a' | upper }}\n", "utf-8")
    for _time in range(2):
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates),
            bytecode_cache=compiled.CompiledTemplates(inventory),
        )
        env.get_template("plain.j2")
    assert compiled_names == ["plain.j2"]  # the second time from the database
    assert not compiled._HERE


def test_a_template_from_memory_still_names_what_it_imports(
    inventory: Path,
    templates: Path,
    tmp_path: Path,
    compiled_names: list[str],
    markdown_renderer: Callable[..., Any],
) -> None:
    """`prepare` compiles the templates a template imports before the render needs them; it
    learns them as a template is parsed, which one taken from memory is not."""
    first = markdown_renderer(inventory, templates)
    first.prepare(NAME)
    assert first.env.referenced[NAME] == ("packets/_common.md.j2",)
    copy = _elsewhere(templates, tmp_path, "copy")
    (copy / "packets" / "_common.md.j2").write_text("{% macro x() %}{% endmacro %}\n", "utf-8")
    compiled_names.clear()
    second = markdown_renderer(tmp_path / "copy", copy)
    second.prepare(NAME)
    assert second.env.referenced[NAME] == ("packets/_common.md.j2",)
    assert compiled_names == ["packets/_common.md.j2"]  # its own, edited: compiled here
