"""Atomic writes: old or new content, never half; no overwrite unasked; never outside the target."""

from __future__ import annotations

from pathlib import Path

import pytest

from ichinv.core.errors import WriteRefused
from ichinv.io.atomic import inside, write_text_atomic


def test_writes_and_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    target = tmp_path / "sub" / "a.md"
    write_text_atomic(target, "first\n")
    assert target.read_text(encoding="utf-8") == "first\n"
    with pytest.raises(WriteRefused, match="already exists"):
        write_text_atomic(target, "second\n")
    assert target.read_text(encoding="utf-8") == "first\n"
    write_text_atomic(target, "second\n", overwrite=True)
    assert target.read_text(encoding="utf-8") == "second\n"
    assert [p.name for p in target.parent.iterdir()] == ["a.md"]  # no temporary files left


def test_keeps_the_file_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    target.write_text("x\n", encoding="utf-8")
    target.chmod(0o640)
    write_text_atomic(target, "y\n", overwrite=True)
    assert target.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("name", ["../escape.md", "/etc/passwd", "a/../../b.md"])
def test_inside_refuses_paths_leaving_the_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(WriteRefused, match="outside"):
        inside(tmp_path / "out", name)


def test_inside_accepts_plain_names(tmp_path: Path) -> None:
    assert inside(tmp_path, "packets/index.md") == (tmp_path / "packets" / "index.md").resolve()


def test_a_path_led_out_by_a_link_is_refused_with_a_hint_that_fits(tmp_path: Path) -> None:
    """An outside attack: a page of a site's folder that is a symbolic link leading out was
    refused with "give a plain file name, without '..' or an absolute path", which the user
    never typed."""
    folder = tmp_path / "site"
    (folder / "kk").mkdir(parents=True)
    (folder / "kk" / "index.html").symlink_to(tmp_path / "elsewhere.html")
    with pytest.raises(WriteRefused) as linked:
        inside(folder, "kk/index.html")
    assert linked.value.hint is not None and "symbolic link" in linked.value.hint
    with pytest.raises(WriteRefused) as typed:
        inside(folder, "../elsewhere.html")
    assert typed.value.hint == "give a plain file name, without '..' or an absolute path"
