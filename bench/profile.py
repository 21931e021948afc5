"""The partnership profile's speed: `.venv/bin/python bench/profile.py [--files 1000]`.

Writes a generated year of saved files (tests/profile_support.py) to a temporary folder and prints
the median time of `cse-tools profile` over them (the whole command: Python starting, reading every
file, aggregating, printing the JSON), and of the aggregation alone in this process. Figures are
printed against the targets (command line under 2 s for 1,000 files); they are never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))

from profile_support import year_of_files  # noqa: E402

from cse_tools import profile  # noqa: E402
from cse_tools.catalog import default_catalog  # noqa: E402

CSE_TOOLS = Path(sys.executable).with_name("cse-tools")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sources = year_of_files(args.files)
    catalog = default_catalog()
    today = dt.date(2026, 12, 2)
    inside = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = profile.profile(sources, catalog, today, "quarter")
        inside.append(time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as folder:
        for name, text in sources:
            (Path(folder) / name).write_text(text, encoding="utf-8")
        names = sorted(str(p) for p in Path(folder).iterdir())
        command = [str(CSE_TOOLS), "profile", *names, "--today", "2026-12-02", "--period", "quarter"]
        whole = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, timeout=120)
            whole.append(time.perf_counter() - start)
    print(f"partnership profile of {len(sources)} generated files ({result['children']} children), "
          f"median of {args.runs} runs")
    print(f"  aggregation alone (profile.profile)      {statistics.median(inside):6.3f} s")
    print(f"  cse-tools profile, whole command        {statistics.median(whole):6.3f} s   (target: under 2 s)")


if __name__ == "__main__":
    main()
