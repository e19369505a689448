"""How ichinv runs git, and one long-lived `git cat-file --batch` process for many blobs.

Part of the git access of ichinv.io.git (which re-exports it); no other module spawns git.

Every git process ichinv starts is built by `git_command` and `git_environment`, which switch
off whatever a repository could make git run: ichinv reads repositories it did not make (a
pull request's checkout in CI, a copy sent by e-mail), and their `.git/config` (with its
includes), `.git/hooks` and `.gitattributes` are not ichinv's to trust. Reading history must
never run a program, fetch from anywhere or write to the repository.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, NoReturn

from ichinv.core import trace
from ichinv.core.errors import GitError
from ichinv.core.i18n import N_, _
from ichinv.io.threads import Helper

_SHA = re.compile(r"^[0-9a-f]{40}$")

SHALLOW_HINT = N_(
    "this is a shallow clone without the history ichinv needs: run `git fetch --unshallow "
    "--tags` (in GitHub Actions, give actions/checkout `fetch-depth: 0`)"
)

DAMAGED_HINT = N_(
    "the repository is damaged or a partial clone (ichinv never fetches what is missing): "
    "`git fsck` says what else is missing; clone the inventory again in full"
)


SAFE_CONFIG: tuple[str, ...] = (
    # The fsmonitor hook or daemon, which every command that reads the index would start.
    # Empty rather than `false`: git before 2.36 would run `false` as the hook.
    "core.fsmonitor=",
    # Hooks: none of the commands ichinv runs has one; this keeps it so.
    "core.hooksPath=/dev/null",
    # `git log` would run gpg.program (or gpg.ssh.program) on signed commits.
    "log.showSignature=false",
    # One path given to `git log` must not turn into --follow (it names a folder).
    "log.follow=false",
    # No transport: a partial clone would fetch a missing object from its promisor remote,
    # through core.sshCommand, remote.*.uploadpack or a remote helper. A protocol's own
    # setting overrides protocol.allow, so each is set too.
    "protocol.allow=never",
    *(
        f"protocol.{name}.allow=never"
        for name in ("file", "git", "ssh", "http", "https", "ftp", "ftps", "ext")
    ),
)
"""`-c` settings given to every git command. Command-line settings outrank every config file.

Content filters (`filter.<driver>.clean`, `.process`) can only be switched off by name: see
`GitRepo.clean_blobs`, the one command that could run them. Patch output (external diff,
textconv) is never asked for, and `--no-ext-diff --no-textconv` say so where it could be.
The system and global config files are still read (GIT_CONFIG_NOSYSTEM is not set): they are
the machine's and the user's, not the repository's, and they hold `safe.directory`, which
containers commonly set system-wide; git's refusal of a repository owned by another user is
kept as it is.
"""


def git_command(git: str, *args: str) -> list[str]:
    """The argument list of `git ARGS`, with no pager and every configured command off."""
    command = [git, "--no-pager"]
    for setting in SAFE_CONFIG:
        command += ("-c", setting)
    return [*command, *args]


STARTED_FROM = ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR")
"""Where git finds a repository when the environment says (`GIT_DIR=../.git`), which git reads
from the folder it was started in: ichinv was started elsewhere than where it runs git (the
inventory's root, or the top of its working tree), so a relative one is made whole from
ichinv's folder. (`GIT_INDEX_FILE` and `GIT_OBJECT_DIRECTORY` git reads from the top of the
working tree, where ichinv runs it: left as they are.)"""

REPOSITORY_VARIABLES = (
    *STARTED_FROM,
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_CEILING_DIRECTORIES",
    "GIT_NAMESPACE",
)
"""What of the environment names the user's repository: not given to git when it works in a
repository of ichinv's own (`git_environment(own=True)`)."""


def git_environment(*, own: bool = False) -> dict[str, str]:
    """The environment of every git process ichinv starts; with `own`, of one that works in a
    repository ichinv made for itself (none of the user's repository variables)."""
    env = dict(os.environ)
    if own:
        for name in REPOSITORY_VARIABLES:
            env.pop(name, None)
    else:
        for name in STARTED_FROM:
            if env.get(name) and not os.path.isabs(env[name]):
                with contextlib.suppress(OSError):  # (a folder since removed: left as it is)
                    env[name] = os.path.join(os.getcwd(), env[name])
    env.update(
        {
            # Stable, untranslated messages.
            "LC_ALL": "C",
            "LANGUAGE": "C",
            # Never prompt for credentials; no pager.
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_PAGER": "cat",
            # Read-only: take no optional lock, so nothing refreshes and writes the index.
            "GIT_OPTIONAL_LOCKS": "0",
            # Git 2.44 and later: never fetch a missing object (a partial clone's promisor
            # remote); older versions are stopped by SAFE_CONFIG's protocol settings.
            "GIT_NO_LAZY_FETCH": "1",
            # What a commit holds is what was committed: no local `git replace` shows other
            # trees under its id (so a commit id always names the same record files).
            "GIT_NO_REPLACE_OBJECTS": "1",
        }
    )
    return env


def git_executable() -> str:
    """The git program: `GIT_PYTHON_GIT_EXECUTABLE` when set, else `git` on PATH."""
    found = os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or shutil.which("git")
    if not found:
        raise GitError(
            _("git is not installed (or not on PATH)"),
            hint=_("install git; comparing with a baseline reads the inventory's git history"),
        )
    return found


def git_message(stderr: bytes) -> str:
    """The first line git printed on standard error, without its `fatal: ` or `error: `."""
    text = stderr.decode("utf-8", "replace").strip()
    first = next((line for line in text.splitlines() if line.strip()), "")
    return first.removeprefix("fatal: ").removeprefix("error: ")


def run_git(
    git: str,
    cwd: Path,
    *args: str,
    check: bool = True,
    stdin: bytes | None = None,
    own: bool = False,
) -> subprocess.CompletedProcess[bytes]:
    """Run one git command in `cwd` and wait for it; GitError when it fails (with `check`) or
    was stopped by a signal (KeyboardInterrupt for Ctrl-C). `own`: in a repository ichinv made
    for itself (`git_environment`)."""
    try:
        done = subprocess.run(  # noqa: S603 - fixed git executable, arguments as a list
            git_command(git, *args),
            cwd=cwd,
            capture_output=True,
            env=git_environment(own=own),
            check=False,
            input=stdin,
        )
    except OSError as exc:
        raise GitError(
            _("git cannot be run: {strerror}").format(strerror=exc.strerror),
            hint=_("check the git installation"),
        ) from None
    if done.returncode < 0:
        # Stopped by a signal: what it printed says nothing (a revision it was looking up is
        # not "not found").
        _stopped(args[0], -done.returncode)
    if check and done.returncode != 0:
        raise GitError(
            _("git {command} failed: {message}").format(
                command=args[0], message=git_message(done.stderr)
            )
        )
    return done


def run_git_together(
    git: str, cwd: Path, *commands: list[str], meanwhile: Callable[[], object] = lambda: None
) -> list[bytes | None]:
    """Run read-only git commands in `cwd` side by side, and `meanwhile` while they run (a
    thread reads their output); the output of each (None if it failed)."""
    try:
        processes = [
            subprocess.Popen(  # noqa: S603 - fixed git executable
                git_command(git, *args),
                cwd=cwd,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=git_environment(),
            )
            for args in commands
        ]
    except OSError as exc:
        raise GitError(_("git cannot be run: {strerror}").format(strerror=exc.strerror)) from None
    outputs: list[bytes | None] = [None] * len(processes)

    def collect() -> None:
        for index, process in enumerate(processes):
            out, _err = process.communicate()
            outputs[index] = out if process.returncode == 0 else None

    reader = Helper(collect, "ichinv-git")
    try:
        meanwhile()
    finally:
        reader.wait()
    return outputs


def _stopped(command: str, signum: int) -> NoReturn:
    """Raise for a git process stopped by signal `signum`: Ctrl-C reached it (the terminal
    sends it to the whole command) as the command being interrupted, anything else (the
    system's out-of-memory killer, say) as a GitError."""
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = str(signum)
    raise GitError(
        _("git {command} was stopped by signal {name} before it finished").format(
            command=command, name=name
        ),
        hint=_("run the command again; if it happens again, the machine may be short of memory"),
    )


@dataclass(frozen=True, slots=True)
class TooLarge:
    """A blob that was not read because it is larger than the limit asked for."""

    size: int


class BlobReader:
    """One `git cat-file --batch` process: blobs read one at a time or many in a pipelined batch."""

    def __init__(self, git: str, cwd: Path) -> None:
        try:
            self._process = subprocess.Popen(  # noqa: S603 - fixed git executable
                git_command(git, "cat-file", "--batch"),
                cwd=cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=git_environment(),
            )
        except OSError as exc:
            raise GitError(
                _("git cannot be run: {strerror}").format(strerror=exc.strerror),
                hint=_("check the git installation"),
            ) from None
        self._git, self._cwd = git, cwd
        assert self._process.stdin is not None and self._process.stdout is not None
        self._stdin: IO[bytes] = self._process.stdin
        self._stdout: IO[bytes] = self._process.stdout

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """End the git process."""
        try:  # also when git has exited: an open pipe would be flushed into nothing later
            self._stdin.close()
        except OSError:
            pass
        if self._process.poll() is None:
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._stdout.close()

    def read(self, blob: str, *, max_size: int | None = None) -> bytes | TooLarge:
        """The contents of one blob."""
        return self.read_many([blob], max_size=max_size)[blob]

    def read_many(
        self, blobs: Iterable[str], *, max_size: int | None = None
    ) -> dict[str, bytes | TooLarge]:
        """The contents of `blobs`, requested all at once and read back in order.

        A writer thread feeds the ids while this thread reads, so neither side waits on a full
        pipe. Raises GitError when a blob is missing (a shallow or damaged clone).
        """
        wanted = list(dict.fromkeys(blobs))
        bad = next((b for b in wanted if not _SHA.match(b)), None)
        if bad is not None:
            raise GitError(_("{bad!r} is not a git blob id").format(bad=bad))
        result: dict[str, bytes | TooLarge] = {}
        if not wanted:
            return result
        failure: list[BaseException] = []

        def feed() -> None:
            try:
                self._stdin.write("".join(f"{b}\n" for b in wanted).encode("ascii"))
                self._stdin.flush()
            except (BrokenPipeError, OSError) as exc:  # git died; the reader reports it
                failure.append(exc)

        writer = Helper(feed, "ichinv-git-blobs")
        try:
            for blob in wanted:
                result[blob] = self._read_one(blob, max_size)
        except BaseException:
            # Stopped half-way (a missing blob, SIGTERM, Ctrl-C): the stream is out of step
            # for good, and git, no longer read, may have stopped reading the ids, so that the
            # writer waits on a full pipe for ever (an outside test hung on a SIGTERM).
            self._process.kill()
            raise
        finally:
            writer.wait()
        return result

    def _shallow(self) -> bool:
        """Whether the repository is a shallow clone, as git says (never guessed)."""
        done = run_git(self._git, self._cwd, "rev-parse", "--is-shallow-repository", check=False)
        return done.stdout.strip() == b"true"

    def _read_one(self, blob: str, max_size: int | None) -> bytes | TooLarge:
        trace.count("git-read", blob)
        header = self._stdout.readline()
        if not header:
            raise GitError(
                _("git cat-file stopped unexpectedly while reading records"),
                hint=_(
                    "objects may be missing from the repository (a partial, shallow or "
                    "damaged clone: ichinv never fetches them); clone the inventory in "
                    "full"
                ),
            )
        parts = header.decode("ascii", "replace").split()
        if len(parts) == 2 and parts[1] == "missing":
            raise GitError(
                _("the git object {blob} is missing from the repository").format(blob=blob),
                hint=_(SHALLOW_HINT) if self._shallow() else _(DAMAGED_HINT),
            )
        if len(parts) != 3:
            raise GitError(
                _("git cat-file answered {header!r} for {blob}").format(header=header, blob=blob)
            )
        size = int(parts[2])
        if max_size is not None and size > max_size:
            remaining = size + 1
            while remaining:
                chunk = self._stdout.read(min(remaining, 1 << 16))
                if not chunk:
                    break
                remaining -= len(chunk)
            return TooLarge(size)
        data = self._stdout.read(size)
        self._stdout.read(1)  # the newline after the contents
        if len(data) != size:
            raise GitError(_("git cat-file stopped unexpectedly while reading records"))
        return data
