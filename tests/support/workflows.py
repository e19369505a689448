"""Running a GitHub Actions workflow's steps locally (tests/cli/test_ci_workflow.py,
tests/site/test_site_workflow.py): a stand-in for pip, and git in a folder."""

from __future__ import annotations

import subprocess
from pathlib import Path

PIP = """#!/bin/sh
# The test's pip: `pip install DIR` puts DIR first on PYTHONPATH for the later steps.
echo "$*" >> "${PIP_LOG:-/dev/null}"
if [ "$1" != install ] || [ "$#" -ne 2 ] || [ ! -d "$2/ichinv" ]; then
  echo "pip (test stand-in): cannot install $*" >&2
  exit 2
fi
echo "PYTHONPATH=$(cd "$2" && pwd)" >> "$GITHUB_ENV"
"""
"""What `pip` is during a local run; each call is logged to $PIP_LOG when it is set."""


def git(cwd: Path, *args: str) -> str:
    """`git ARGS` in `cwd`, its output stripped (fails the test when git fails)."""
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()
