"""Suppressions: findings the committee accepted for a time, and the bookkeeping of them
(expired suppressions are errors again, unused ones are reported)."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import replace

from ichinv.core.catalogue import CATALOGUE, rule
from ichinv.core.contacts import without_contacts
from ichinv.core.errors import ConfigError
from ichinv.core.i18n import N_, _
from ichinv.core.model import Finding, SuppressedFinding, Suppression
from ichinv.io.settings import Settings
from ichinv.schemas.explain import SCHEMA_RULES, suggest

RULES = frozenset(CATALOGUE) | frozenset(SCHEMA_RULES)
"""Every rule a finding of validate may name: what a suppression may name."""

RULES_HINT = N_("docs/en/rules.md lists every rule; a finding names its rule in [brackets]")


def apply_suppressions(
    findings: list[Finding],
    declared: list[Suppression],
    day: dt.date,
    settings: Settings | None = None,
) -> tuple[list[Finding], list[SuppressedFinding], list[Finding]]:
    """Split findings into kept and suppressed; report expired and unused suppressions.

    A suppression declared in the settings is reported at its table in the settings file
    (when `settings` are given), a record's at its `until` field."""
    if settings is not None:
        _check_settings_rules(settings)
    kept: list[Finding] = []
    suppressed: list[SuppressedFinding] = []
    used: set[int] = set()
    active = [(i, s) for i, s in enumerate(declared) if s.until >= day.isoformat()]
    for finding in findings:
        match = next(
            (
                (i, s)
                for i, s in active
                if _covers(s, finding) and not finding.rule.startswith("suppression.")
            ),
            None,
        )
        if match is None:
            kept.append(finding)
        else:
            used.add(match[0])
            suppressed.append(SuppressedFinding(finding, match[1]))
    bookkeeping: list[Finding] = []
    config = settings.config_file if settings is not None else None
    config_name = settings.relative(config) if settings and config else "pyproject.toml"
    tables = settings.suppression_lines() if settings is not None else ()
    in_settings = {id(s): n for n, s in enumerate(s for s in declared if s.source == "settings")}
    for index, suppression in enumerate(declared):
        where = suppression.path or config_name
        pointer = _suppression_pointer(suppression, declared)
        line: int | None = None
        if suppression.source == "settings":
            where = config_name
            number = in_settings[id(suppression)]
            line = tables[number] if number < len(tables) else None
        if suppression.until < day.isoformat():
            bookkeeping.append(
                rule("suppression.expired").finding(
                    where,
                    (
                        _(
                            "the suppression of {rule} for {path} expired on {until} "
                            "(reason given: {reason})"
                        )
                        if suppression.source == "settings" and suppression.path
                        else _(
                            "the suppression of {rule} expired on {until} (reason given: {reason})"
                        )
                    ).format(
                        rule=_named(suppression),
                        path=suppression.path,
                        until=suppression.until,
                        reason=_said(suppression),
                    ),
                    pointer=pointer,
                    line=line,
                    column=1 if line is not None else None,
                    hint=_(
                        "fix what the rule reports, or renew the suppression with a new "
                        "date and the committee's reason"
                    ),
                )
            )
        elif index not in used and suppression.source == "record":
            known = suppression.rule in RULES
            bookkeeping.append(
                rule("suppression.unused").finding(
                    where,
                    _("the suppression of {rule} no longer covers any finding").format(
                        rule=_named(suppression)
                    )
                    if known
                    else _(
                        "the suppression of {rule} covers nothing: ichinv has no such rule"
                    ).format(rule=_named(suppression)),
                    pointer=pointer
                    if known
                    else _suppression_pointer(suppression, declared, "rule"),
                    hint=_("remove it") if known else _unknown_rule_hint(suppression.rule),
                )
            )
    return kept, suppressed, bookkeeping


def _check_settings_rules(settings: Settings) -> None:
    """Refuse a suppression of the settings that names no rule (`rule = "*"`, a typo): it
    would silently cover nothing, and the settings' suppressions are not reported unused (a
    run of some files may not meet the findings they cover)."""
    ours = [s for s in settings.suppressions if s.source == "settings"]
    for number, suppression in enumerate(ours, start=1):
        if suppression.rule in RULES:
            continue
        config = settings.config_file
        where = settings.relative(config) if config is not None else "pyproject.toml"
        lines = settings.suppression_lines()
        if number <= len(lines):
            where = f"{where}:{lines[number - 1]}"
        raise ConfigError(
            _("{where}: suppression {number}: rule = {rule!r} is no rule of ichinv").format(
                where=where, number=number, rule=without_contacts(suppression.rule)
            ),
            hint=_unknown_rule_hint(suppression.rule),
        )


def _unknown_rule_hint(named: str) -> str:
    close = suggest(named, sorted(RULES))
    if close is not None:
        return _("did you mean `{guess}`?").format(guess=close) + " " + _(RULES_HINT)
    return _(RULES_HINT)


def _covers(suppression: Suppression, finding: Finding) -> bool:
    if suppression.path is not None and any(c in suppression.path for c in "*?["):
        if not fnmatch.fnmatchcase(finding.path, suppression.path):
            return False
        suppression = replace(suppression, path=None)
    return suppression.covers(finding)


def _suppression_pointer(
    suppression: Suppression, declared: list[Suppression], field: str = "until"
) -> str:
    if suppression.source != "record":
        return ""
    same_file = [s for s in declared if s.path == suppression.path and s.source == "record"]
    return f"/suppressions/{same_file.index(suppression)}/{field}"


def _named(suppression: Suppression) -> str:
    """The rule a suppression names, as a finding may quote it: a rule id, or the settings'
    (the committee's file); else its place only (a record's text may be an e-mail address)."""
    named = suppression.source == "settings" or _RULE_ID.fullmatch(suppression.rule)
    return suppression.rule if named else _("an unknown rule")


_RULE_ID = re.compile(r"[a-z]+\.[A-Za-z][A-Za-z-]*")
"""A rule id as validate names them (`schema.enum`, `ref.province`; every rule of the
catalogue)."""


SEE_RECORD = N_("see the record")
"""What a report says of a reason a record withholds, instead of quoting it."""


def _said(suppression: Suppression) -> str:
    """The reason of a suppression as a finding may quote it: a record's reason is part of the
    record and may be withheld from the public, so it is not quoted (the settings' is)."""
    return suppression.reason if suppression.source == "settings" else _(SEE_RECORD)
