"""CSV on a terminal: `export --format csv -o -` shows record text as `list --format csv`
does, every character a terminal acts on or hides as an escape; to a pipe, export keeps the
bytes (it is data).

An outside review reported raw ESC/OSC, U+202E, U+2028 and NEL from `export` on a terminal; on
a terminal (a pseudo-terminal here, as in the review) export escaped those already, but
wrote the zero-width characters raw, as `list` did (ichinv.core.controls.INVISIBLE)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support import reading_data as d

HOSTILE = (
    "Clear\x1b[2J title\x1b]0;pwned\x07 clip\x1b]52;c;SGk=\x1b\\ csi\x9b31m rlo\u202eevil"
    " ls\u2028ps\u2029nel\x85 zw\u200bsp wj\u2060j bom\ufeffb shy\u00ady end"
)
"""Escape sequences (ESC, OSC with BEL and with ST, 8-bit CSI), the right-to-left override,
the line and paragraph separators, NEL, zero-width characters, a soft hyphen."""

RAW = ("\x1b", "\x07", "\x9b", "\x85", "\u202e", "\u2028", "\u2029", "\u200b", "\u2060", "\ufeff")


def _on_a_terminal(root: Path, *args: str) -> str:
    """What `ichinv ARGS` shows on a terminal (a pseudo-terminal that writes line breaks as
    they are)."""
    import termios

    reader, writer = os.openpty()
    mode = termios.tcgetattr(writer)
    mode[1] &= ~termios.ONLCR  # "\n" stays "\n"
    termios.tcsetattr(writer, termios.TCSANOW, mode)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "ichinv", *args],
            cwd=root,
            stdout=writer,
            stderr=subprocess.PIPE,
        )
        os.close(writer)
        shown = b""
        while chunk := _read(reader):
            shown += chunk
        stderr = process.communicate(timeout=60)[1]
    finally:
        os.close(reader)
    assert process.returncode == 0, stderr
    return shown.decode("utf-8")


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # EIO: the terminal's other end is closed and all is read
        return b""


def test_export_on_a_terminal_escapes_what_list_escapes(inventory: Path) -> None:
    record = d.element("KZ-2026-0011", names={"kk": "Белгі", "ru": "Знак", "en": HOSTILE})
    # Escaped in the file (YAML reads "\u001b" as the character), so that the record reads.
    (inventory / "elements/KZ-2026-0011.yaml").write_text(json.dumps(record), "utf-8")
    listed = _on_a_terminal(inventory, "list", "--format", "csv", "--lang", "en")
    exported = _on_a_terminal(inventory, "export", "--format", "csv", "-o", "-")
    (name,) = [line.split(",")[1] for line in listed.splitlines() if "KZ-2026-0011" in line]
    assert name.startswith("Clear\\x1b[2J title\\x1b]0;pwned\\x07") and name.endswith(" end")
    assert name in exported  # the very same escapes
    for char in RAW:
        assert char not in listed and char not in exported, ascii(char)
    piped = subprocess.run(
        [sys.executable, "-m", "ichinv", "export", "--format", "csv", "-o", "-"],
        cwd=inventory,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    assert HOSTILE in piped  # a pipe keeps the bytes
