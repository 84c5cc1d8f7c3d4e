"""RESULT lines and the README's table, read back, and the >20 % rule, on canned text: no timing here."""

from __future__ import annotations

import re

import pytest
from figures import Figure, TableRow, figure, judge, parse_results, parse_table

from tests.benchmarks_tooling.conftest import BENCHMARKS

OUTPUT = """\
history of 10,000 tasks written in 7.8 s
the RESULT lines come last; this line is prose, not one of them
RESULT name=history_open.first_paint value=0.463 unit=s yardstick=cpu_sum:31.2ms ratio=14.84 target=<0.5 better=lower compare=ratio
RESULT name=download.throughput value=0.99 unit=x yardstick=plain_httpx:85MiB/s ratio=0.99 target=>=0.8
RESULT name=tasks_in_flight.stall_p99 value=8.20 unit=ms target=<16 yardstick=idle_window_p99 yardstick_value=0.40 ratio=20.5
RESULT name=history_open.rss_growth value=52.6 unit=MB target=<60
machine: 2 cores, load average 0.8 before, 0.9 after
"""  # noqa: E501

TABLE = """\
# Benchmarks

| Figure | Target | Latest | Yardstick (same run) | Ratio | Result | Machine, date |
|---|---|---|---|---|---|---|
| History (`history_open.first_paint`) | < 0.5 s | **0.463 s** | cpu_sum 31.2 ms | 14.8× | pass | 2026-12-03 |
| `download.throughput`: app ÷ plain httpx | ≥ 0.8× | 0.99× | plain httpx 85 MiB/s | 0.99× | pass | EPYC |
| `project_open.first_paint` | < 0.5 s | 348 ms | — | — | pass | EPYC |
| `cold_start.welcome` | ≤ 1.5× bare | 1.001 s | bare window 0.260 s | 3.84× | **FAIL** | EPYC |
| no id in this row | — | 1 s | — | — | — | — |

| Other table | Latest | Ratio |
|---|---|---|
| `not.read` | 5 s | 1× |
"""


def test_result_lines_are_read_with_their_yardstick_ratio_and_target() -> None:
    first, throughput, stall, memory = parse_results(OUTPUT)
    assert first == Figure(
        "history_open.first_paint", 0.463, "s", "cpu_sum", 31.2, "ms", 14.84, "<0.5", "lower", "ratio"
    )
    assert (throughput.better, throughput.compare, throughput.yardstick_unit) == ("higher", "ratio", "MiB/s")
    # The other form of a yardstick: its number in yardstick_value=, in the figure's own unit.
    assert (stall.yardstick, stall.yardstick_value, stall.yardstick_unit) == ("idle_window_p99", 0.40, "ms")
    assert (memory.ratio, memory.compare, memory.better) == (None, "value", "lower")


def test_a_figure_prints_the_line_it_is_read_back_from() -> None:
    made = figure("frame_grab.png", 120.0, "ms", yardstick=("cpu_sum", 0.03, "s"), target="<200")
    assert made.ratio == pytest.approx(4.0)  # 120 ms against 30 ms: the units are converted
    assert (made.better, made.compare) == ("lower", "ratio")
    (read,) = parse_results(made.line())
    assert read == made
    faster = figure("export.throughput", 0.9, "x", yardstick=("plain_copy", 0.2, "s"), ratio=0.9, target=">=0.8")
    assert parse_results(faster.line()) == [faster]
    assert faster.better == "higher"


@pytest.mark.parametrize(
    "line",
    [
        "RESULT name=a.b unit=s",  # no value
        "RESULT name=a.b value=fast unit=s",
        "RESULT name=a.b value=1 unit=s yardstick=cpu_sum",  # a yardstick with no number
        "RESULT name=a.b value=1 unit=s target=about1",
        "RESULT name=a.b value=1 unit=s target=<fast",
    ],
)
def test_a_malformed_result_line_is_an_error_not_a_missing_figure(line: str) -> None:
    with pytest.raises(ValueError, match=r"RESULT|yardstick|target"):
        parse_results(line)


def test_targets_on_the_value_and_on_the_ratio() -> None:
    assert figure("a.b", 0.4, "s", target="<0.5").meets_target() is True
    assert figure("a.b", 0.5, "s", target="<0.5").meets_target() is False
    assert figure("a.b", 0.79, "x", ratio=0.79, target=">=0.8").meets_target() is False
    # "x" after the bound: at most 1.5 times the yardstick, whatever the value's own unit.
    slow = figure("cold_start.welcome", 1.0, "s", yardstick=("bare_window", 0.26, "s"), target="<=1.5x")
    assert slow.meets_target() is False
    assert figure("cold_start.welcome", 0.35, "s", yardstick=("bare_window", 0.26, "s"), target="<=1.5x").meets_target()
    assert figure("a.b", 3.0, "ms").meets_target() is None


def test_the_readme_table_is_read_by_id_latest_and_ratio() -> None:
    rows = parse_table(TABLE)
    assert rows == {
        "history_open.first_paint": TableRow("history_open.first_paint", 0.463, "s", 14.8),
        "download.throughput": TableRow("download.throughput", 0.99, "x", 0.99),
        "project_open.first_paint": TableRow("project_open.first_paint", 348.0, "ms", None),
        "cold_start.welcome": TableRow("cold_start.welcome", 1.001, "s", 3.84),
    }


def row(name: str, value: float | None, unit: str, ratio: float | None) -> TableRow:
    return TableRow(name, value, unit, ratio)


@pytest.mark.parametrize(
    ("ratio", "regression"),
    [(14.8 * 1.19, False), (14.8 * 1.21, True), (14.8 * 0.5, False)],
)
def test_a_time_more_than_20_percent_worse_by_its_ratio_is_a_regression(ratio: float, regression: bool) -> None:
    new = figure("history_open.first_paint", 0.3, "s", yardstick=("cpu_sum", 0.3 / ratio, "s"))
    verdict = judge(new, row("history_open.first_paint", 0.463, "s", 14.8))
    assert verdict.basis == "ratio"
    assert verdict.regression is regression


@pytest.mark.parametrize(("now", "regression"), [(0.80, False), (0.78, True), (1.3, False)])
def test_a_throughput_more_than_20_percent_lower_is_a_regression(now: float, regression: bool) -> None:
    new = figure("download.throughput", now, "x", ratio=now, target=">=0.8")
    verdict = judge(new, row("download.throughput", 1.0, "x", 1.0))
    assert verdict.regression is regression
    assert verdict.change == pytest.approx(1.0 - now)


def test_without_a_ratio_on_both_sides_the_value_is_compared_in_the_tables_unit() -> None:
    new = figure("project_open.first_paint", 0.43, "s", yardstick=("cpu_sum", 30, "ms"))
    verdict = judge(new, row("project_open.first_paint", 348.0, "ms", None))
    assert verdict.basis == "value"
    assert verdict.table == 348.0
    assert verdict.change == pytest.approx(430 / 348 - 1)
    assert verdict.regression is True
    # compare=value holds the value even where both have a ratio (a stall near zero makes ratios noise).
    stall = figure("download.stall_p99", 9.0, "ms", yardstick=("plain", 0.5, "ms"), compare="value")
    assert judge(stall, row("download.stall_p99", 8.0, "ms", 4.0)).basis == "value"


def test_a_figure_the_table_does_not_have_is_new_not_a_regression() -> None:
    verdict = judge(figure("a.b", 9e9, "s"), None)
    assert (verdict.basis, verdict.regression) == ("", False)


def test_every_figure_a_script_names_has_a_row_in_the_readme() -> None:
    rows = parse_table((BENCHMARKS / "README.md").read_text(encoding="utf-8"))
    named, quoted = set(), set()
    for script in BENCHMARKS.glob("*.py"):
        text = script.read_text(encoding="utf-8")
        named |= set(re.findall(r'figure\(\s*"([a-z0-9_]+(?:\.[a-z0-9_]+)+)"', text))
        quoted |= set(re.findall(r'"([a-z0-9_]+(?:\.[a-z0-9_]+)+)"', text))
    assert named, "no figure(...) found: the scan is out of date"
    assert named <= set(rows), f"figures with no row in benchmarks/README.md: {sorted(named - set(rows))}"
    # A name chosen before the figure(...) call (`name = "project_open.open" if ...`): a row, or the stem of rows.
    areas = {name.split(".")[0] for name in named}
    chosen = {q for q in quoted if q.split(".")[0] in areas and not q.endswith(".py")}
    unrowed = sorted(q for q in chosen if q not in rows and not any(row.startswith(q + ".") for row in rows))
    assert not unrowed, f"figure names with no row in benchmarks/README.md: {unrowed}"
