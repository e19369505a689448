"""The site is public: no contact value and no withheld text reaches any of its files (HTML, the
search index, the sitemap), whatever the record, whatever form its `access` takes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ichinv.core.model import Record, RecordKind
from ichinv.core.vocabulary import PUBLIC_IDENTIFICATION, Lang
from ichinv.inventory import audience as redact
from tests.cli.test_public_outputs import ACCESS_VARIANTS
from tests.inventory.test_audience import records
from tests.site.conftest import files_of
from tests.support import reading_data as d
from tests.support.helpers import REPO_ROOT, Result, examples

Run = Callable[..., Result]

RESTRICTED_RECORD = "WHOLE-RECORD-SECRET-m4c"
MALFORMED = "MALFORMED-ACCESS-SECRET-{}"


def leaks(site: Path, secrets: set[str]) -> dict[str, list[str]]:
    """Secrets found in the built files, by file."""
    found: dict[str, list[str]] = {}
    for path, data in files_of(site).items():
        text = data.decode("utf-8")
        hits = sorted(s for s in secrets if s in text)
        if hits:
            found[path] = hits
    return found


def test_planted_secrets_reach_no_file_of_the_site(site_inventory: Path, run: Run) -> None:
    """A contact, a restricted part, a wholly restricted record and every malformed `access`."""
    planted = {*d.secrets(), RESTRICTED_RECORD}
    whole = d.element(
        "KZ-2026-0002",
        description={"en": RESTRICTED_RECORD, "ru": RESTRICTED_RECORD},
        communities=[{"name": RESTRICTED_RECORD}],
        access={"level": "restricted", "reason": "Kept within the lineage."},
        contacts=[{"name": "Zhanar Secretperson", "role": "bearer", "phone": "+7 700 000 00 00"}],
    )
    records = [d.secret_element("KZ-2026-0001"), whole, d.misplaced_element("KZ-2026-0003")]
    planted |= set(d.MISPLACED.values())
    for n, (name, access) in enumerate(sorted(ACCESS_VARIANTS.items()), start=10):
        secret = MALFORMED.format(name)
        planted.add(secret)
        records.append(
            d.element(
                f"KZ-2026-{n:04d}",
                description={"en": secret},
                access=access,
                contacts=[{"name": f"Contact {secret}", "email": f"c{n}@example.org"}],
            )
        )
        planted |= {f"Contact {secret}", f"c{n}@example.org"}
    planted.add("Zhanar Secretperson")
    d.write(site_inventory, *records)
    result = run("site", "--output", "site")
    assert result.exit_code == 0, result.stderr
    assert leaks(site_inventory / "site", planted) == {}
    # The pages say that something is withheld, and why.
    page = (site_inventory / "site" / "en" / "elements" / "KZ-2026-0001.html").read_text("utf-8")
    assert "Withheld by customary restriction: The lineage asked" in page
    assert "Withheld: personal data, never published." in page
    whole_page = (site_inventory / "site" / "kk" / "elements" / "KZ-2026-0002.html").read_text(
        "utf-8"
    )
    assert "Бұл элементтің тек сәйкестендіру деректері жарияланады." in whole_page
    assert "Проба" in whole_page  # the identification stays public


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_the_repository_site_holds_no_contact_and_no_withheld_text(repository_site: Path) -> None:
    from ichinv.io import strict_yaml

    contacts: set[str] = set()
    withheld: set[str] = set()
    public_texts: set[str] = set()
    for path in sorted((REPO_ROOT / "elements").glob("*.yaml")):
        data, _ = strict_yaml.load(path.read_bytes())
        for contact in data.get("contacts", []):
            contacts |= {
                v for k, v in contact.items() if k in ("name", "email", "phone", "address")
            }
        view = redact.public_view(data)
        public_texts |= set(_strings(view))
        for part in redact.withheld_parts(data):
            if part.why is redact.Why.PERSONAL:
                continue
            if part.pointer == redact.WHOLE_RECORD:
                hidden = [v for k, v in data.items() if k not in PUBLIC_IDENTIFICATION]
            else:
                from ichinv.core import pointers

                hidden = [pointers.at(data, part.pointer)]
            withheld |= set(_strings(hidden))
    assert contacts and withheld
    # Texts also published elsewhere (a vocabulary word, a name repeated in a public record)
    # are no secret; long withheld texts are.
    secrets = {t for t in withheld if len(t) >= 25 and t not in public_texts} | contacts
    assert len(secrets) > 20
    assert leaks(repository_site, secrets) == {}


@pytest.fixture(scope="module")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """An inventory root with the real templates, its settings, and a province."""
    import shutil

    from ichinv.io import settings as settings_module

    root = tmp_path_factory.mktemp("generated")
    (root / "pyproject.toml").write_text("[tool.ichinv]\n", "utf-8")
    shutil.copytree(REPO_ROOT / "templates", root / "templates")
    province = Record(
        RecordKind.PROVINCE,
        "provinces/KZ-43.yaml",
        {"id": "KZ-43", "names": {"kk": "Қызылорда облысы", "ru": "Кызылординская область", "en": "Kyzylorda Region"}},
    )  # fmt: skip
    return settings_module.load(root), province


CONSENT = st.sampled_from(["given", "given", "given", "pending", "withdrawn", "not-sought"])


@given(
    generated=records(), consent=CONSENT, status=st.sampled_from(["active", "retired", "merged"])
)
@settings(
    max_examples=examples(10, 25), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
def test_no_generated_record_leaks_into_the_site(
    site_root: Any, generated: tuple[dict[str, Any], set[str], set[str]], consent: str, status: str
) -> None:
    from ichinv.inventory.view import Inventory
    from ichinv.site import api

    settings_, province = site_root
    data, contact_secrets, restricted_secrets = generated
    data = json.loads(json.dumps(data))
    data["consent"]["status"] = consent
    secrets = set(contact_secrets | restricted_secrets)
    if consent != "given":  # only the identification is public
        secrets |= {
            s
            for k, v in data.items()
            if k not in PUBLIC_IDENTIFICATION
            for s in _strings(v)
            if s.startswith("zq")
        }
    if status != "active":
        data["status"] = status
        data["status_change"] = {"reason": "Merged by decision.", "date": "2026-01-01"}
        if status == "merged":
            data["status_change"]["merged_into"] = "KZ-2013-0002"
    rec = Record(RecordKind.ELEMENT, "elements/KZ-2026-0001.yaml", data)
    inventory = Inventory(elements=(rec,), provinces={"KZ-43": province})
    site = api.build(settings_, api.Request(base_url="https://example.org"), inventory)
    text = b"\n".join(site.files.values()).decode("utf-8")
    assert not [s for s in secrets if s in text]
    # Not vacuous: whatever the public view holds is on the site (but the consent's evidence,
    # which the site does not show).
    view = redact.public_view(data)
    view.pop("consent", None)
    shown = {s for s in _strings(view) if s.startswith("zq") and not isinstance(s, redact.Withheld)}
    assert not [s for s in shown if s not in text]


_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.text(max_size=12),
    st.sampled_from(
        [
            "KZ-43",
            "KZ-2013-0002",
            "https://example.org/x",
            "javascript:alert(1)",
            "given",
            "restricted",
        ]
    ),
)
_ANY = st.recursive(
    _LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(
                [
                    "en",
                    "kk",
                    "ru",
                    "kk-Latn",
                    "name",
                    "place",
                    "province",
                    "url",
                    "year",
                    "status",
                    "id",
                    "list",
                    "x",
                ]
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)
FIELDS = (
    "names", "other_names", "domains", "national_category", "provinces", "locations", "status",
    "status_change", "communities", "description", "sub_items", "characteristics",
    "transmission", "viability", "safeguarding", "consent", "access", "documentation",
    "provenance", "unesco", "related", "latin_orthography",
)  # fmt: skip


@given(st.dictionaries(st.sampled_from(FIELDS), _ANY, max_size=6))
@settings(
    max_examples=examples(15, 40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
def test_a_malformed_record_still_gives_a_site(site_root: Any, fields: dict[str, Any]) -> None:
    """Records that fail validation are still published as far as their public view goes:
    the build never fails on their shape, and no link leads out of http(s)."""
    from ichinv.inventory.view import Inventory
    from ichinv.site import api
    from tests.support.helpers import element_data

    settings_, province = site_root
    data = element_data("KZ-2026-0001", **{"consent": {"status": "given"}, **fields})
    rec = Record(RecordKind.ELEMENT, "elements/KZ-2026-0001.yaml", data)
    inventory = Inventory(elements=(rec,), provinces={"KZ-43": province})
    site = api.build(settings_, api.Request(langs=(Lang.EN,)), inventory)  # shape, not words
    assert "en/elements/KZ-2026-0001.html" in site.files
    assert b'href="javascript:' not in b"".join(site.files.values())
