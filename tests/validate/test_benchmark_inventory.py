"""The synthetic inventories of benchmarks/ are what they claim: valid records, planted defects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from benchmarks.generate import DEFECTS, element, generate, revise
from ichinv.io import settings
from ichinv.validate import engine as validation


def test_generated_records_are_valid_and_shaped_like_real_ones(tmp_path: Path) -> None:
    made = generate(tmp_path / "inv", 60, seed=11)
    result = validation.validate(settings.load(made.root), day=dt.date(2026, 11, 25))
    assert result.findings == ()
    assert result.checked == 60 + len(list((made.root / "provinces").glob("*.yaml")))
    sizes = sorted(p.stat().st_size for p in (made.root / "elements").iterdir())
    assert 2500 <= sizes[len(sizes) // 2] <= 4500
    text = (made.root / "elements" / f"{made.ids[0]}.yaml").read_text(encoding="utf-8")
    assert any(letter in text for letter in "әғқңөұүі")
    assert "kk: |" in text and "@example.org" in text


def test_each_planted_defect_is_found_in_its_file_and_nowhere_else(tmp_path: Path) -> None:
    made = generate(tmp_path / "inv", 90, seed=11, defects=0.2)
    assert sorted(set(made.defective.values())) == sorted(DEFECTS)
    result = validation.validate(settings.load(made.root), day=dt.date(2026, 11, 25))
    flagged = {f.path for f in result.findings if f.severity == "error"}
    assert flagged == {made.paths[record_id] for record_id in made.defective}


def test_same_seed_same_bytes_and_a_revision_changes_the_text(tmp_path: Path) -> None:
    one = generate(tmp_path / "one", 5, seed=3)
    two = generate(tmp_path / "two", 5, seed=3)
    assert one.ids == two.ids
    for name in one.paths.values():
        assert (one.root / name).read_bytes() == (two.root / name).read_bytes()
    revise(two.root, [0], seed=3)
    first = one.paths[one.ids[0]]
    assert (two.root / first).read_bytes() != (one.root / first).read_bytes()
    assert (two.root / first).read_text(encoding="utf-8") == element(0, seed=3, revision=1)
    result = validation.validate(settings.load(two.root), day=dt.date(2026, 11, 25))
    assert result.findings == ()
