"""GitHub's limits, respected by design: how many annotations show, how long a summary may be.

GitHub Actions shows at most 10 error, 10 warning and 10 notice annotations of a step and 50
of a job; the rest are silently dropped (actions/toolkit#734). A pull-request comment or a
check-run summary holds at most 65,536 characters. This module decides which annotations to
emit (errors first) and how to shorten Markdown to a limit (fair shares per section, never
cutting a code block or a `<details>` open), and reads the GitHub Actions environment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

ANNOTATIONS_PER_STEP: Mapping[str, int] = {"error": 10, "warning": 10, "notice": 10}
"""Annotations GitHub shows per step, by level."""

ANNOTATIONS_PER_JOB = 50
"""Annotations GitHub shows per job, all levels together."""

SUMMARY_LIMIT = 65_536
"""Characters of a comment or check-run summary; what a job summary is kept under too."""

LEAST_CHARS = 1000
"""The shortest Markdown worth writing under a limit: its heading, its counts and the note
saying what was left out (the least `ci summary --limit` and `diff --max-chars` take)."""

STEP_SUMMARY_BYTES = 1024 * 1024
"""Bytes of job summary one step may write (`$GITHUB_STEP_SUMMARY`); GitHub drops a larger one."""

LEVEL_ORDER = ("error", "warning", "notice")
"""Most important first: the order annotations are given their places in."""


@dataclass(frozen=True, slots=True)
class AnnotationPlan:
    """Which annotations to emit (indices into the list given, in their order) and the rest."""

    shown: tuple[int, ...]
    left_out: Mapping[str, int] = field(default_factory=dict)
    """Annotations not emitted, by level."""

    @property
    def left_out_total(self) -> int:
        return sum(self.left_out.values())


def plan_annotations(
    levels: Sequence[str],
    *,
    per_level: Mapping[str, int] = ANNOTATIONS_PER_STEP,
    total: int = ANNOTATIONS_PER_JOB,
    reserve: int = 1,
) -> AnnotationPlan:
    """Choose the annotations GitHub will show: errors first, then warnings, then notices.

    `levels`: the level of each annotation, in report order. When anything is left out,
    `reserve` places (notices) are kept free for the annotation that says so.
    """
    chosen = _choose(levels, per_level, total)
    if len(chosen) < len(levels) and reserve:
        fewer = dict(per_level)
        fewer["notice"] = max(fewer.get("notice", 0) - reserve, 0)
        chosen = _choose(levels, fewer, max(total - reserve, 0))
    return AnnotationPlan(tuple(sorted(chosen)), _count(levels, exclude=chosen))


def _choose(levels: Sequence[str], per_level: Mapping[str, int], total: int) -> set[int]:
    budget = dict(per_level)
    chosen: set[int] = set()
    for level in LEVEL_ORDER:
        for index, this in enumerate(levels):
            if this == level and budget.get(level, 0) > 0 and len(chosen) < total:
                chosen.add(index)
                budget[level] -= 1
    return chosen


def _count(levels: Sequence[str], *, exclude: set[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for index, level in enumerate(levels):
        if index not in exclude:
            counts[level] = counts.get(level, 0) + 1
    return counts


# --- Markdown within a limit -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a summary: its Markdown, and where the full text can be found."""

    text: str
    source: str
    """Name of the full version (e.g. the report file in the artifact)."""


_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_DETAILS_OPEN = re.compile(r"<details\b", re.IGNORECASE)
_DETAILS_CLOSE = re.compile(r"</details\s*>", re.IGNORECASE)


def _tags(tag: re.Pattern[str], line: str) -> int:
    """How many of `tag` `line` holds that are tags: not after a backslash that escapes its `<`
    (record text is escaped in the reports, `\\<details\\>`, and is no tag)."""
    count = 0
    for found in tag.finditer(line):
        before = found.start()
        while before > 0 and line[before - 1] == "\\":
            before -= 1
        count += (found.start() - before) % 2 == 0
    return count


def cut(text: str, limit: int, note: str) -> str:
    """`text` if it fits in `limit` characters, else its first lines, closed, and `note`.

    The cut falls between lines; a code block or `<details>` left open is closed, so the rest
    of the page renders as it should. `{lines}` in `note` becomes the number of lines left
    out. The result never exceeds `limit`.
    """
    if len(text) <= limit:
        return text
    lines = text.splitlines(keepends=True)
    state: tuple[str | None, int] = (None, 0)
    used = kept = 0
    for number, line in enumerate(lines):
        after = _state_after(line, *state)
        tail = _tail(note, len(lines) - number - 1)
        if used + len(line) + 1 + len(_closing(*after)) + len(tail) > limit:
            break
        used += len(line)
        state = after
        kept = number + 1
    head = "".join(lines[:kept])
    if head and not head.endswith("\n"):
        head += "\n"
    return _fit(head + _closing(*state) + _tail(note, len(lines) - kept), limit)


def _tail(note: str, lines: int) -> str:
    return "\n" + note.replace("{lines}", str(lines)) + "\n"


def _state_after(line: str, fence: str | None, details: int) -> tuple[str | None, int]:
    marker = _FENCE.match(line)
    if marker:
        mark = marker.group(1)
        if fence is None:
            return mark, details
        if mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip()[len(mark) :]:
            return None, details
        return fence, details
    if fence is None:
        details += _tags(_DETAILS_OPEN, line) - _tags(_DETAILS_CLOSE, line)
        details = max(details, 0)
    return fence, details


def _closing(fence: str | None, details: int) -> str:
    return (f"{fence}\n" if fence else "") + "</details>\n" * details


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def fit_sections(sections: Sequence[Section], limit: int, note: str, *, joiner: str = "\n") -> str:
    """The sections joined, each shortened to a fair share of `limit` when all do not fit.

    Shares are filled like water: a section shorter than an equal share keeps all its text and
    leaves the rest to the others. `note` (with `{source}` and `{lines}`) ends each shortened
    section.
    """
    texts = [s.text for s in sections]
    total = sum(len(t) for t in texts) + len(joiner) * max(len(texts) - 1, 0)
    if total <= limit:
        return joiner.join(texts)
    room = limit - len(joiner) * max(len(texts) - 1, 0)
    shares = _shares([len(t) for t in texts], max(room, 0))
    parts = [
        cut(section.text, share, note.replace("{source}", section.source))
        for section, share in zip(sections, shares, strict=True)
    ]
    return joiner.join(parts)


def _shares(sizes: Sequence[int], room: int) -> list[int]:
    shares = [0] * len(sizes)
    pending = sorted(range(len(sizes)), key=lambda i: sizes[i])
    while pending:
        equal = room // len(pending)
        index = pending[0]
        if sizes[index] <= equal:
            shares[index] = sizes[index]
            room -= sizes[index]
            pending.pop(0)
            continue
        for index in pending:
            shares[index] = equal
        break
    return shares


def fit_bytes(render: Callable[[int], str], limit: int, room: int, *, least: int) -> str | None:
    """`render(limit)`, with a lower character limit if needed to fit in `room` UTF-8 bytes.

    `render` shortens its text to the character limit given. None when even `least`
    characters do not fit.
    """
    while True:
        text = render(limit)
        size = len(text.encode("utf-8"))
        if size <= room:
            return text
        if limit <= least:
            return None
        limit = max(min(limit * room // size, limit - 1), least)


# --- the GitHub Actions environment ------------------------------------------------------------


def in_actions(environ: Mapping[str, str] | None = None) -> bool:
    """True when running in GitHub Actions (`GITHUB_ACTIONS=true`)."""
    env = os.environ if environ is None else environ
    return env.get("GITHUB_ACTIONS", "").strip().lower() == "true"


def step_summary(environ: Mapping[str, str] | None = None) -> str | None:
    """The job summary file of the current step (`GITHUB_STEP_SUMMARY`), when in Actions."""
    env = os.environ if environ is None else environ
    path = env.get("GITHUB_STEP_SUMMARY", "").strip()
    return path if path and in_actions(env) else None


def run_url(environ: Mapping[str, str] | None = None) -> str | None:
    """The address of the current workflow run (whose page lists its artifacts)."""
    env = os.environ if environ is None else environ
    server, repository, run = (
        env.get(name, "").strip()
        for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    )
    if server and repository and run:
        return f"{server.rstrip('/')}/{repository}/actions/runs/{run}"
    return None
