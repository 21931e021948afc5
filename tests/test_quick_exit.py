"""The quick-exit ("Exit this page") button on the parents' and young people's pages.

Modelled on GOV.UK Frontend's Exit this page: a visible, sticky button, and Shift pressed three
times, both replace the page with a neutral site (location.replace, so Back does not return);
without JavaScript the button is still a plain link. Markup: overrides/partials/quick-exit.html,
behaviour: docs/assets/js/quick-exit.js.

The neutral site (data/partnership.yml `quick_exit_url`) is on another origin that cannot be
reached here, so the tests answer for it with page.route().
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from conftest import ROOT, audience_pages

pytestmark = pytest.mark.browser

# Every page in docs/parents and docs/young-people: found, not listed (see conftest).
QUICK_EXIT_PAGES = audience_pages()
EXIT_PAGE = "parents/signs/"
PROCEDURE_PAGE = "procedure/"

EXIT_URL = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text(encoding="utf-8"))["quick_exit_url"]
_parts = urlsplit(EXIT_URL)
NEUTRAL_ROUTE = f"{_parts.scheme}://{_parts.netloc}/**"  # e.g. https://www.bbc.co.uk/**
NEUTRAL_URL = re.compile(re.escape(f"{_parts.scheme}://{_parts.netloc}/") + ".*")
TIMEOUT = 5000


def fake_neutral_site(page, seen: list | None = None) -> None:
    def answer(route):
        if seen is not None:
            seen.append(route.request)
        route.fulfill(body="<title>Weather</title>neutral", content_type="text/html")

    page.route(NEUTRAL_ROUTE, answer)


def exit_button(page):
    return page.get_by_role("link", name="Exit this page")


def open_after_another_page(page, base_url: str, rel: str = EXIT_PAGE) -> str:
    """Visit the home page, then `rel`: Back from the neutral site should go to the home page."""
    page.goto(base_url)
    url = base_url + rel
    page.goto(url)
    expect(exit_button(page)).to_be_visible()
    return url


def assert_left_for_good(page, exit_page_url: str, before_url: str) -> None:
    expect(page).to_have_url(NEUTRAL_URL, timeout=TIMEOUT)
    expect(page).to_have_title("Weather")
    page.go_back()
    page.wait_for_load_state()
    assert page.url != exit_page_url, "Back returned to the page the reader left"
    assert page.url in (before_url, "about:blank"), page.url


@pytest.mark.parametrize("rel", QUICK_EXIT_PAGES)
def test_button_on_each_page(page, base_url, rel):
    page.goto(base_url + rel)
    button = exit_button(page)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("href", EXIT_URL)
    assert "noreferrer" in button.get_attribute("rel").split()
    # The safety tip links to the "Browse more safely" section, and that section exists.
    tip = page.locator(".quick-exit__tip a")
    href = tip.get_attribute("href")
    assert href.endswith("#browse-more-safely"), href
    tip.click()
    expect(page.locator("#browse-more-safely")).to_be_visible()
    assert not page.watch.page_errors, page.watch.page_errors
    # A Content-Security-Policy violation (an inline script or handler) is reported here.
    ours = [e for e in page.watch.console_errors if "Content Security Policy" in e or "quick-exit" in e]
    assert not ours, ours


def test_button_stays_in_view_when_scrolling(page, base_url):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(base_url + EXIT_PAGE)
    page.mouse.wheel(0, 20000)
    page.wait_for_function("window.scrollY > 500")
    box = exit_button(page).bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 720, box
    expect(exit_button(page)).to_be_in_viewport()


def test_no_button_on_procedure_page(page, base_url):
    page.goto(base_url + PROCEDURE_PAGE)
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator("[data-quick-exit]")).to_have_count(0)
    expect(exit_button(page)).to_have_count(0)


def test_click_replaces_the_page(page, base_url):
    fake_neutral_site(page)
    url = open_after_another_page(page, base_url)
    exit_button(page).click()
    assert_left_for_good(page, url, base_url)


def test_page_is_blanked_and_announced_while_leaving(page, base_url):
    """At the moment the script starts to leave, nothing of the page shows and it says so.

    The state is reported through a binding by a MutationObserver on <html>'s class: page.evaluate
    cannot run while a navigation is pending. The neutral site's answer is held meanwhile.
    """
    held, states = [], []
    page.route(NEUTRAL_ROUTE, lambda route: held.append(route))
    url = open_after_another_page(page, base_url)
    page.expose_function("reportQuickExitState", lambda state: states.append(state))
    page.evaluate(
        """() => new MutationObserver(() => window.reportQuickExitState({
            title: document.title,
            live: document.querySelector(".quick-exit__live").textContent,
            article: document.querySelector("article").getClientRects().length,
            header: document.querySelector(".md-header").getClientRects().length,
            overlay: document.querySelector(".quick-exit__overlay").getClientRects().length,
        })).observe(document.documentElement, {attributes: true, attributeFilter: ["class"]})"""
    )
    # A DOM click: Locator.click() would wait for the (held) navigation to finish.
    exit_button(page).evaluate("button => button.click()")
    for _ in range(50):
        if held and states:
            break
        page.wait_for_timeout(100)
    assert held, "the neutral site was not requested"
    assert states, "the page did not start leaving"
    state = states[0]
    assert state["article"] == 0 and state["header"] == 0, state  # the page's content is gone
    assert state["overlay"] == 1, state  # a plain "Loading." instead
    assert state["live"] == "Exiting this page.", state  # said to screen readers
    assert state["title"] == "Loading", state  # the tab no longer names the page
    held[0].fulfill(body="<title>Weather</title>neutral", content_type="text/html")
    assert_left_for_good(page, url, base_url)


def test_shift_three_times_replaces_the_page(page, base_url):
    fake_neutral_site(page)
    url = open_after_another_page(page, base_url)
    expect(page.locator("[data-quick-exit-shift]")).to_be_visible()  # the hint shows with JS
    page.keyboard.press("Shift")
    expect(page.locator(".quick-exit__live")).to_have_text("Shift, press 2 more times to exit.")
    page.keyboard.press("Shift")
    expect(page.locator(".quick-exit__live")).to_have_text("Shift, press 1 more time to exit.")
    page.keyboard.press("Shift")
    assert_left_for_good(page, url, base_url)


def test_other_keys_and_capitals_do_not_count(page, base_url):
    fake_neutral_site(page)
    page.goto(base_url + EXIT_PAGE)
    expect(exit_button(page)).to_be_visible()
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")  # another key starts the count again
    page.keyboard.press("Shift")
    page.keyboard.press("Shift+A")  # Shift used for a capital letter is not a press
    page.keyboard.press("Shift+B")
    page.wait_for_timeout(300)
    assert page.url == base_url + EXIT_PAGE


def test_without_javascript_the_button_is_a_plain_link(browser, base_url):
    ctx = browser.new_context(java_script_enabled=False, service_workers="block")
    try:
        page = ctx.new_page()
        seen = []
        fake_neutral_site(page, seen)
        page.goto(base_url + EXIT_PAGE)
        expect(exit_button(page)).to_be_visible()
        expect(page.locator("[data-quick-exit-shift]")).to_be_hidden()  # no Shift shortcut to offer
        exit_button(page).click()
        expect(page).to_have_url(NEUTRAL_URL, timeout=TIMEOUT)
        expect(page).to_have_title("Weather")
        assert seen and "referer" not in seen[0].headers, seen[0].headers
    finally:
        ctx.close()
