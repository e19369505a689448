"""Review packets: golden files for every kind and language, determinism, redaction, safety.

Golden files live in tests/golden/ and are compared byte for byte. After a deliberate change
to the packets, regenerate them with `ICHINV_UPDATE_GOLDEN=1 python -m pytest
tests/test_packets.py` and review the diff like any other change.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from ichinv.core.errors import TemplateError, UsageError
from ichinv.core.vocabulary import Lang
from ichinv.inventory.audience import Audience
from ichinv.io import settings
from ichinv.packets import api as packets
from ichinv.packets.builder import Request
from ichinv.render.markdown import templates as markdown
from tests.support import packet_inventory
from tests.support.helpers import REPO_ROOT
from tests.support.packet_inventory import CONTACT_SECRET, HOSTILE_NAME, RESTRICTED_SECRET

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = bool(os.environ.get("ICHINV_UPDATE_GOLDEN"))
SELECTORS: dict[str, dict[str, object]] = {
    "index": {},
    "province": {"provinces": ("KZ-23",)},
    "element": {"elements": ("KZ-2024-0001",)},
    "changes": {"since": "inventory-2024"},
}
ISOLATION = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test Editor",
    "GIT_AUTHOR_EMAIL": "editor@example.org",
    "GIT_COMMITTER_NAME": "Test Editor",
    "GIT_COMMITTER_EMAIL": "editor@example.org",
    "ICHINV_TODAY": "2026-11-25",
}

Render = Callable[..., str]


def _isolated(home: Path) -> pytest.MonkeyPatch:
    patch = pytest.MonkeyPatch()
    patch.setenv("HOME", str(home))
    patch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    for key, value in ISOLATION.items():
        patch.setenv(key, value)
    return patch


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The fixed inventory of tests/packet_inventory.py (built once for this module)."""
    patch = _isolated(tmp_path_factory.mktemp("home"))
    try:
        yield packet_inventory.build(tmp_path_factory.mktemp("packets") / "inventory")
    finally:
        patch.undo()


def render_at(root: Path) -> Render:
    cache: dict[tuple[str, str, str, str], str] = {}

    def render(kind: str, lang: str = "en", audience: str = "public", date: str = "") -> str:
        key = (kind, lang, audience, date)
        if key not in cache:
            request = Request(
                audience=Audience(audience),
                lang=Lang(lang),
                date=date or None,
                **SELECTORS[kind],  # type: ignore[arg-type]
            )
            (packet,) = packets.packets(settings.load(root), request)
            assert (
                packet.name
                == {
                    "index": "index.md",
                    "province": "province-KZ-23.md",
                    "element": "element-KZ-2024-0001.md",
                    "changes": "changes.md",
                }[kind]
            )
            cache[key] = packet.text
        return cache[key]

    return render


@pytest.fixture(scope="module")
def rendered(inventory: Path) -> Render:
    return render_at(inventory)


GOLDEN_CASES = [(kind, lang, "public") for kind in SELECTORS for lang in ("en", "kk", "ru")] + [
    ("element", "en", "committee"),
    ("changes", "en", "committee"),
]


@pytest.mark.parametrize(("kind", "lang", "audience"), GOLDEN_CASES)
def test_packets_match_the_golden_files(
    rendered: Render, kind: str, lang: str, audience: str
) -> None:
    text = rendered(kind, lang, audience)
    suffix = "-committee" if audience == "committee" else ""
    path = GOLDEN / f"{kind}-{lang}{suffix}.md"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.read_bytes() == text.encode("utf-8"), f"{path.name} differs (see module docstring)"


def test_the_same_inputs_give_the_same_bytes_wherever_the_inventory_is(
    inventory: Path, rendered: Render, tmp_path: Path
) -> None:
    copy = tmp_path / "elsewhere" / "inventory"
    shutil.copytree(inventory, copy, symlinks=True)
    again = render_at(copy)
    cases = [(kind, "en") for kind in SELECTORS] + [("element", "kk"), ("changes", "ru")]
    for kind, lang in cases:
        assert again(kind, lang) == rendered(kind, lang), (kind, lang)


def test_no_date_unless_given(rendered: Render) -> None:
    for kind in SELECTORS:
        assert "2026-11-25" not in rendered(kind)
        assert "**Date:** 2026-11-25" in rendered(kind, date="2026-11-25")


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_planted_secrets_appear_in_no_public_packet_but_in_the_committee_one(
    rendered: Render, lang: str
) -> None:
    for kind in SELECTORS:
        text = rendered(kind, lang)
        assert CONTACT_SECRET not in text and RESTRICTED_SECRET not in text, kind
        assert "+7 700 000 00" not in text, kind
    dossier = rendered("element", lang, "committee")
    assert CONTACT_SECRET in dossier and RESTRICTED_SECRET in dossier
    assert RESTRICTED_SECRET in rendered("changes", lang, "committee")


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_committee_packets_say_confidential_at_the_top(rendered: Render, lang: str) -> None:
    for kind in SELECTORS:
        assert "Confidential" in rendered(kind, lang, "committee").splitlines()[0]
        assert "Confidential" not in rendered(kind, lang).split("\n", 1)[0]


def test_public_packets_say_what_was_withheld_and_why(rendered: Render) -> None:
    dossier = rendered("element")
    assert "Withheld by customary restriction: The healers asked that the places" in dossier
    assert "Contacts are personal data and are never published." in dossier
    changes = rendered("changes")
    assert "**Places** (changed): (value withheld) → (value withheld)" in changes
    assert (
        "Only the identification of this element is published. "
        "Withheld until the communities give their consent." in changes
    )
    assert "customary restriction: The community withdrew" not in changes


def test_committee_change_packet_shows_the_values(rendered: Render) -> None:
    changes = rendered("changes", audience="committee")
    assert "+7 700 000 00 01" in changes
    assert "(value withheld)" not in changes


def test_a_hostile_name_renders_harmlessly(rendered: Render) -> None:
    # The committee's packet: the public one withholds the name, which holds a handle.
    text = rendered("changes", audience="committee")
    assert HOSTILE_NAME not in rendered("changes") and "@someone" not in rendered("changes")
    assert HOSTILE_NAME not in text
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = parser.parse(text)
    children = [c for t in tokens for c in (t.children or [])]
    assert not {"html_inline", "html_block"} & {t.type for t in tokens + children}
    texts = " ".join(c.content for c in children if c.type == "text")
    assert "@someone" not in texts and "#12" not in texts
    codes = [c.content for c in children if c.type == "code_inline"]
    assert "@someone" in codes and "#12" in codes
    html = parser.render(text)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert "a \\| b" in text  # the pipe is escaped (tables: see the next test)


def test_tables_keep_their_columns_with_a_pipe_in_a_name(rendered: Render) -> None:
    parser = MarkdownIt("commonmark").enable("table")
    for kind in SELECTORS:
        tokens = parser.parse(rendered(kind))
        widths: list[int] = []
        count = None
        for token in tokens:
            if token.type == "tr_open":
                count = 0
            elif token.type in ("td_open", "th_open") and count is not None:
                count += 1
            elif token.type == "tr_close" and count is not None:
                widths.append(count)
            elif token.type == "table_close":
                assert len(set(widths)) == 1, (kind, widths)
                widths = []


def test_record_text_falls_back_to_another_language_with_a_note(rendered: Render) -> None:
    # (the committee's packet: the public one withholds that text, which holds a handle)
    assert "*Not available in English; shown in Russian.*" in rendered(
        "changes", audience="committee"
    )
    assert "*Мәтін қазақша жоқ, орысша берілген.*" in rendered("changes", "kk", "committee")


def test_change_packet_has_findings_and_a_checklist(rendered: Render) -> None:
    text = rendered("changes")
    assert "`ref.province-historical`" in text
    assert "- ✅ **Viability assessed this cycle?** Assessed on 2025-11-01." in text
    assert "- ❔ **Consent and its evidence present?** Withheld from this packet" in text
    assert "- ➖ **Retirement or merger explained?** Active element: nothing to explain." in text
    # One state per item: no unticked box beside a tick.
    assert "- [ ]" not in text
    assert text.count("*Checklist: ✅ done · ❌ to do · ➖ not applicable") == 1


def test_packets_without_git_history_say_so(inventory: Path, tmp_path: Path) -> None:
    copy = tmp_path / "nogit"
    shutil.copytree(inventory, copy, ignore=shutil.ignore_patterns(".git"))
    render = render_at(copy)
    assert "Comparison with the 2013 baseline not available" in render("index")
    assert "History not available" in render("element")
    with pytest.raises(Exception, match="not in a git repository"):
        render("changes")


@pytest.mark.parametrize("typo", ["/locations/²", "/locations/01"])
def test_a_restricted_part_that_is_no_list_index_fails_closed_without_a_crash(
    inventory: Path, tmp_path: Path, typo: str
) -> None:
    """`²` is a digit to Python but no index: the dossier renders, publishing only the
    identification until the part is fixed, and showing the listed part, in words, to the
    committee."""
    copy = tmp_path / "typo"
    shutil.copytree(inventory, copy, ignore=shutil.ignore_patterns(".git"))
    record = packet_inventory.shamanic()
    record["access"]["restricted_parts"].append(typo)
    packet_inventory._write(copy, "KZ-2024-0001", record)
    render = render_at(copy)
    public = render("element")
    assert RESTRICTED_SECRET not in public
    assert "Healing chants" not in public  # fail closed: only the identification
    assert "Baksy saryny" in public
    assert f"Places › {typo.rsplit('/', 1)[1]}" in render("element", audience="committee")


def test_unknown_ids_are_usage_errors_with_a_hint(inventory: Path) -> None:
    with pytest.raises(UsageError) as caught:
        packets.packets(settings.load(inventory), Request(elements=("KZ-2024-001",)))
    assert caught.value.hint == "did you mean KZ-2024-0001 or KZ-2024-0002 or KZ-2025-0001?"
    with pytest.raises(UsageError):
        packets.packets(settings.load(inventory), Request(provinces=("KZ-99",)))


# --- templates -----------------------------------------------------------------------------------


@pytest.fixture
def templates(inventory: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(inventory / "templates", folder)
    return folder


def render_with(inventory: Path, folder: Path, **selectors: object) -> str:
    request = Request(templates=folder, **selectors)  # type: ignore[arg-type]
    return packets.packets(settings.load(inventory), request)[0].text


def test_templates_can_be_replaced(inventory: Path, templates: Path) -> None:
    """A replacement template still prints text escaped (a value built in the template too)."""
    (templates / "packets" / "index.md.j2").write_text(
        "# {{ header.title }}\n\n{{ header.lang ~ ' <b> | @x' }} {{ packet.totals[0].count }}\n",
        "utf-8",
    )
    assert render_with(inventory, templates) == (
        "# Inventory revision at a glance\n\nen \\<b\\> \\| `@x` 5\n"
    )


def test_jinja_escapers_and_safe_cannot_print_text_unescaped(
    inventory: Path, templates: Path
) -> None:
    """`safe` and Jinja's HTML escapers would let pipes, mentions and HTML through: in packet
    templates they escape for Markdown, and the filters that build HTML are not there."""
    text = "('<b>x</b> | @bob #12 ' ~ header.lang)"
    (templates / "packets" / "index.md.j2").write_text(
        "".join(f"{{{{ {text} | {name} }}}}\n" for name in ("safe", "e", "escape", "forceescape")),
        "utf-8",
    )
    assert render_with(inventory, templates) == "\\<b\\>x\\</b\\> \\| `@bob` `#12` en\n" * 4
    for name in markdown.UNSAFE_FILTERS:
        (templates / "packets" / "index.md.j2").write_text(f"{{{{ {text} | {name} }}}}", "utf-8")
        with pytest.raises(TemplateError, match=f"No filter named '{name}'"):
            render_with(inventory, templates)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ packet.nope }}", "packets/index.md.j2:1: .*has no attribute 'nope'"),
        ("\n{% if %}", "packets/index.md.j2:2: "),
        ("{{ ''.__class__.__mro__ }}", "refused"),
        # Packet dataclasses: their fields are read directly, anything else through the sandbox.
        ("{{ packet.__class__.__init__.__globals__ }}", "refused"),
        ("{{ packet.header.__slots__ }}", "refused"),
        ("{{ packet.header.lang.__class__ }}", "refused"),
        # Mistakes that raise inside a template are the template's errors, not ichinv's bugs.
        ("\n{{ 1 / 0 }}", "packets/index.md.j2:2: ZeroDivisionError"),
        ("{{ [].pop() }}", "packets/index.md.j2:1: IndexError"),
        ("{{ {}['x'] }}", "packets/index.md.j2:1: "),
        ("{{ '{}'.format() }}", "packets/index.md.j2:1: IndexError"),
        ("{{ 'x' * 10000000 }}", "refused"),
        ("{% include '../../outside.md' %}", "template ../../outside.md not found"),
        ("{{ packet.totals }}", "prints a tuple"),
        ("{{ 'no.such.label' | t }}", "no label 'no.such.label'"),
    ],
)
def test_broken_templates_are_clear_errors(
    inventory: Path, templates: Path, template: str, message: str
) -> None:
    (templates / "packets" / "index.md.j2").write_text(template, "utf-8")
    (templates.parent / "outside.md").write_text("outside", "utf-8")
    with pytest.raises(TemplateError, match=message):
        render_with(inventory, templates)


def test_templates_cannot_reach_outside_their_folder_through_links(
    inventory: Path, templates: Path
) -> None:
    secret = templates.parent / "secret.txt"
    secret.write_text("SECRET", "utf-8")
    (templates / "packets" / "link.md.j2").symlink_to(secret)
    (templates / "packets" / "index.md.j2").write_text(
        "{% include 'packets/link.md.j2' %}", "utf-8"
    )
    with pytest.raises(TemplateError, match=r"link.md.j2 is a symbolic link to .*, outside") as e:
        render_with(inventory, templates)
    assert "SECRET" not in str(e.value)


def test_a_missing_template_or_table_is_an_error(inventory: Path, templates: Path) -> None:
    (templates / "packets" / "province.md.j2").unlink()
    with pytest.raises(TemplateError, match="template packets/province.md.j2 not found"):
        render_with(inventory, templates, provinces=("KZ-23",))
    (templates / "i18n" / "en.yaml").unlink()
    with pytest.raises(TemplateError, match="no translation table i18n/en.yaml"):
        render_with(inventory, templates)


@pytest.mark.parametrize("content", ["", "- a list\n", "plain text\n"])
def test_a_table_that_is_no_mapping_is_an_error_about_labels(
    inventory: Path, templates: Path, content: str
) -> None:
    (templates / "i18n" / "kk.yaml").write_text(content, "utf-8")
    with pytest.raises(TemplateError, match="i18n/kk.yaml:1:1: a translation table is") as caught:
        render_with(inventory, templates, lang=Lang.KK)
    assert "record" not in f"{caught.value.message} {caught.value.hint}"


def test_translation_tables_are_complete() -> None:
    from ichinv.render.markdown import labels as i18n

    folder = REPO_ROOT / "templates"
    english = i18n.keys(folder, "en")
    for lang in ("kk", "ru"):
        assert i18n.keys(folder, lang) == english, lang


def test_a_label_missing_in_one_language_falls_back_to_english(
    inventory: Path, templates: Path
) -> None:
    table = templates / "i18n" / "kk.yaml"
    table.write_text(table.read_text("utf-8").replace("  overview: Жалпы шолу\n", ""), "utf-8")
    text = render_with(inventory, templates, lang=Lang.KK)
    assert "## Overview" in text and "## Қайта қаралғаны" in text


def test_a_rows_status_since_the_baseline_leaves_the_rest_of_the_row_as_it_was() -> None:
    """A province packet puts each element's status since the baseline into its row last: every
    other cell stays, whatever cells rows gain later."""
    from dataclasses import fields, replace

    from ichinv.packets.models import ElementRow
    from ichinv.render.markdown.escape import Md

    row = ElementRow(
        **{f.name: True if f.type == "bool" else Md(f"<{f.name}>") for f in fields(ElementRow)}
    )
    assert row.with_since(Md("revised")) == replace(row, since=Md("revised"))
    assert row.with_since(Md("revised")).since == "revised"
