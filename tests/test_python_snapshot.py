"""The kept Python snapshot: taken before the tools or any answer reach Python, reused on the next
start, and replaced when it is unusable."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TOOL = "tools/risk-assessment/"
MARKER = "SNAPSHOT-MARKER-7f3a"
SNAPSHOT = """async ([marker, words]) => {
  const cache = await caches.open("cse-python-snapshot");
  const keys = await cache.keys();
  if (keys.length === 0) return null;
  const bytes = new Uint8Array(await (await cache.match(keys[0])).arrayBuffer());
  const text = new TextDecoder("latin1").decode(bytes);
  return {count: keys.length, size: bytes.length, marker: text.includes(marker),
          found: words.filter((w) => text.includes(w))};
}"""
CORRUPT = """async () => {
  const cache = await caches.open("cse-python-snapshot");
  const [key] = await cache.keys();
  await cache.put(key, new Response(new Uint8Array([1, 2, 3])));
}"""


def open_tool(page, base_url) -> str:
    page.goto(base_url + TOOL)
    page.fill("input[name=age]", "14")
    page.check("input[name=disclosure][value=yes]")
    page.locator("textarea").first.fill(MARKER)
    page.locator("[data-result][data-level='3']").wait_for(timeout=90_000)
    page.locator("html[data-python-start]").wait_for(state="attached")
    return page.locator("html").get_attribute("data-python-start")


def wait_for_snapshot(page) -> dict:
    for _ in range(100):
        # Module and question names that are in Python's memory only once the tools are imported.
        # ("cse_tools" alone is there from the start: the lockfile's import names.)
        info = page.evaluate(
            SNAPSHOT,
            [MARKER, ["cse_tools.browser", "cse_tools.engine", "adults_collecting", "disclosure"]],
        )
        if info:
            return info
        page.wait_for_timeout(100)
    raise AssertionError("no Python snapshot was kept")


def test_snapshot_is_bare_and_the_next_start_restores_it(browser, base_url):
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        assert open_tool(page, base_url) == "fresh"
        info = wait_for_snapshot(page)
        assert info["count"] == 1 and info["size"] > 1_000_000
        # Taken before the tools package and any answer reached Python.
        assert info["marker"] is False
        assert info["found"] == []

        second = context.new_page()
        assert open_tool(second, base_url) == "restored"

        second.evaluate(CORRUPT)
        third = context.new_page()
        assert open_tool(third, base_url) == "fresh"  # the unusable snapshot was not trusted
        assert wait_for_snapshot(third)["size"] > 1_000_000  # and a good one replaced it
    finally:
        context.close()
