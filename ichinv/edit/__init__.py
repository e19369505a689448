"""The commands that write records: new, retire, merge, renumber, fmt, migrate, private split.

Every write goes through `ichinv.io.atomic` and the round-trip editor, so that comments and
formatting survive; `verdicts` remembers which files fmt and migrate found needing nothing.
May import: everything below it (`core`, `io`, `schemas`, `inventory`,
`validate`, `diff`).
"""
