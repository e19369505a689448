"""`validate --new-since REV`: keep only the findings that did not already exist at a revision.

The inventory as it was at REV is validated from git objects (no checkout, nothing written),
with today's schemas, rules, settings and date: a finding it gives there is *old*, even if
the rule that finds it is newer than REV. That is what lets an inventory adopt a stricter rule
without blocking every pull request until the backlog is cleared.

Findings are matched by record (its id, else its path), rule, field (JSON pointer) and
message, never by line, so edits that move lines do not make old findings new; a second pass
also matches findings whose list positions moved (an item inserted above them). Matching
counts: two identical findings where REV had one make one new finding. An expired
suppression (`suppression.expired`) is always reported: its date is a deadline, not debt.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from ichinv.core import dates
from ichinv.core.catalogue import rule
from ichinv.core.errors import RevisionNotFound
from ichinv.core.model import Finding, Suppression, ValidationResult
from ichinv.inventory import snapshots as snapshot
from ichinv.io.settings import Settings
from ichinv.schemas.loader import SchemaSet
from ichinv.validate import cross_rules as inventory
from ichinv.validate import engine as validation

ALWAYS_NEW = frozenset({"suppression.expired"})
"""Rules whose findings are reported even when they existed at the revision."""

REV_HINT = (
    "name a branch, tag or commit that exists locally (`git branch -a`, `git log --oneline`); "
    "in CI, check out with full history (actions/checkout with `fetch-depth: 0`) and name the "
    "base branch as origin/<branch>"
)


@dataclass(frozen=True, slots=True)
class NewSince:
    """How a result was limited to new findings: the revision and what was left out."""

    rev: str
    """The revision as given."""
    commit: str
    """The 40-hex commit it resolved to."""
    old: int
    """Findings of the current run that already existed at the revision (not reported)."""

    def as_json(self) -> dict[str, object]:
        return {"rev": self.rev, "commit": self.commit, "already_there": self.old}


@dataclass(frozen=True, slots=True)
class NewFindings:
    """The current result restricted to new findings, and how."""

    result: ValidationResult
    """Findings not present at the revision (suppressed ones are listed as usual)."""
    since: NewSince


def resolve(settings: Settings, rev: str) -> str:
    """The commit `rev` names (RevisionNotFound with a hint for CI when it does not exist)."""
    from ichinv.io.git import open_repo

    try:
        return open_repo(settings.root).resolve(rev, what="--new-since")
    except RevisionNotFound as exc:
        raise RevisionNotFound(exc.message, hint=REV_HINT) from None


def validate_files(
    settings: Settings,
    files: Sequence[snapshot.RecordFile],
    *,
    schemas: SchemaSet,
    day: dt.date,
    cache: validation.ResultCache | None = None,
) -> ValidationResult:
    """Validate the record files of a revision (see snapshot.files_at), read from git objects.

    Every finding is kept, suppressed or not: a finding the committee accepted at the revision
    existed there. Record rules that look at files (documentation paths) look at the working
    tree: the question is whether the *records* already had the problem.
    """
    raws: dict[str, bytes] = {}
    findings: list[Finding] = []
    declared: list[Suppression] = list(settings.suppressions)
    entries: list[inventory.IndexEntry] = []
    for file in files:
        if file.raw is None:
            findings.append(
                rule("file.too-large").finding(
                    file.path,
                    f"{file.path} is larger than {settings.max_file_size:,} bytes",
                    line=1,
                    column=1,
                )
            )
            continue
        raws[file.path] = file.raw
        check = cache.get(file.path, file.blob) if cache is not None else None
        if check is None:
            check = validation.check_file(
                file.kind,
                file.path,
                file.raw,
                schemas,
                settings.root,
                day,
                public=settings.visibility == "public",
            )
            if cache is not None:
                cache.put(file.path, file.blob, check)
        findings.extend(check.findings)
        declared.extend(check.suppressions)
        if check.entry is not None:
            entries.append(check.entry)
    rejected = {(f.path, f.pointer) for f in findings if f.rule.startswith("schema.")}
    cross = [f for f in inventory.check(entries) if (f.path, f.pointer) not in rejected]
    findings.extend(_locate(cross, raws))
    kept, suppressed, bookkeeping = validation.apply_suppressions(findings, declared, day, settings)
    everything = kept + [s.finding for s in suppressed] + _locate(bookkeeping, raws)
    return ValidationResult(
        checked=len(files), findings=tuple(sorted(everything, key=Finding.sort_key))
    )


def _locate(findings: list[Finding], raws: Mapping[str, bytes]) -> list[Finding]:
    located: list[Finding] = []
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    for path, group in by_path.items():
        raw = raws.get(path)
        located.extend(validation.locate(group, raw) if raw is not None else group)
    return located


# --- matching ----------------------------------------------------------------------------------

_INDEX = re.compile(r"(?<=/)[0-9]+(?=/|$)")
_ITEM_WORDS = re.compile(r"\bitem [0-9]+ of\b")
_DOTTED_INDEX = re.compile(r"(?<=[.`])[0-9]+(?=[.`])")


def exact_key(finding: Finding, identity: str) -> tuple[str, str, str, str]:
    """What identifies a finding: its record, rule, field and message (never its line)."""
    return (identity, finding.rule, finding.pointer, finding.message)


def loose_key(finding: Finding, identity: str) -> tuple[str, str, str, str]:
    """The same, with list positions left out (`/communities/3/name` → `/communities/#/name`)."""
    message = _ITEM_WORDS.sub("item # of", finding.message)
    message = _DOTTED_INDEX.sub("#", message)
    return (identity, finding.rule, _INDEX.sub("#", finding.pointer), message)


def split(
    current: Sequence[Finding],
    identity_now: Mapping[str, str],
    old: Iterable[Finding],
    identity_then: Mapping[str, str],
) -> tuple[list[Finding], list[Finding]]:
    """(new, already there): `current` split by whether `old` had each finding.

    `identity_*` maps a file path to its record's identity (its id); a path not in it is its
    own identity.
    """
    old = list(old)
    exact = Counter(exact_key(f, identity_then.get(f.path, f.path)) for f in old)
    loose = Counter(loose_key(f, identity_then.get(f.path, f.path)) for f in old)
    pending: list[tuple[int, Finding]] = []
    matched: set[int] = set()
    for number, finding in enumerate(current):
        if finding.rule in ALWAYS_NEW:
            continue
        who = identity_now.get(finding.path, finding.path)
        key = exact_key(finding, who)
        if exact[key] > 0:
            exact[key] -= 1
            loose[loose_key(finding, who)] -= 1
            matched.add(number)
        else:
            pending.append((number, finding))
    for number, finding in pending:
        key = loose_key(finding, identity_now.get(finding.path, finding.path))
        if loose[key] > 0:
            loose[key] -= 1
            matched.add(number)
    new = [f for number, f in enumerate(current) if number not in matched]
    seen = [f for number, f in enumerate(current) if number in matched]
    return new, seen


def identities(paths: Iterable[str], read: Mapping[str, bytes | None]) -> dict[str, str]:
    """Path → record id, for the paths whose bytes name an id (see snapshot.quick_id)."""
    found: dict[str, str] = {}
    for path in paths:
        raw = read.get(path)
        record_id = snapshot.quick_id(raw) if raw else None
        if record_id is not None:
            found[path] = record_id
    return found


def new_since(
    settings: Settings,
    current: ValidationResult,
    rev: str,
    *,
    schemas: SchemaSet | None = None,
    day: dt.date | None = None,
    cache: validation.ResultCache | None = None,
) -> NewFindings:
    """The findings of `current` (the working tree's) that did not exist at revision `rev`."""
    from ichinv.schemas import loader as schema_module

    commit = resolve(settings, rev)
    schemas = schemas or schema_module.load(settings.schema_dir)
    day = day or dates.today()
    files = snapshot.files_at(settings, commit)
    then = validate_files(settings, files, schemas=schemas, day=day, cache=cache)
    identity_then = identities({f.path for f in then.findings}, {f.path: f.raw for f in files})
    paths_now = {f.path for f in current.findings}
    identity_now = identities(paths_now, {p: _read(settings, p) for p in paths_now})
    new, seen = split(current.findings, identity_now, then.findings, identity_then)
    return NewFindings(replace(current, findings=tuple(new)), NewSince(rev, commit, len(seen)))


def _read(settings: Settings, path: str) -> bytes | None:
    target = settings.root / path
    try:
        if target.is_file() and target.stat().st_size <= settings.max_file_size:
            return target.read_bytes()
    except OSError:
        return None
    return None
