"""Which module defines each command, and the summary `ichinv --help` shows for it.

The CLI loads a command's module only when that command runs, so that `ichinv --help`,
`ichinv --version` and every command start without importing the other commands (and what
they import). Add one line here for each new command, in the order `--help` lists them;
tests/cli/test_startup.py checks this table against the commands themselves.
"""

from __future__ import annotations

COMMANDS: dict[str, tuple[str, str]] = {
    # name: (module under ichinv.cli, first paragraph of the command's help)
    "diff-2013": (
        "diff",
        "Show what changed since the 2013 list, element by element and field by field.",
    ),
    "diff": ("diff", "Show what changed since a baseline (a named one, or any git revision)."),
    "log": (
        "log",
        "Show the history of one element: commits, authors, dates and the fields each changed.",
    ),
    "packet": ("packet", "Render Markdown review packets for reviewers and the public."),
    "validate": ("validate", "Check every record against its schema and the cross-record rules."),
    "new": ("new", "Create the record of a new element, with the next free id of the year."),
    "renumber": ("renumber", "Give a record a new id: the next free one of its year, or --to ID."),
    "retire": (
        "lifecycle",
        "Retire an active element: status `retired`, with the reason, date and decision.",
    ),
    "merge": (
        "lifecycle",
        "Merge an active element into another active one, updating both records.",
    ),
    "fmt": (
        "fmt",
        "Put records in canonical form: keys in schema order, the inventory's YAML style.",
    ),
    "migrate": (
        "migrate",
        "Upgrade records written for an older record format, keeping their comments.",
    ),
    "show": (
        "show",
        "Show one element: names, domains, provinces, viability, safeguarding, consent, access, "
        "provenance and UNESCO listings.",
    ),
    "list": (
        "listing",
        "List the elements of the inventory, filtered by province, domain, national category, "
        "status, consent, access, source list or name.",
    ),
    "progress": (
        "progress",
        "Show, for each focus province of the revision, the new elements against its target, "
        "with counts by domain and consent state.",
    ),
    "export": (
        "exchange",
        "Export elements for spreadsheets (csv, xlsx) or other tools (json): one row per element.",
    ),
    "import": (
        "exchange",
        "Import a spreadsheet edited from `ichinv export --audience committee` back into records.",
    ),
    "form": (
        "form",
        "Write the field form (XLSForm) for ODK Collect and KoboToolbox, from the element schema.",
    ),
    "report": ("report", "Reports for the Ministry and for UNESCO."),
    "site": (
        "site",
        "Write the public website of the inventory: static pages in Kazakh, Russian and English.",
    ),
    "schema-docs": (
        "schema_docs",
        "Write the documentation of the record schemas (every field) in English, Kazakh and "
        "Russian.",
    ),
    "ci": ("ci", "Helpers for continuous integration (GitHub Actions)."),
    "private": (
        "private",
        "Keep personal data and restricted parts in the private overlay, out of the repository.",
    ),
}
