"""A seeded generator of synthetic inventories shaped like the real one (benchmarks and tests).

Every element follows schema/element.schema.json and the record rules: names in Kazakh
(Cyrillic, with ә ғ қ ң ө ұ ү і һ), Russian and English, descriptions as literal block scalars,
communities, viability, safeguarding, consent, fictitious contacts (example.org,
+7 700 000 00 00), provenance; dates unquoted as a person writes them; ~3 KB a file. A share
of the files (`defects`) carries one defect each, of the kinds `DEFECTS` lists.

    python -m benchmarks.generate DIR --count 10000 [--seed 2003] [--defects 0.02]

The same seed and count always give the same bytes.
"""

from __future__ import annotations

import argparse
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

PROVINCES = (
    "KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39",
    "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79",
)  # fmt: skip
"""Current provinces (files in this repository's provinces/)."""

DOMAINS = (
    "oral-traditions",
    "performing-arts",
    "social-practices",
    "knowledge-nature",
    "craftsmanship",
)
CATEGORIES = ("I", "II", "III", "IV", "V")
FIRST_YEAR, YEARS = 2013, 13
"""Ids spread over 2013–2025 so that 100,000 elements fit four-digit sequence numbers."""

KK_WORDS = (
    "айтыс", "ақын", "домбыра", "күй", "жыр", "ертегі", "батыр", "дала", "ауыл", "қымыз", "киіз",
    "үй", "шаңырақ", "өрнек", "зергер", "ұста", "тері", "ағаш", "ою", "кесте", "құс", "бүркіт",
    "саятшылық", "асық", "тоғызқұмалақ", "көкпар", "бесік", "той", "шашу", "наурыз", "көже",
    "дастархан", "әже", "ата", "бала", "шебер", "шәкірт", "өнер", "дәстүр", "мұра", "халық",
    "ән", "би", "қобыз", "сыбызғы", "жетіген", "ұлттық", "ойын", "мереке", "рәсім", "ғұрып",
    "білім", "табиғат", "мал", "жайлау", "қыстау", "көш", "өлең", "терме", "жырау",
)  # fmt: skip
RU_WORDS = (
    "традиция", "мастер", "ученик", "песня", "эпос", "сказитель", "обряд", "праздник", "семья",
    "община", "ремесло", "войлок", "орнамент", "вышивка", "ювелир", "кузнец", "охота", "беркут",
    "игра", "состязание", "музыка", "инструмент", "домбра", "кобыз", "исполнение", "знание",
    "природа", "кочевье", "пастбище", "скот", "юрта", "угощение", "гость", "старейшина", "село",
    "район", "область", "передача", "навык", "школа", "кружок", "фестиваль", "память", "наследие",
    "поколение", "обычай", "свадьба", "рождение", "весна", "степь", "река", "гора", "аул",
)  # fmt: skip
EN_WORDS = (
    "tradition", "master", "apprentice", "song", "epic", "storyteller", "ritual", "festival",
    "family", "community", "craft", "felt", "ornament", "embroidery", "jeweller", "smith",
    "hunting", "eagle", "game", "contest", "music", "instrument", "performance", "knowledge",
    "nature", "pasture", "herd", "yurt", "hospitality", "guest", "elder", "village", "district",
    "region", "transmission", "skill", "school", "club", "memory", "heritage", "generation",
    "custom", "wedding", "birth", "spring", "steppe", "river", "mountain", "practice", "bearer",
)  # fmt: skip
KK_NAMES = (
    "Айгүл",
    "Нұрлан",
    "Әсел",
    "Ғалым",
    "Дәулет",
    "Гүлнар",
    "Қайрат",
    "Мөлдір",
    "Ұлан",
    "Сәуле",
)
KK_SURNAMES = ("Ахметова", "Сейітов", "Жұмабаева", "Оспанов", "Құрманова", "Тәжібаев", "Әбілова")

DEFECTS = (
    "enum",
    "required",
    "unknown-field",
    "date-form",
    "province",
    "yaml-syntax",
    "duplicate-key",
    "file-name",
    "future-date",
)
"""Kinds of defect planted in the defective share: each gives at least one error finding."""


SETTINGS = """[tool.ichinv]

[tool.ichinv.baselines]
2013 = { rev = "inventory-2013", label = "Synthetic baseline" }
"""
"""Settings of a generated inventory: its 2013 baseline is the git tag `inventory-2013`."""


@dataclass(frozen=True, slots=True)
class Generated:
    """What `generate` wrote."""

    root: Path
    ids: tuple[str, ...]
    """Element ids, in file order."""
    paths: dict[str, str]
    """Element id → path of its file, relative to the root."""
    defective: dict[str, str]
    """Element id → kind of defect planted in its file."""


def element_id(number: int) -> str:
    """The id of the `number`-th generated element (0-based)."""
    return f"KZ-{FIRST_YEAR + number % YEARS}-{number // YEARS + 1:04d}"


def _sentence(rng: random.Random, words: tuple[str, ...], count: int) -> str:
    chosen = [rng.choice(words) for _ in range(count)]
    return " ".join(chosen).capitalize() + "."


def _text(rng: random.Random, words: tuple[str, ...], sentences: int) -> str:
    return " ".join(_sentence(rng, words, rng.randint(6, 12)) for _ in range(sentences))


def _date(rng: random.Random, year_from: int, year_to: int) -> str:
    return f"{rng.randint(year_from, year_to)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def element(number: int, *, seed: int = 2003, revision: int = 0) -> str:
    """The YAML text of the `number`-th element; `revision` > 0 gives an edited version."""
    rng = random.Random(f"{seed}:{number}")
    record_id = element_id(number)
    year = int(record_id[3:7])
    kk = f"{rng.choice(KK_WORDS).capitalize()} {rng.choice(KK_WORDS)} {number}"
    ru = f"{rng.choice(RU_WORDS).capitalize()} {rng.choice(RU_WORDS)} {number}"
    en = f"{rng.choice(EN_WORDS).capitalize()} {rng.choice(EN_WORDS)} {number}"
    domains = rng.sample(DOMAINS, rng.randint(1, 3))
    provinces = sorted(rng.sample(PROVINCES, rng.randint(1, 4)))
    lines = [
        "# yaml-language-server: $schema=../schema/element.schema.json",
        "schema_version: 1",
        f"id: {record_id}",
        "names:",
        f"  kk: {kk}",
        f"  ru: {ru}",
        f"  en: {en}",
        "domains:",
        *(f"  - {d}" for d in domains),
        f"national_category: {rng.choice(CATEGORIES)}",
        "provinces:",
        *(f"  - {p}" for p in provinces),
        "status: active",
        "communities:",
    ]
    for index in range(rng.randint(1, 3)):
        lines += [
            f"  - name: {_sentence(rng, RU_WORDS, 3)[:-1]} {index + 1}",
            f"    kind: {rng.choice(('community', 'group', 'organisation'))}",
            f"    role: {rng.choice(('practitioners', 'bearers', 'transmitters', 'organisers'))}",
            f"    provinces: [{provinces[0]}]",
        ]
    lines += ["description:"]
    for lang, words, count in (("kk", KK_WORDS, 4), ("ru", RU_WORDS, 4), ("en", EN_WORDS, 3)):
        text = _text(rng, words, count)
        if revision:
            text += f" {_sentence(random.Random(f'{seed}:{number}:{revision}'), words, 5)}"
        lines += [f"  {lang}: |", f"    {text}"]
    lines += [
        "transmission:",
        "  modes:",
        *(f"    - {m}" for m in rng.sample(("family", "master-apprentice", "community"), 2)),
        "viability:",
        f"  status: {rng.choice(('viable', 'at-risk', 'in-danger'))}",
        f"  assessed: {_date(rng, 2023, 2025)}",
        "  assessed_by: Community inventory team",
        "  threats:",
    ]
    for index in range(rng.randint(1, 2)):
        lines += [
            f"    - threat: {_sentence(rng, RU_WORDS, 6)} ({index + 1})",
            f"      kind: {rng.choice(('enactment', 'transmission', 'resources'))}",
        ]
    lines += ["safeguarding:"]
    for index in range(rng.randint(1, 3)):
        lines += [
            f"  - measure: {_sentence(rng, EN_WORDS, 7)[:-1]} ({index + 1}).",
            f"    kind: {rng.choice(('documentation', 'transmission', 'promotion', 'research'))}",
            "    by: Community inventory team",
            f"    status: {rng.choice(('planned', 'ongoing', 'completed'))}",
            f"    since: {_date(rng, 2018, 2022)}",
            f"    until: {_date(rng, 2027, 2030)}",
        ]
    history_date = _date(rng, 2013, 2019)
    lines += [
        "consent:",
        "  status: given",
        f"  date: {_date(rng, 2020, 2025)}",
        "  form: community-decision",
        f"  evidence: Committee archive, consent file {year}/{number % 1000:03d}",
        "  scope: |",
        f"    {_sentence(rng, RU_WORDS, 10)}",
        "  history:",
        "    - status: not-sought",
        f"      date: {history_date}",
        "access:",
        "  level: public",
        "contacts:",
        f"  - name: {rng.choice(KK_NAMES)} {rng.choice(KK_SURNAMES)}",
        "    role: community-representative",
        f"    email: bearer{number}@example.org",
        "    phone: +7 700 000 00 00",
        "provenance:",
        f"  entered: {year}-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}",
        f"  updated: 2025-{rng.randint(7, 11) + revision % 2:02d}-{rng.randint(1, 28):02d}",
        "  inventoried_by: Community inventory team (synthetic)",
        "  illustrative: true",
        "  sources:",
        "    - list: community-inventory",
        f"      url: https://inventory.example.org/elements/{record_id}",
        "      note: |",
        f"        {_sentence(rng, EN_WORDS, 12)}",
    ]
    if rng.random() < 0.3:
        lines += [
            "documentation:",
            f"  - title: {_sentence(rng, EN_WORDS, 5)[:-1]}",
            "    kind: literature",
            f"    year: {rng.randint(1960, 2024)}",
        ]
    return "\n".join(lines) + "\n"


def defective(text: str, kind: str, number: int) -> tuple[str, str]:
    """`text` with one defect of `kind`, and the file stem to write it under."""
    record_id = element_id(number)
    stem = record_id
    if kind == "enum":
        text = text.replace("domains:\n  - ", "domains:\n  - folk-", 1)
    elif kind == "required":
        text = text.replace("status: active\n", "", 1)
    elif kind == "unknown-field":
        text = text.replace("status: active\n", "status: active\nkeywords: [той, дәстүр]\n", 1)
    elif kind == "date-form":
        text = text.replace("  entered: ", "  entered: 0", 1)
    elif kind == "province":
        text = text.replace("provinces:\n  - ", "provinces:\n  - KZ-98\n  - ", 1)
    elif kind == "yaml-syntax":
        text = text.replace("names:\n  kk: ", "names:\n kk: [", 1)
    elif kind == "duplicate-key":
        text = text.replace("status: active\n", "status: active\nstatus: retired\n", 1)
    elif kind == "file-name":
        stem = f"{record_id}-copy"
    elif kind == "future-date":
        text = text.replace("  assessed: ", "  assessed: 2999-01-0", 1).replace(
            "2999-01-0", "2999-01-", 1
        )
    return text, stem


def generate(
    root: Path, count: int, *, seed: int = 2003, defects: float = 0.0, schema: Path | None = None
) -> Generated:
    """Write an inventory of `count` elements (plus the real provinces and schemas) at `root`."""
    root.mkdir(parents=True, exist_ok=True)
    elements = root / "elements"
    elements.mkdir(exist_ok=True)
    shutil.copytree(schema or REPO_ROOT / "schema", root / "schema", dirs_exist_ok=True)
    provinces = root / "provinces"
    provinces.mkdir(exist_ok=True)
    for source in sorted((REPO_ROOT / "provinces").glob("*.yaml")):
        shutil.copy(source, provinces / source.name)
    if (REPO_ROOT / "templates").is_dir():
        shutil.copytree(REPO_ROOT / "templates", root / "templates", dirs_exist_ok=True)
    (root / "pyproject.toml").write_text(SETTINGS, encoding="utf-8")
    picker = random.Random(f"{seed}:defects")
    bad = set(picker.sample(range(count), round(count * defects))) if defects else set()
    paths: dict[str, str] = {}
    planted: dict[str, str] = {}
    for number in range(count):
        text = element(number, seed=seed)
        stem = element_id(number)
        if number in bad:
            kind = DEFECTS[len(planted) % len(DEFECTS)]
            text, stem = defective(text, kind, number)
            planted[element_id(number)] = kind
        paths[element_id(number)] = f"elements/{stem}.yaml"
        (elements / f"{stem}.yaml").write_bytes(text.encode("utf-8"))
    return Generated(root, tuple(paths), paths, planted)


def revise(root: Path, numbers: list[int], *, seed: int = 2003, revision: int = 1) -> None:
    """Edit the elements `numbers` (0-based) of an inventory `generate` wrote."""
    for number in numbers:
        path = root / "elements" / f"{element_id(number)}.yaml"
        path.write_bytes(element(number, seed=seed, revision=revision).encode("utf-8"))


def iter_sizes(root: Path) -> Iterator[int]:
    for path in (root / "elements").iterdir():
        yield path.stat().st_size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2003)
    parser.add_argument("--defects", type=float, default=0.0)
    args = parser.parse_args(argv)
    made = generate(args.root, args.count, seed=args.seed, defects=args.defects)
    sizes = sorted(iter_sizes(args.root))
    print(
        f"{len(made.ids)} elements in {args.root} ({len(made.defective)} with a defect); "
        f"median {sizes[len(sizes) // 2]} bytes"
    )


if __name__ == "__main__":
    main()
