"""Offline: after one visit the handbook, search and tools work without a connection, and a newer
build of the site is announced ("this procedure has been updated") instead of hiding in the cache."""

from __future__ import annotations

import pytest

from conftest import build_site, serve, wait_until_controlled

pytestmark = pytest.mark.browser

def install_offline_copy(page, url):
    """First visit: wait until the service worker has cached the site and controls the page."""
    page.goto(url)
    wait_until_controlled(page)  # bounded: fails instead of hanging
    page.reload()  # now served by the worker
    assert page.evaluate("() => Boolean(navigator.serviceWorker.controller)")


def test_chapter_search_and_tool_work_offline(browser, base_url):
    context = browser.new_context()
    try:
        page = context.new_page()
        install_offline_copy(page, base_url)
        context.set_offline(True)

        page.goto(base_url + "procedure/07-managing-individual-young-people/")
        assert page.locator("article h1").inner_text().strip()
        assert page.locator("[data-danger-line]").is_visible()

        page.goto(base_url)
        page.keyboard.press("/")
        page.locator("input.md-search__input").fill("missing")
        first = page.locator(".md-search-result__item").first
        first.wait_for(timeout=20_000)
        assert first.inner_text().strip()

        page.goto(base_url + "tools/screening/")
        page.fill("input[name=age]", "14")
        page.check("input[name=disclosure][value=yes]")
        page.locator("[data-result][data-level='3']").wait_for(timeout=60_000)
    finally:
        context.close()


def test_a_new_build_is_announced_and_reload_shows_it(browser, project_copy, tmp_path):
    chapter = project_copy / "docs" / "procedure" / "06-assessing-needs.md"
    site = tmp_path / "served"
    assert build_site(site, project_copy / "mkdocs.yml", project_copy).returncode == 0
    server, url = serve.start_in_thread(site)
    context = browser.new_context()
    try:
        page = context.new_page()
        install_offline_copy(page, url + "procedure/06-assessing-needs/")
        new_text = "This sentence arrived with the newer build of the procedure."
        assert new_text not in page.content()

        chapter.write_text(chapter.read_text() + f"\n\n{new_text}\n")
        rebuilt = build_site(site, project_copy / "mkdocs.yml", project_copy)
        assert rebuilt.returncode == 0, rebuilt.stderr[-2000:]

        page.reload()  # still the cached copy; the page checks for a newer version
        banner = page.locator("[data-update-banner]")
        banner.wait_for(timeout=60_000)
        assert "This procedure has been updated" in banner.inner_text()
        assert new_text not in page.content()

        with page.expect_navigation():
            banner.get_by_role("button").click()
        page.get_by_text(new_text).wait_for(timeout=20_000)
    finally:
        context.close()
        server.shutdown()
