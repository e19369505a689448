"""Find the inventory root and read its settings (`[tool.ichinv]` or `ichinv.toml`)."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ichinv.core.dates import parse_day
from ichinv.core.errors import ConfigError
from ichinv.core.i18n import _
from ichinv.core.model import RecordKind, Suppression
from ichinv.io import confined

DEFAULT_MAX_FILE_SIZE = 1024 * 1024
"""Record files above this size are refused before parsing (1 MiB; records are ~3 KB)."""

HARD_MAX_FILE_SIZE = 10 * 1024 * 1024
"""No setting can raise the limit above 10 MiB."""

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass(frozen=True, slots=True)
class Baseline:
    """A named state of the inventory to compare with, e.g. the list approved in 2013."""

    name: str
    rev: str
    """A git revision (commit id or tag) that holds that state."""
    label: str = ""
    """What the baseline is, e.g. `National list, Order No. 50 of 1 March 2013`."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the inventory lives and how it is configured."""

    root: Path
    config_file: Path | None = None
    baselines: Mapping[str, Baseline] = field(default_factory=dict)
    default_baseline: str = "2013"
    main_branch: str = "main"
    visibility: str = "private"
    """`public` when the repository is (or may become) public: personal data must then live in
    the private overlay, never in committed records."""
    private_overlay: Path | None = None
    """Folder holding contacts and restricted parts kept out of the repository."""
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    suppressions: tuple[Suppression, ...] = ()

    @property
    def overlay_may_hold(self) -> bool:
        """Whether a record may leave its contacts and restricted parts to the private overlay,
        so that one listed in `access.restricted_parts` but absent from the record is taken to
        be kept there (where the overlay is not at hand, as in CI, it is withheld): the
        settings name an overlay, or the repository is public (its records must not hold
        them)."""
        return self.private_overlay is not None or self.visibility == "public"

    @property
    def schema_dir(self) -> Path:
        """The schemas' folder; Refused when it is a link leading out of the inventory."""
        return confined.inventory_folder(self.root / "schema", self.root)

    @property
    def templates_dir(self) -> Path:
        """The templates' folder; Refused when it is a link leading out of the inventory."""
        return confined.inventory_folder(self.root / "templates", self.root)

    def folder(self, kind: RecordKind) -> Path:
        """The folder holding records of `kind`."""
        return self.root / kind.folder

    def schema_file(self, kind: RecordKind) -> Path:
        return self.schema_dir / f"{kind.value}.schema.json"

    def relative(self, path: Path) -> str:
        """`path` relative to the root, with forward slashes (the form every report uses)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def suppression_lines(self) -> tuple[int, ...]:
        """The line of each `[[tool.ichinv.suppress]]` table in the settings file, in order
        (empty when the file cannot be read)."""
        if self.config_file is None:
            return ()
        try:
            text = _text(self.config_file)
        except (OSError, UnicodeDecodeError, confined.Refused):
            return ()
        return tuple(
            number
            for number, line in enumerate(text.splitlines(), start=1)
            if _SUPPRESS_TABLE.match(line)
        )

    def baseline(self, name_or_rev: str | None) -> Baseline:
        """The named baseline, or an unnamed one for a plain git revision (None: the default
        baseline, which the settings must name)."""
        if name_or_rev is None:
            return self.named_baseline(self.default_baseline)
        if name_or_rev in self.baselines:
            return self.baselines[name_or_rev]
        return Baseline(name=name_or_rev, rev=name_or_rev)

    def named_baseline(self, name: str) -> Baseline:
        """The baseline the settings name `name` (ConfigError when they name none so)."""
        if name not in self.baselines:
            where = self.config_file.name if self.config_file else "pyproject.toml"
            raise ConfigError(
                _("no baseline named {name!r} in the settings ({where})").format(
                    name=name, where=where
                ),
                hint=_(
                    'add {name} = {{ rev = "<commit id or tag>", label = "…" }} under '
                    "[tool.ichinv.baselines], or pass --baseline REV"
                ).format(name=name),
            )
        return self.baselines[name]

    def revision(self, rev: str) -> str:
        """A git revision given on the command line (--against, --since, --new-since): the
        name of a baseline in the settings (`2013`) stands for that baseline's revision."""
        named = self.baselines.get(rev)
        return named.rev if named is not None else rev


def find_root(start: Path | None = None, repo: Path | None = None) -> Path:
    """The inventory root: `repo` if given, else the nearest folder up from `start` with settings."""
    if repo is not None:
        root = _resolved(repo.expanduser())
        if not root.is_dir():
            raise ConfigError(
                _("--repo {repo} is not a folder").format(repo=repo),
                hint=_("pass the folder of an inventory"),
            )
        if _config_file(root) is None and not (root / "elements").is_dir():
            raise ConfigError(
                _(
                    "{root} is not an inventory: it has no elements/ folder and no "
                    "[tool.ichinv] settings"
                ).format(root=root),
                hint=_("pass the root folder of an inventory (the one holding elements/)"),
            )
        return root
    here = _resolved(start or Path("."))
    for folder in (here, *here.parents):
        if _config_file(folder) is not None:
            return folder
    raise ConfigError(
        _("no inventory found in {here} or any folder above it").format(here=here),
        hint=_(
            "run ichinv inside an inventory (a folder with elements/ and a pyproject.toml "
            "holding [tool.ichinv]), or pass --repo DIR"
        ),
    )


def _resolved(path: Path) -> Path:
    """`path` made absolute (as it is, when links loop); ConfigError when the folder the
    command runs in is gone."""
    try:
        return path.resolve()
    except FileNotFoundError:  # os.getcwd(): the current folder was deleted or moved away
        raise ConfigError(
            _("the current folder no longer exists (it was deleted or moved away)"),
            hint=_("change to the inventory's folder (`cd`), or pass --repo DIR"),
        ) from None
    except (OSError, RuntimeError):  # a loop of links
        return path


_SUPPRESS_TABLE = re.compile(r"\s*\[\[\s*(?:tool\.ichinv\.)?suppress\s*\]\]")


def _config_file(folder: Path) -> Path | None:
    toml = folder / "ichinv.toml"
    if toml.exists():  # a pipe or a device too: confined.read refuses it, naming it
        return toml
    pyproject = folder / "pyproject.toml"
    try:
        text = _text(pyproject)
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    if re.search(r"^\s*\[tool\.ichinv[\].]", text, re.MULTILINE):
        return pyproject
    return None


def _text(config_file: Path) -> str:
    """The text of a settings file (confined.read: in the inventory, regular, bounded)."""
    return confined.text(config_file, config_file.parent)


def load(repo: Path | None = None, start: Path | None = None) -> Settings:
    """Find the inventory and read its settings."""
    root = find_root(start, repo)
    config_file = _config_file(root)
    table: Mapping[str, Any] = {}
    if config_file is not None:
        try:
            document = tomllib.loads(_text(config_file))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(
                _("{name} cannot be read: {exc}").format(name=config_file.name, exc=exc),
                hint=_("fix the TOML syntax of the settings file"),
            ) from None
        except (ValueError, RecursionError):  # what tomllib lets through: Python's own limits
            raise ConfigError(
                _(
                    "{name} cannot be read: a number in it is too long, or its arrays nest too "
                    "deeply"
                ).format(name=config_file.name),
                hint=_("fix the TOML syntax of the settings file"),
            ) from None
        # A file is taken for the settings only when it has a [tool.ichinv] table (or is
        # ichinv.toml, whose document is the table): TOML makes either a table.
        table = (
            document
            if config_file.name == "ichinv.toml"
            else document.get("tool", {}).get("ichinv", {})
        )
    return from_table(root, table, config_file)


def from_table(root: Path, table: Mapping[str, Any], config_file: Path | None = None) -> Settings:
    """Settings from the `[tool.ichinv]` table (or an `ichinv.toml` document)."""
    where = config_file.name if config_file else "settings"
    known = {
        "baselines",
        "default_baseline",
        "main_branch",
        "visibility",
        "private_overlay",
        "max_file_size",
        "suppress",
    }
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            _("{where}: unknown setting {name!r} in [tool.ichinv]").format(
                where=where, name=unknown[0]
            ),
            hint=_("known settings: {names}").format(names=", ".join(sorted(known))),
        )
    baselines: dict[str, Baseline] = {}
    named = table.get("baselines", {})
    if not isinstance(named, Mapping):
        raise ConfigError(
            _("{where}: baselines must be a table of names and git revisions").format(where=where),
            hint=_('write [tool.ichinv.baselines] with lines such as 2013 = "<commit id or tag>"'),
        )
    for name, value in named.items():
        if isinstance(value, str):
            baselines[name] = Baseline(name=name, rev=value)
        elif (
            isinstance(value, Mapping)
            and isinstance(value.get("rev"), str)
            and isinstance(value.get("label", ""), str)
            and set(value) <= {"rev", "label"}
        ):
            baselines[name] = Baseline(name=name, rev=value["rev"], label=value.get("label", ""))
        else:
            raise ConfigError(
                _("{where}: baseline {name!r} needs a git revision").format(where=where, name=name),
                hint=_('write {name} = {{ rev = "<commit id or tag>", label = "…" }}').format(
                    name=name
                ),
            )
    visibility = table.get("visibility", "private")
    if visibility not in ("public", "private"):
        raise ConfigError(
            _("{where}: visibility must be 'public' or 'private', not {visibility!r}").format(
                where=where, visibility=visibility
            ),
            hint=_('write visibility = "public" if the repository is or may become public'),
        )
    for key in ("default_baseline", "main_branch", "private_overlay"):
        if key in table and not isinstance(table[key], str):
            raise ConfigError(
                _("{where}: {key} must be text, in quotes").format(where=where, key=key),
                hint=_('write {key} = "…"').format(key=key),
            )
        if key in table and "\0" in table[key]:
            raise ConfigError(
                _(
                    "{where}: {key} holds a NUL character (\\u0000), which no name or path may hold"
                ).format(where=where, key=key),
                hint=_("remove the \\u0000 from the value"),
            )
    overlay = table.get("private_overlay")
    max_size = table.get("max_file_size", DEFAULT_MAX_FILE_SIZE)
    if not isinstance(max_size, int) or not 1024 <= max_size <= HARD_MAX_FILE_SIZE:
        raise ConfigError(
            _("{where}: max_file_size must be a number of bytes between 1024 and {limit}").format(
                where=where, limit=HARD_MAX_FILE_SIZE
            ),
        )
    return Settings(
        root=root,
        config_file=config_file,
        baselines=baselines,
        default_baseline=str(table.get("default_baseline", "2013")),
        main_branch=str(table.get("main_branch", "main")),
        visibility=visibility,
        private_overlay=_overlay(root, str(overlay), where) if overlay else None,
        max_file_size=max_size,
        suppressions=tuple(_suppressions(table.get("suppress", []), where)),
    )


def _overlay(root: Path, value: str, where: str) -> Path:
    """The private overlay folder `value` names, refused when it is the inventory, a folder
    holding it, one of its record folders, or another inventory: `private split` would write
    the private fields over the records themselves (an outside attack lost every contact of a
    record with `private_overlay = "."`)."""
    folder = _resolved(root / os.path.expanduser(value))
    here = _resolved(root)
    records = [here / kind.folder for kind in RecordKind]
    inventory = (
        folder == here
        or here.is_relative_to(folder)
        or any(folder.is_relative_to(f) for f in records)
        or _resolved(folder / RecordKind.ELEMENT.folder) in records
        or (folder / RecordKind.PROVINCE.folder).is_dir()
    )
    if inventory:
        raise ConfigError(
            _(
                "{where}: private_overlay = {value!r} names the inventory itself, a folder "
                "holding it, one of its record folders or another inventory: the private "
                "fields would be written over records"
            ).format(where=where, value=value),
            hint=_(
                "name a folder of its own, outside the repository (private_overlay = "
                '"../<inventory>-private") or one listed in .gitignore'
            ),
        )
    return folder


def _suppressions(entries: Any, where: str) -> list[Suppression]:
    result = []
    for number, entry in enumerate(entries if isinstance(entries, list) else [None], start=1):
        if not isinstance(entry, Mapping):
            raise ConfigError(
                _("{where}: [[tool.ichinv.suppress]] entry {number} is not a table").format(
                    where=where, number=number
                ),
                hint=_(
                    "write [[tool.ichinv.suppress]] with rule, path, reason and until = "
                    '"YYYY-MM-DD"'
                ),
            )
        missing = [k for k in ("rule", "reason") if not isinstance(entry.get(k), str)]
        # path and pointer, when given, are text: any other value would match nothing, or
        # end the run (found by an outside review)
        missing += [k for k in ("path", "pointer") if not isinstance(entry.get(k, ""), str)]
        until = entry.get("until")
        if not missing and _DATE.match(str(until)) and parse_day(str(until)) is None:
            raise ConfigError(
                _(
                    '{where}: suppression {number}: until = "{until}" is no day of the calendar'
                ).format(where=where, number=number, until=until),
                hint=_("write the last day the finding is accepted as YYYY-MM-DD"),
            )
        if missing or not _DATE.match(str(until)):
            raise ConfigError(
                _(
                    "{where}: suppression {number} needs rule, reason and until (a date "
                    "YYYY-MM-DD), and a path and pointer only as text"
                ).format(where=where, number=number),
                hint=_("every suppression states why and until when the finding is accepted"),
            )
        result.append(
            Suppression(
                rule=entry["rule"],
                reason=entry["reason"],
                until=str(until),
                path=entry.get("path"),
                pointer=entry.get("pointer"),
                source="settings",
            )
        )
    return result
