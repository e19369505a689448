"""Everything that touches the outside world: settings, files, YAML, git.

Owns: the inventory's settings (`settings`), atomic writes (`atomic`, the one way ichinv
writes a file), confined and bounded reads (`confined`, the one way ichinv reads the files
that configure an inventory: settings, schemas, templates, translation tables, site assets),
the strict YAML reader of record files (`strict_yaml`, PyYAML's only home; `yaml_text`
decodes a file's bytes for it, `yaml_scalars` types its values, `yaml_syntax` tells in plain
words, at its place, the mistake libyaml refused), the round-trip YAML editor
that keeps comments (`editor`, ruamel.yaml's only home), and read-only git plumbing (`git`,
`git_blobs`: the only code that runs git; `git_ignore` asks it what it ignores, `git_trees`
what a commit's records folders hold), where caches
live (`cache_files`), and work beside the main thread (`forked` processes, `threads` that
Ctrl-C cannot break). Each third-party library has one home here and speaks ichinv's
types. May import: `ichinv.core`.
"""
