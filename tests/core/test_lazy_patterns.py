"""A pattern compiled when first used answers as the compiled pattern does, and every one of
ichinv's compiles (a broken pattern would otherwise surface only when a text first needs it)."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys

import pytest

import ichinv
from ichinv.core import lazy_patterns
from ichinv.core.lazy_patterns import lazy

TEXTS = ["", "Call +7 700 000 00 00 or aigul@example.org", "Айтыс\nt.me/aigul_k", "a-b_c 12"]


def every_lazy_pattern() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for module in pkgutil.walk_packages(ichinv.__path__, "ichinv."):
        loaded = importlib.import_module(module.name)
        for name, value in vars(loaded).items():
            if isinstance(value, lazy_patterns._Lazy):
                found.append((f"{module.name}.{name}", value))
    return found


PATTERNS = every_lazy_pattern()


def test_the_contact_patterns_are_compiled_when_first_used() -> None:
    """Importing the command line and every module of contacts compiles none of them (a warm
    `validate` uses none)."""
    names = {name for name, __ in PATTERNS}
    assert "ichinv.core.contacts.CONTACT_LIKE" in names
    assert "ichinv.core.phone_numbers._PHONE_WITH_LETTERS" in names
    script = """
import importlib, pkgutil, ichinv
import ichinv.cli.app
from ichinv.core import lazy_patterns
modules = [importlib.import_module(f"ichinv.core.{m}") for m in
           ("contacts", "phone_numbers", "written_addresses", "person_links", "web_logins")]
compiled = []
for module in modules:
    for name, value in vars(module).items():
        if isinstance(value, lazy_patterns._Lazy):
            try:
                object.__getattribute__(value, "search")
                compiled.append(name)
            except AttributeError:
                pass
print(compiled)
"""
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "[]"


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[n for n, __ in PATTERNS])
def test_every_lazy_pattern_compiles_and_answers_as_compiled(
    name: str, pattern: re.Pattern[str]
) -> None:
    source, flags = pattern._source, pattern._flags  # type: ignore[attr-defined]
    compiled = re.compile(source, flags)  # what `lazy` was given, compiled as re.compile does
    assert (pattern.pattern, pattern.flags) == (compiled.pattern, compiled.flags)
    for text in TEXTS:
        assert [m.span() for m in pattern.finditer(text)] == [
            m.span() for m in compiled.finditer(text)
        ]
        assert bool(pattern.search(text)) == bool(compiled.search(text))


def test_a_lazy_pattern_offers_what_a_compiled_one_does() -> None:
    pattern = lazy(r"(?P<n>[0-9]+)", re.ASCII)
    assert pattern.sub("#", "a1b22") == "a#b#"
    assert pattern.subn("#", "a1b22") == ("a#b#", 2)
    assert pattern.split("a1b") == ["a", "1", "b"]
    assert pattern.findall("1 2") == ["1", "2"]
    assert pattern.fullmatch("12") is not None and pattern.match("x1") is None
    assert pattern.pattern == "(?P<n>[0-9]+)" and pattern.flags & re.ASCII


def test_a_broken_pattern_says_so_when_first_used() -> None:
    pattern = lazy(r"(unclosed")
    with pytest.raises(re.error):
        pattern.search("x")
