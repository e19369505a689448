"""A record file that cannot be parsed is not parsed again while its bytes stay the same: the
record cache keeps why (ichinv.inventory.parse_failures), in the language of the run, and the
next run says exactly what parsing would have said."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ichinv.core import i18n
from ichinv.core.model import Finding
from ichinv.inventory import parse_failures, view
from ichinv.inventory import record_files as records
from ichinv.inventory.parse_failures import FAILURES_KEPT, ParseFailures
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.record_entries import decode_failure, encode_failure
from ichinv.io import settings as settings_module
from tests.support.helpers import build_inventory, parse_calls

DEFECTS = {
    "elements/KZ-2030-0001.yaml": "id: KZ-2030-0001\nstatus: active\nstatus: retired\n",
    "elements/KZ-2030-0002.yaml": "id: KZ-2030-0002\nprovinces: [KZ-61\n",
    "elements/KZ-2030-0003.yaml": "- just\n- a list\n",
}


@pytest.fixture
def inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = build_inventory(tmp_path / "inventory")
    for rel, text in DEFECTS.items():
        (root / rel).write_text(text, encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ICHINV_NO_CACHE", raising=False)
    monkeypatch.chdir(root)
    return root


def defects(loaded: view.Inventory) -> list[Finding]:
    return sorted((p for p in loaded.problems if p.path in DEFECTS), key=Finding.sort_key)


def test_a_file_that_does_not_parse_is_not_parsed_again(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = settings_module.load(inventory)
    first = defects(view.load(config))
    assert [p.path for p in first] == sorted(DEFECTS)
    parsed = parse_calls(monkeypatch)
    assert defects(view.load(config)) == first
    assert parsed == []


def test_a_changed_file_is_parsed_again(inventory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = settings_module.load(inventory)
    view.load(config)
    broken = inventory / "elements/KZ-2030-0002.yaml"
    broken.write_text("id: KZ-2030-0002\nprovinces: [KZ-61, \n", encoding="utf-8")
    parsed = parse_calls(monkeypatch)
    again = defects(view.load(config))
    assert parsed == ["elements/KZ-2030-0002.yaml"]
    assert [p.path for p in again] == sorted(DEFECTS)


def test_the_reason_is_said_in_the_language_of_the_run(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reasons are messages: kept per language, so a run in Kazakh never says one in English."""
    config = settings_module.load(inventory)
    monkeypatch.setattr(i18n, "_active", "en")
    english = defects(view.load(config))
    monkeypatch.setattr(i18n, "_active", "kk")
    parsed = parse_calls(monkeypatch)
    kazakh = defects(view.load(config))
    assert sorted(parsed) == sorted(DEFECTS)  # not known in Kazakh yet: parsed
    assert [p.message for p in kazakh] != [p.message for p in english]
    monkeypatch.setattr(i18n, "_active", "en")
    assert defects(view.load(config)) == english
    assert sorted(parsed) == sorted(DEFECTS)  # English still kept: nothing parsed again


def test_an_edited_translation_has_the_reasons_found_afresh(
    inventory: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = settings_module.load(inventory)
    monkeypatch.setattr(i18n, "_active", "kk")
    view.load(config)
    edited = tmp_path / "kk.po"
    edited.write_bytes(i18n.catalogue_path("kk").read_bytes() + b"\n# edited\n")
    monkeypatch.setattr(i18n, "catalogue_path", lambda lang, root=None: edited)
    parsed = parse_calls(monkeypatch)
    view.load(config)
    assert sorted(parsed) == sorted(DEFECTS)


def test_a_reason_naming_its_file_is_not_kept() -> None:
    """The same bytes may be another file: a reason that names the file is found again."""
    named = Finding("elements/x.yaml", "yaml.unreadable", "elements/x.yaml cannot be read")
    assert encode_failure(named) is None
    hinted = Finding("elements/x.yaml", "yaml.syntax", "bad", hint="see elements/x.yaml")
    assert encode_failure(hinted) is None
    kept = Finding("elements/x.yaml", "yaml.syntax", "bad", line=3, column=7, hint="fix it")
    assert decode_failure("elements/y.yaml", encode_failure(kept)) == Finding(
        "elements/y.yaml", "yaml.syntax", "bad", line=3, column=7, hint="fix it"
    )


@pytest.mark.parametrize(
    "damaged",
    [None, "text", (), ("yaml.syntax", "bad"), ("r", "m", "fatal", "", 1, 1, None),
     ("r", "m", "error", "", "1", 1, None), ("r", 7, "error", "", 1, 1, None)],
)  # fmt: skip
def test_a_damaged_entry_is_not_used(damaged: Any) -> None:
    assert decode_failure("elements/x.yaml", damaged) is None


def test_a_damaged_store_is_parsed_again(inventory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = settings_module.load(inventory)
    first = defects(view.load(config))
    with RecordCache.open(config) as cache:
        cache.put_whole(parse_failures._key(), ["not", "a", "mapping"])
    parsed = parse_calls(monkeypatch)
    assert defects(view.load(config)) == first
    assert sorted(parsed) == sorted(DEFECTS)


class _Store:
    def __init__(self) -> None:
        self.kept: dict[str, Any] = {}

    @property
    def active(self) -> bool:
        return True

    def whole(self, key: str) -> Any:
        return self.kept.get(key)

    def put_whole(self, key: str, value: Any) -> None:
        self.kept[key] = dict(value)


def test_only_the_newest_reasons_are_kept() -> None:
    store = _Store()
    failures = ParseFailures(store)
    reason = Finding("elements/x.yaml", "yaml.syntax", "bad", line=1, column=1)
    for number in range(FAILURES_KEPT + 5):
        failures.keep(f"{number}\n".encode(), reason)
    assert store.kept == {}  # handed over once, when the cache closes
    failures.flush()
    (kept,) = store.kept.values()
    assert len(kept) == FAILURES_KEPT
    newest = records.blob_id(f"{FAILURES_KEPT + 4}\n".encode())
    oldest = records.blob_id(b"0\n")
    assert newest in kept and oldest not in kept
