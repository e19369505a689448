"""Comparing the inventory at a baseline (a named one from the settings, or any git revision)
with the working tree or another revision: the use case of `ichinv diff` and `diff-2013`.

Only files whose blob differs are read and parsed; the element diff engine
(ichinv.diff.engine) compares them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from ichinv.core import i18n
from ichinv.core.errors import ConfigError, UsageError, unknown_id
from ichinv.core.i18n import N_, _
from ichinv.core.model import DiffResult, ElementDiff, ElementStatus, Finding, Record, RecordKind
from ichinv.core.vocabulary import is_element_id
from ichinv.diff.engine import DiffFilter, Pairing, Side, diff_sides, pair_by_blob
from ichinv.diff.fields import PROVINCE_FIELDS, DiffRules, rules_from
from ichinv.inventory import audience as redact
from ichinv.inventory import record_files, redaction
from ichinv.inventory import snapshots as snapshot
from ichinv.inventory.audience import Audience
from ichinv.inventory.fields import name_of, strings
from ichinv.inventory.quick_read import quick_status
from ichinv.io import git as gitrepo
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader


def named_baseline(settings: Settings, name: str) -> str:
    """`name`, after checking that the settings name such a baseline (ConfigError otherwise)."""
    if name not in settings.baselines:
        where = settings.config_file.name if settings.config_file else "pyproject.toml"
        raise ConfigError(
            _("no baseline named {name!r} in the settings ({where})").format(
                name=name, where=where
            ),
            hint=_(
                'add {name} = {{ rev = "<commit id or tag>", label = "…" }} under '
                "[tool.ichinv.baselines], or pass --baseline REV"
            ).format(name=name),
        )
    return name


def inventory_rules(settings: Settings, provinces: Iterable[Record]) -> DiffRules:
    """Rules from the inventory's element schema and its province records."""
    schema = schema_loader.load_schema(
        RecordKind.ELEMENT, settings.schema_file(RecordKind.ELEMENT), check=False
    )
    province_pattern = schema.document.get("$defs", {}).get("province_id", {}).get("pattern")
    fields = tuple(
        pattern
        for pattern, sub in schema.walk()
        if province_pattern and sub.get("pattern") == province_pattern
    )
    return rules_from(
        schema.list_keys,
        provinces,
        province_fields=fields or PROVINCE_FIELDS,
    )


def compare(
    settings: Settings,
    baseline: str | None,
    against: str | None = None,
    *,
    filters: DiffFilter | None = None,
    audience: Audience = Audience.PUBLIC,
) -> DiffResult:
    """Compare the inventory at a baseline with the working tree (or with revision `against`).

    `baseline` is a baseline named in settings (`2013`, `2024`) or any git revision; None means
    the settings' default baseline. Only files whose blob differs are read and parsed. For the
    public (the default), changes inside anything either side, or the record as it is today,
    withholds say where and what kind, never what (ichinv.inventory.redaction).
    Raises ConfigError, RevisionNotFound or GitError when the comparison cannot be made.
    """
    named = settings.baseline(baseline)
    repo = gitrepo.open_repo(settings.root)
    filters = filters or DiffFilter()
    with snapshot.at_commit(settings, named.rev, repo=repo, what=N_("baseline")) as old:
        current = (
            snapshot.at_commit(settings, settings.revision(against), repo=repo, what="--against")
            if against is not None
            else snapshot.working_tree(settings, repo=repo)
        )
        with current:
            pairing = pair_by_blob(old.blobs(), current.blobs())
            want_current = list(pairing.current_only)
            if filters.needs_data:
                want_current += [c for __, c in pairing.unchanged]
            else:
                # Unchanged files are named by their file name (validate checks that it is the
                # id); one whose name is not an id is read for its id.
                want_current += [
                    c for __, c in pairing.unchanged if not (current.hints.get(c) or _named(c))
                ]
            old_parsed = old.records([*pairing.base_only, *old.paths(RecordKind.PROVINCE)])
            new_parsed = current.records([*want_current, *current.paths(RecordKind.PROVINCE)])
            # Baseline provinces first, so that the current records win (successors are
            # added to a province when it ceases to exist, after the baseline).
            provinces = [
                r
                for r in [*old_parsed.values(), *new_parsed.values()]
                if isinstance(r, Record) and r.kind is RecordKind.PROVINCE
            ]
            rules = inventory_rules(settings, provinces)
            known_provinces = {r.id for r in provinces if r.id is not None}
            elements = diff_sides(
                Side(old.blobs(), old_parsed, old.hints),
                Side(current.blobs(), new_parsed, current.hints),
                rules,
                pairing,
            )
            elements = _with_status_now(elements, old, pairing)
            elements = _unread_not_removed(elements, getattr(current, "problems", ()))
            _check_filters(filters, elements, known_provinces, against or _("the working tree"))
            problems = tuple(
                sorted(
                    (
                        *(
                            r
                            for p, r in new_parsed.items()
                            if isinstance(r, Finding) and current.kind_of(p) is RecordKind.PROVINCE
                        ),
                        # What in the records folders is no record (a folder named X.yaml, a
                        # link, a hidden file): a record there would otherwise read as removed.
                        *getattr(current, "problems", ()),
                    ),
                    key=Finding.sort_key,
                )
            )
            against_label = current.label
            if audience is Audience.PUBLIC:
                changed = [e.id for e in elements if e.changes]
                today = _working_tree_records(settings, changed) if against is not None else {}
                policy = redact.policy_for(settings.schema_dir)
                elements = public_elements(elements, old_parsed, new_parsed, today, policy)
    lang = i18n.current()  # province names in the language of the reports
    names = {
        r.id: name_of(r.data, lang) for r in provinces if r.id is not None and name_of(r.data, lang)
    }
    return DiffResult(
        baseline_rev=named.rev,
        baseline_commit=old.label,
        against=against_label,
        elements=tuple(e for e in elements if filters.keeps(e, rules)),
        baseline_name=named.name if named.name in settings.baselines else None,
        problems=problems,
        baseline_label=named.label,
        against_rev=against,
        province_names=names,
        filtered=bool(filters.elements or filters.provinces or filters.domains or filters.statuses),
    )


def _unread_not_removed(
    elements: Sequence[ElementDiff], problems: Sequence[Finding]
) -> tuple[ElementDiff, ...]:
    """An element whose file is there but is no readable record (a folder named like it, a
    link, a pipe) is not "removed": it carries the problem, and what it is now is unknown."""
    by_path = {p.path: p for p in problems}
    return tuple(
        replace(e, problems=(*e.problems, by_path[e.path]), now="unknown")
        if e.status is ElementStatus.REMOVED and e.path in by_path
        else e
        for e in elements
    )


def _check_filters(
    filters: DiffFilter, elements: Sequence[ElementDiff], provinces: set[str], against: str
) -> None:
    """A usage error for an element or province filter that names nothing on either side:
    an answer of "no differences" would be a wrong one."""
    ids = {e.id for e in elements}
    for element_id in filters.elements:
        if element_id in ids:
            continue
        if not is_element_id(element_id):
            raise UsageError(
                _("--element {id} is not an element id").format(id=element_id),
                hint=_("element ids look like KZ-2013-0001 (`ichinv list` shows them)"),
            )
        guess = unknown_id("element", element_id, ids, "elements").hint
        raise UsageError(
            _("no element {id} is in the baseline nor in {against}").format(
                id=element_id, against=against
            ),
            hint=guess,
        )
    for province_id in filters.provinces:
        if province_id not in provinces:
            raise unknown_id(
                "province",
                province_id,
                provinces,
                "provinces",
                otherwise=_("province ids are ISO 3166-2 codes such as KZ-23; see provinces/"),
            )


def _named(path: str) -> bool:
    """Whether the file name is an element id."""
    return is_element_id(path.rpartition("/")[2].removesuffix(".yaml"))


def public_elements(
    elements: Sequence[ElementDiff],
    old_parsed: Mapping[str, Record | Finding],
    new_parsed: Mapping[str, Record | Finding],
    today: Mapping[str, Record],
    policy: redact.Policy,
) -> tuple[ElementDiff, ...]:
    """The element diffs as the public may read them: changes of anything withheld by either
    side or by the record as it is `today` (by id) without their values, and the name and
    places from the public view of the record. `*_parsed`: the records by path."""
    result = []
    for element in elements:
        new = new_parsed.get(element.path) if element.status is not ElementStatus.REMOVED else None
        old = old_parsed.get(element.old_path or element.path)
        versions = [r.data for r in (old, new, today.get(element.id)) if isinstance(r, Record)]
        shown = new if isinstance(new, Record) else old if isinstance(old, Record) else None
        view = redact.public_view(shown, policy=policy) if shown is not None else None
        result.append(
            replace(
                element,
                changes=redaction.public_changes(element.changes, versions, policy=policy),
                name=name_of(view) if view is not None else element.name,
                provinces=tuple(strings(view.get("provinces"))) if view else element.provinces,
                domains=tuple(strings(view.get("domains"))) if view else element.domains,
            )
        )
    return tuple(result)


def _working_tree_records(settings: Settings, ids: Sequence[str]) -> dict[str, Record]:
    """The working tree's records of the elements `ids` (by their file names): what today's
    restrictions are, when two revisions are compared."""
    found: dict[str, Record] = {}
    for element_id in ids:
        rel = f"{RecordKind.ELEMENT.folder}/{element_id}{record_files.SUFFIX}"
        source = record_files.SourceFile(RecordKind.ELEMENT, settings.root / rel, rel)
        raw = record_files.read(source, settings.max_file_size)
        parsed = record_files.parse(RecordKind.ELEMENT, rel, raw) if isinstance(raw, bytes) else raw
        if isinstance(parsed, tuple) and parsed[0].id == element_id:
            found[element_id] = parsed[0]
    return found


def _with_status_now(
    elements: Sequence[ElementDiff], old: snapshot.Snapshot, pairing: Pairing
) -> tuple[ElementDiff, ...]:
    """`now` for the elements whose files did not change (so were not parsed): read from the
    `status:` line of the bytes, which are the same on both sides."""
    unread = {e.path: e for e in elements if not e.now}
    if not unread:
        return tuple(elements)
    base_of = {current: base for base, current in pairing.unchanged}
    raw = old.raw(base_of.get(path, path) for path in unread)
    now: dict[str, str] = {}
    for path in unread:
        content = raw.get(base_of.get(path, path))
        status = quick_status(content) if isinstance(content, bytes) else None
        now[path] = status or "unknown"
    return tuple(replace(e, now=now[e.path]) if e.path in now else e for e in elements)
