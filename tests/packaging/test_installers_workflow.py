"""The hosted installer workflow (.github/workflows/installers.yml), read as its runs would be: which runner images
build what, that every artefact is self-tested and shipped with SHA256SUMS, the SBOM and the licences, that every
action is pinned, and what its shell steps do, run here on stand-in files. Its schema and zizmor's and shellcheck's
verdicts are in test_recipe_lint.py.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


WORKFLOW = REPO / ".github" / "workflows" / "installers.yml"
SELF_TEST_LINES = ("'^self-test ok:'", "'^self-test player: ok frame=[0-9]+x[0-9]+'")


def _workflow() -> tuple[dict[str, Any], str]:
    import yaml

    text = WORKFLOW.read_text(encoding="utf-8")
    return yaml.safe_load(text), text


def _job_text(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) + str(step.get("with", "")) for step in job["steps"])


def test_ci_workflow_builds_every_platform_on_named_runner_images() -> None:
    workflow, _ = _workflow()
    jobs = workflow["jobs"]
    assert set(jobs) == {"linux", "windows", "macos"}
    # Named versions, never *-latest: a runner image that moves under the same name changes the build unseen.
    assert jobs["linux"]["runs-on"] == "ubuntu-24.04"
    assert jobs["windows"]["runs-on"] in {"windows-2022", "windows-2025"}
    mac = {(item["os"], item["arch"]) for item in jobs["macos"]["strategy"]["matrix"]["include"]}
    assert mac == {("macos-15", "arm64"), ("macos-15-intel", "x86_64")}
    assert '--arch "$ARCH"' in _job_text(jobs["macos"]) and jobs["macos"]["env"]["ARCH"] == "${{ matrix.arch }}"


def test_ci_linux_bundle_is_built_at_the_glibc_floor_and_every_package_is_self_tested() -> None:
    workflow, _ = _workflow()
    job = workflow["jobs"]["linux"]
    text = _job_text(job)
    assert job["env"]["MANYLINUX_IMAGE"] == "quay.io/pypa/manylinux_2_34_x86_64" and job["env"]["GLIBC_FLOOR"] == "2.34"
    bundle = text.index("--stage bundle")
    assert text.rindex("docker run", 0, bundle) < bundle and "--python /usr/bin/python3.11" in text
    # manylinux's /opt/python interpreters have no libpython.so for PyInstaller to embed: AlmaLinux's own does.
    assert "/opt/python/" not in text and "dnf install -y -q binutils python3.11" in text[:bundle]
    assert bundle < text.index("--stage package") < text.index("self_test deb")
    for what in ("deb", "bundle", "rpm", "appimage"):
        assert f"self_test {what} " in text, f"the {what} is not self-tested"
    assert "rpm2cpio" in text and "cpio -id" in text and "apt-get install -y ./build/linux/sora2-desktop_" in text
    assert all(pattern in text for pattern in SELF_TEST_LINES)


def test_ci_windows_installs_media_foundation_before_the_first_self_test() -> None:
    workflow, _ = _workflow()
    names = [step.get("name", "") for step in workflow["jobs"]["windows"]["steps"]]
    text = _job_text(workflow["jobs"]["windows"])
    assert "Install-WindowsFeature Server-Media-Foundation" in text
    # build_windows.ps1 self-tests the bundle itself, so the feature goes in before the build, not just the install.
    feature = next(i for i, n in enumerate(names) if "Media Foundation" in n)
    assert feature < next(i for i, n in enumerate(names) if n.startswith("Build the installer"))
    assert "Invoke-SelfTest" in text and "Get-AuthenticodeSignature" in text and "unins000.exe" in text


def test_ci_uploads_checksums_sbom_and_licences_and_reports_sizes() -> None:
    workflow, _ = _workflow()
    for name, job in workflow["jobs"].items():
        uploads = [step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact@")]
        assert len(uploads) == 1, name
        paths = uploads[0]["with"]["path"]
        for shipped in ("SHA256SUMS", "sbom.cdx.json", "THIRD_PARTY_LICENSES.txt"):
            assert f"/{shipped}" in paths, f"{name} does not upload {shipped}"
        assert uploads[0]["with"]["if-no-files-found"] == "error"
        assert "GITHUB_STEP_SUMMARY" in _job_text(job), f"{name} writes no sizes to the job summary"
        scripts = "\n".join(str(step.get("run", "")) for step in job["steps"])
        assert re.search(r"(sha256sum|shasum -a 256) -c SHA256SUMS|Get-FileHash", scripts), (
            f"{name}: SHA256SUMS unchecked"
        )
    mac = _job_text(workflow["jobs"]["macos"])
    assert all(pattern in mac for pattern in SELF_TEST_LINES)


def test_ci_pins_every_action_to_a_commit_with_its_tag_beside_it() -> None:
    workflow, text = _workflow()
    uses = re.findall(r"^\s*-?\s*uses:\s*(\S+)(.*)$", text, re.MULTILINE)
    assert len(uses) >= 9  # checkout, setup-python and upload-artifact in each of the three jobs
    for ref, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), f"{ref}: pin a full commit SHA"
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*", comment), f"{ref}: name its tag in a comment beside it"
    for job in workflow["jobs"].values():
        checkout = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@"))
        assert checkout["with"]["persist-credentials"] is False


def test_the_ci_checks_every_tool_it_downloads() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    downloads = re.findall(
        r"https://\S+", "\n".join(line for line in text.splitlines() if "curl" in line or "http" in line)
    )
    fetched = [url for url in downloads if "/releases/download/" in url]
    assert fetched, "the workflow no longer downloads appimagetool: update this test"
    assert not any("continuous" in url for url in fetched), "a moving 'continuous' build cannot be checked"
    assert text.count("sha256sum -c") >= len(fetched)
    assert len(re.findall(r"_SHA256: [0-9a-f]{64}\b", text)) >= len(fetched)
    assert "APPIMAGE_RUNTIME_FILE" in text  # appimagetool would otherwise fetch its runtime itself, unchecked


# --- the shell steps, run on stand-ins ------------------------------------------------------------------------------


def _step(job: str, name_start: str) -> str:
    workflow, _ = _workflow()
    return next(s["run"] for s in workflow["jobs"][job]["steps"] if s.get("name", "").startswith(name_start))


def _self_test_function() -> str:
    """The Linux job's `self_test` shell function, exactly as the workflow defines it."""
    script = _step("linux", "Self-test the bundle")
    start = script.index("self_test() {")
    return script[start : script.index("\n}\n", start) + 3]


def _fake_app(tmp_path: Path, output: str, code: int) -> Path:
    app = tmp_path / "fake-app"
    app.write_text(f"#!/usr/bin/env bash\ncat <<'EOF'\n{output}\nEOF\nexit {code}\n", encoding="utf-8")
    app.chmod(0o755)
    return app


def _run_self_test(tmp_path: Path, output: str, code: int) -> subprocess.CompletedProcess[str]:
    app = _fake_app(tmp_path, output, code)
    script = f"set -euo pipefail\n{_self_test_function()}\nself_test fake {app}\n"
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path)}
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=60)


APP_OK = "self-test ok: window=ok keychain=none timelines=fcpxml+xml+edl qt=6.11.3"
PLAYER_OK = "self-test player: ok frame=640x360 multimedia=ffmpeg"


def test_the_linux_self_test_passes_both_lines_and_exit_0(tmp_path: Path) -> None:
    done = _run_self_test(tmp_path, f"{APP_OK}\n{PLAYER_OK}", 0)
    assert done.returncode == 0, done.stdout + done.stderr
    assert PLAYER_OK in done.stdout  # the lines are shown in the log, not only checked


def test_the_linux_self_test_fails_a_broken_app_a_missing_player_or_a_bad_exit(tmp_path: Path) -> None:
    for output, code in [
        (f"self-test FAILED: window=error\n{PLAYER_OK}", 1),
        (f"{APP_OK}\nself-test player: unavailable: no FFmpeg", 3),  # this runner has media support: 3 is a failure
        (APP_OK, 0),  # the player line missing
        (f"{APP_OK}\nself-test player: ok frame=x multimedia=ffmpeg", 0),  # no decoded frame size
        (f"{APP_OK}\n{PLAYER_OK}", 1),  # both lines, but the exit code says otherwise
    ]:
        done = _run_self_test(tmp_path, output, code)
        assert done.returncode != 0, (output, code)
        assert "::error title=self-test of the fake failed::" in done.stdout, done.stdout


def test_the_sizes_step_writes_a_table_to_the_job_summary(tmp_path: Path) -> None:
    out = tmp_path / "build" / "linux"
    out.mkdir(parents=True)
    (out / "sora2-desktop_0.1.0_amd64.deb").write_bytes(b"x" * 1_500_000)
    (out / "sora2-desktop-0.1.0-1.x86_64.rpm").write_bytes(b"x" * 2_049_999)
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    script = "set -eo pipefail\n" + _step("linux", "Sizes")
    subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, check=True, timeout=60)
    text = summary.read_text(encoding="utf-8")
    assert "| sora2-desktop_0.1.0_amd64.deb | 1.5 MB |" in text
    assert "| sora2-desktop-0.1.0-1.x86_64.rpm | 2.0 MB |" in text
    assert "AppImage" not in text  # absent artefacts are left out, not listed as a glob
