"""`ichinv show` (the public view, its default) names every part it withheld in its "Withheld"
panel: it named only whole fields (Places, Transmission), not a withheld item of a list such as
a source restricted by its position (`/provenance/sources/1`), nor personal data, though its
last line and the packets did."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.support import reading_data as d
from tests.support.helpers import Result

Run = Callable[..., Result]

VILLAGE = {"list": "other", "url": "https://news.example.kz/tazy-village", "note": d.SECRET_PLACE}


def withheld_panel(out: str) -> str:
    """The lines of the panel "Withheld" of `show`'s plain output."""
    return out.split("== Withheld ==\n", 1)[1].split("\n\n", 1)[0]


def test_the_withheld_panel_names_a_withheld_source_and_personal_data(
    run: Run, inventory: Path
) -> None:
    sources = [{"list": "order-50-2013", "order": "Order No. 50 of 1 March 2013"}, VILLAGE]
    d.write(
        inventory,
        d.element(
            "KZ-2026-0036",
            provenance={"entered": "2026-05-21", "sources": sources},
            access={
                "level": "restricted",
                "restricted_parts": ["/transmission", "/provenance/sources/1"],
                "reason": "The breeders asked that the village not be published.",
            },
            transmission={"modes": ["family"]},
            contacts=[{"name": d.SECRET_NAME, "role": "community-representative"}],
        ),
    )
    result = run("show", "KZ-2026-0036")
    assert result.exit_code == 0, result.stderr
    for secret in (d.SECRET_PLACE, d.SECRET_NAME, "tazy-village"):
        assert secret not in result.stdout
    panel = withheld_panel(result.stdout)
    assert panel.splitlines() == [
        "Withheld by customary restriction: The breeders asked that the village not be published.",
        "Provenance › Sources › 2, Transmission",
        "Withheld: personal data, never published.",
        "Contacts (personal data)",
    ]
    # The same parts as the last line and the access panel name.
    assert "Restricted parts  Transmission, Provenance › Sources › 2" in result.stdout
    assert "withheld Provenance, Transmission, Contacts (personal data)." in result.stdout


def test_the_panel_of_a_record_withheld_but_its_identification_names_its_fields(
    run: Run, inventory: Path
) -> None:
    d.write(
        inventory,
        d.element(
            "KZ-2026-0037",
            description={"en": d.SECRET_RITE},
            access={"level": "restricted", "reason": "Sacred."},
        ),
    )
    result = run("show", "KZ-2026-0037")
    assert d.SECRET_RITE not in result.stdout
    panel = withheld_panel(result.stdout).splitlines()
    assert panel[0] == "Withheld by customary restriction: Sacred."
    assert "Description" in panel[1] and "Provenance" in panel[1]
