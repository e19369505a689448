"""Fixtures of the rendering tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest

from tests.support.helpers import REPO_ROOT


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A copy of ichinv's templates (`--templates` of the packets), for a test to edit."""
    folder = tmp_path / "templates"
    shutil.copytree(REPO_ROOT / "templates", folder)
    return folder


@pytest.fixture
def compiled_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates this process compiles from now on (not a process forked from it)."""
    here, names = os.getpid(), []
    compile_ = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: Any, name: Any = None, *a: Any, **k: Any) -> Any:
        if os.getpid() == here:
            names.append(name)
        return compile_(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return names


@pytest.fixture
def markdown_renderer() -> Callable[..., Any]:
    """A packet renderer of the templates `templates` in `lang`, with the caches of the
    inventory at `root`: `markdown_renderer(root, templates, lang="en")`."""
    from ichinv.render.markdown import labels
    from ichinv.render.markdown.templates import Renderer

    def made(root: Path, templates: Path, lang: str = "en") -> Any:
        return Renderer(templates, labels.load(templates, lang), cache_root=root)

    return made
