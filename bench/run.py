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
import serve  # noqa: E402

TOOL_PAGE = "tools/screening/"
HANDBOOK_PAGE = "procedure/06-assessing-needs/"
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
    page.goto(url)
    page.locator(f"{RESULT}[data-level]:not([data-level=''])").wait_for(timeout=120_000)
    bench = page.evaluate("() => window.__bench")
    return bench["firstResult"], bench.get("domReady", float("nan"))


def bare_pyodide_ms(page, base: str) -> float:
    page.goto(base + "pyodide/check.html")
    page.locator("body[data-ready=yes]").wait_for(timeout=120_000)
    return float(page.locator("body").get_attribute("data-ready-at"))


def bytes_for(context, url: str, wait_for: str | None) -> tuple[int, int]:
    """(bytes on the wire without Pyodide's files, bytes of Pyodide's files) for one page load.

    Counted on the context, so the tool worker's requests (Pyodide, the wheel) are included.
    """
    sizes: list[tuple[str, int]] = []

    def finished(request) -> None:
        size = request.sizes()
        sizes.append((request.url, size["responseBodySize"] + size["responseHeadersSize"]))

    context.on("requestfinished", finished)
    page = context.new_page()
    page.goto(url)
    if wait_for:
        page.locator(wait_for).wait_for(timeout=120_000)
    page.wait_for_load_state("networkidle")
    page.close()
    context.remove_listener("requestfinished", finished)
    runtime = sum(n for u, n in sizes if "/pyodide/" in u)
    return sum(n for _u, n in sizes) - runtime, runtime


def measure(base: str, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    figures: dict[str, list[float]] = {k: [] for k in (
        "bare", "cold", "warm", "dom_ready", "update", "search_first", "search_next")}
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
            figures["cold"].append(cold)
            figures["dom_ready"].append(dom_ready)
            figures["update"].append(page.evaluate(ANSWER_UPDATE, ["missing_episodes", "yes"]))
            figures["update"].append(page.evaluate(ANSWER_UPDATE, ["older_partner", "yes"]))
            page.wait_for_function(CONTROLLED, timeout=180_000)  # never waits forever
            warm, _ = first_result_ms(page, base + TOOL_PAGE)
            figures["warm"].append(warm)

            page.goto(base + HANDBOOK_PAGE)
            page.keyboard.press("/")
            figures["search_first"].append(page.evaluate(SEARCH, "missing"))
            page.locator("input.md-search__input").fill("")
            figures["search_next"].append(page.evaluate(SEARCH, "taxi"))
            ctx.close()

        ctx = browser.new_context(service_workers="block")
        handbook, _ = bytes_for(ctx, base + HANDBOOK_PAGE, None)
        ctx.close()
        ctx = browser.new_context(service_workers="block")  # nothing cached from the handbook page
        tool, runtime = bytes_for(ctx, base + TOOL_PAGE, f"{RESULT}[data-level]:not([data-level=''])")
        ctx.close()
        browser.close()
    out = {k: median(v) for k, v in figures.items()}
    out.update(handbook_bytes=handbook, tool_bytes=tool, runtime_bytes=runtime)
    return out


def table(m: dict[str, float], build: tuple[float, float], runs: int) -> str:
    bare = m["bare"]
    full, plain = build
    rows = [
        ("Bare Pyodide load, empty page (baseline)", f"{bare:,.0f} ms", "1.00 x", ""),
        ("Tool page: DOMContentLoaded (form usable)", f"{m['dom_ready']:,.0f} ms", f"{m['dom_ready'] / bare:.2f} x", "form usable at DOMContentLoaded"),
        ("Tool page: navigation to first result, cold", f"{m['cold']:,.0f} ms", f"{m['cold'] / bare:.2f} x", "<= 1.15 x"),
        ("Tool page: navigation to first result, warm (service worker)", f"{m['warm']:,.0f} ms", f"{m['warm'] / bare:.2f} x", "<= 0.50 x"),
        ("Answer changed to updated result", f"{m['update']:,.1f} ms", "", "<= 50 ms"),
        ("Handbook page, bytes transferred", f"{m['handbook_bytes'] / 1024:,.0f} KB", "", "<= 300 KB"),
        ("Tool page, bytes transferred without Pyodide", f"{m['tool_bytes'] / 1024:,.0f} KB", "", ""),
        ("Tool page, Pyodide runtime bytes", f"{m['runtime_bytes'] / 1024:,.0f} KB", "", ""),
        ("Site build (macros, wheel, Pyodide, feeds)", f"{full:,.2f} s", f"{full / plain:.2f} x plain", ""),
        ("Plain Material build of the same Markdown", f"{plain:,.2f} s", "1.00 x", ""),
        ("Search: first query to results", f"{m['search_first']:,.0f} ms", "", ""),
        ("Search: next query to results", f"{m['search_next']:,.0f} ms", "", ""),
    ]
    lines = [f"Medians of {runs} runs, headless Chromium on localhost.", "",
             "| measure | median | ratio | target |", "|---|---:|---:|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
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
        server, base = serve.start_in_thread(out / "full0")
        try:
            figures = measure(base, args.runs)
        finally:
            server.shutdown()
    report = table(figures, build, args.runs)
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.md").write_text(report + "\n")


if __name__ == "__main__":
    main()
