"""run_all.py on saved output (--from-output) against a canned README: the one table, the REGRESSION flag and the
exit status. Nothing is run or timed."""

from __future__ import annotations

from pathlib import Path

import pytest
import run_all

README = """\
| Figure | Target | Latest | Yardstick (same run) | Ratio | Result | Machine, date |
|---|---|---|---|---|---|---|
| `contact_sheet.12_takes` | < 3 s | 1.42 s | cpu_sum 16.4 ms | 86.6× | pass | EPYC, 2026-12-03 |
| `export.throughput` | ≥ 0.8× | 0.95× | plain_copy 0.18 s | 0.95× | pass | EPYC, 2026-12-03 |
"""


def judged(tmp_path: Path, capsys: pytest.CaptureFixture[str], *outputs: str) -> tuple[int, str]:
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    files = []
    for index, text in enumerate(outputs):
        files.append(tmp_path / f"bench{index}.txt")
        files[-1].write_text(text, encoding="utf-8")
    status = run_all.main(["--readme", str(readme), "--from-output", *map(str, files)])
    return status, capsys.readouterr().out


def test_figures_within_20_percent_pass_in_one_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = judged(
        tmp_path,
        capsys,
        "RESULT name=contact_sheet.12_takes value=1.5 unit=s yardstick=cpu_sum:17ms ratio=88.2 target=<3\n"
        "machine: 2 cores, load average 0.9 before, 1.0 after\n",
        "RESULT name=export.throughput value=0.9 unit=x yardstick=plain_copy:0.2s ratio=0.9 target=>=0.8\n"
        "RESULT name=export.brand_new value=3 unit=s\n",
    )
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["figure", "target", "latest"]
    sheet = next(line for line in lines if line.startswith("contact_sheet.12_takes"))
    assert sheet.split()[-1] == "ok" and "pass" in sheet and "+2% worse" in sheet
    assert next(line for line in lines if line.startswith("export.brand_new")).endswith("new")
    assert "REGRESSION" not in out
    assert "load during each benchmark (before–after): bench0.txt 0.9–1.0" in out


def test_a_figure_more_than_20_percent_worse_is_a_regression_and_fails_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = judged(
        tmp_path,
        capsys,
        # 0.95× → 0.70×: 26 % less throughput than the README's; still a target FAIL shown beside it.
        "RESULT name=export.throughput value=0.70 unit=x yardstick=plain_copy:0.2s ratio=0.70 target=>=0.8\n",
    )
    assert status == 1
    line = next(line for line in out.splitlines() if line.startswith("export.throughput"))
    assert line.endswith("REGRESSION") and "FAIL" in line and "-26% worse" in line
    assert "1 regression(s) against README.md" in out


def test_a_benchmark_that_prints_no_result_fails_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = judged(tmp_path, capsys, "Traceback (most recent call last):\n  ...\n")
    assert status == 1
    assert "ERROR" in out and "no RESULT line" in out


def test_every_benchmark_script_the_runner_names_exists() -> None:
    for bench in run_all.BENCHES.values():
        assert (run_all.HERE / bench.script).is_file(), bench.script


def test_a_benchmark_whose_program_is_missing_is_skipped_and_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # cold_start_instructions.py needs valgrind, which a person's machine may not have: skipped, not a failure.
    ran: list[str] = []
    monkeypatch.setattr(run_all.shutil, "which", lambda program: None)
    monkeypatch.setattr(run_all, "machine_yardsticks", lambda: "")
    monkeypatch.setattr(run_all, "run_bench", lambda name, quick, verbose: ran.append(name))
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    status = run_all.main(["--readme", str(readme), "--only", "cold_start_instructions"])
    assert status == 0 and ran == []
    assert "cold_start_instructions: skipped, valgrind is not installed" in capsys.readouterr().err
    assert run_all.BENCHES["cold_start_instructions"].requires == "valgrind"
