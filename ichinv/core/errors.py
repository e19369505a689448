"""Errors that stop a command; each is worded for the user and carries a hint."""

from __future__ import annotations


class IchinvError(Exception):
    """A failure the user can act on. The CLI prints `message` and `hint`, never a traceback."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(IchinvError):
    """Bad option or combination of options (exit 2)."""


class ConfigError(IchinvError):
    """No inventory found, or its settings are wrong (exit 2)."""


class RevisionNotFound(IchinvError):
    """A git revision (baseline, --against, --since) does not exist (exit 2)."""


class GitError(IchinvError):
    """Git cannot answer: not a repository, shallow clone, git missing (exit 2)."""


class TemplateError(IchinvError):
    """A packet template is missing or broken (exit 2)."""


class WriteRefused(IchinvError):
    """A command would overwrite a file, or write outside its target, without being asked (exit 2)."""
