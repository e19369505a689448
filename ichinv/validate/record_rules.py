"""Checks of one record at a time (its fields among themselves, its file name, its texts)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ichinv.core import alphabets as scripts
from ichinv.core import pointers
from ichinv.core.catalogue import rule
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.core.vocabulary import KEPT_IN_PUBLIC_REPOSITORY
from ichinv.schemas.loader import Schema

STALE_AFTER_DAYS = 6 * 365
"""Periodic reports come every six years; an older viability assessment is flagged."""

UNRESTRICTABLE = ("/id", "/status", "/access")
"""Fields public output always needs, so they cannot be listed in access.restricted_parts."""


@dataclass(frozen=True, slots=True)
class RecordContext:
    """What a record check may look at."""

    record: Record
    schema: Schema
    root: Path
    today: dt.date
    public: bool = False
    """The repository is public (settings `visibility = "public"`): personal data and
    restricted parts belong in the private overlay, not in the record."""

    @property
    def data(self) -> Mapping[str, Any]:
        return self.record.data

    @property
    def path(self) -> str:
        return self.record.path


RecordCheck = Callable[[RecordContext], Iterator[Finding]]


def values_at(data: Any, pattern: str) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of every field matching `pattern`: a JSON pointer (RFC 6901: list
    indices, `~1` for `/` and `~0` for `~` in keys) where `*` stands for any item or key."""
    nodes: list[tuple[str, Any]] = [("", data)]
    for raw in pattern.lstrip("/").split("/") if pattern else []:
        part = pointers.unescape(raw)
        following: list[tuple[str, Any]] = []
        for pointer, node in nodes:
            if raw == "*":
                if isinstance(node, list):
                    following.extend((f"{pointer}/{i}", v) for i, v in enumerate(node))
                elif isinstance(node, dict):
                    following.extend((f"{pointer}/{_esc(k)}", v) for k, v in node.items())
            elif isinstance(node, dict) and part in node:
                following.append((f"{pointer}/{_esc(part)}", node[part]))
            elif isinstance(node, list) and pointers.is_index(raw) and int(raw) < len(node):
                following.append((f"{pointer}/{raw}", node[int(raw)]))
        nodes = following
    return iter(nodes)


def strings(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(pointer, text) of every string value in `data`."""
    stack: list[tuple[str, Any]] = [(pointer, data)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, str):
            yield here, node
        elif isinstance(node, dict):
            stack.extend((f"{here}/{_esc(k)}", v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((f"{here}/{i}", v) for i, v in enumerate(node))


def _texts(data: Any) -> Iterator[str]:
    """Every string value in `data`, as `strings` gives them but without their pointers."""
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _esc(key: str) -> str:
    return pointers.escape(str(key))


def _get(data: Any, *keys: Any) -> Any:
    for key in keys:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            data = data[key]
        else:
            return None
    return data


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


# --- identity ---------------------------------------------------------------------------------------


def check_file_name(ctx: RecordContext) -> Iterator[Finding]:
    record_id = ctx.record.id
    stem = PurePosixPath(ctx.path).name.removesuffix(".yaml")
    if record_id is not None and record_id != stem:
        yield rule("id.file-name").finding(
            ctx.path,
            f"the id is {record_id!r} but the file is named {PurePosixPath(ctx.path).name!r}",
            pointer="/id",
            hint=f"rename the file to {record_id}.yaml (git mv keeps its history), "
            "or correct the id",
        )


def check_id_year(ctx: RecordContext) -> Iterator[Finding]:
    record_id = ctx.record.id or ""
    entered = _date(_get(ctx.data, "provenance", "entered"))
    if (
        entered
        and (record_id[3:7].isascii() and record_id[3:7].isdigit())
        and int(record_id[3:7]) != entered.year
    ):
        yield rule("id.year").finding(
            ctx.path,
            f"the id {record_id} says the element entered the inventory in {record_id[3:7]}, "
            f"but provenance.entered is {entered.isoformat()}",
            pointer="/provenance/entered",
            hint="ids never change; correct provenance.entered if it is wrong",
        )


# --- status --------------------------------------------------------------------------------------------


def check_status(ctx: RecordContext) -> Iterator[Finding]:
    status = ctx.data.get("status")
    change = ctx.data.get("status_change")
    if status in ("retired", "merged"):
        if not isinstance(change, dict) or not change.get("reason"):
            yield rule("status.reason").finding(
                ctx.path,
                f"the element is {status} but gives no reason",
                pointer="/status",
                hint="add status_change: with reason:, date: and decision: "
                f"(or run `ichinv {'retire' if status == 'retired' else 'merge'}`)",
            )
        if status == "merged" and not _get(change, "merged_into"):
            yield rule("status.merged-into").finding(
                ctx.path,
                "the element is merged but does not say into which element",
                pointer="/status",
                hint="add status_change.merged_into: with the id of the element it went into",
            )
    elif status == "active" and isinstance(change, dict):
        yield rule("status.change").finding(
            ctx.path,
            "the element is active but carries a status_change (retirement or merger)",
            pointer="/status_change",
            hint="remove status_change, or set status to retired or merged",
            at_key=True,
        )


# --- consent and access ------------------------------------------------------------------------------


def check_consent_access(ctx: RecordContext) -> Iterator[Finding]:
    consent = ctx.data.get("consent")
    access = ctx.data.get("access")
    consent_status = _get(consent, "status")
    level = _get(access, "level")
    if level == "public" and consent_status is not None and consent_status != "given":
        yield rule("access.consent").finding(
            ctx.path,
            f"the record is public but consent is {consent_status!r}: a record is published "
            "only with the free, prior and informed consent of the communities concerned",
            pointer="/access/level",
            hint="set access.level: restricted until consent is given, or record the consent",
        )
    if level == "restricted" and not _get(access, "reason"):
        yield rule("access.reason").finding(
            ctx.path,
            "access is restricted but no reason is given",
            pointer="/access",
            hint="add access.reason: in words that may be published (why, never what)",
        )
    parts = _get(access, "restricted_parts")
    if isinstance(parts, list):
        for index, part in enumerate(parts):
            if not isinstance(part, str):
                continue
            if part in UNRESTRICTABLE or any(part.startswith(u + "/") for u in UNRESTRICTABLE):
                yield rule("access.parts").finding(
                    ctx.path,
                    f"{part} cannot be restricted: public lists always show the id, status and "
                    "access of an element",
                    pointer=f"/access/restricted_parts/{index}",
                )
            elif not list(values_at(ctx.data, part)) and not (
                ctx.public and _schema_field(ctx, part)
            ):
                # In a public repository, a listed part absent from the record is kept in the
                # private overlay (`ichinv private split`); in a private one it is a mistake.
                yield rule("access.parts").finding(
                    ctx.path,
                    f"{part} does not exist in the record, so nothing is withheld there",
                    pointer=f"/access/restricted_parts/{index}",
                    hint="name an existing field, for example /description/kk or /locations",
                )
    if consent_status == "given":
        if not _get(consent, "date"):
            yield rule("consent.date").finding(
                ctx.path,
                "consent is given but has no date",
                pointer="/consent",
                hint="add consent.date: the date the community gave its consent",
            )
        if not _get(consent, "evidence"):
            yield rule("consent.evidence").finding(
                ctx.path,
                "consent is given but its evidence is not referenced",
                pointer="/consent",
                hint="add consent.evidence: where the signed form, recording or minutes are kept",
            )
    if consent_status == "withdrawn" and ctx.data.get("status") == "active":
        yield rule("consent.withdrawn").finding(
            ctx.path,
            "the communities withdrew their consent, but the element is still active",
            pointer="/consent/status",
            hint="the committee should consult the communities and restrict or retire the record",
        )


# --- dates -----------------------------------------------------------------------------------------------


def check_dates(ctx: RecordContext) -> Iterator[Finding]:
    for pattern, may_be_future in ctx.schema.date_fields.items():
        for pointer, value in values_at(ctx.data, pattern):
            if not isinstance(value, str) or len(value) != 10 or value[4] != "-":
                continue  # the schema reports the form
            day = _date(value)
            if day is None:
                yield rule("date.invalid").finding(
                    ctx.path,
                    f"{value} is not a date in the calendar",
                    pointer=pointer,
                    hint="check the month (01–12) and the day of the month",
                )
            elif day > ctx.today and not may_be_future:
                yield rule("date.future").finding(
                    ctx.path,
                    f"{value} is in the future (today is {ctx.today.isoformat()})",
                    pointer=pointer,
                    hint="record the date on which it actually happened",
                )
    yield from _order(ctx)


def _order(ctx: RecordContext) -> Iterator[Finding]:
    data = ctx.data

    def pair(first: str, second: str, what: str, pointer: str, a: Any, b: Any) -> Iterator[Finding]:
        start, end = _date(a), _date(b)
        if start and end and start > end:
            yield rule("date.order").finding(
                ctx.path,
                f"{what}: {first} {a} is after {second} {b}",
                pointer=pointer,
                hint=f"{first} must not come after {second}",
            )

    if ctx.record.kind is RecordKind.PROVINCE:
        yield from pair(
            "valid_from",
            "valid_until",
            "the unit's dates",
            "/valid_until",
            data.get("valid_from"),
            data.get("valid_until"),
        )
        return
    yield from pair(
        "entered",
        "updated",
        "provenance",
        "/provenance/updated",
        _get(data, "provenance", "entered"),
        _get(data, "provenance", "updated"),
    )
    for pointer, measure in values_at(data, "/safeguarding/*"):
        if isinstance(measure, dict):
            yield from pair(
                "since",
                "until",
                "safeguarding measure",
                pointer + "/until",
                measure.get("since"),
                measure.get("until"),
            )
    history = _get(data, "consent", "history")
    if isinstance(history, list):
        previous: Any = None
        for index, entry in enumerate(history):
            current = _get(entry, "date")
            yield from pair(
                "an earlier entry",
                "a later one",
                "consent history (oldest first)",
                f"/consent/history/{index}/date",
                previous,
                current,
            )
            previous = current or previous
        yield from pair(
            "the last history entry",
            "consent.date",
            "consent",
            "/consent/date",
            previous,
            _get(data, "consent", "date"),
        )


# --- names and texts ------------------------------------------------------------------------------------


def check_names(ctx: RecordContext) -> Iterator[Finding]:
    names = ctx.data.get("names")
    if not isinstance(names, dict):
        return
    kk = names.get("kk")
    if isinstance(kk, str):
        stray = next(scripts.latin_letters(kk), None)
        if stray is not None:
            yield rule("names.kk-script").finding(
                ctx.path,
                f"the Kazakh name must be in Cyrillic script: {stray.describe()}",
                pointer="/names/kk",
                hint=f"replace it with Cyrillic {stray.meant!r}"
                if stray.meant
                else "write the Latin spelling under names.kk-Latn",
            )
    for lang, name in names.items():
        if not isinstance(name, str):
            continue
        if lang != "kk":
            mixed = next(scripts.mixed_words(name), None)
            if mixed is not None:
                yield rule("names.mixed-script").finding(
                    ctx.path,
                    f"the {lang} name mixes scripts: {mixed.describe()}",
                    pointer=f"/names/{_esc(lang)}",
                    hint="retype the word in one script",
                )
        if name != name.strip() or "  " in name:
            yield rule("names.whitespace").finding(
                ctx.path,
                f"the {lang} name has leading, trailing or doubled spaces",
                pointer=f"/names/{_esc(lang)}",
                hint="`ichinv fmt` does not touch texts; remove the extra spaces by hand",
            )
    if (
        "kk-Latn" in names
        and ctx.record.kind is RecordKind.ELEMENT
        and "latin_orthography" not in ctx.data
    ):
        yield rule("names.latin-orthography").finding(
            ctx.path,
            "the name in Kazakh Latin script does not say which Latin alphabet it follows",
            pointer="/names/kk-Latn",
            hint="add latin_orthography: 2021 (or 2018, 2017, ala-lc, other)",
        )


def check_texts(ctx: RecordContext) -> Iterator[Finding]:
    texts = list(_texts(ctx.data))
    if not scripts.may_hold_invisible("\n".join(texts)) and not any(
        map(scripts.may_mix_scripts, texts)
    ):
        return  # the common case, settled without a pointer for every text
    for pointer, text in strings(ctx.data):
        body = text.rstrip("\n")
        bad = scripts.invisible_character(body, multiline="\n" in body)
        if bad is not None:
            yield rule("text.control-character").finding(
                ctx.path,
                f"the text holds the invisible character U+{ord(bad):04X}",
                pointer=pointer,
                hint="retype the text; invisible characters come from copying out of other "
                "documents and can hide or reorder what reviewers see",
            )
        elif not pointer.startswith("/names/"):
            mixed = next(scripts.mixed_words(text), None)
            if mixed is not None:
                yield rule("text.mixed-script").finding(
                    ctx.path,
                    f"a word mixes scripts: {mixed.describe()}",
                    pointer=pointer,
                    hint="retype the word in one script",
                )


# --- content ----------------------------------------------------------------------------------------------


def check_category(ctx: RecordContext) -> Iterator[Finding]:
    category = ctx.data.get("national_category")
    index = _get(ctx.data, "provenance", "national_index")
    if isinstance(index, str) and isinstance(category, str) and index.split("-")[0] != category:
        yield rule("category.index").finding(
            ctx.path,
            f"the national index {index} belongs to category {index.split('-')[0]}, "
            f"but national_category is {category}",
            pointer="/provenance/national_index",
            hint="index numbers are the category numeral and a sequence, e.g. I-2",
        )
    if category is None and ctx.data.get("status") == "active":
        yield rule("category.missing").finding(
            ctx.path,
            "no national category (I–V of the 2024 national list)",
            pointer="/national_category",
            hint="add national_category: I, II, III, IV or V",
        )


def check_viability(ctx: RecordContext) -> Iterator[Finding]:
    if ctx.data.get("status") != "active":
        return
    viability = ctx.data.get("viability")
    if viability is None:
        yield rule("viability.missing").finding(
            ctx.path,
            "viability has not been assessed",
            pointer="/viability",
            hint="add viability: with status:, assessed: and the threats the communities see",
        )
        return
    assessed = _date(_get(viability, "assessed"))
    if assessed and (ctx.today - assessed).days > STALE_AFTER_DAYS:
        yield rule("viability.stale").finding(
            ctx.path,
            f"viability was last assessed on {assessed.isoformat()}, more than six years ago",
            pointer="/viability/assessed",
            hint="reassess viability with the communities (periodic report indicator 7.3)",
        )


def check_unesco(ctx: RecordContext) -> Iterator[Finding]:
    for pointer, entry in values_at(ctx.data, "/unesco/*"):
        states = _get(entry, "states")
        if isinstance(states, list) and states and "KZ" not in states:
            yield rule("unesco.states").finding(
                ctx.path,
                "the UNESCO file's States do not include Kazakhstan (KZ)",
                pointer=pointer + "/states",
                hint="add KZ to states",
            )


PATH_FIELDS = ("/documentation/*/path",)
"""Fields that hold a path of a file in the repository (`#/$defs/repo_path`)."""

LOOSE_PATH_FIELDS = ("/consent/evidence",)
"""Fields that hold a path or a reference in words; checked only when the value looks like a
path (one word with a slash or a file extension, or starting with `/`, `~` or a drive)."""

_LOOKS_LIKE_PATH = re.compile(
    r"^(?:[/\\~]|[A-Za-z]:|\.\.?[/\\])|^\S*(?:[/\\]\S*|\.[A-Za-z0-9]{1,5})$"
)


def _leads_outside(value: str) -> bool:
    parts = PurePosixPath(value.replace("\\", "/")).parts
    return (
        value.startswith(("/", "\\", "~"))
        or ".." in parts
        or (len(value) > 1 and value[1] == ":" and value[0].isalpha())
    )


def _resolves_inside(target: Path, root: Path) -> bool:
    try:
        return target.resolve().is_relative_to(root)
    except (RuntimeError, OSError):  # a loop of links leads nowhere, certainly not inside
        return False


def check_paths(ctx: RecordContext) -> Iterator[Finding]:
    for pattern in PATH_FIELDS + LOOSE_PATH_FIELDS:
        strict = pattern in PATH_FIELDS
        for pointer, value in values_at(ctx.data, pattern):
            if not isinstance(value, str) or not value.strip():
                continue
            value = value.strip()
            if not strict and not _LOOKS_LIKE_PATH.search(value):
                continue
            yield from _check_path(ctx, pointer, value, strict=strict)


def _check_path(ctx: RecordContext, pointer: str, value: str, *, strict: bool) -> Iterator[Finding]:
    if _leads_outside(value):
        yield rule("path.outside").finding(
            ctx.path,
            f"the path {value!r} leads outside the repository",
            pointer=pointer,
            hint="give a path relative to the repository root, without '..'",
        )
        return
    target = ctx.root / value
    if target.is_symlink() and not _resolves_inside(target, ctx.root):
        yield rule("path.outside").finding(
            ctx.path,
            f"the path {value!r} is a link to a file outside the repository",
            pointer=pointer,
        )
    elif strict and not target.exists():
        yield rule("path.missing").finding(
            ctx.path,
            f"the file {value!r} does not exist in the repository",
            pointer=pointer,
            hint="add the file, correct the path, or give a url instead",
        )


def _schema_field(ctx: RecordContext, pointer: str) -> bool:
    """Whether `pointer` starts with a field the schema defines (a typo does not)."""
    top = pointers.unescape(pointer.lstrip("/").split("/")[0])
    properties = ctx.schema.document.get("properties")
    return isinstance(properties, Mapping) and top in properties


def held_privately(data: Mapping[str, Any], schema: Schema) -> tuple[str, ...]:
    """Pointers of what a public repository keeps in the private overlay: the personal-data
    fields of the schema and the listed restricted parts of a restricted record."""
    found = list(schema.personal_fields)
    access = data.get("access")
    if isinstance(access, dict) and access.get("level") == "restricted":
        parts = access.get("restricted_parts")
        if isinstance(parts, list):
            found.extend(p for p in parts if isinstance(p, str))
    return tuple(found)


def check_privacy(ctx: RecordContext) -> Iterator[Finding]:
    """In a public repository, personal data and restricted parts must not sit in the record."""
    if not ctx.public:
        return
    hint = (
        "run `ichinv private split` to move it to the private overlay; what was already "
        "committed stays in the git history (see SECURITY.md)"
    )
    for pattern in ctx.schema.personal_fields:
        for pointer, value in values_at(ctx.data, pattern):
            if value not in (None, [], {}, ""):
                yield rule("privacy.public-repository").finding(
                    ctx.path,
                    f"{pointer.lstrip('/')} holds personal data, but the repository is public",
                    pointer=pointer,
                    hint=hint,
                    at_key=True,
                )
    access = ctx.data.get("access")
    if not isinstance(access, dict) or access.get("level") != "restricted":
        return
    parts = access.get("restricted_parts")
    if not parts:
        kept = sorted(k for k in ctx.data if k not in KEPT_IN_PUBLIC_REPOSITORY)
        if kept:
            yield rule("privacy.public-repository").finding(
                ctx.path,
                "the whole record is restricted, but its fields ("
                + ", ".join(kept)
                + ") sit in a public repository",
                pointer="/access",
                hint="list the restricted fields in access.restricted_parts, then " + hint,
            )
        return
    for part in parts if isinstance(parts, list) else []:
        if not isinstance(part, str):
            continue
        for pointer, _ in values_at(ctx.data, part):
            yield rule("privacy.public-repository").finding(
                ctx.path,
                f"{pointer.lstrip('/')} is a restricted part, but the repository is public",
                pointer=pointer,
                hint=hint,
                at_key=True,
            )


def check_list_keys(ctx: RecordContext) -> Iterator[Finding]:
    for pattern, fields in ctx.schema.list_keys.items():
        for pointer, items in values_at(ctx.data, pattern):
            if not isinstance(items, list):
                continue
            seen: dict[tuple[str, ...], int] = {}
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    continue
                key = tuple(str(item.get(f)) for f in fields)
                if key in seen:
                    named = ", ".join(f"{f} {item.get(f)!r}" for f in fields)
                    yield rule("list.duplicate-key").finding(
                        ctx.path,
                        f"items {seen[key] + 1} and {index + 1} of {pointer.lstrip('/')} have the "
                        f"same {named}",
                        pointer=f"{pointer}/{index}",
                        hint="merge the two items, or tell them apart; "
                        f"{' and '.join(fields)} identif{'y' if len(fields) > 1 else 'ies'} an item",
                    )
                else:
                    seen[key] = index


def check_province(ctx: RecordContext) -> Iterator[Finding]:
    data = ctx.data
    until, successors = data.get("valid_until"), data.get("successors")
    if until and not successors:
        yield rule("province.successors").finding(
            ctx.path,
            "the unit ceased to exist (valid_until) but has no successors",
            pointer="/valid_until",
            hint="list the units that took over its territory under successors:",
        )
    if successors and not until:
        yield rule("province.successors").finding(
            ctx.path,
            "the unit has successors but no valid_until date",
            pointer="/successors",
            hint="add valid_until: the last day the unit existed in its former shape",
        )
    if data.get("focus") is True and "target" not in data:
        yield rule("province.target").finding(
            ctx.path,
            "the province is a focus of the revision but has no target of new elements",
            pointer="/focus",
            hint="add target: the number of new elements the inventorying there aims for",
        )


ELEMENT_CHECKS: tuple[RecordCheck, ...] = (
    check_file_name,
    check_id_year,
    check_status,
    check_consent_access,
    check_dates,
    check_names,
    check_texts,
    check_category,
    check_viability,
    check_unesco,
    check_paths,
    check_list_keys,
    check_privacy,
)
PROVINCE_CHECKS: tuple[RecordCheck, ...] = (
    check_file_name,
    check_dates,
    check_names,
    check_texts,
    check_province,
)


def check(ctx: RecordContext) -> list[Finding]:
    """Every per-record finding of `ctx.record`."""
    checks = ELEMENT_CHECKS if ctx.record.kind is RecordKind.ELEMENT else PROVINCE_CHECKS
    return [finding for check_one in checks for finding in check_one(ctx)]
