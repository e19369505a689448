"""Diff reports: plain text for the terminal, Markdown for pull requests and packets, SPEC JSON."""

from __future__ import annotations

import json as _json
from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, Protocol

from ichinv.core.model import Change, ChangeKind, DiffResult, ElementDiff, ElementStatus
from ichinv.render.findings import limits
from ichinv.render.findings.json import finding_json
from ichinv.render.findings.text import finding_line
from ichinv.render.markdown import escape as mdsafe
from ichinv.render.plain import dumps, one_line

DIFFERING = (
    ElementStatus.ADDED,
    ElementStatus.REVISED,
    ElementStatus.RETIRED,
    ElementStatus.MERGED,
    ElementStatus.REMOVED,
)
"""Statuses counted in the by-province and by-domain tables (unchanged elements are not)."""

REMAP_NOTE = "administrative re-mapping"
_REMAP_ALONE = f"an {REMAP_NOTE} alone does not make an element revised"
WITHHELD_NOTE = "value not shown: personal data or a restricted part"
_VALUE_WIDTH = 160


# --- shared --------------------------------------------------------------------------------------


def _compact(value: Any) -> str:
    return _json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _short(text: str, width: int = _VALUE_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _baseline_words(result: DiffResult) -> str:
    name = f"baseline {result.baseline_name}" if result.baseline_name else "baseline"
    rev = result.baseline_rev
    commit = result.baseline_commit[:12]
    return (
        f"{name} ({rev}, commit {commit})"
        if rev != result.baseline_commit
        else f"{name} (commit {commit})"
    )


def _against_words(result: DiffResult) -> str:
    if result.against_rev is None:
        return "the working tree"
    if result.against_rev == result.against:
        return f"commit {result.against[:12]}"
    return f"{result.against_rev} (commit {result.against[:12]})"


def _shown(result: DiffResult) -> list[ElementDiff]:
    """Elements worth a section: those that differ, and files moved without an edit."""
    return [e for e in result.elements if e.differs or e.old_path]


def _remapped(element: ElementDiff) -> bool:
    return any(c.remapped for c in element.changes)


def _tally(result: DiffResult, groups_of: str) -> list[tuple[str, Counter[str]]]:
    tally: dict[str, Counter[str]] = {}
    for element in result.elements:
        if not element.differs:
            continue
        groups = getattr(element, groups_of) or ("(not known)",)
        for group in groups:
            counter = tally.setdefault(group, Counter())
            if element.status in DIFFERING:
                counter[element.status.value] += 1
            if _remapped(element):
                counter["re-mapped"] += 1
    return sorted(tally.items())


_COLUMNS = [*(s.value for s in DIFFERING), "re-mapped"]


def _province_label(result: DiffResult, pid: str) -> str:
    name = result.province_names.get(pid)
    return f"{pid} {name}" if name else pid


# --- text ----------------------------------------------------------------------------------------


def _text_value(value: Any) -> str:
    return one_line(_short(_compact(value)))


def _text_words(words: Iterable[tuple[str, str]]) -> str:
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return one_line("".join(marks[op].format(text) for op, text in words))


def change_line(change: Change) -> str:
    """One change on one line: `POINTER: OLD → NEW`, `POINTER: added NEW`, and so on."""
    pointer = one_line(change.pointer)
    if change.withheld:
        text = f"{change.kind.value} ({WITHHELD_NOTE})"
    elif change.kind is ChangeKind.ADDED:
        text = f"added {_text_value(change.new)}"
    elif change.kind is ChangeKind.REMOVED:
        text = f"removed {_text_value(change.old)}"
    elif change.words:
        text = _text_words(change.words)
    else:
        text = f"{_text_value(change.old)} → {_text_value(change.new)}"
    if change.remapped:
        text += f" ({REMAP_NOTE})"
    return f"{pointer}: {text}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def _nothing(result: DiffResult) -> str:
    """What a report says when no element differs: that none differs, or, when the filters
    chose no element at all, that (never "no differences" for elements nobody compared)."""
    if result.filtered and not result.elements:
        return "No element matches all the filters given, so nothing was compared."
    return "No differences."


def _late(result: DiffResult) -> list[tuple[str, int]]:
    """How many elements are, since the baseline, `added, now retired` and the like."""
    counts = Counter(e.status_now for e in result.elements if e.status_now != e.status.value)
    return sorted(counts.items())


def render_text(result: DiffResult, *, stat: bool = False) -> str:
    summary = result.summary()
    lines = [f"Compared {_baseline_words(result)} with {_against_words(result)}."]
    if result.baseline_label:
        lines.append(f"Baseline: {one_line(result.baseline_label)}")
    lines += ["", "Elements by status:"]
    lines += _table(["status", "elements"], [[k, str(v)] for k, v in summary.items()])
    late = _late(result)
    if late:
        lines.append("  (" + "; ".join(f"{n} {label}" for label, n in late) + ")")
    remapped = sum(1 for e in result.elements if _remapped(e))
    if remapped:
        lines.append(f"  ({remapped} with provinces re-mapped to today's units; {_REMAP_ALONE})")
    if not stat:
        for title, attribute in (("province", "provinces"), ("domain", "domains")):
            tally = _tally(result, attribute)
            if not tally:
                continue
            lines += ["", f"Elements that differ, by {title}:"]
            rows = [
                [_province_label(result, g) if attribute == "provinces" else g]
                + [str(c[col]) for col in _COLUMNS]
                for g, c in tally
            ]
            lines += _table([title, *_COLUMNS], rows)
        if any(c.words for e in _shown(result) for c in e.changes):
            lines += ["", "Word-level changes: {+added text+} and [-removed text-]."]
        for element in _shown(result):
            lines.append("")
            head = f"{element.id}  {element.status_now}"
            if element.name:
                head += f"  {one_line(element.name)}"
            lines.append(head)
            where = element.path + (f" (was {element.old_path})" if element.old_path else "")
            lines.append(f"  {one_line(where)}")
            lines += [f"  {change_line(c)}" for c in element.changes]
            lines += [f"  problem: {finding_line(p)}" for p in element.problems]
    if result.problems:
        lines += ["", "Problems:"]
        lines += [f"  {finding_line(p)}" for p in result.problems]
    if not stat and not any(e.differs for e in result.elements) and not result.problems:
        lines += ["", _nothing(result)]
    return "\n".join(lines) + "\n"


# --- markdown ------------------------------------------------------------------------------------


def _md_value(value: Any) -> str:
    if value is None:
        return ""
    return mdsafe.cell(_short(value if isinstance(value, str) else _compact(value), 500))


def change_row(change: Change) -> str:
    """A Markdown table row: | field | change | before | after |."""
    kind = change.kind.value + (f" ({REMAP_NOTE})" if change.remapped else "")
    if change.withheld:
        before = after = "*withheld*"
    elif change.words:
        before, after = "*word diff →*", mdsafe.word_diff(change.words)
    else:
        before, after = _md_value(change.old), _md_value(change.new)
    return f"| `{change.pointer.replace('`', '')}` | {kind} | {before} | {after} |"


COMMENT_LIMIT = 65_536
"""Characters a GitHub pull-request comment holds: the default size of the Markdown report."""

WORDS_LEGEND = "Word-level changes: **bold** text was added, ~~struck-through~~ text was removed."


def render_markdown(result: DiffResult, *, stat: bool = False, max_chars: int = 0) -> str:
    """The report for a pull-request comment or a packet. With `max_chars` (0: no limit), the
    elements that do not fit are left out, and a note at the end names them and says how to
    get the whole report."""
    head = _markdown_head(result, stat)
    blocks: list[list[str]] = []
    if not stat:
        shown = _shown(result)
        if not shown:
            head += ["", _nothing(result)]
        elif any(c.words for e in shown for c in e.changes):
            head += ["", f"*{WORDS_LEGEND}*"]
        blocks = [_markdown_element(element) for element in shown]
    tail: list[str] = []
    for problem in result.problems:
        tail += ["", f"> **Problem:** {mdsafe.cell(finding_line(problem))}"]
    text = "\n".join(head + [line for block in blocks for line in block] + tail) + "\n"
    if not max_chars or len(text) <= max_chars:
        return text
    return _shortened(result, head, blocks, tail, max_chars)


def _markdown_head(result: DiffResult, stat: bool) -> list[str]:
    title = (
        f"baseline {mdsafe.cell(result.baseline_name)}" if result.baseline_name else "the baseline"
    )
    lines = [f"## Inventory changes since {title}", ""]
    against = "the working tree" if result.against_rev is None else f"`{result.against[:12]}`"
    source = f"`{mdsafe.cell(result.baseline_rev)}` (commit `{result.baseline_commit[:12]}`)"
    label = f" — {mdsafe.cell(result.baseline_label)}" if result.baseline_label else ""
    lines += [f"Baseline {source}{label}, compared with {against}.", ""]
    lines += ["| Status | Elements |", "| --- | ---: |"]
    lines += [f"| {k} | {v} |" for k, v in result.summary().items()]
    late = _late(result)
    if late:
        lines += ["", "Of these: " + "; ".join(f"{label}: {n}" for label, n in late) + "."]
    remapped = sum(1 for e in result.elements if _remapped(e))
    if remapped:
        lines += [
            "",
            f"{remapped} element(s) with provinces re-mapped to today's units; {_REMAP_ALONE}.",
        ]
    if stat:
        return lines
    for title_word, attribute in (("province", "provinces"), ("domain", "domains")):
        tally = _tally(result, attribute)
        if not tally:
            continue
        lines += ["", f"### Elements that differ, by {title_word}", ""]
        lines.append(f"| {title_word.capitalize()} | " + " | ".join(_COLUMNS) + " |")
        lines.append("| --- |" + " ---: |" * len(_COLUMNS))
        for group, counter in tally:
            label_text = _province_label(result, group) if attribute == "provinces" else group
            cells = " | ".join(str(counter[c]) for c in _COLUMNS)
            lines.append(f"| {mdsafe.cell(label_text)} | {cells} |")
    return lines


def _markdown_element(element: ElementDiff) -> list[str]:
    name = f" · {mdsafe.cell(element.name)}" if element.name else ""
    lines = ["", f"### {mdsafe.cell(element.id)}{name} — {element.status_now}", ""]
    where = f"`{element.path.replace('`', '')}`"
    if element.old_path:
        where += f" (was `{element.old_path.replace('`', '')}`)"
    lines.append(where)
    if element.changes:
        lines += ["", "| Field | Change | Before | After |", "| --- | --- | --- | --- |"]
        lines += [change_row(c) for c in element.changes]
    for problem in element.problems:
        lines += ["", f"> **Problem:** {mdsafe.cell(finding_line(problem))}"]
    return lines


def _shortened(
    result: DiffResult,
    head: list[str],
    blocks: list[list[str]],
    tail: list[str],
    max_chars: int,
) -> str:
    """The report cut to `max_chars`: whole element sections while they fit, then a note
    naming the elements left out."""
    ids = [e.id for e in _shown(result)]

    def note(kept: int) -> list[str]:
        left = ids[kept:]
        named = ", ".join(f"`{mdsafe.cell(i)}`" for i in left[:20])
        more = f" and {len(left) - 20} more" if len(left) > 20 else ""
        return [
            "",
            f"> **Shortened to {max_chars:,} characters:** {len(left)} of {len(ids)} elements "
            f"that differ are not shown: {named}{more}. Run the same command with "
            "`--max-chars 0` for the whole report (in CI: the run's artifact holds it).",
        ]

    used = len("\n".join(head + tail)) + len("\n".join(note(0))) + 2
    kept = 0
    for block in blocks:
        size = len("\n".join(block)) + 1
        if used + size > max_chars:
            break
        used += size
        kept += 1
    lines = head + [line for block in blocks[:kept] for line in block] + tail + note(kept)
    text = "\n".join(lines) + "\n"
    if len(text) <= max_chars:
        return text
    # Even the summary does not fit: cut between lines, and say so.
    return limits.cut(
        text,
        max_chars,
        f"> **Shortened to {max_chars:,} characters:** {{lines}} lines are not shown. Run the "
        "same command with `--max-chars 0` for the whole report.",
    )


# --- json ----------------------------------------------------------------------------------------


def change_json(change: Change) -> dict[str, Any]:
    """SPEC shape {"pointer", "kind", "old", "new"}, plus remapped/words/withheld when set."""
    document: dict[str, Any] = {
        "pointer": change.pointer,
        "kind": change.kind.value,
        "old": change.old,
        "new": change.new,
    }
    if change.remapped:
        document["remapped"] = True
    if change.words:
        document["words"] = [list(w) for w in change.words]
    if change.withheld:
        document["withheld"] = True
    return document


def element_json(element: ElementDiff, *, stat: bool = False) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": element.id,
        "status": element.status.value,
        "now": element.now,
        "path": element.path,
        "changes": [change_json(c) for c in element.changes],
    }
    if element.old_path:
        document["old_path"] = element.old_path
    if element.name:
        document["name"] = element.name
    if element.provinces:
        document["provinces"] = list(element.provinces)
    if element.domains:
        document["domains"] = list(element.domains)
    if element.problems:
        document["problems"] = [finding_json(p) for p in element.problems]
    return document


def diff_json(result: DiffResult, *, stat: bool = False) -> dict[str, Any]:
    document: dict[str, Any] = {
        "baseline": {
            "rev": result.baseline_rev,
            "commit": result.baseline_commit,
            "name": result.baseline_name,
            "label": result.baseline_label or None,
        },
        "against": result.against,
        "summary": result.summary(),
    }
    if not stat:
        document["elements"] = [element_json(e) for e in result.elements]
    document["problems"] = [finding_json(p) for p in result.problems]
    return document


def render_json(result: DiffResult, *, stat: bool = False) -> str:
    return dumps(diff_json(result, stat=stat))


class DiffFormat(StrEnum):
    """Output formats of `ichinv diff` and `ichinv diff-2013`."""

    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


class DiffRenderer(Protocol):
    """`result -> str`; with `stat=True`, the counts only."""

    def __call__(self, result: DiffResult, *, stat: bool = False) -> str: ...


def _diff_text(result: DiffResult, *, stat: bool = False) -> str:
    return render_text(result, stat=stat)


def _diff_markdown(result: DiffResult, *, stat: bool = False) -> str:
    return render_markdown(result, stat=stat)


def _diff_json(result: DiffResult, *, stat: bool = False) -> str:
    return render_json(result, stat=stat)


RENDERERS: dict[DiffFormat, DiffRenderer] = {
    DiffFormat.TEXT: _diff_text,
    DiffFormat.MARKDOWN: _diff_markdown,
    DiffFormat.JSON: _diff_json,
}
