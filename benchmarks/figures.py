"""The figures' one form: each benchmark ends with a RESULT line per figure, `run_all.py` reads them back and
holds them against the table in benchmarks/README.md. Text in, text out; nothing here times anything.

    RESULT name=<id> value=<number> unit=<unit> [yardstick=<what>:<number><unit>] [ratio=<number>]
           [target=<op><number>[x]] [better=lower|higher] [compare=ratio|value]

`value` is the figure itself; `ratio` is it divided by its yardstick measured in the same run (the number to
compare across runs and machines: a loaded or slower machine moves both); a target ending in `x` is on the ratio,
otherwise on the value, in the value's unit.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

# A figure more than this much worse than the README's is a regression (issue 13: a regression is a bug).
TOLERANCE = 0.20
TIME_UNITS = {"s": 1.0, "ms": 0.001}
_OPS = ("<=", ">=", "<", ">")


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    yardstick: str = ""  # what the ratio divides by, e.g. "cpu_sum"
    yardstick_value: float | None = None
    yardstick_unit: str = ""
    ratio: float | None = None
    target: str = ""  # "<0.5", ">=0.8", "<=1.5x"
    better: str = "lower"
    compare: str = "value"  # which number run_all.py holds against the README's: "ratio" or "value"

    def line(self) -> str:
        parts = [f"RESULT name={self.name}", f"value={_number(self.value)}", f"unit={self.unit}"]
        if self.yardstick:
            parts.append(f"yardstick={self.yardstick}:{_number(self.yardstick_value)}{self.yardstick_unit}")
        if self.ratio is not None:
            parts.append(f"ratio={_number(self.ratio)}")
        if self.target:
            parts.append(f"target={self.target}")
        parts += [f"better={self.better}", f"compare={self.compare}"]
        return " ".join(parts)

    def meets_target(self) -> bool | None:
        """True or False against the target; None when there is none (or it is on a ratio the run lacks)."""
        if not self.target:
            return None
        op, bound, on_ratio = split_target(self.target)
        number = self.ratio if on_ratio and self.unit != "x" else self.value
        if number is None or math.isnan(number):
            return None
        return {"<": number < bound, "<=": number <= bound, ">": number > bound, ">=": number >= bound}[op]


def figure(
    name: str,
    value: float,
    unit: str,
    *,
    yardstick: tuple[str, float, str] | None = None,
    ratio: float | None = None,
    target: str = "",
    better: str = "",
    compare: str = "",
) -> Figure:
    """A figure; the ratio is worked out from a yardstick in a time unit when not given. `better` follows the target's
    direction unless given; `compare` is the ratio whenever there is one."""
    value = float(value)
    what, yard_value, yard_unit = yardstick if yardstick is not None else ("", None, "")
    if ratio is None and yard_value and unit in TIME_UNITS and yard_unit in TIME_UNITS:
        ratio = value * TIME_UNITS[unit] / (yard_value * TIME_UNITS[yard_unit])
    if not better:
        better = "higher" if target.startswith(">") else "lower"
    return Figure(name, value, unit, what, yard_value, yard_unit, ratio, target, better,
                  compare or ("ratio" if ratio is not None else "value"))  # fmt: skip


def emit(*figures: Figure) -> None:
    """The machine-readable lines, last in a benchmark's output."""
    for one in figures:
        print(one.line(), flush=True)


def split_target(target: str) -> tuple[str, float, bool]:
    op = next(o for o in _OPS if target.startswith(o))
    rest = target[len(op) :]
    return op, float(rest.rstrip("x")), rest.endswith("x")


def parse_results(text: str) -> list[Figure]:
    """Every RESULT line in a benchmark's output; a malformed one raises ValueError naming it."""
    found = []
    for raw in text.splitlines():
        if not raw.startswith("RESULT "):
            continue
        fields = dict(part.split("=", 1) for part in raw.split()[1:] if "=" in part)
        try:
            name, unit, value = fields["name"], fields["unit"], float(fields["value"])
        except (KeyError, ValueError) as error:
            raise ValueError(f"malformed RESULT line: {raw!r}") from error
        yardstick, yard_value, yard_unit = "", None, ""
        if "yardstick" in fields:
            # "what:<number><unit>", or "what" with the number in yardstick_value= (in the figure's unit).
            match = re.fullmatch(r"([\w.-]+)(?::([-+0-9.eE]+|nan)(\S*))?", fields["yardstick"])
            if match is None or (match[2] is None and "yardstick_value" not in fields):
                raise ValueError(f"malformed yardstick in {raw!r}")
            yardstick = match[1]
            if match[2] is not None:
                yard_value, yard_unit = float(match[2]), match[3]
            else:
                yard_value, yard_unit = float(fields["yardstick_value"]), unit
        ratio = float(fields["ratio"]) if "ratio" in fields else None
        target = fields.get("target", "")
        if target and not re.fullmatch(r"(<=|>=|<|>)[-+]?\d+(\.\d+)?x?", target):
            raise ValueError(f"malformed target in {raw!r}")
        better = fields.get("better") or ("higher" if target.startswith(">") else "lower")
        compare = fields.get("compare") or ("ratio" if ratio is not None else "value")
        found.append(Figure(name, value, unit, yardstick, yard_value, yard_unit, ratio, target, better, compare))
    return found


# -- the README's table -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    """One row of benchmarks/README.md's table of targets: the id, the latest figure and its ratio."""

    name: str
    value: float | None
    unit: str
    ratio: float | None


_ID = re.compile(r"`([a-z0-9_]+(?:\.[a-z0-9_]+)+)`")
_LEADING_NUMBER = re.compile(r"^[\s*]*([-+]?\d[\d,]*(?:\.\d+)?)\s*(ms|s|x|×|MB|MiB/s)?")


def parse_table(markdown: str) -> dict[str, TableRow]:
    """The README's table of targets: the first table whose header has "Latest" and "Ratio". A row's id is the
    first dotted lower-case name in backticks in its first cell (`history_open.first_paint`); Latest and Ratio are
    the numbers those cells begin with (a cell that begins otherwise, such as "—", has none)."""
    rows: dict[str, TableRow] = {}
    columns: list[str] | None = None
    for line in markdown.splitlines():
        stripped = line.strip()
        if not stripped.startswith("|"):
            if columns is not None and rows:
                break
            columns = None
            continue
        cells = [cell.strip() for cell in stripped.strip("|").split("|")]
        if columns is None:
            if "Latest" in cells and "Ratio" in cells:
                columns = cells
            continue
        match = _ID.search(cells[0])
        if match is None or len(cells) != len(columns):
            continue
        value, unit = _leading_number(cells[columns.index("Latest")])
        ratio, _ = _leading_number(cells[columns.index("Ratio")])
        rows[match[1]] = TableRow(match[1], value, unit, ratio)
    return rows


def _leading_number(cell: str) -> tuple[float | None, str]:
    match = _LEADING_NUMBER.match(cell)
    if match is None:
        return None, ""
    return float(match[1].replace(",", "")), (match[2] or "").replace("×", "x")


# -- the >20 % rule ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    basis: str  # "ratio", "value", or "" when the table has nothing to hold the figure against
    table: float | None
    now: float | None  # the new number on the same basis (in the table's unit)
    change: float | None  # how much worse, as a fraction of the table's: negative is better
    regression: bool


def judge(new: Figure, row: TableRow | None) -> Verdict:
    """The figure against its row: the ratio when both have one (the machine's speed and load divided out), else
    the value (converted between s and ms). Worse by more than TOLERANCE is a regression."""
    if row is None:
        return Verdict("", None, None, None, False)
    if new.compare == "ratio" and new.ratio is not None and row.ratio is not None:
        basis, old, now = "ratio", row.ratio, new.ratio
    elif row.value is not None:
        basis, old, now = "value", row.value, new.value
        if row.unit in TIME_UNITS and new.unit in TIME_UNITS:
            now = new.value * TIME_UNITS[new.unit] / TIME_UNITS[row.unit]
    else:
        return Verdict("", None, None, None, False)
    if old == 0 or math.isnan(now):
        return Verdict(basis, old, now, None, False)
    # 20 % worse: 20 % more time (or stall), or 20 % less throughput.
    change = (now - old) / old if new.better == "lower" else (old - now) / old
    return Verdict(basis, old, now, change, change > TOLERANCE)


# -- what every script prints about the machine -----------------------------------------------------------------


def load_line(load_before: float) -> str:
    return f"machine: {os.cpu_count()} cores, load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"


def _number(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "nan"
    return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.0f}"
