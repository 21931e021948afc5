"""axe-core (from npm) on every page at WCAG 2.2 A/AA, and a keyboard route to the content."""

from __future__ import annotations

import pytest

from conftest import html_pages
from helpers import axe_violations

pytestmark = pytest.mark.browser


def test_axe_finds_no_violations_on_any_page(browser, site_dir, base_url):
    # bypass_csp lets the test inject axe; the pages themselves are unchanged.
    context = browser.new_context(bypass_csp=True, service_workers="block")
    page = context.new_page()
    found = {}
    try:
        for rel in html_pages(site_dir):
            page.goto(base_url + rel, wait_until="load")
            page.wait_for_load_state("networkidle")
            violations = axe_violations(page)
            if violations:
                found[rel] = violations
    finally:
        context.close()
    assert found == {}


def test_skip_link_reaches_main_content_by_keyboard(page, base_url):
    page.goto(base_url + "procedure/01-definition-and-categories/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused.lower().startswith("skip to content")
    page.keyboard.press("Enter")
    target = page.evaluate("location.hash.slice(1)")
    assert target
    assert page.locator(f"article [id='{target}']").count() == 1
