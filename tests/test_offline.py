"""Offline, in tiers: the handbook is cached from any page, the tools once a tool page has been used,
an update fetches only the files that changed, and nothing typed is ever in any cache.

Requests are counted at the server (scripts/traffic.py), which sees the service worker's too.
"""

from __future__ import annotations

import json
import re

import pytest

from helpers import build_site, html_pages
from traffic import start_recording

pytestmark = pytest.mark.browser

READY = "html[data-offline-ready=yes]"  # offline.js: the worker is active and this page's tiers are kept
CACHES = """async () => {
  const out = {};
  for (const name of await caches.keys()) {
    out[name] = (await (await caches.open(name)).keys()).map((request) => request.url);
  }
  return out;
}"""
HOLDING = """async (marker) => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const text = new TextDecoder("latin1").decode(await (await cache.match(request)).arrayBuffer());
      if (text.includes(marker)) found.push(request.url);
    }
  }
  return found;
}"""
MARKER = "OFFLINE-CASE-MARKER-51c2"


def manifest(site) -> dict[str, dict[str, str]]:
    """{tier: {path: hash}} from the built site/sw.js."""
    text = (site / "sw.js").read_text(encoding="utf-8")
    tiers = json.loads(re.search(r"^const TIERS = (.*);$", text, re.M).group(1))
    return {tier: body["files"] for tier, body in tiers.items()}


def cached_paths(page, base_url) -> set[str]:
    paths = set()
    for name, urls in page.evaluate(CACHES).items():
        if name.startswith("cse-handbook-"):
            paths |= {url.removeprefix(base_url) for url in urls}
    return paths


@pytest.fixture(scope="module")
def recorded(site_dir):
    server, url, traffic = start_recording(site_dir)
    yield url, traffic
    server.shutdown()


def test_handbook_pages_and_search_work_offline_and_a_tool_page_says_it_needs_one_visit(
    browser, site_dir, recorded
):
    url, _traffic = recorded
    tiers = manifest(site_dir)
    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        page.goto(url + "procedure/06-assessing-needs/")
        page.locator(READY).wait_for(state="attached", timeout=60_000)
        cached = cached_paths(page, url)
        assert set(tiers["handbook"]) <= cached
        # The tool components' scripts (beside their templates, built to partials/tools/) too.
        assert {
            f"partials/tools/{name}.js" for name in ("case-header", "plan-row", "result")
        } <= set(tiers["handbook"])
        assert not cached & (
            set(tiers["tools"]) | set(tiers["diagrams"])
        )  # not for a handbook reader
        assert not [p for p in cached if p.endswith(".map") or "/lunr/" in p]

        context.set_offline(True)
        for path in html_pages(site_dir):
            page.goto(url + path, timeout=20_000)
            assert page.locator("h1").first.inner_text().strip(), path
            assert page.locator("[data-danger-line]").first.is_visible(), path

        page.goto(url)
        page.keyboard.press("/")
        page.locator("input.md-search__input").fill("missing")
        first = page.locator(".md-search-result__item").first
        first.wait_for(timeout=20_000)
        assert first.inner_text().strip()

        page.goto(url + "tools/screening/")
        page.locator("[data-progress][data-state=failed]").wait_for(timeout=60_000)
        message = page.locator("[data-progress]").inner_text()
        assert "need one visit to a tool page with a connection" in message
        page.fill("input[name=age]", "14")  # the form itself still works, for printing
        assert page.input_value("input[name=age]") == "14"
    finally:
        context.close()


def test_after_one_tool_visit_the_tools_work_offline_and_pyodide_was_downloaded_once(
    browser, site_dir, recorded
):
    url, traffic = recorded
    tools = manifest(site_dir)["tools"]
    context = browser.new_context(service_workers="allow")
    try:
        traffic.clear()
        page = context.new_page()
        page.goto(url + "tools/screening/")
        page.fill("input[name=age]", "14")
        page.check("input[name=disclosure][value=yes]")
        page.locator("[data-result][data-level='3']").wait_for(timeout=90_000)
        page.locator(READY).wait_for(state="attached", timeout=90_000)
        assert set(tools) <= cached_paths(page, url)
        for path in ("pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip"):
            assert traffic.paths(200).count(path) == 1, (
                path
            )  # the worker's copy, reused by the cache

        context.set_offline(True)
        offline = context.new_page()
        offline.goto(url + "tools/risk-assessment/")
        offline.fill("input[name=age]", "14")
        offline.check("input[name=disclosure][value=yes]")
        offline.locator("[data-result][data-level='3']").wait_for(timeout=90_000)
        offline.goto(url + "tools/safety-plan/")  # its rows come from partials/tools/plan-row.js
        offline.click("button[data-action=add-row]")
        assert offline.locator("tr[data-row]").count() == 1
    finally:
        context.close()


def test_a_host_without_validators_sends_each_runtime_file_once(browser, site_dir):
    """No ETag, no Last-Modified: nothing can be revalidated, yet a first tool visit downloads each
    runtime file once (the service worker keeps what the tool worker fetched), from the reduced
    standard library; Pyodide's full library is neither fetched nor listed for offline use."""
    server, url, traffic = start_recording(site_dir, validators=False)
    tiers = manifest(site_dir)
    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        response = page.goto(url + "tools/screening/")
        assert not {"etag", "last-modified"} & set(response.headers)
        page.fill("input[name=age]", "14")
        page.check("input[name=disclosure][value=yes]")
        page.locator("[data-result][data-level='3']").wait_for(timeout=90_000)
        page.locator(READY).wait_for(state="attached", timeout=90_000)
        assert page.locator("html").get_attribute("data-python-library") == "reduced"
        assert set(tiers["tools"]) <= cached_paths(page, url)
        sent = traffic.paths(200)
        runtime = [p for p in tiers["tools"] if p.startswith(("pyodide/", "assets/wheels/"))]
        assert {"pyodide/python_stdlib.zip", "pyodide/pyodide.asm.wasm"} <= set(runtime)
        counts = {path: sent.count(path) for path in runtime if path != "pyodide/check.html"}
        assert set(counts.values()) == {1}, counts
        listed = {path for files in tiers.values() for path in files}
        # Nor any other file (but the shared constants, imported by the page and by the tool worker:
        # two module graphs, and nothing to revalidate with on this host).
        twice = sorted({p for p in sent if p in listed and sent.count(p) > 1})
        assert twice in ([], ["assets/js/cse-shared.js"]), twice
        assert traffic.paths(304) == []
        assert not [p for p in sent if p.startswith("pyodide/full/")]
        assert not [p for files in tiers.values() for p in files if p.startswith("pyodide/full/")]
        assert "cse-runtime-fetched" not in page.evaluate(CACHES)  # moved into the worker's cache
    finally:
        context.close()
        server.shutdown()


def test_no_case_data_in_any_cache(browser, site_dir, recorded):
    url, _traffic = recorded
    listed = {path for files in manifest(site_dir).values() for path in files}
    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        page.goto(url + "tools/risk-assessment/")
        page.fill("input[name=age]", "14")
        page.check("input[name=disclosure][value=yes]")
        page.locator("textarea").first.fill(MARKER)
        page.locator("[data-result][data-level='3']").wait_for(timeout=90_000)
        page.locator(READY).wait_for(state="attached", timeout=90_000)
        everything = page.evaluate(CACHES)
        assert any(name.startswith("cse-handbook-") for name in everything)
        for name, urls in everything.items():
            for cached_url in urls:
                assert MARKER not in cached_url and "?" not in cached_url
                if name.startswith("cse-handbook-"):
                    assert cached_url.removeprefix(url) in listed, cached_url
        assert page.evaluate(HOLDING, MARKER) == []
    finally:
        context.close()


def test_an_update_fetches_only_changed_files_and_reloads_only_the_tab_that_asked(
    browser, project_copy, tmp_path
):
    chapter = project_copy / "docs" / "procedure" / "06-assessing-needs.md"
    site = tmp_path / "served"
    assert build_site(site, project_copy / "mkdocs.yml", project_copy).returncode == 0
    before = manifest(site)
    server, url, traffic = start_recording(site)
    context = browser.new_context(service_workers="allow")
    try:
        reader = context.new_page()
        reader.goto(url + "procedure/06-assessing-needs/")
        reader.locator(READY).wait_for(state="attached", timeout=60_000)
        tool = context.new_page()  # a second tab, with answers typed in
        tool.goto(url + "tools/screening/")
        tool.fill("input[name=age]", "14")
        tool.locator(READY).wait_for(state="attached", timeout=90_000)
        tool.evaluate("() => { window.__sameDocument = true; }")

        new_text = "This sentence arrived with the newer build of the procedure."
        chapter.write_text(chapter.read_text() + f"\n\n{new_text}\n")
        rebuilt = build_site(site, project_copy / "mkdocs.yml", project_copy)
        assert rebuilt.returncode == 0, rebuilt.stderr[-2000:]
        after = manifest(site)
        old = {p: h for files in before.values() for p, h in files.items()}
        new = {p: h for files in after.values() for p, h in files.items()}
        changed = {p for p, h in new.items() if old.get(p) != h}
        assert "procedure/06-assessing-needs/index.html" in changed

        traffic.clear()
        reader.reload()  # still the cached copy; the page checks for a newer version
        banner = reader.locator("[data-update-banner]")
        banner.wait_for(timeout=60_000)  # shown once the new worker is installed
        assert "This procedure has been updated" in banner.inner_text()
        fetched = [p for p in traffic.paths(200) if p in new]
        assert set(fetched) <= changed, sorted(set(fetched) - changed)
        assert "procedure/06-assessing-needs/index.html" in fetched
        assert not [
            p for p in fetched if p.startswith("pyodide/")
        ]  # the tools tier was carried over

        tool.locator("[data-update-banner]").wait_for(timeout=30_000)
        with reader.expect_navigation(timeout=30_000):
            reader.locator("[data-update-banner] button").click()
        reader.get_by_text(new_text).wait_for(timeout=20_000)
        # The other tab was not reloaded, and it asks before a reload would lose the answers.
        assert tool.evaluate("() => window.__sameDocument") is True
        assert tool.input_value("input[name=age]") == "14"
        asked = []
        tool.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
        tool.locator("[data-update-banner] button").click()
        tool.wait_for_timeout(500)
        assert asked and "clears what you have entered" in asked[0]
        assert tool.evaluate("() => window.__sameDocument") is True
    finally:
        context.close()
        server.shutdown()
