"""The partnership profile's speed: `.venv/bin/python bench/profile.py [--files 1000]`.

Writes a generated year of saved files (tests/profile_support.py) to a temporary folder and prints
the median time of `cse-tools profile` over them (the whole command: Python starting, reading every
file, aggregating, printing the JSON), and of the aggregation alone in this process. With
--browser it also builds the site, serves it (scripts/serve.py, via traffic.py) and times the
profile page in headless Chromium: from choosing the files to the tables on screen (Python already
started), and the longest task on the page meanwhile (PerformanceObserver "longtask"). Figures are
printed against the targets (command line under 2 s, browser under 5 s, no task over 1 s); they
are never asserted.
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
sys.path.insert(0, str(ROOT / "scripts"))

from profile_support import year_of_files  # noqa: E402

from cse_tools import profile  # noqa: E402
from cse_tools.catalog import default_catalog  # noqa: E402

CSE_TOOLS = Path(sys.executable).with_name("cse-tools")


LONG_TASKS = """
window.__longest = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
}).observe({type: "longtask", buffered: true});
"""


def browser_times(sources: list[tuple[str, str]], runs: int) -> tuple[float, float]:
    """(median seconds from choosing the files to the profile on screen, longest task in ms)."""
    import chromium
    import traffic as served
    from helpers import build_site
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="cse-bench-profile-") as tmp:
        site = Path(tmp) / "site"
        built = build_site(site)
        if built.returncode != 0:
            raise SystemExit(built.stderr)
        server, base, _traffic = served.start_recording(site)
        payload = [
            {"name": n, "mimeType": "application/json", "buffer": t.encode()} for n, t in sources
        ]
        times, longest = [], 0.0
        try:
            with sync_playwright() as pw:
                browser = chromium.launch(pw)
                for _ in range(runs):
                    ctx = browser.new_context(service_workers="block")
                    ctx.add_init_script(LONG_TASKS)
                    page = ctx.new_page()
                    page.goto(base + "tools/profile/")
                    page.locator("[data-progress][data-state='ready']").wait_for(
                        state="attached", timeout=120_000
                    )
                    page.evaluate("window.__longest = 0")
                    start = time.perf_counter()
                    page.locator("#cse-profile-files").set_input_files(payload)
                    page.locator("[data-result]:not([hidden])").wait_for(timeout=120_000)
                    times.append(time.perf_counter() - start)
                    longest = max(longest, page.evaluate("window.__longest"))
                    ctx.close()
                browser.close()
        finally:
            server.shutdown()
    return statistics.median(times), longest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--browser", action="store_true", help="also time the profile page in Chromium"
    )
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
        command = [
            str(CSE_TOOLS),
            "profile",
            *names,
            "--today",
            "2026-12-02",
            "--period",
            "quarter",
        ]
        whole = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, timeout=120)
            whole.append(time.perf_counter() - start)
    print(
        f"partnership profile of {len(sources)} generated files ({result['children']} children), "
        f"median of {args.runs} runs"
    )
    print(f"  aggregation alone (profile.profile)      {statistics.median(inside):6.3f} s")
    print(
        f"  cse-tools profile, whole command        {statistics.median(whole):6.3f} s   (target: under 2 s)"
    )
    if args.browser:
        seconds, longest = browser_times(sources, min(args.runs, 3))
        print(f"  profile page, files chosen to tables    {seconds:6.3f} s   (target: under 5 s)")
        print(
            f"  longest task on the page meanwhile      {longest / 1000:6.3f} s   (target: none over 1 s)"
        )


if __name__ == "__main__":
    main()
