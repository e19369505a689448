"""The search index: every element by its names in every script and language, its other names,
its places and provinces, as a script file the search page loads (works from `file://`, where
a page cannot fetch JSON). Matching runs in the browser (templates/site/assets/search.js):
case- and diacritic-insensitive, Kazakh letters folded to their plain Cyrillic neighbours.

Built from the public views only: a withheld name or place is left out, never its text;
control and bidi-override characters become U+FFFD, as on the pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ichinv.inventory.audience import Withheld
from ichinv.inventory.fields import mappings
from ichinv.render.html.clean import clean
from ichinv.site.build import Public

VARIABLE = "ICHINV_SEARCH"


def _texts(names: Any) -> dict[str, str]:
    """The texts of a map language → text that are shown (withheld ones left out)."""
    if not isinstance(names, Mapping):
        return {}
    return {
        str(code): clean(text)
        for code, text in names.items()
        if isinstance(text, str) and not isinstance(text, Withheld) and text.strip()
    }


def _strings(values: list[Any]) -> list[str]:
    return [
        clean(v) for v in values if isinstance(v, str) and not isinstance(v, Withheld) and v.strip()
    ]


def entries(public: Public) -> dict[str, Any]:
    """The index as data: `elements` (id, status, names, other names, places, provinces)
    and `provinces` (id → names)."""
    elements = []
    for eid, view in public.views.items():
        others = _strings([item.get("name") for item in mappings(view.get("other_names"))])
        locations = mappings(view.get("locations"))
        places = _strings([item.get("place") for item in locations])
        provinces = dict.fromkeys(
            [
                *public.listed_in(eid),
                *_strings([item.get("province") for item in locations]),
            ]
        )
        elements.append(
            {
                "i": eid,
                "s": public.status(eid),
                "n": _texts(view.get("names")),
                "o": others,
                "l": places,
                "p": [p for p in provinces if p in public.provinces and isinstance(p, str)],
            }
        )
    provinces = {pid: _texts(view.get("names")) for pid, view in public.provinces.items()}
    return {"elements": elements, "provinces": provinces}


def script(public: Public) -> bytes:
    """The index as a script that sets `window.ICHINV_SEARCH`; the same inputs give the same
    bytes."""
    data = json.dumps(entries(public), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("</", "<\\/")
    return f"window.{VARIABLE} = {data};\n".encode()
