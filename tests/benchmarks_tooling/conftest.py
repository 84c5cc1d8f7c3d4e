"""The benchmarks' tooling (benchmarks/figures.py, run_all.py) is imported as the scripts import each other: from
their folder on sys.path. The benchmarks themselves are never collected (pytest's testpaths is tests/)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))
