"""ichinv.io.confined: the one reader of an inventory's configuration files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ichinv.io import confined


def test_a_device_is_refused_unread() -> None:
    """(A device inside the folder: the command-line tests can only link to one, which is
    refused as a link leading out first.)"""
    with pytest.raises(confined.Refused, match="/dev/zero is not a regular file"):
        confined.read(Path("/dev/zero"), Path("/dev"))


def test_a_folder_a_loop_of_links_and_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(confined.Refused, match="folder is a folder, not a file"):
        confined.read(tmp_path / "folder", tmp_path)
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(confined.Refused, match="loop of symbolic links"):
        confined.read(tmp_path / "a", tmp_path)
    with pytest.raises(FileNotFoundError):  # each caller words it
        confined.read(tmp_path / "missing", tmp_path)
    (tmp_path / "nowhere").symlink_to("missing")
    with pytest.raises(FileNotFoundError):
        confined.read(tmp_path / "nowhere", tmp_path)


def test_the_limit_is_the_largest_size_read(tmp_path: Path) -> None:
    path = tmp_path / "table.yaml"
    path.write_bytes(b"x" * 1000)
    assert confined.read(path, tmp_path, limit=1000) == b"x" * 1000
    with pytest.raises(confined.Refused, match="is 1,000 bytes, more than the 999 bytes"):
        confined.read(path, tmp_path, limit=999)


def test_links_inside_the_folder_are_followed_and_text_reads_as_python_does(
    tmp_path: Path,
) -> None:
    (tmp_path / "ru.yaml").write_bytes(b"a: 1\r\nb: 2\rc: 3\n")
    os.symlink("ru.yaml", tmp_path / "kk.yaml")
    assert confined.text(tmp_path / "kk.yaml", tmp_path) == "a: 1\nb: 2\nc: 3\n"
    assert confined.text(tmp_path / "kk.yaml", tmp_path) == (tmp_path / "kk.yaml").read_text()
