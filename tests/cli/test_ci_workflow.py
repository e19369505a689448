"""The GitHub Actions workflow, run locally: its shell steps, on throwaway git repositories.

The steps are read from .github/workflows/inventory.yml, so this test breaks when the workflow
changes in a way it does not understand. A throwaway repository plays GitHub's copy of the
inventory: its branch `feature` is the pull request, merged into `main` as GitHub does
(`refs/pull/7/merge`). `uses:` steps are checked for the settings the shell steps rely on;
actions/checkout is played by a clone of that repository into the step's `path` (full or
shallow as `fetch-depth` says, at `ref` or the event's ref), the other actions are skipped.
`run:` steps run with bash in a workspace folder as GitHub runs them, with GITHUB_ACTIONS=true,
a GITHUB_STEP_SUMMARY file per step, GITHUB_ENV carried to the later steps, and `${{ }}`
expressions replaced from a small context (an unknown expression fails the test). `pip` is a
stand-in that "installs" a source folder by putting it first on PYTHONPATH for the later steps,
so the ichinv that runs is the one in the folder the workflow installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.helpers import REPO_ROOT, commit, init_repo
from tests.support.workflows import PIP, git

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "inventory.yml"
INSTALL = "pip install ./inventory"
"""The one install: ichinv from the base branch's working tree, never from the pull request."""
SUMMARY_LIMIT = 65_536
STEP_SUMMARY_BYTES = 1024 * 1024
"""GitHub drops a step's job summary larger than 1 MiB."""
ARTIFACT_URL = "https://github.example/octo/inventory/actions/runs/7/artifacts/42"

COMMAND = re.compile(
    r"^::(?P<level>error|warning|notice)"
    r"(?: (?P<props>(?:file|line|col|endLine|endColumn|title)=[^,:\n]*"
    r"(?:,(?:file|line|col|endLine|endColumn|title)=[^,:\n]*)*))?::(?P<message>.*)$"
)
OTHER_COMMANDS = re.compile(r"^::(group::.*|endgroup::|stop-commands::[0-9a-f]+|[0-9a-f]+::)$")
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


# --- the workflow as data ---------------------------------------------------------------------


def load_workflow() -> dict[str, Any]:
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def triggers(document: dict[str, Any]) -> Any:
    # YAML 1.1 (PyYAML) reads the key `on` as True.
    return document.get("on", document.get(True))


def steps() -> list[dict[str, Any]]:
    jobs = load_workflow()["jobs"]
    assert list(jobs) == ["check"], "the test runs the one job of the workflow"
    return list(jobs["check"]["steps"])


def test_the_workflow_runs_on_pull_requests_and_pushes_to_main() -> None:
    on = triggers(load_workflow())
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]
    assert load_workflow()["permissions"] == {"contents": "read"}


def test_the_uses_steps_are_set_up_as_the_shell_steps_need() -> None:
    uses = {step["uses"].split("@")[0]: step for step in steps() if "uses" in step}
    assert set(uses) == {
        "actions/checkout",
        "actions/setup-python",
        "actions/upload-artifact",
    }
    checkout = uses["actions/checkout"]["with"]
    # The pull request's merge commit (no `ref`), with the history, into its own folder.
    assert checkout == {"path": "pull-request", "fetch-depth": 0, "persist-credentials": False}
    assert str(uses["actions/setup-python"]["with"]["python-version"]) == "3.11"
    assert uses["actions/upload-artifact"]["with"]["path"] == "report/"
    assert uses["actions/upload-artifact"]["id"] == "upload"
    assert [s["run"] for s in steps() if s.get("run", "").startswith("pip ")] == [INSTALL]


def test_ichinv_runs_only_on_the_trusted_inventory() -> None:
    """Every ichinv command works on `inventory/` (the base's tree with the pull request's
    records), and nothing is installed or run from `pull-request/`."""
    commands = [
        line.strip()
        for step in steps()
        for line in step.get("run", "").splitlines()
        if re.match(r"\s*ichinv ", line)
    ]
    assert commands
    for command in commands:
        assert "--repo inventory " in command or command.startswith("ichinv ci summary "), command
    for step in steps():
        for line in step.get("run", "").splitlines():
            if "pull-request" in line and not line.lstrip().startswith("#"):
                assert re.search(r"^\s*(cd pull-request|source=\"pull-request/)", line), line


def test_actions_are_pinned() -> None:
    """GitHub's own actions by major version (they move only with fixes); any other action by
    the full commit, so a moved tag cannot change what runs on the inventory."""
    for step in steps():
        if "uses" not in step:
            continue
        action, _, ref = step["uses"].partition("@")
        if action.startswith("actions/"):
            assert re.fullmatch(r"v[0-9]+|[0-9a-f]{40}", ref), step["uses"]
        else:
            assert re.fullmatch(r"[0-9a-f]{40}", ref), f"pin {action} to a commit"


# --- running it ---------------------------------------------------------------------------------


@dataclass
class StepRun:
    name: str
    exit_code: int | None
    """None when the step was skipped."""
    stdout: str = ""
    stderr: str = ""
    summary: str = ""


@dataclass
class JobRun:
    workspace: Path
    """GITHUB_WORKSPACE: the checkouts and `report/`."""
    steps: list[StepRun] = field(default_factory=list)
    installed: list[str] = field(default_factory=list)
    """What `pip install` was asked for, one line per call."""

    @property
    def failed(self) -> bool:
        return any(s.exit_code not in (None, 0) for s in self.steps)

    def step(self, prefix: str) -> StepRun:
        return next(s for s in self.steps if s.name.startswith(prefix))

    @property
    def summary(self) -> str:
        return "".join(s.summary for s in self.steps)


def _expand(text: str, context: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        assert expression in context, f"the test does not know ${{{{ {expression} }}}}"
        return context[expression]

    return EXPRESSION.sub(value, text)


def _should_run(condition: Any, failed: bool) -> bool:
    if condition is None:
        return not failed
    assert condition in ("${{ !cancelled() }}", "${{ always() }}", "always()", "!cancelled()"), (
        f"the test does not understand the condition {condition!r}"
    )
    return True


PULL_REQUEST_REF = "refs/pull/7/merge"


def _merge_ref(origin: Path, base_ref: str, tmp_path: Path) -> None:
    """What GitHub makes of a pull request: its branch (origin's HEAD) merged into `base_ref`,
    as `refs/pull/7/merge`."""
    head = git(origin, "rev-parse", "HEAD")
    merging = tmp_path / "merging"
    git(origin, "worktree", "add", "-q", "--detach", str(merging), base_ref)
    git(merging, "merge", "-q", "--no-ff", "-m", f"Merge {head} into {base_ref}", head)
    git(origin, "update-ref", PULL_REQUEST_REF, git(merging, "rev-parse", "HEAD"))
    git(origin, "worktree", "remove", "--force", str(merging))


def _checkout(origin: Path, workspace: Path, settings: dict[str, Any], ref: str) -> None:
    """actions/checkout: a clone of `origin` at `ref` into the step's `path`, with every branch
    and tag when `fetch-depth` is 0, else that many commits."""
    target = workspace / settings.get("path", ".")
    depth = int(settings.get("fetch-depth", 1))
    shallow = [f"--depth={depth}"] if depth else []
    git(workspace, "clone", "-q", "--no-checkout", *shallow, origin.as_uri(), str(target))
    git(target, "fetch", "-q", *shallow, "origin", ref)
    git(target, "checkout", "-q", "--detach", "FETCH_HEAD")


def run_job(
    origin: Path, tmp_path: Path, *, base_ref: str, event: str, fetch_depth: int | None = None
) -> JobRun:
    """Run the job for a pull request into `base_ref` (event `pull_request`) or a push of
    origin's HEAD (`push`); `fetch_depth` overrides the checkout's."""
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    if event == "pull_request":
        _merge_ref(origin, base_ref, tmp_path)
        ref = PULL_REQUEST_REF
    else:
        ref = "refs/heads/" + git(origin, "branch", "--show-current")
    context = {
        "github.base_ref": base_ref,
        "github.event_name": event,
        "github.ref": ref,
        "github.server_url": "https://github.example",
        "github.repository": "octo/inventory",
        "steps.upload.outputs.artifact-url": ARTIFACT_URL,
    }
    shims = tmp_path / "shims"
    shims.mkdir()
    (shims / "pip").write_text(PIP, encoding="utf-8")
    (shims / "pip").chmod(0o755)
    pip_log = tmp_path / "pip.log"
    job_env: dict[str, str] = {}
    """What steps wrote to GITHUB_ENV, for the steps after them."""
    job = JobRun(workspace)
    failed = False
    for number, step in enumerate(steps()):
        name = step.get("name", step.get("uses", f"step {number}"))
        if "uses" in step:
            job.steps.append(StepRun(name, None))
            settings = {k: _expand(str(v), context) for k, v in step.get("with", {}).items()}
            if step["uses"].startswith("actions/checkout"):
                if fetch_depth is not None:
                    settings["fetch-depth"] = str(fetch_depth)
                _checkout(origin, workspace, settings, settings.get("ref") or ref)
            if step["uses"].startswith("actions/upload-artifact"):
                assert (workspace / settings["path"]).is_dir(), "nothing to upload"
            continue
        if not _should_run(step.get("if"), failed):
            job.steps.append(StepRun(name, None))
            continue
        summary_file = tmp_path / f"summary-{number}.md"
        summary_file.write_text("", encoding="utf-8")
        env_file = tmp_path / f"env-{number}"
        env_file.write_text("", encoding="utf-8")
        path = os.pathsep.join([str(shims), str(Path(sys.executable).parent), os.environ["PATH"]])
        env = {
            **os.environ,
            "PATH": path,
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_STEP_SUMMARY": str(summary_file),
            "GITHUB_ENV": str(env_file),
            "GITHUB_EVENT_NAME": event,
            "GITHUB_BASE_REF": base_ref,
            "GITHUB_REF": ref,
            "GITHUB_SERVER_URL": "https://github.example",
            "GITHUB_REPOSITORY": "octo/inventory",
            "GITHUB_RUN_ID": "7",
            "GITHUB_SHA": "0" * 40,
            "ICHINV_NO_CACHE": "1",
            "PIP_LOG": str(pip_log),
            **job_env,
        }
        env.update({k: _expand(str(v), context) for k, v in step.get("env", {}).items()})
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert "Traceback" not in done.stderr, done.stderr
        job.steps.append(
            StepRun(
                name,
                done.returncode,
                done.stdout,
                done.stderr,
                summary_file.read_text(encoding="utf-8"),
            )
        )
        for line in env_file.read_text(encoding="utf-8").splitlines():
            key, equals, value = line.partition("=")
            assert equals and "<<" not in key, f"the test does not read {line!r} in GITHUB_ENV"
            job_env[key] = value
        if done.returncode != 0 and not step.get("continue-on-error"):
            failed = True
    if pip_log.exists():
        job.installed = pip_log.read_text(encoding="utf-8").splitlines()
    return job


# --- a throwaway inventory with history ---------------------------------------------------------

SETTINGS = """[tool.ichinv]
visibility = "private"
default_baseline = "2013"

[tool.ichinv.baselines]
2013 = { rev = "inventory-2013", label = "National list, Order No. 50 of 1 March 2013" }
"""


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _shift_lines(path: Path) -> None:
    """Insert comment lines after the first line, so every finding below moves."""
    first, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(
        f"{first}\n# reviewed in committee\n# (second reading)\n{rest}", encoding="utf-8"
    )


OLD_DEFECT = "elements/KZ-2013-0003.yaml"

FIELD_NOTES = (
    "documentation:\n  - title: Field notes of the 2026 season\n    kind: literature\n    citation: >-\n"
    + "".join(
        f"      Notes of visit {n} to the community: who took part, what was shown, and what the\n"
        f"      bearers asked the inventory team to record or to leave out of the public record.\n"
        for n in range(1, 7)
    )
)


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, Any]:
    """GitHub's copy of an inventory repository (ichinv's code, settings, schemas, templates and
    records) whose main branch has one old error; the current branch is `feature`, made from
    main: the pull request."""
    root = tmp_path / "inventory"
    root.mkdir()
    for name in ("ichinv", "elements", "provinces", "schema", "templates", "docs"):
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(
                REPO_ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__")
            )
    shutil.copy(REPO_ROOT / ".gitignore", root / ".gitignore")
    (root / "pyproject.toml").write_text(SETTINGS, encoding="utf-8")
    repo = init_repo(root)
    later = sorted(
        p for p in (root / "elements").glob("*.yaml") if not p.name.startswith("KZ-2013")
    )
    kept = {p: p.read_bytes() for p in later}
    for path in later:
        path.unlink()
    commit(repo, "The national list of 2013", tag="inventory-2013")
    for path, raw in kept.items():
        path.write_bytes(raw)
    _replace(root / OLD_DEFECT, "- performing-arts", "- performing-art")
    commit(repo, "The inventory today, with one old problem")
    repo.git.checkout("-q", "-b", "feature")
    return root, repo


def _annotations(output: str) -> list[re.Match[str]]:
    """The annotations of a step's log; every `::` line must be a valid workflow command."""
    found = []
    paused: str | None = None
    for line in output.splitlines():
        if paused is not None:
            if line == f"::{paused}::":
                paused = None
            continue
        if not line.startswith("::"):
            continue
        stop = re.match(r"^::stop-commands::([0-9a-f]+)$", line)
        if stop:
            paused = stop.group(1)
            continue
        if OTHER_COMMANDS.match(line):
            continue
        match = COMMAND.match(line)
        assert match, f"not a valid workflow command: {line}"
        # GitHub decodes %25, %0D and %0A in the message, and %3A and %2C in properties too:
        # any other `%` would be read wrongly.
        assert not re.search(r"%(?!25|0D|0A)", match.group("message")), line
        assert not re.search(r"%(?!25|0D|0A|3A|2C)", match.group("props") or ""), line
        found.append(match)
    assert paused is None, "commands were stopped and never resumed"
    return found


def _props(match: re.Match[str]) -> dict[str, str]:
    return dict(part.split("=", 1) for part in (match.group("props") or "").split(",") if part)


def _unescape(text: str) -> str:
    """A property or message as GitHub reads it (actions/runner's ActionCommand unescaping)."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


@pytest.mark.slow  # a large revision through every step (about 12 s): .ci/run runs it
def test_a_pull_request_with_new_problems_fails_with_capped_annotations_and_a_short_summary(
    pull_request: tuple[Path, Any], tmp_path: Path
) -> None:
    root, repo = pull_request
    _shift_lines(root / OLD_DEFECT)
    broken = sorted((root / "elements").glob("KZ-2026-*.yaml"))[:12]
    for path in broken:
        _replace(path, "status: active", "status: actve")
    for path in sorted((root / "elements").glob("*.yaml")):  # a large revision
        with path.open("a", encoding="utf-8") as out:
            out.write(FIELD_NOTES)
    commit(repo, "Revise the 2026 proposals")

    job = run_job(root, tmp_path, base_ref="main", event="pull_request")

    gate = job.step("Validate")
    assert gate.exit_code == 1, gate.stderr
    annotations = _annotations(gate.stdout)
    levels = [a.group("level") for a in annotations]
    assert levels.count("error") == 10  # GitHub would drop the 11th and 12th
    assert levels.count("warning") <= 10 and levels.count("notice") <= 10
    errors = [_props(a) for a in annotations if a.group("level") == "error"]
    assert {e["title"] for e in errors} == {"schema.enum"}
    assert all(e["file"] in {p.relative_to(root).as_posix() for p in broken} for e in errors)
    for error in errors:  # every annotation points at a real line of a real file
        lines = (root / error["file"]).read_text(encoding="utf-8").splitlines()
        assert "status: actve" in lines[int(error["line"]) - 1]
    assert OLD_DEFECT not in gate.stdout  # the old problem is not reported as new
    notice = annotations[-1]
    assert notice.group("level") == "notice"
    assert "2 more findings (2 errors)" in notice.group("message")
    assert "already present at origin/main" in gate.stderr

    reports = job.workspace / "report"
    assert sorted(p.name for p in reports.iterdir()) == [
        "changes.md",
        "diff-2013.md",
        "new-findings.json",
        "validate.json",
        "validate.sarif",
        "validate.txt",
    ]
    new = json.loads((reports / "new-findings.json").read_text(encoding="utf-8"))
    assert len(new["findings"]) == 12 and new["new_since"]["rev"] == "origin/main"
    everything = json.loads((reports / "validate.json").read_text(encoding="utf-8"))
    assert OLD_DEFECT in {f["path"] for f in everything["findings"]}
    assert (
        json.loads((reports / "validate.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    )

    summary = job.step("Job summary")
    assert summary.exit_code == 0, summary.stderr
    assert summary.stdout == ""  # it went to the job summary
    assert len(job.summary) <= SUMMARY_LIMIT
    assert all(len(s.summary.encode("utf-8")) <= STEP_SUMMARY_BYTES for s in job.steps)
    full = sum(
        len((reports / n).read_text(encoding="utf-8")) for n in ("diff-2013.md", "changes.md")
    )
    assert full > SUMMARY_LIMIT, "the reports should be too long for one summary"
    assert "shortened to stay within GitHub's 65,536-character limit" in job.summary
    assert f"[inventory-report](<{ARTIFACT_URL}>)" in job.summary
    # Sections share the room fairly: the short diff is whole, the long packet is cut.
    assert (reports / "diff-2013.md").read_text(encoding="utf-8") in job.summary
    assert "in `changes.md` of the artifact" in job.summary
    assert "## Validation" in job.summary and "**Failed**" in job.summary
    assert job.summary.count("```") % 2 == 0  # no code block left open
    assert job.failed


@pytest.mark.slow  # the workflow's steps through bash (about 5 s): .ci/run runs it
def test_a_pull_request_that_only_moves_an_old_problem_passes(
    pull_request: tuple[Path, Any], tmp_path: Path
) -> None:
    root, repo = pull_request
    _shift_lines(root / OLD_DEFECT)
    commit(repo, "Note the committee's second reading")

    job = run_job(root, tmp_path, base_ref="main", event="pull_request")

    gate = job.step("Validate")
    assert gate.exit_code == 0, gate.stdout + gate.stderr
    assert _annotations(gate.stdout) == []
    assert re.search(r"\d+ findings? already present at origin/main", gate.stderr)
    assert not job.failed, [(s.name, s.exit_code, s.stderr) for s in job.steps]
    assert len(job.summary) <= SUMMARY_LIMIT
    assert "**Passed**" in job.summary
    assert "shortened to stay within" not in job.summary.split("## Validation")[1].split("\n#")[0]


@pytest.mark.slow  # the workflow's steps through bash (about 4 s): .ci/run runs it
def test_a_push_to_main_reports_every_problem(
    pull_request: tuple[Path, Any], tmp_path: Path
) -> None:
    root, repo = pull_request
    repo.git.checkout("-q", "main")

    job = run_job(root, tmp_path, base_ref="", event="push")

    gate = job.step("Validate")
    assert gate.exit_code == 1
    [error] = [a for a in _annotations(gate.stdout) if a.group("level") == "error"]
    assert _props(error)["file"] == OLD_DEFECT
    assert not (job.workspace / "report" / "changes.md").exists()
    assert "`changes.md` was not produced" in job.summary
    assert len(job.summary) <= SUMMARY_LIMIT


def test_a_shallow_checkout_stops_with_a_clear_message(
    pull_request: tuple[Path, Any], tmp_path: Path
) -> None:
    """actions/checkout without `fetch-depth: 0` fetches one commit: the check must say so."""
    root, repo = pull_request
    _replace(root / "elements" / "KZ-2026-0001.yaml", "status: active", "status: actve")
    commit(repo, "A new problem")

    job = run_job(root, tmp_path, base_ref="main", event="pull_request", fetch_depth=1)

    trusted = job.step("Check out the base branch")
    assert trusted.exit_code == 2, trusted.stdout + trusted.stderr
    assert "shallow clone" in trusted.stdout and "fetch-depth: 0" in trusted.stdout
    assert trusted.stdout.startswith("::error ")
    assert job.step("Validate").exit_code is None  # skipped: nothing passed unchecked
    assert job.installed == []
    assert "`new-findings.json` was not produced" in job.summary
    assert job.failed


@pytest.mark.slow  # the workflow's steps through bash (about 5 s): .ci/run runs it
def test_annotations_escape_what_records_and_file_names_hold(
    pull_request: tuple[Path, Any], tmp_path: Path
) -> None:
    """A file named by hand and a value holding %, :, ',' and line breaks: each annotation is
    one valid command, and GitHub reads back the real path and the message as reported."""
    root, repo = pull_request
    odd = "elements/KZ 2026: draft, 100%.yaml"
    shutil.copy(root / "elements" / "KZ-2026-0002.yaml", root / odd)
    _replace(
        root / "elements" / "KZ-2026-0001.yaml",
        "status: active",
        'status: "actve%0A, see: minutes\\r\\n::error::forged"',
    )
    commit(repo, "Two new problems, oddly written")

    job = run_job(root, tmp_path, base_ref="main", event="pull_request")

    gate = job.step("Validate")
    assert gate.exit_code == 1, gate.stderr
    annotations = _annotations(gate.stdout)
    assert len(annotations) == len(gate.stdout.splitlines()) - 1  # and the summary line
    files = {_unescape(_props(a)["file"]) for a in annotations}
    assert odd in files
    assert all((root / path).is_file() for path in files)
    # The status is outside the schema's vocabulary, so it may be anything (an e-mail
    # address): its finding does not quote it, and nothing of it forges an annotation.
    [status] = [a for a in annotations if _props(a)["title"] == "schema.enum"]
    assert "actve" not in _unescape(status.group("message"))
    assert "forged" not in gate.stdout
    # The file's name is quoted by the id.file-name finding, %, : and , read back as they are.
    [named] = [a for a in annotations if _props(a)["title"] == "id.file-name"]
    message = _unescape(named.group("message"))
    assert "'KZ 2026: draft, 100%.yaml'" in message.splitlines()[0]
    assert message.splitlines()[-1].startswith("Docs: ")
    report = json.loads(
        (job.workspace / "report" / "new-findings.json").read_text(encoding="utf-8")
    )
    [reported] = [f for f in report["findings"] if f["rule"] == "id.file-name"]
    assert message.startswith(reported["message"])
    assert len(job.summary) <= SUMMARY_LIMIT and odd in job.summary


@pytest.mark.slow  # the workflow's steps through bash (about 7 s): .ci/run runs it
def test_a_pull_request_cannot_change_the_tool_or_the_rules_that_check_it(
    pull_request: tuple[Path, Any], tmp_path: Path
) -> None:
    """A branch that edits pyproject.toml, adds an ichinv.toml, loosens a schema enum, edits a
    rule and the package in ichinv/ and a template: its bad record is still judged by the base
    branch's ichinv, settings, schemas and templates, and the check fails."""
    root, repo = pull_request
    repo.git.checkout("-q", "main")
    _replace(root / "pyproject.toml", 'visibility = "private"', 'visibility = "public"')
    commit(repo, "The repository goes public: contacts belong in the private overlay")
    repo.git.checkout("-q", "-B", "feature", "main")
    bad = "elements/KZ-2026-0900.yaml"
    shutil.copy(root / "elements" / "KZ-2026-0001.yaml", root / bad)
    _replace(root / bad, "id: KZ-2026-0001", "id: KZ-2026-0900")
    _replace(root / bad, "status: active", "status: actve")  # schema.enum
    _replace(root / bad, "kk: Сыр бойының", "kk: Syr бойының")  # names.kk-script
    # ... and it holds contacts, which a public repository refuses (privacy.public-repository).
    marker = tmp_path / "pull-request-code-ran"
    _replace(root / "pyproject.toml", 'visibility = "public"', 'visibility = "private"')
    (root / "ichinv.toml").write_text(
        'visibility = "private"\n\n[baselines]\n2013 = "inventory-2013"\n', encoding="utf-8"
    )
    _replace(
        root / "schema" / "element.schema.json",
        '"enum": ["active", ',
        '"enum": ["actve", "active", ',
    )
    _replace(
        root / "ichinv" / "validate" / "rules" / "texts.py", "if stray is not None:", "if False:"
    )
    with (root / "ichinv" / "__init__.py").open("a", encoding="utf-8") as package:
        package.write(f"\nimport pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n")
    changes = root / "templates" / "packets" / "changes.md.j2"
    changes.write_text("FORGED: nothing to review\n" + changes.read_text(encoding="utf-8"))
    commit(repo, "Propose an element, and make the check agree")

    job = run_job(root, tmp_path, base_ref="main", event="pull_request")

    assert job.installed == ["install ./inventory"]
    gate = job.step("Validate")
    assert gate.exit_code == 1, gate.stdout + gate.stderr
    errors = [_props(a) for a in _annotations(gate.stdout) if a.group("level") == "error"]
    assert {e["title"] for e in errors} >= {
        "schema.enum",
        "names.kk-script",
        "privacy.public-repository",
    }
    assert {e["file"] for e in errors} == {bad}
    assert not marker.exists(), "the pull request's ichinv/ was run"
    changes_md = (job.workspace / "report" / "changes.md").read_text(encoding="utf-8")
    assert "KZ-2026-0900" in changes_md and "FORGED" not in changes_md
    assert "FORGED" not in job.summary and "**Failed**" in job.summary
    inventory = job.workspace / "inventory"
    assert not (inventory / "ichinv.toml").exists()
    assert 'visibility = "public"' in (inventory / "pyproject.toml").read_text(encoding="utf-8")
    assert (inventory / bad).read_bytes() == (root / bad).read_bytes()
    assert job.failed

    # The control: the same check run with the pull request's own tool and rules passes.
    own = job.workspace / "pull-request"
    env = {**os.environ, "PYTHONPATH": str(own), "ICHINV_NO_CACHE": "1"}
    ichinv = str(Path(sys.executable).parent / "ichinv")
    done = subprocess.run(
        [ichinv, "validate", "--repo", str(own), "--format", "github", "--new-since", "origin/main"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert marker.exists()
