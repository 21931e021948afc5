"""Speed and size of the site, measured for real: `make bench` (or `.venv/bin/python bench/run.py`).

The local server gzips text and WebAssembly as static hosts do (scripts/serve.py).

Builds the site, serves it on localhost with scripts/serve.py, drives headless Chromium (Debian's,
through Playwright) and prints a table of medians over several runs. It prints figures against the
targets; it never fails on them (the tests check behaviour, this script measures speed).

  1. bare Pyodide load on a page of the same site (pyodide/check.html): the baseline
  2. tool page, navigation to first result: cold (new browser profile) and warm (service worker)
  3. time from changing an answer to the updated result
  4. bytes transferred: a handbook page (no Pyodide) and a tool page (with and without Pyodide)
  5. whole-site build vs a plain Material build of the same Markdown (no macros, no tools)
  6. search: time from typing a query to results
  7. bytes on a first visit with the service worker's background caching included (a handbook
     page; a tool page), and for a returning visitor after a one-chapter amendment (the site is
     rebuilt from a copy of the project with one chapter edited)
  8. where the time goes on a tool page's start, cold and warm (performance marks "cse:<step>"
     set by tools-boot.js, tools-client.js and the tool worker)
  9. the tools' reduced standard library against Pyodide's full one (macros/stdlib.py), and a
     first tool visit, everything included, from a host that sends no ETag or Last-Modified
  10. opening the largest valid safety plan (200 rows, about 1.9 MB): the longest gap between
      frames while it opens (the page must never freeze over 1 s) and the time until it is open
Bytes are counted at the server (scripts/traffic.py), so the worker's and the service worker's
requests are included.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import chromium  # noqa: E402
import traffic as served  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from helpers import FRAME_HEARTBEAT, build_site, copy_project, largest_valid_plan  # noqa: E402
from test_file_fuzz import REAL  # noqa: E402

TOOL_PAGE = "tools/screening/"
HANDBOOK_PAGE = "procedure/06-assessing-needs/"
CHAPTER_SOURCE = "docs/procedure/06-assessing-needs.md"
OFFLINE_READY = (
    "html[data-offline-ready=yes]"  # offline.js: the worker is active, this page's tiers kept
)
# Start-up steps, in order: (mark, what it is). Times are from navigation start.
STEPS = [
    ("html-received", "HTML received"),
    ("boot", "tools-boot.js runs, worker created"),
    ("worker-started", "worker script running"),
    ("pyodide-imported", "pyodide.mjs imported"),
    ("python-loaded", "cold: loadPyodide done (wasm, reduced stdlib, interpreter)"),
    ("preload-imported", "cold: PRELOAD imported"),
    ("snapshot-taken", "cold: memory snapshot taken"),
    ("interpreter", "interpreter started (cold) / snapshot restored (warm)"),
    ("tools-installed", "tools wheel fetched and installed (loadPackage)"),
    ("tools-imported", "import cse_tools.browser"),
    ("definitions-loaded", "definitions loaded"),
    ("ready", "page hears Python is ready"),
    ("first-result", "first result shown"),
]
MARKS = """() => {
  const out = {};
  for (const m of performance.getEntriesByType("mark")) if (m.name.startsWith("cse:")) out[m.name.slice(4)] = m.startTime;
  out["html-received"] = performance.getEntriesByType("navigation")[0].responseEnd;
  out["first-result"] = window.__bench.firstResult;
  out.interpreter = out["interpreter-started"] ?? out["interpreter-restored"];
  return out;
}"""
RESULT = "[data-result]"
# Records, from navigation start, when the page first shows a result / when Python is ready.
# Installed with add_init_script (DevTools), so the site's CSP is not loosened for the bench.
PROBE = """
window.__bench = {};
new MutationObserver(() => {
  const result = document.querySelector('[data-result]');
  if (!window.__bench.firstResult && result && result.dataset.level) {
    window.__bench.firstResult = performance.now();
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
document.addEventListener('DOMContentLoaded', () => { window.__bench.domReady = performance.now(); });
"""
CONTROLLED = """() => new Promise(resolve => {
  if (navigator.serviceWorker.controller) return resolve(true);
  navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true));
})"""
ANSWER_UPDATE = """async ([name, value]) => {
  const region = document.querySelector('[data-result]');
  const before = region.innerHTML;
  const changed = new Promise(resolve => {
    const observer = new MutationObserver(() => {
      if (region.innerHTML !== before) { observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(region, {subtree: true, childList: true, attributes: true, characterData: true});
  });
  const input = document.querySelector(`input[name="${name}"][value="${value}"]`);
  const started = performance.now();
  input.click();
  return (await changed) - started;
}"""
SEARCH = """async (query) => {
  const input = document.querySelector('input.md-search__input');
  const list = document.querySelector('.md-search-result__list');
  const started = performance.now();
  const found = new Promise(resolve => {
    const check = () => list.querySelector('.md-search-result__item') && resolve(performance.now());
    new MutationObserver(check).observe(list, {childList: true, subtree: true});
  });
  input.value = query;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: query.slice(-1)}));
  return (await found) - started;
}"""


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, timeout=900)
    return time.perf_counter() - started


def build_times(runs: int, out: Path) -> tuple[float, float]:
    """Median seconds: the real build, and plain Material over the same Markdown."""
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--site-dir"]
    full = [timed([*mkdocs, str(out / f"full{i}")], ROOT) for i in range(runs)]
    plain_dir = out / "plain-project"
    shutil.copytree(ROOT / "docs", plain_dir / "docs")
    (plain_dir / "mkdocs.yml").write_text(
        "site_name: Plain build\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        "markdown_extensions:\n  - admonition\n  - attr_list\n  - def_list\n  - tables\n  - md_in_html\n"
    )
    plain = [timed([*mkdocs, str(out / f"plain{i}")], plain_dir) for i in range(runs)]
    return median(full), median(plain)


def first_result_ms(page, url: str) -> tuple[float, float]:
    # A result shows from the first answer: answer one question as soon as the form is there,
    # as a reader would, so the figure is navigation to the first result Python gives.
    page.goto(url, wait_until="domcontentloaded")
    page.locator("input[type=radio][value=no]").first.check()
    page.locator(f"{RESULT}[data-level]:not([data-level=''])").wait_for(timeout=120_000)
    bench = page.evaluate("() => window.__bench")
    return bench["firstResult"], bench.get("domReady", float("nan"))


def bare_pyodide_ms(page, base: str) -> float:
    page.goto(base + "pyodide/check.html")
    page.locator("body[data-ready=yes]").wait_for(timeout=120_000)
    return float(page.locator("body").get_attribute("data-ready-at"))


def visit_bytes(browser, traffic, url: str, wait_for: str, workers: str) -> tuple[int, int]:
    """(all bytes, bytes of pyodide/) the server sent for one first visit in a new profile."""
    ctx = browser.new_context(service_workers=workers)
    traffic.clear()
    page = ctx.new_page()
    page.goto(url)
    page.locator(wait_for).first.wait_for(state="attached", timeout=180_000)
    page.wait_for_load_state("networkidle")
    total, runtime = traffic.bytes(), traffic.bytes("pyodide/")
    ctx.close()
    return total, runtime


def amendment_bytes(browser, tmp: Path) -> dict[str, int]:
    """Bytes a returning visitor downloads after one chapter changed: a handbook reader, and a
    reader who had also used a tool (the tools tier is kept up to date too)."""
    project = copy_project(tmp / "amended-project")
    site = tmp / "amended-site"
    if build_site(site, project / "mkdocs.yml", project).returncode != 0:
        raise SystemExit("build of the project copy failed")
    server, base, traffic = served.start_recording(site)
    out = {}
    try:
        readers = {}
        for who, first_page in (("handbook", HANDBOOK_PAGE), ("tools", TOOL_PAGE)):
            ctx = browser.new_context()
            page = ctx.new_page()
            page.goto(base + first_page)
            page.locator(OFFLINE_READY).wait_for(state="attached", timeout=180_000)
            readers[who] = (ctx, page)
        chapter = project / CHAPTER_SOURCE
        chapter.write_text(
            chapter.read_text() + "\n\nA sentence added by the benchmark's amendment.\n"
        )
        if build_site(site, project / "mkdocs.yml", project).returncode != 0:
            raise SystemExit("rebuild of the project copy failed")
        for who, (ctx, page) in readers.items():
            traffic.clear()
            page.goto(base + HANDBOOK_PAGE)  # the reader comes back; the page checks for updates
            page.locator("[data-update-banner]").wait_for(timeout=180_000)  # new version installed
            page.wait_for_load_state("networkidle")
            out[who] = traffic.bytes()
            ctx.close()
    finally:
        server.shutdown()
    return out


def open_largest_plan(page, base: str) -> tuple[float, float]:
    """(longest frame gap, ms until the plan is open) opening the largest valid safety plan."""
    page.goto(base + "tools/safety-plan/")
    page.locator("[data-progress][data-state='ready']").wait_for(state="attached", timeout=180_000)
    page.evaluate(FRAME_HEARTBEAT)
    started = page.evaluate("() => performance.now()")
    page.set_input_files(
        "#cse-open-plan",
        files=[
            {
                "name": "plan.json",
                "mimeType": "application/json",
                "buffer": largest_valid_plan(REAL["safety"]),
            }
        ],
    )
    page.locator("[data-message]", has_text="Opened the plan").wait_for(timeout=120_000)
    opened = page.evaluate("() => performance.now()") - started
    page.wait_for_timeout(300)  # a few beats after the last change
    return page.evaluate("() => window.__gap"), opened


def measure(base: str, traffic, runs: int, tmp: Path, bare_host=None) -> dict:
    from playwright.sync_api import sync_playwright

    figures: dict[str, list[float]] = {
        k: []
        for k in (
            "bare",
            "cold",
            "warm",
            "dom_ready",
            "update",
            "search_first",
            "search_next",
            "plan_gap",
            "plan_open",
        )
    }
    steps: dict[str, dict[str, list[float]]] = {"cold": {}, "warm": {}}

    def keep_steps(kind: str, page) -> None:
        for name, at in page.evaluate(MARKS).items():
            if at is not None:
                steps[kind].setdefault(name, []).append(at)

    with sync_playwright() as pw:
        browser = chromium.launch(pw)
        for _ in range(runs):
            ctx = browser.new_context(service_workers="block")
            figures["bare"].append(bare_pyodide_ms(ctx.new_page(), base))
            ctx.close()

            ctx = browser.new_context()  # a new profile: nothing cached
            ctx.add_init_script(PROBE)
            page = ctx.new_page()
            cold, dom_ready = first_result_ms(page, base + TOOL_PAGE)
            keep_steps("cold", page)
            figures["cold"].append(cold)
            figures["dom_ready"].append(dom_ready)
            figures["update"].append(page.evaluate(ANSWER_UPDATE, ["missing_episodes", "yes"]))
            figures["update"].append(page.evaluate(ANSWER_UPDATE, ["older_partner", "yes"]))
            page.locator(OFFLINE_READY).wait_for(state="attached", timeout=180_000)
            page.wait_for_function(CONTROLLED, timeout=180_000)  # never waits forever
            warm, _ = first_result_ms(page, base + TOOL_PAGE)
            keep_steps("warm", page)
            figures["warm"].append(warm)

            page.goto(base + HANDBOOK_PAGE)
            page.keyboard.press("/")
            figures["search_first"].append(page.evaluate(SEARCH, "missing"))
            page.locator("input.md-search__input").fill("")
            figures["search_next"].append(page.evaluate(SEARCH, "taxi"))
            gap, opened = open_largest_plan(page, base)
            figures["plan_gap"].append(gap)
            figures["plan_open"].append(opened)
            ctx.close()

        # A tool page's visit is complete when Python is ready (a result needs an answer).
        result = "[data-progress][data-state='ready']"
        handbook, _ = visit_bytes(browser, traffic, base + HANDBOOK_PAGE, "body", "block")
        tool, runtime = visit_bytes(browser, traffic, base + TOOL_PAGE, result, "block")
        handbook_all, _ = visit_bytes(
            browser, traffic, base + HANDBOOK_PAGE, OFFLINE_READY, "allow"
        )
        tool_all, runtime_all = visit_bytes(
            browser, traffic, base + TOOL_PAGE, OFFLINE_READY, "allow"
        )
        no_validators = runtime_no_validators = float("nan")
        if bare_host:
            bare_base, bare_traffic = bare_host
            no_validators, runtime_no_validators = visit_bytes(
                browser, bare_traffic, bare_base + TOOL_PAGE, OFFLINE_READY, "allow"
            )
        amended = amendment_bytes(browser, tmp)
        browser.close()
    out = {k: median(v) for k, v in figures.items()}
    out.update(
        handbook_bytes=handbook,
        tool_bytes=tool - runtime,
        runtime_bytes=runtime,
        handbook_all=handbook_all,
        tool_all=tool_all,
        runtime_all=runtime_all,
        tool_no_validators=no_validators,
        runtime_no_validators=runtime_no_validators,
        amended_handbook=amended["handbook"],
        amended_tools=amended["tools"],
        steps={kind: {k: median(v) for k, v in marks.items()} for kind, marks in steps.items()},
    )
    return out


def table(m: dict[str, float], build: tuple[float, float], runs: int) -> str:
    bare = m["bare"]
    full, plain = build
    rows = [
        ("Bare Pyodide load, empty page (baseline)", f"{bare:,.0f} ms", "1.00 x", ""),
        (
            "Tool page: DOMContentLoaded (form usable)",
            f"{m['dom_ready']:,.0f} ms",
            f"{m['dom_ready'] / bare:.2f} x",
            "form usable at DOMContentLoaded",
        ),
        (
            "Tool page: navigation to first result, cold",
            f"{m['cold']:,.0f} ms",
            f"{m['cold'] / bare:.2f} x",
            "<= 0.90 x",
        ),
        (
            "Tool page: navigation to first result, warm (service worker)",
            f"{m['warm']:,.0f} ms",
            f"{m['warm'] / bare:.2f} x",
            "<= 0.30 x",
        ),
        ("Answer changed to updated result", f"{m['update']:,.1f} ms", "", "<= 50 ms"),
        (
            "Handbook page alone (no service worker), bytes transferred",
            kb(m["handbook_bytes"]),
            "",
            "<= 300 KB",
        ),
        ("Tool page alone (no service worker), without Pyodide", kb(m["tool_bytes"]), "", ""),
        ("Tool page alone, Pyodide runtime bytes", kb(m["runtime_bytes"]), "", ""),
        (
            "First visit to a handbook page, background caching included",
            kb(m["handbook_all"]),
            "",
            "<= 1.5 MB",
        ),
        (
            "First visit to a tool page, everything included",
            kb(m["tool_all"]),
            f"Pyodide {kb(m['runtime_all'])}",
            "<= 5 MB, Pyodide once",
        ),
        (
            "The same, from a host without ETag or Last-Modified",
            kb(m["tool_no_validators"]),
            f"Pyodide {kb(m['runtime_no_validators'])}",
            "<= 5 MB",
        ),
        (
            "Standard library: the tools' reduced one / Pyodide's full one",
            kb(m["stdlib_reduced"]),
            f"{m['stdlib_reduced'] / m['stdlib_full']:.2f} x of {kb(m['stdlib_full'])}",
            "",
        ),
        (
            "Returning handbook reader after a one-chapter amendment",
            kb(m["amended_handbook"]),
            "",
            "<= 300 KB",
        ),
        ("Returning tools user after a one-chapter amendment", kb(m["amended_tools"]), "", ""),
        (
            "Site build (macros, wheel, Pyodide, feeds)",
            f"{full:,.2f} s",
            f"{full / plain:.2f} x plain",
            "",
        ),
        ("Plain Material build of the same Markdown", f"{plain:,.2f} s", "1.00 x", ""),
        ("Search: first query to results", f"{m['search_first']:,.0f} ms", "", ""),
        ("Search: next query to results", f"{m['search_next']:,.0f} ms", "", ""),
        (
            "Largest valid safety plan (200 rows, 1.9 MB): longest frame gap while opening",
            f"{m['plan_gap']:,.0f} ms",
            "",
            "< 1,000 ms",
        ),
        (
            "Largest valid safety plan: file chosen to plan open",
            f"{m['plan_open']:,.0f} ms",
            "",
            "",
        ),
    ]
    lines = [
        f"Medians of {runs} runs, headless Chromium on localhost.",
        "",
        "| measure | median | ratio | target |",
        "|---|---:|---:|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines + ["", startup_table(m["steps"], bare)])


def kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB"


def startup_table(steps: dict[str, dict[str, float]], bare: float) -> str:
    """Where the time goes: each step's median time since navigation start, and since the step before."""
    lines = [
        "Tool page start-up, median ms since navigation start (step: since the previous row).",
        "",
        "| step | cold | cold step | warm | warm step |",
        "|---|---:|---:|---:|---:|",
    ]
    previous = {"cold": 0.0, "warm": 0.0}
    for name, label in STEPS:
        cells = []
        for kind in ("cold", "warm"):
            at = steps[kind].get(name)
            if at is None:
                cells += ["", ""]
                continue
            cells += [f"{at:,.0f}", f"{at - previous[kind]:+,.0f}"]
            previous[kind] = at
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append(f"| bare Pyodide, empty page (baseline) | {bare:,.0f} | | | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cse-bench-") as tmp:
        out = Path(tmp)
        print("Building (real and plain)...", file=sys.stderr)
        build = build_times(min(args.runs, 3), out)
        print("Measuring in Chromium...", file=sys.stderr)
        site = out / "full0"
        server, base, traffic = served.start_recording(site)
        bare, bare_base, bare_traffic = served.start_recording(site, validators=False)
        try:
            figures = measure(base, traffic, args.runs, out, (bare_base, bare_traffic))
        finally:
            server.shutdown()
            bare.shutdown()
        figures["stdlib_reduced"] = (site / "pyodide" / "python_stdlib.zip").stat().st_size
        figures["stdlib_full"] = (site / "pyodide" / "full" / "python_stdlib.zip").stat().st_size
    report = table(figures, build, args.runs)
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.md").write_text(report + "\n")


if __name__ == "__main__":
    main()
