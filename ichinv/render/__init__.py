"""Result objects turned into text: never computes, never exits.

One axis: a module (or package) per kind of result, holding that result's renderer for every
output format and a `RENDERERS` registry keyed by the command's `--format` choice —
`findings` (validate), `diff`, `history` (log), `listing` (list), `progress`, `periodic`
(report), `edits` (the writing commands), `imports` (import). What several of them share
lives by medium: `plain` (one-line text, JSON), `markdown` (escaping, labels, sections, the
Jinja2 templates of packets), `html` (the sandboxed, autoescaping Jinja2 templates of the site),
`terminal` (rich).

May import every package below it (`core` … `schemadocs`); only `ichinv.packets`,
`ichinv.site` and `ichinv.cli` import it.
"""
