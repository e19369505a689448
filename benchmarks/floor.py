"""The floor of a cold check, timed like a command: PyYAML's C parser and a compiled validator.

    python -m benchmarks.floor INVENTORY [--workers N]

Reads every record file of INVENTORY (elements/ and provinces/), parses it with PyYAML's
libyaml-based loader (dates kept as text, YAML 1.2 booleans, as /work/shared/reference's
hardened loader), and checks it with fastjsonschema compiled from the inventory's schemas
(their local `$ref`s inlined), on every core. Nothing else: no record rules, no positions,
no cache, no report. `benchmarks.run` times it in the same run as `ichinv validate`, and
the issue's goal is a cold `ichinv validate` within 1.5× of it. Imports nothing of ichinv.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
from pathlib import Path
from typing import Any

import fastjsonschema
import yaml


class Loader(yaml.CSafeLoader):
    """libyaml's loader without the timestamp resolver, with YAML 1.2 booleans."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}
Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in Loader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def inline(node: Any, root: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = root["$defs"][ref[len("#/$defs/") :]]
            rest = {k: inline(v, root) for k, v in node.items() if k != "$ref"}
            return {**inline(target, root), **rest}
        return {k: inline(v, root) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [inline(v, root) for v in node]
    return node


_VALIDATORS: dict[str, Any] = {}


def check(item: tuple[str, str]) -> bool:
    kind, path = item
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        data = yaml.load(raw, Loader=Loader)  # noqa: S506 - a safe loader
        _VALIDATORS[kind](data)
    except Exception:  # noqa: BLE001 - a finding; the floor only counts the work
        return False
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args(argv)
    for kind in ("element", "province"):
        schema = json.loads((args.root / "schema" / f"{kind}.schema.json").read_text("utf-8"))
        _VALIDATORS[kind] = fastjsonschema.compile(
            inline(schema, schema), use_formats=False, detailed_exceptions=False
        )
    items = [
        (kind, str(path))
        for kind, folder in (("element", "elements"), ("province", "provinces"))
        for path in sorted((args.root / folder).glob("*.yaml"))
    ]
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        valid = sum(pool.imap_unordered(check, items, chunksize=64))
    print(f"{valid} of {len(items)} files valid")


if __name__ == "__main__":
    main()
