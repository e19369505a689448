"""A change packet alone reads only the records it shows, and says exactly what one made from
the whole inventory says.

`packet --since REV` compares the working tree with the base as soon as the tree is listed,
then reads the elements the change touches, those they refer to now and those their versions
at the base referred to (whose names the changes show), and compares with the 2013 baseline
only those. Tried here on a change made to trip that up: a relation dropped (the old value
names an element nothing refers to now), an element removed since the baseline, a file
renamed, an element added that refers to another, one merged into another, a file that cannot
be read, a second file holding an existing id, and records revised since 2013 before the
base, so that the comparison with the baseline is not the one with the base.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate, revise
from ichinv.core.vocabulary import Lang
from ichinv.inventory import view
from ichinv.inventory.audience import Audience
from ichinv.io import settings as settings_io
from ichinv.packets import api
from ichinv.packets.builder import Request
from ichinv.packets.change_base import BaseFirst
from tests.support.helpers import REPO_ROOT, build_file_tree, commit, element_yaml, init_repo

SEE_ALSO = [{"id": "KZ-2030-0001", "relation": "see-also"}]


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("change-focus") / "inventory"
    generate(root, 24, defects=0.1)
    build_file_tree(
        root,
        {
            "elements/KZ-2030-0001.yaml": element_yaml("KZ-2030-0001"),
            "elements/KZ-2030-0002.yaml": element_yaml("KZ-2030-0002", related=SEE_ALSO),
            "elements/KZ-2030-0003.yaml": element_yaml("KZ-2030-0003"),
            "elements/KZ-2030-0004.yaml": element_yaml("KZ-2030-0004"),
            "elements/KZ-2030-0005.yaml": element_yaml("KZ-2030-0005"),
            "elements/KZ-2030-0007.yaml": element_yaml("KZ-2030-0007"),
            "elements/KZ-2030-0009.yaml": element_yaml("KZ-2030-0009"),
            "elements/KZ-2030-0012.yaml": element_yaml("KZ-2030-0012"),
        },
    )
    repo = init_repo(root)
    commit(repo, "baseline", tag="inventory-2013", date="2013-03-01T12:00:00+05:00")
    revise(root, [1, 2, 3])
    commit(repo, "revised since 2013", date="2025-03-01T12:00:00+05:00")
    # The pull request's change, in the working tree.
    revise(root, [3, 4, 5])
    build_file_tree(
        root,
        {
            "elements/KZ-2030-0002.yaml": element_yaml("KZ-2030-0002", related=None),
            "elements/KZ-2030-0006.yaml": element_yaml(
                "KZ-2030-0006", related=[{"id": "KZ-2030-0004", "relation": "see-also"}]
            ),
            "elements/KZ-2030-0007.yaml": element_yaml(
                "KZ-2030-0007",
                status="merged",
                status_change={"reason": "One practice.", "merged_into": "KZ-2030-0004"},
            ),
            "elements/KZ-2030-0008.yaml": "id: KZ-2030-0008\nprovinces: [KZ-61\n",
            "elements/KZ-2030-0010.yaml": element_yaml("KZ-2030-0009"),
            # Ids not in an id's form: one added, one edited so (found by an outside review).
            "elements/KZ-2030-0011.yaml": element_yaml("KZ-2030-11"),
            "elements/KZ-2030-0012.yaml": element_yaml("KZ-2030-12"),
        },
    )
    (root / "elements/KZ-2030-0003.yaml").unlink()
    shutil.move(root / "elements/KZ-2030-0005.yaml", root / "elements/moved-0005.yaml")
    return root


def packets(root: Path, request: Request, *, whole: bool) -> list[tuple[str, str, tuple[str, ...]]]:
    """The packets of `request` made as `ichinv packet` makes them, or from the whole
    inventory: names, texts and what each left out."""
    settings = settings_io.load(root)
    if whole:
        made = api.packets(settings, request, view.load(settings))
    else:
        ahead = api.comparison_ahead(settings, request)
        inventory = api.read_inventory(settings, request, ahead)
        made = api.packets(settings, request, inventory, early=ahead)
    return [(p.name, p.text, tuple(f.message for f in p.left_out)) for p in made]


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("lang", [Lang.EN, Lang.RU])
def test_a_change_packet_says_what_one_made_from_the_whole_inventory_says(
    inventory: Path, audience: Audience, lang: Lang
) -> None:
    request = Request(since="HEAD", audience=audience, lang=lang)
    cold = packets(inventory, request, whole=False)  # nothing in the record cache yet
    whole = packets(inventory, request, whole=True)
    assert cold == whole
    assert packets(inventory, request, whole=False) == whole  # the cache knows every record
    text = whole[0][1]
    assert "KZ\u20112030\u20110001" in text  # in the relation dropped (no-break hyphens)
    assert "## `KZ-2030-0003` " in text  # removed


def test_it_reads_the_elements_the_change_shows_and_those_named_in_it(inventory: Path) -> None:
    settings = settings_io.load(inventory)
    every = set(view.load(settings).by_id)  # fills the record cache
    request = Request(since="HEAD")
    ahead = api.comparison_ahead(settings, request)
    read = api.read_inventory(settings, request, ahead)
    assert read.focus is not None and set(read.by_id) < every
    touched = {"KZ-2030-0002", "KZ-2030-0006", "KZ-2030-0007", "KZ-2030-0009"}
    # Named by the changes: the related element dropped, the one merged into, one referred to.
    assert touched | {"KZ-2030-0001", "KZ-2030-0004"} <= set(read.by_id)
    assert "KZ-2013-0001" not in read.by_id  # revised before the base, untouched since
    # Compared with the baseline as well: the element the change removed.
    assert read.compared is not None and "KZ-2030-0003" in read.compared


def test_a_change_packet_with_others_reads_the_whole_inventory(inventory: Path) -> None:
    settings = settings_io.load(inventory)
    for request in (
        Request(since="HEAD", provinces=("KZ-43",)),
        Request(since="HEAD", elements=("KZ-2030-0001",)),
    ):
        assert not isinstance(api.comparison_ahead(settings, request), BaseFirst)
        assert api.read_inventory(settings, request).focus is None


def test_without_the_record_cache_it_says_the_same(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = Request(since="HEAD", audience=Audience.PUBLIC, lang=Lang.EN)
    whole = packets(inventory, request, whole=True)
    monkeypatch.setenv("ICHINV_NO_CACHE", "1")
    assert packets(inventory, request, whole=False) == whole


PACKET = ("packet", "--since", "HEAD", "--templates", str(REPO_ROOT / "templates"), "--output", "-")


def test_an_element_whose_file_now_holds_another_id_shows_none_of_its_findings(
    git_inventory: Path, run: Any
) -> None:
    """A file whose `id:` line was changed (as a renumber cut short leaves it) shows the old
    element removed and the new one added. The file's findings are the new element's: the
    removed one showed them as they are, even to the public, where they told that consent was
    withdrawn in a record that restricts its consent (an outside attack)."""
    path = git_inventory / "elements" / "KZ-2013-0002.yaml"
    text = path.read_text(encoding="utf-8").replace("id: KZ-2013-0002", "id: KZ-2026-0905")
    text = text.replace(
        "  status: given\n  date: 2025-04-01", "  status: withdrawn\n  date: 2026-05-20"
    )
    text = text.replace("  assessed: 2025-05-14", "  assessed: 2029-09-09")
    text = text.replace(
        "access:\n  level: public\n",
        "access:\n  level: restricted\n  restricted_parts: [/consent, /viability]\n"
        "  reason: The keepers asked that these wait.\n",
    )
    path.write_text(text, encoding="utf-8")
    committee = run(*PACKET, "--audience", "committee")
    assert "consent.withdrawn" in committee.stdout  # the finding exists, on the new element
    public = run(*PACKET)
    assert "`KZ-2013-0002`" in public.stdout and "`KZ-2026-0905`" in public.stdout
    for told in ("consent.withdrawn", "withdrew", "date.future"):
        assert told not in public.stdout
    removed = committee.stdout.split("`KZ-2013-0002`")[1].split("\n## ")[0]
    assert "consent.withdrawn" not in removed  # another element's finding


def test_an_element_whose_id_is_not_in_an_ids_form_shows_its_findings(inventory: Path) -> None:
    """Its record is in no answer (`by_id`), yet the committee's packet lists it: with the
    findings of its file, which say what is wrong with the id (an outside review found them
    dropped with a removed element's)."""
    request = Request(since="HEAD", audience=Audience.COMMITTEE, lang=Lang.EN)
    text = packets(inventory, request, whole=False)[0][1]
    for malformed in ("KZ-2030-11", "KZ-2030-12"):
        section = text.split(f"## `{malformed}`")[1].split("\n## ")[0]
        assert "schema.pattern" in section
