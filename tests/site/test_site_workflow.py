"""The site's GitHub Actions workflow (.github/workflows/site.yml): read-only except the deploy
job, which runs no code of the repository; and its build job, run locally on a throwaway
repository, builds a pull request's records with the base branch's ichinv and templates."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.helpers import REPO_ROOT, commit, init_repo
from tests.support.workflows import PIP, git

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "site.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
ON_MAIN = "${{ github.event_name != 'pull_request' && github.ref == 'refs/heads/main' }}"
ON_PULL_REQUEST = "${{ github.event_name == 'pull_request' }}"


def workflow() -> dict[str, Any]:
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_only_the_deploy_job_may_write_and_it_runs_no_code_of_the_repository() -> None:
    document = workflow()
    on = document.get("on", document.get(True))
    assert "pull_request" in on and on["push"]["branches"] == ["main"]
    assert "pull_request_target" not in on
    assert document["permissions"] == {"contents": "read"}
    jobs = document["jobs"]
    assert set(jobs) == {"build", "deploy"}
    assert jobs["build"]["permissions"] == {"contents": "read"}
    deploy = jobs["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["if"] == ON_MAIN and deploy["needs"] == "build"
    assert [s.get("uses", "").split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert not any("run" in s for s in deploy["steps"])


def test_the_build_job_installs_only_the_base_branch_and_uploads_by_event() -> None:
    steps = workflow()["jobs"]["build"]["steps"]
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    assert uses["actions/checkout"]["with"] == {
        "path": "pull-request",
        "fetch-depth": 0,
        "persist-credentials": False,
    }
    assert uses["actions/upload-artifact"]["if"] == ON_PULL_REQUEST
    assert uses["actions/upload-artifact"]["with"]["path"] == "site/"
    assert uses["actions/upload-pages-artifact"]["if"] == ON_MAIN
    assert [s["run"].strip() for s in steps if s.get("run", "").startswith("pip ")] == [
        "pip install ./inventory"
    ]
    for step in steps:
        action, _, ref = step.get("uses", "@").partition("@")
        if action:
            assert action.startswith("actions/") and re.fullmatch(r"v[0-9]+", ref), step["uses"]
        for line in step.get("run", "").splitlines():
            if re.match(r"\s*ichinv ", line):
                assert '"$@"' in line, line  # the options set above: --repo inventory
        assert "${{" not in step.get("run", ""), "pass expressions through env:"


# --- the build job, run locally ---------------------------------------------------------------

MARK = "PR-TEMPLATE-INJECTION-x7q"


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """GitHub's copy of an inventory: main, and a pull request (merged as refs/pull/7/merge)
    that changes a record, a site template, the style sheet and ichinv's code."""
    root = tmp_path / "origin"
    root.mkdir()
    for name in ("ichinv", "elements", "provinces", "schema", "templates"):
        shutil.copytree(REPO_ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "pyproject.toml").write_text("[tool.ichinv]\n", encoding="utf-8")
    repo = init_repo(root)
    commit(repo, "The inventory")
    repo.git.checkout("-q", "-b", "feature")
    record = root / "elements" / "KZ-2013-0001.yaml"
    record.write_text(
        record.read_text("utf-8").replace("en: Nauryz", "en: Nauryz <b>new</b>"), "utf-8"
    )
    base = root / "templates" / "site" / "_base.html.j2"
    base.write_text(
        base.read_text("utf-8").replace("<main", f"<script>{MARK}</script><main"), "utf-8"
    )
    (root / "templates" / "site" / "assets" / "site.css").write_text(f"/* {MARK} */", "utf-8")
    api = root / "ichinv" / "site" / "api.py"
    api.write_text(api.read_text("utf-8") + f"\nraise SystemExit('{MARK}')\n", "utf-8")
    commit(repo, "A pull request")
    head = git(root, "rev-parse", "HEAD")
    merging = tmp_path / "merging"
    git(root, "worktree", "add", "-q", "--detach", str(merging), "main")
    git(merging, "merge", "-q", "--no-ff", "-m", "Merge", head)
    git(root, "update-ref", "refs/pull/7/merge", git(merging, "rev-parse", "HEAD"))
    git(root, "worktree", "remove", "--force", str(merging))
    return root


def test_a_pull_request_is_built_with_the_base_branchs_code_and_templates(
    pull_request: Path, tmp_path: Path
) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    shims = tmp_path / "shims"
    shims.mkdir()
    (shims / "pip").write_text(PIP, encoding="utf-8")
    (shims / "pip").chmod(0o755)
    context = {
        "github.base_ref": "main",
        "github.event_name": "pull_request",
        "github.ref": "refs/pull/7/merge",
        "github.server_url": "https://github.example",
        "github.repository": "octo/inventory",
        "vars.SITE_URL": "https://octo.github.example/inventory",
    }
    carried: dict[str, str] = {}
    uploaded = []
    for number, step in enumerate(workflow()["jobs"]["build"]["steps"]):
        condition = step.get("if")
        if condition is not None:
            assert condition in (ON_MAIN, ON_PULL_REQUEST), condition
            if condition != ON_PULL_REQUEST:
                continue
        if "uses" in step:
            action = step["uses"].split("@")[0]
            if action == "actions/checkout":
                target = workspace / step["with"]["path"]
                git(workspace, "clone", "-q", "--no-checkout", pull_request.as_uri(), str(target))
                git(target, "fetch", "-q", "origin", "refs/pull/7/merge")
                git(target, "checkout", "-q", "--detach", "FETCH_HEAD")
            elif action == "actions/upload-artifact":
                uploaded.append(workspace / step["with"]["path"])
            continue
        env_file = tmp_path / f"env-{number}"
        env_file.write_text("", encoding="utf-8")
        env = {
            **os.environ,
            "PATH": os.pathsep.join(
                [str(shims), str(Path(sys.executable).parent), os.environ["PATH"]]
            ),
            "GITHUB_ENV": str(env_file),
            "ICHINV_NO_CACHE": "1",
            **carried,
        }
        for key, value in step.get("env", {}).items():
            env[key] = EXPRESSION.sub(lambda m: context[m.group(1)], str(value))
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, f"{step['name']}: {done.stdout}{done.stderr}"
        for line in env_file.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            carried[key] = value
    site = workspace / "site"
    assert uploaded == [site]
    built = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert "en/elements/KZ-2013-0001.html" in built
    assert not [p for p, data in built.items() if MARK.encode() in data]
    page = built["en/elements/KZ-2013-0001.html"].decode("utf-8")
    assert "<h1>Nauryz &lt;b&gt;new&lt;/b&gt;</h1>" in page  # the data, as text
    assert "sitemap.xml" not in built and "canonical" not in page  # no SITE_URL for PRs
    assert 'href="https://github.example/octo/inventory"' in built["en/about.html"].decode("utf-8")
