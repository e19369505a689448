"""Which module defines each command, and the summary `ichinv --help` shows for it.

The CLI loads a command's module only when that command runs, so that `ichinv --help`,
`ichinv --version` and every command start without importing the other commands (and what
they import). Add one line here for each new command, in the order `--help` lists them;
tests/cli/test_startup.py checks this table against the commands themselves.
"""

from __future__ import annotations

from ichinv.core.i18n import N_

COMMANDS: dict[str, tuple[str, str]] = {
    # name: (module under ichinv.cli, first paragraph of the command's help)
    "diff-2013": (
        "diff",
        N_("Show what changed since the 2013 list, element by element and field by field."),
    ),
    "diff": ("diff", N_("Show what changed since a baseline (a named one, or any git revision).")),
    "log": (
        "log",
        N_("Show the history of one element: commits, authors, dates and the fields each changed."),
    ),
    "packet": ("packet", N_("Render Markdown review packets for reviewers and the public.")),
    "validate": (
        "validate",
        N_("Check every record against its schema and the cross-record rules."),
    ),
    "new": ("new", N_("Create the record of a new element, with the next free id of the year.")),
    "renumber": (
        "renumber",
        N_("Give a record a new id: the next free one of its year, or --to ID."),
    ),
    "retire": (
        "lifecycle",
        N_("Retire an active element: status `retired`, with the reason, date and decision."),
    ),
    "merge": (
        "lifecycle",
        N_("Merge an active element into another active one, updating both records."),
    ),
    "fmt": (
        "fmt",
        N_("Put records in canonical form: keys in schema order, the inventory's YAML style."),
    ),
    "migrate": (
        "migrate",
        N_("Upgrade records written for an older record format, keeping their comments."),
    ),
    "show": (
        "show",
        N_(
            "Show one element: names, domains, provinces, viability, safeguarding, consent, access, "
            "provenance and UNESCO listings."
        ),
    ),
    "list": (
        "listing",
        N_(
            "List the elements of the inventory, filtered by province, domain, national category, "
            "status, consent, access, source list or name."
        ),
    ),
    "progress": (
        "progress",
        N_(
            "Show, for each focus province of the revision, the new elements against its target, "
            "with counts by domain and consent state."
        ),
    ),
    "export": (
        "exchange",
        N_(
            "Export elements for spreadsheets (csv, xlsx) or other tools (json): one row "
            "per element."
        ),
    ),
    "import": (
        "exchange",
        N_(
            "Import a spreadsheet edited from `ichinv export --audience committee` back "
            "into records."
        ),
    ),
    "form": (
        "form",
        N_(
            "Write the field form (XLSForm) for ODK Collect and KoboToolbox, from the element "
            "schema."
        ),
    ),
    "report": ("report", N_("Reports for the Ministry and for UNESCO.")),
    "site": (
        "site",
        N_(
            "Write the public website of the inventory: static pages in Kazakh, Russian and "
            "English."
        ),
    ),
    "schema-docs": (
        "schema_docs",
        N_(
            "Write the documentation of the record schemas (every field) in English, Kazakh and "
            "Russian."
        ),
    ),
    "ci": ("ci", N_("Helpers for continuous integration (GitHub Actions).")),
    "private": (
        "private",
        N_(
            "Keep personal data and restricted parts in the private overlay, out of the repository."
        ),
    ),
}
