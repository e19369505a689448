"""The fast reader gives exactly the data ruamel.yaml gives, wherever both accept the input.

ruamel.yaml is the reference (it is also the round-trip writer). Inputs: the official YAML test
suite (a corpus nobody here wrote), this repository's own records, and generated records.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from ichinv.io import strict_yaml as yamlload
from tests.support.helpers import BASE_INVENTORY, REPO_ROOT, examples

SUITE = Path("/work/shared/corpora/yaml-test-suite/cases")
if not SUITE.is_dir():
    SUITE = REPO_ROOT.parent / "shared" / "corpora" / "yaml-test-suite" / "cases"


def suite_cases() -> list[Path]:
    if not SUITE.is_dir():
        return []
    found = []
    for folder in sorted(SUITE.iterdir()):
        if (folder / "in.yaml").is_file():
            found.append(folder)
        elif folder.is_dir():
            found.extend(sub for sub in sorted(folder.iterdir()) if (sub / "in.yaml").is_file())
    return found


def ruamel_load(raw: bytes) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return YAML(typ="safe", pure=True).load(io.StringIO(raw.decode("utf-8-sig")))


def comparable(value: Any) -> Any:
    """ruamel's value with timestamps as the text they were written as (our reader keeps text)."""
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return ("timestamp", value)
    return value


def ours_comparable(value: Any, reference: Any) -> Any:
    if isinstance(reference, tuple) and reference[:1] == ("timestamp",):
        return ("timestamp", reference[1]) if isinstance(value, str) else value
    if isinstance(value, dict) and isinstance(reference, dict):
        return {k: ours_comparable(v, reference.get(k)) for k, v in value.items()}
    if isinstance(value, list) and isinstance(reference, list) and len(value) == len(reference):
        return [ours_comparable(v, r) for v, r in zip(value, reference, strict=True)]
    return value


def assert_same(raw: bytes) -> str:
    """Compare both readers on `raw`; returns how it went (for the corpus statistics)."""
    try:
        ours, _ = yamlload.load(raw)
    except yamlload.LoadError:
        return "ours rejects"
    try:
        theirs = comparable(ruamel_load(raw))
    except Exception:  # noqa: BLE001 - ruamel raises many kinds; any of them is a rejection
        return "ruamel rejects"
    assert ours_comparable(ours, theirs) == theirs
    return "same"


CASES = suite_cases()


@pytest.mark.skipif(not CASES, reason="yaml-test-suite corpus not present")
@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(SUITE)) for c in CASES])
def test_yaml_test_suite_case(case: Path) -> None:
    raw = (case / "in.yaml").read_bytes()
    outcome = assert_same(raw)
    if (case / "error").exists() and outcome == "same":
        # libyaml accepts a handful of malformed inputs that ruamel accepts too; never silently
        # different data, and the schema check still stands between them and an "ok".
        pass


@pytest.mark.skipif(not CASES, reason="yaml-test-suite corpus not present")
def test_corpus_agreement_is_substantial() -> None:
    outcomes = [assert_same((c / "in.yaml").read_bytes()) for c in CASES]
    assert outcomes.count("same") >= 75


def test_repository_records() -> None:
    files = sorted((REPO_ROOT / "elements").glob("*.yaml")) + sorted(
        (REPO_ROOT / "provinces").glob("*.yaml")
    )
    files += sorted(BASE_INVENTORY.rglob("*.yaml"))
    for path in files:
        assert assert_same(path.read_bytes()) == "same", path


keys = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=8
)
plain = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.sampled_from(
        [
            "no",
            "yes",
            "on",
            "010",
            "0o17",
            "0x1f",
            "1_000",
            "1e3",
            ".5",
            "~",
            "null",
            "True",
            "2025-05-14",
            "12:30",
            "-",
            "+1",
            "0b11",
        ]
    ),
    st.from_regex(r"[A-Za-zА-Яа-яәғқңөұүһі][A-Za-z0-9 А-Яа-яәғқңөұүһі-]{0,15}", fullmatch=True),
)


@settings(max_examples=examples(80, 200), deadline=None)
@given(st.dictionaries(keys.filter(lambda k: k.isidentifier()), plain, min_size=1, max_size=6))
def test_generated_plain_scalars(mapping: dict[str, str]) -> None:
    raw = "".join(f"{k}: {v}\n" for k, v in mapping.items()).encode()
    assert_same(raw)


@pytest.mark.parametrize(
    "numbers", [range(8), pytest.param(range(8, 40), marks=pytest.mark.slow)], ids=["8", "32 more"]
)
def test_generated_benchmark_inventory(numbers: range) -> None:
    """The records benchmarks/ generates (Cyrillic texts, block scalars, unquoted dates), and
    their defective variants: both readers agree wherever both accept the file (eight records
    and their variants in the quick run, 40 in the long one: each costs ruamel.yaml ~0.3 s)."""
    from benchmarks.generate import DEFECTS, defective, element

    for number in numbers:
        text = element(number, seed=7)
        assert assert_same(text.encode()) == "same", number
        assert assert_same(element(number, seed=7, revision=1).encode()) == "same", number
        for kind in DEFECTS:
            outcome = assert_same(defective(text, kind, number)[0].encode())
            if kind not in ("yaml-syntax", "duplicate-key"):
                assert outcome == "same", (number, kind)


BREAKERS = ["\x85", "\u2028", "\u2029", "\ufeff"]
"""NEL, LS and PS (line breaks to libyaml only) and the byte-order mark."""


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "к", ": ", " ", "'", '"', "# ", "- ", "\n", "\r\n", "\r", *BREAKERS]),
        min_size=1,
        max_size=24,
    ).map("".join)
)
def test_nel_ls_ps_and_stray_boms_never_make_the_readers_disagree(text: str) -> None:
    """Where they stand, libyaml and ruamel.yaml would read different data or count different
    lines: the strict reader refuses every such file, and agrees with ruamel on every other."""
    raw = text.encode()
    outcome = assert_same(raw)
    if outcome != "ours rejects":
        assert not any(c in text.removeprefix("\ufeff") for c in BREAKERS), text
        _, where = yamlload.load(raw, positions=True)
        assert where is not None
        breaks = text.count("\n") + text.replace("\r\n", "\n").count("\r")
        assert max(p[0] for p in where.values()) <= breaks + 1


@pytest.mark.parametrize("breaker", BREAKERS)
@pytest.mark.parametrize(
    "template",
    ["a: x{c}b: y\n", "a: x # c{c}b: y\n", "a: 'x{c}y'\n", 'a: "x{c}y"\n', "a: x{c}  y\n"],
)
def test_the_strict_reader_refuses_what_the_readers_read_differently(
    breaker: str, template: str
) -> None:
    raw = template.format(c=breaker).encode()
    assert assert_same(raw) == "ours rejects"
