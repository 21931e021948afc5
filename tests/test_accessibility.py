"""axe-core (from npm) on every page at WCAG 2.2 A/AA, and a keyboard route to the content."""

from __future__ import annotations

import pytest

from helpers import html_pages
from helpers import AXE, axe_violations

pytestmark = pytest.mark.browser


def test_axe_finds_no_violations_on_any_page(browser, site_dir, base_url):
    # bypass_csp lets the test inject axe; the pages themselves are unchanged.
    context = browser.new_context(bypass_csp=True, service_workers="block")
    context.add_init_script(
        path=str(AXE)
    )  # axe in every page from the start: one injection, not 46
    page = context.new_page()
    found = {}
    try:
        for rel in html_pages(site_dir):
            # The page as a reader first sees it: loaded, its fonts in (contrast is measured on the
            # real text). Waiting for the network to go quiet cost 0.5 s a page and, on tool pages,
            # Python's start; the tool pages' states are checked by test_tool_ui.
            page.goto(base_url + rel, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
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


# The pages added for everyone (issue 25): at both widths, in both schemes, and with larger text.
NEW_PAGES = (
    "young-people/easy-read/",
    "parents/easy-read/",
    "about/accessibility/",
    "local-documents/",
)


def test_axe_finds_nothing_on_the_easy_read_and_accessibility_pages_at_both_widths_and_schemes(
    browser, base_url
):
    from test_tool_ui import PHONE, assert_no_violations, axe_counts

    context = browser.new_context(service_workers="block", bypass_csp=True, viewport=PHONE)
    counts: dict = {}
    try:
        page = context.new_page()
        for rel in NEW_PAGES:
            page.goto(base_url + rel, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            axe_counts(page, rel, counts)
    finally:
        context.close()
    assert len(counts) == 5 * len(NEW_PAGES)
    assert_no_violations(counts)
