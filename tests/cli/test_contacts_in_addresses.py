"""An outside attack: a contact percent-encoded (`https://t.me/%61igul_k`), a messenger's host
written with a dot after it (`https://t.me./aigul_k`) or Telegram's form with the handle first
(`https://aigul_k.t.me`), in a source's address passed validate silently, and `show`, packets
and the site printed it as a link. Now validate warns of it and no public output shows it
(fictitious data)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import reading_data as d
from tests.support.helpers import REPO_ROOT, Result

ELEMENT = "KZ-2026-0001"


@pytest.mark.parametrize(
    ("address", "secret"),
    [
        ("https://t.me/%61igul_k", "igul_k"),
        ("https://example.org/book?phone=%2B7%20700%20000%2000%2000", "%2000"),
        ("https://example.org/form?email=aigul%2540example.org", "aigul"),
        ("https://t.me./aigul_k", "aigul"),
        ("https://aigul_k.t.me", "aigul"),
    ],
)
def test_an_encoded_contact_or_a_hosts_other_form_reaches_no_public_output(
    inventory: Path, run: Callable[..., Result], address: str, secret: str
) -> None:
    source = {"list": "other", "url": address, "note": "District kui contest."}
    provenance = {"entered": "2026-04-01", "sources": [source]}
    d.write(inventory, d.element(ELEMENT, provenance=provenance, description={"en": address}))
    findings = json.loads(run("validate", "-f", "json").stdout)["findings"]
    warned = sorted(f["pointer"] for f in findings if f["rule"] == "text.contact")
    assert warned == ["/description/en", "/provenance/sources/0/url"]
    shutil.copytree(REPO_ROOT / "templates", inventory / "templates")
    shown = {
        "show": run("show", ELEMENT, "--audience", "public").stdout,
        "packet": run("packet", "--element", ELEMENT, "--output", "-").stdout,
    }
    assert all(shown.values())
    site = inventory.parent / "site"
    built = run("site", "-o", str(site), "--lang", "en")
    assert built.exit_code == 0, built.stderr
    assert (site / "en" / "elements" / f"{ELEMENT}.html").is_file()
    for file in site.rglob("*"):
        if file.is_file():
            shown[str(file)] = file.read_text(encoding="utf-8", errors="replace")
    assert {name for name, text in shown.items() if secret in text} == set()
    assert secret in run("show", ELEMENT, "--audience", "committee").stdout
