"""The quick-exit ("Exit this page") button on the home, contacts, parents' and young people's pages.

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

from helpers import ROOT, audience_pages, real_context, wait_until_controlled

pytestmark = pytest.mark.browser

# The home and contacts pages, and every page in docs/parents and docs/young-people (found, not
# listed: see helpers.audience_pages).
QUICK_EXIT_PAGES = ["", "contacts/", *audience_pages()]
EXIT_PAGE = "parents/signs/"
PROCEDURE_PAGE = "procedure/"

EXIT_URL = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text(encoding="utf-8"))[
    "quick_exit_url"
]
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
    """The sticky button (the second one, at the foot of the page, is tested in test_parents_path.py)."""
    return page.locator("[data-quick-exit]").get_by_role("link", name="Exit this page")


def open_after_another_page(page, base_url: str, rel: str = EXIT_PAGE) -> str:
    """Visit the home page, then `rel`: Back from the neutral site should go to the home page."""
    page.goto(base_url)
    url = base_url + rel
    page.goto(url)
    expect(exit_button(page)).to_be_visible()
    return url


def assert_left_for_good(page, exit_page_url: str, before_url: str) -> None:
    """The neutral site is shown, and Back never shows this site again: the page left was
    replaced, and the page before it (`before_url`, which a site cannot take out of the history)
    goes straight back to the neutral site (leave-no-trace.js)."""
    expect(page).to_have_url(NEUTRAL_URL, timeout=TIMEOUT)
    expect(page).to_have_title("Weather")
    page.go_back(wait_until="commit")
    expect(page).to_have_url(NEUTRAL_URL, timeout=TIMEOUT)
    expect(page).to_have_title("Weather")
    assert page.url != exit_page_url and page.url != before_url


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
    ours = [
        e for e in page.watch.console_errors if "Content Security Policy" in e or "quick-exit" in e
    ]
    assert not ours, ours


def test_button_stays_in_view_when_scrolling(page, base_url):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(base_url + EXIT_PAGE)
    page.mouse.wheel(0, 20000)
    page.wait_for_function("window.scrollY > 500")
    box = exit_button(page).bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 720, box
    expect(exit_button(page)).to_be_in_viewport()


def test_button_on_procedure_page_too_without_the_tip(page, base_url):
    """Search can take a parent to any page, so the exit is on every page; the tip is only on the
    families' pages."""
    page.goto(base_url + PROCEDURE_PAGE)
    expect(page.locator("article h1")).to_be_visible()
    expect(exit_button(page)).to_be_visible()
    expect(page.locator(".quick-exit__tip")).to_have_count(0)


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

    def hold_the_first(route):  # the first answer waits; later ones (Back, below) come at once
        if held:
            route.fulfill(body="<title>Weather</title>neutral", content_type="text/html")
        else:
            held.append(route)

    page.route(NEUTRAL_ROUTE, hold_the_first)
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


PHONE = {"width": 390, "height": 844}


def test_parents_start_here_is_on_the_first_screen_of_a_phone(page, base_url):
    page.set_viewport_size(PHONE)
    page.goto(base_url)
    link = page.get_by_role("link", name="Parent or carer? Start here")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    link.click()
    expect(page).to_have_url(base_url + "parents/")


# Text blocks on the page, each with its box clipped to the visible part of its scroll container.
TEXT_BOXES = """() => [...document.querySelectorAll(
    '.danger-line, article p, article li, article h1, article h2, article h3, article td, article th, article dt, article dd')]
  .filter(el => el.textContent.trim() && el.getClientRects().length)
  .map(el => { const r = el.getBoundingClientRect();
               return {text: el.textContent.trim().slice(0, 40), top: r.top, bottom: r.bottom,
                       left: Math.max(r.left, 0), right: Math.min(r.right, innerWidth)}; })"""


def overlaps(a, b) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


@pytest.mark.parametrize("rel", ["", "contacts/", "parents/what-to-do/"])
def test_exit_button_never_covers_text_on_a_phone(page, base_url, rel):
    """At 390 px: at the top of the page the button's box meets no text (the danger banner's
    out-of-hours line included); scrolled anywhere, the button stays inside an opaque bar as wide
    as the screen, straight below the header, so text scrolls away under the bar as under the
    header and never shows beside or around the button."""
    page.set_viewport_size(PHONE)
    page.goto(base_url + rel)
    bar = page.locator("[data-quick-exit]")
    expect(exit_button(page)).to_be_visible()
    assert bar.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 255, 255)"
    button = exit_button(page).bounding_box()
    button_box = {
        "left": button["x"],
        "right": button["x"] + button["width"],
        "top": button["y"],
        "bottom": button["y"] + button["height"],
    }
    covered = [t for t in page.evaluate(TEXT_BOXES) if overlaps(t, button_box)]
    assert not covered, covered
    assert any(
        "out of hours" in t["text"].lower() or "Out of hours" in t["text"]
        for t in page.evaluate(
            "() => [...document.querySelectorAll('.danger-line')].map(e => ({text: e.textContent}))"
        )
    )
    passed_under = 0
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(200, height, 300):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
        button, strip = exit_button(page).bounding_box(), bar.bounding_box()
        header = page.locator(".md-header").bounding_box()
        assert strip["x"] <= 0 and strip["x"] + strip["width"] >= PHONE["width"], (
            strip
        )  # full width
        assert abs(strip["y"] - (header["y"] + header["height"])) <= 1, (y, strip, header)  # no gap
        assert (
            strip["y"] <= button["y"]
            and button["y"] + button["height"] <= strip["y"] + strip["height"]
        )
        strip_box = {
            "left": 0,
            "right": PHONE["width"],
            "top": strip["y"],
            "bottom": strip["y"] + strip["height"],
        }
        passed_under += any(overlaps(t, strip_box) for t in page.evaluate(TEXT_BOXES))
    assert passed_under, "no text ever scrolled under the bar: the check above tested nothing"


def test_shift_presses_expire_after_five_seconds(page, base_url):
    page.clock.install()
    fake_neutral_site(page)
    page.goto(base_url + EXIT_PAGE)
    expect(exit_button(page)).to_be_visible()
    live = page.locator(".quick-exit__live")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    expect(live).to_have_text("Shift, press 1 more time to exit.")
    page.clock.run_for(5100)  # the 5-second window passes
    expect(live).to_have_text("Exit this page expired.")
    page.keyboard.press("Shift")  # counts as the first press again
    expect(live).to_have_text("Shift, press 2 more times to exit.")
    assert page.url == base_url + EXIT_PAGE
    page.keyboard.press("Shift")
    page.clock.run_for(4500)  # within the window: the count holds
    page.keyboard.press("Shift")
    expect(page).to_have_url(NEUTRAL_URL, timeout=TIMEOUT)


def test_tab_then_enter_leaves(page, base_url):
    """A keyboard user reaches the button within a few Tab presses, on a phone and a desktop."""
    fake_neutral_site(page)
    for size in (PHONE, {"width": 1280, "height": 800}):
        page.set_viewport_size(size)
        url = open_after_another_page(page, base_url)
        for presses in range(1, 11):
            page.keyboard.press("Tab")
            if exit_button(page).evaluate("el => el === document.activeElement"):
                break
        else:
            pytest.fail(f"the exit button is not among the first 10 Tab stops at {size}")
        page.keyboard.press("Enter")
        assert_left_for_good(page, url, base_url)


GUIDE_PAGES = ["parents/", EXIT_PAGE]


def test_back_after_the_exit_never_shows_the_guide(real_browser, base_url):
    """A mother reads two parents' pages, then leaves with the exit. Back (with the back/forward
    cache on, as in a reader's browser) must not show either page again: the page she left was
    replaced, and the page before it, which no site can take out of the history, goes straight
    to the neutral site, replacing itself, before anything of it is drawn. A new visit to the
    site afterwards (the address typed) works as usual."""
    ctx = real_context(real_browser)
    try:
        page = ctx.new_page()
        fake_neutral_site(page)
        page.goto(base_url + "contacts/")
        wait_until_controlled(page)  # a worker claiming a cached page would evict it
        for rel in GUIDE_PAGES:
            page.goto(base_url + rel)
        exit_button(page).click()
        expect(page).to_have_title("Weather", timeout=TIMEOUT)
        # Back past every page of the site in this tab (the page left itself was replaced).
        for _earlier in ["parents/", "contacts/"]:
            page.go_back(wait_until="commit")
            expect(page).to_have_url(NEUTRAL_URL, timeout=TIMEOUT)
            expect(page).to_have_title("Weather", timeout=TIMEOUT)
        page.go_back(wait_until="commit")
        expect(page).to_have_url("about:blank")  # where this tab started
        # The site opened afresh in the same tab works again.
        page.goto(base_url + EXIT_PAGE)
        expect(page.locator("article h1")).to_be_visible()
        page.wait_for_timeout(500)
        expect(page).to_have_url(base_url + EXIT_PAGE)
        assert page.evaluate("() => sessionStorage.length") == 0
    finally:
        ctx.close()


def test_page_restored_from_back_forward_cache_shows_normally(real_browser, base_url):
    """The exit starts (page blanked) but another page opens before the neutral site answers;
    Back then shows the page from the back/forward cache, and the pageshow handler undoes the
    blanking: the reader never comes back to a blank "Loading" page."""
    ctx = real_context(real_browser)
    try:
        page = ctx.new_page()
        held = []
        page.route(NEUTRAL_ROUTE, lambda route: held.append(route))
        page.goto(base_url)
        # A service worker that claims the page while it sits in the back/forward cache evicts it
        # (Chromium: "serviceworker-claimed"), so start once the worker is in control.
        wait_until_controlled(page)
        page.goto(base_url + EXIT_PAGE)
        title = page.title()
        page.evaluate(
            """() => addEventListener('pageshow', e => { window.restored = e.persisted; })"""
        )
        exit_button(page).evaluate("button => button.click()")  # blanks the page, then leaves
        for _ in range(50):  # the neutral site is asked for, and its answer held
            if held:
                break
            page.wait_for_timeout(100)
        assert held, "the neutral site was not requested"
        page.goto(base_url + "contacts/")  # another page is opened instead; the exit is cancelled
        page.go_back(wait_until="commit")  # from the back/forward cache: no new "load" event
        expect(page).to_have_url(base_url + EXIT_PAGE)
        assert page.evaluate("window.restored") is True, (
            "not restored from the back/forward cache: "
            + page.evaluate(
                "JSON.stringify(performance.getEntriesByType('navigation')[0].notRestoredReasons)"
            )
        )
        expect(page.locator(".quick-exit__overlay")).to_be_hidden()
        expect(page.locator("article h1")).to_be_visible()
        assert "quick-exit--leaving" not in (page.locator("html").get_attribute("class") or "")
        assert page.title() == title
    finally:
        ctx.close()
