"""Writing command output: UTF-8 on stdout whatever the terminal's encoding."""

from __future__ import annotations

import sys


def write(text: str) -> None:
    """Write `text` to standard output."""
    sys.stdout.write(text)
    sys.stdout.flush()
