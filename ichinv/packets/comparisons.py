"""The comparisons one run's packets show: the working tree with named baselines (each
element's status since, its changed fields) and with commits (the change packet), each made
once, and on another core when started ahead (ichinv.io.forked)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ichinv.core.errors import ConfigError, IchinvError, NotARepository, ShallowClone
from ichinv.core.i18n import _
from ichinv.core.model import HISTORY_CUT, NOT_COMPARED, DiffResult, Finding, Severity
from ichinv.inventory import snapshots
from ichinv.inventory.audience import Audience
from ichinv.inventory.view import Inventory
from ichinv.io import forked
from ichinv.io import git as gitrepo
from ichinv.io.settings import Settings
from ichinv.packets.baseline import compare_with_baseline


def unset(error: IchinvError) -> bool:
    """Whether `error` says the inventory is not set up for a comparison, rather than that one
    set up failed: a copy of the records outside git, or settings that name no such baseline.
    Packets then render and say so (README, "Without git history"); a baseline revision
    missing, git not installed or failing, a shallow clone are named on standard error too."""
    return isinstance(error, NotARepository | ConfigError)


class Comparisons:
    """The comparisons of one run's working tree, for one audience."""

    def __init__(self, settings: Settings, inventory: Inventory, audience: Audience) -> None:
        self._settings = settings
        self._inventory = inventory
        self._audience = audience
        self._compared: dict[str, DiffResult | IchinvError] = {}
        self._ahead: dict[str, forked.Ahead[tuple[DiffResult | IchinvError | None, Any]]] = {}
        """Comparisons started on another core (`compare_ahead`), by the key of `_compared`."""
        self._repo: gitrepo.GitRepo | None = None
        """The git repository of the comparisons (opened by the first)."""
        self._by_commit: dict[str, DiffResult] = {}
        """Comparisons of the working tree with a commit, by commit id: each made once."""
        self._reached: set[str] = set()
        """Baselines a comparison made elsewhere found in this clone (`learn`)."""

    def compared(self, name: str, *, changes: bool = False) -> DiffResult | IchinvError:
        """The working tree compared with a named baseline, or why it could not be: each
        element's status since (and, with `changes`, its changed fields; word-level diffs only
        when the same comparison was made with them for the change packet). With an inventory
        read for a focus (ichinv.inventory.focus.Focus), only its elements are compared."""
        key = f"{name}\0{changes}"
        if key not in self._compared:
            ahead = self._ahead.get(key)
            found = ahead.result()[0] if ahead is not None else None  # None: not made there
            self._compared[key] = found if found is not None else self._compared_now(name, changes)
        return self._compared[key]

    def compare_ahead(self, name: str, along: Callable[[], Any] = lambda: None) -> None:
        """Start `compared(name)` on another core (ichinv.io.forked), and `along()` after it
        there (`made_along` gives what it made): a packet's views and rows are made here
        meanwhile, and `compared` waits for it. Both work on this run's inventory as it is now;
        what they cannot do there is done here when asked for."""
        key = f"{name}\0False"
        if key not in self._compared and key not in self._ahead:
            self._ahead[key] = forked.Ahead(lambda: (self._compared_now(name, False), along()))

    def made_along(self, name: str) -> Any:
        """What `along` of `compare_ahead(name)` made (None when none was started)."""
        ahead = self._ahead.get(f"{name}\0False")
        return ahead.result()[1] if ahead is not None else None

    def _compared_now(self, name: str, changes: bool) -> DiffResult | IchinvError:
        try:
            named = self._settings.named_baseline(name)
            known = self._by_commit.get(self.repo().resolve(named.rev, what="baseline"))
            if known is not None:
                return replace(
                    known, baseline_rev=named.rev, baseline_name=name, baseline_label=named.label
                )
            tree = self._inventory.tree
            among = self._inventory.compared
            return compare_with_baseline(
                self._settings, name, self._audience, tree, among, self.repo, changes=changes
            )
        except IchinvError as exc:
            return exc

    def adopt(
        self, name: str, ahead: forked.Ahead[tuple[DiffResult | IchinvError | None, Any]] | None
    ) -> None:
        """`compare_ahead(name)` as started before this builder was made, while its inventory
        was read (ichinv.packets.province.Early, which gives the comparison back first)."""
        if ahead is not None:
            self._ahead.setdefault(f"{name}\0False", ahead)

    def repo(self) -> gitrepo.GitRepo:
        """The git repository of the comparisons (GitError when there is none)."""
        self._repo = self._repo or gitrepo.open_repo(self._settings.root)
        return self._repo

    def at(self, commit: str, base: snapshots.CommitSnapshot | None = None) -> DiffResult:
        """The working tree compared with `commit` (a 40-hex id; `base`: its snapshot, when
        the caller has one open), word-level diffs included."""
        if commit not in self._by_commit:
            from ichinv.diff import compare as comparison

            self._by_commit[commit] = comparison.compare(
                self._settings,
                commit,
                audience=self._audience,
                tree=self._inventory.tree,
                base=base,
                repo=self.repo(),
            )
        return self._by_commit[commit]

    def made(self, commit: str, result: DiffResult, repo: gitrepo.GitRepo) -> None:
        """The working tree compared with `commit` as `at` would, made before this run's
        inventory was read (a change packet's, ichinv.packets.change_base), in `repo`."""
        self._repo = self._repo or repo
        self._by_commit.setdefault(commit, result)

    def learn(self, name: str, found: object) -> None:
        """What a comparison with baseline `name` made elsewhere gave (a province packet's
        statuses, on another core or recalled from the cache), or why it could not be made:
        either tells whether this clone reaches the baseline, which `reach` then need not ask
        git (the answer found its commit, as `reach` would)."""
        if isinstance(found, IchinvError):
            self._compared.setdefault(f"{name}\0reach", found)
        else:
            self._reached.add(name)

    def reach(self, name: str) -> None:
        """Find out whether this clone reaches baseline `name`, for a packet whose comparison
        was made elsewhere (a province packet's, on another core): `not_made` then says so."""
        if name in self._reached or f"{name}\0reach" in self._compared:
            return
        try:
            named = self._settings.named_baseline(name)
            self.repo().resolve(named.rev, what="baseline")
        except IchinvError as exc:
            self._compared.setdefault(f"{name}\0reach", exc)

    def not_made(self) -> list[Finding]:
        """The comparisons with a baseline that were asked for and could not be made, as
        problems named by the settings file (the packets that show them say so): one a
        shallow clone does not reach is a cut history (HISTORY_CUT, the answer is incomplete:
        exit 1); any other (no such revision, no git) a configuration or environment error
        (NOT_COMPARED, exit 2). An inventory not set up for comparisons (`unset`) is named
        only in the packets."""
        where = (
            self._settings.relative(self._settings.config_file)
            if self._settings.config_file is not None
            else "."
        )
        failed = {
            key.partition("\0")[0]: found
            for key, found in self._compared.items()
            if isinstance(found, IchinvError) and not unset(found)
        }
        return [
            Finding(
                where,
                HISTORY_CUT,
                _(
                    "the comparison with the {name} baseline is not available: {reason}; run "
                    "`git fetch --unshallow --tags` for the whole history"
                ).format(name=name, reason=error.message),
                line=None,
                severity=Severity.WARNING,
            )
            if isinstance(error, ShallowClone)
            else Finding(
                where,
                NOT_COMPARED,
                _("the comparison with the {name} baseline could not be made: {reason}").format(
                    name=name, reason=error.message
                ),
                line=None,
                hint=error.hint,
            )
            for name, error in sorted(failed.items())
        ]

    def baseline_names(self) -> list[str]:
        """The baselines every packet compares with: 2013 and 2024 when named in settings."""
        names = [n for n in ("2013", "2024") if n in self._settings.baselines]
        return names or [self._settings.default_baseline]
