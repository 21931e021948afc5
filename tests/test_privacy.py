"""A shared computer: after a tool page is left, nothing typed into it can be recovered by Back,
Forward or the back/forward cache, nor found in any browser store.

Reload is checked too (the browser must not restore the typed values into the new page).

The browser is as a reader has it: the back/forward cache on (Playwright turns it off) and the
site's service worker installed and controlling the page. Each test checks that Back really did
restore the page from the back/forward cache (a `pageshow` with `persisted`), so it would fail if
the clearing on `pagehide` / `pageshow` (tool-common.js protectScreen) were taken out.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from helpers import ROOT, real_context, stored_everywhere, wait_until_controlled, watch_page

pytestmark = pytest.mark.browser

MARKER = "Privacy-Marker-Qx81"
EXIT_URL = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text(encoding="utf-8"))["quick_exit_url"]
_exit = urlsplit(EXIT_URL)
NEUTRAL_ROUTE = f"{_exit.scheme}://{_exit.netloc}/**"

# Counts restores from the back/forward cache, in the page's own JavaScript (which the cache keeps).
COUNT_RESTORES = """
window.__restores = 0;
window.addEventListener("pageshow", (event) => { if (event.persisted) window.__restores += 1; });
"""

# Every value on screen: form fields (text, checked state), and the whole DOM as HTML.
SCREEN = """() => {
  const fields = Array.from(document.querySelectorAll("input, textarea, select")).map((el) =>
    `${el.id || el.name}=${el.value}|${el.checked ? "checked" : ""}`);
  return {
    fields: fields.join("\\n"),
    checked: Array.from(document.querySelectorAll("form input[type=radio]:checked, form input[type=checkbox]:checked"))
      .map((el) => el.id),
    html: document.documentElement.outerHTML,
    level: document.querySelector("#cse-result") ? document.querySelector("#cse-result").dataset.level : null,
    rows: document.querySelectorAll("tr[data-row]").length,
  };
}"""


def fill_screening(page) -> None:
    page.fill("#cse-age", "14")
    page.check("#q-missing_episodes-yes")
    page.check("#q-disclosure-yes")
    page.locator("#cse-result[data-level='3']").wait_for(timeout=60_000)


def fill_risk(page) -> None:
    fill_screening(page)
    page.locator("textarea[data-notes]").first.fill(f"Seen at the station. {MARKER}")


def fill_safety(page) -> None:
    page.get_by_role("button", name="Add a row").click()
    row = page.locator("tr[data-row]").last
    row.locator('[data-part="risk_text"]').fill(f"Lifts from a man. {MARKER}")
    row.locator('[data-part="due"]').fill("2020-01-02")
    page.fill("#plan-child-views", f"Wants to stay with her aunt. {MARKER}")


def fill_disruption(page) -> None:
    tactic = page.locator("[data-tactic]").first
    tactic.locator('[data-part="checked"]').check()
    tactic.locator('[data-part="notes"]').fill(f"Warning served. {MARKER}")
    page.fill("#plan-locations", f"Flat 2, Mill St. {MARKER}")


TOOLS = {
    "screening": ("tools/screening/", fill_screening),
    "risk-assessment": ("tools/risk-assessment/", fill_risk),
    "safety-plan": ("tools/safety-plan/", fill_safety),
    "disruption-plan": ("tools/disruption-plan/", fill_disruption),
}


@pytest.fixture(scope="module")
def shared_computer(real_browser, base_url):
    """One browser profile for the whole module, its service worker installed and in control."""
    ctx = real_context(real_browser)
    ctx.add_init_script(COUNT_RESTORES)
    page = ctx.new_page()
    page.goto(base_url + "tools/screening/")
    wait_until_controlled(page)
    page.close()
    yield ctx
    ctx.close()


def wait_ready(page) -> None:
    page.locator("[data-progress][data-state='ready']").wait_for(state="attached", timeout=90_000)


def leave(page, url: str, dialogs: list[str]) -> None:
    """Go to another page, saying yes when the page asks before leaving with unsaved input."""
    before = len(dialogs)
    page.goto(url)
    assert dialogs[before:] == ["beforeunload"], f"no warning before leaving unsaved input: {dialogs}"


def assert_restored_from_cache(page, times: int) -> None:
    """Back showed the page from the back/forward cache (else this test would prove nothing)."""
    try:
        page.wait_for_function(f"() => window.__restores === {times}", timeout=15_000)
    except Exception:  # noqa: BLE001 - reported as the failure it means
        reasons = page.evaluate("() => JSON.stringify(performance.getEntriesByType('navigation')[0]"
                                "?.notRestoredReasons || null)")
        pytest.fail(f"Back did not use the back/forward cache (not restored because: {reasons})")


def assert_nothing_left(page, filled: dict, stores: bool = True) -> None:
    screen = page.evaluate(SCREEN)
    assert MARKER not in screen["html"], "the marker is still in the page"
    assert MARKER not in screen["fields"]
    assert screen["checked"] == [], screen["checked"]
    if filled["level"]:
        assert screen["level"] != filled["level"], "the result is still on screen"
    assert "cse-age=14" not in screen["fields"]
    assert screen["rows"] == 0
    if not stores:
        return
    stored = stored_everywhere(page, [MARKER])
    assert stored["found"] == [], stored["found"]
    # Proof that the stores were searched: the Python snapshot and the handbook precache are there.
    assert "cse-python-snapshot" in stored["caches"], stored["caches"]
    assert any(name.startswith("cse-handbook") for name in stored["caches"]) and stored["entries"] > 50, stored["caches"]
    assert MARKER not in str([stored["local"], stored["session"]])
    assert stored["idb"] == []


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_back_after_leaving_a_tool_brings_back_an_empty_page(shared_computer, base_url, tool):
    rel, fill = TOOLS[tool]
    page = shared_computer.new_page()
    watch = watch_page(page, base_url)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    try:
        page.goto(base_url + rel)
        assert page.evaluate("() => Boolean(navigator.serviceWorker.controller)"), "the service worker is not in control"
        wait_ready(page)
        fill(page)
        filled = page.evaluate(SCREEN)
        assert MARKER in filled["fields"] or filled["checked"], "nothing was filled in"

        # Away and Back: the page comes from the back/forward cache, empty.
        leave(page, base_url + "procedure/", dialogs)
        page.go_back(wait_until="commit")
        expect(page).to_have_url(base_url + rel)
        assert_restored_from_cache(page, 1)
        assert_nothing_left(page, filled, stores=False)

        # Forward and Back again: still empty.
        page.go_forward(wait_until="commit")
        page.go_back(wait_until="commit")
        assert_restored_from_cache(page, 2)
        assert_nothing_left(page, filled, stores=False)

        # Through the quick exit on a parents' page, then Back.
        fill(page)
        page.route(NEUTRAL_ROUTE, lambda route: route.fulfill(body="<title>Weather</title>neutral",
                                                              content_type="text/html"))
        leave(page, base_url + "parents/signs/", dialogs)
        page.get_by_role("link", name="Exit this page").click()
        expect(page).to_have_title("Weather")
        page.go_back(wait_until="commit")
        expect(page).to_have_url(base_url + rel)
        assert_restored_from_cache(page, 3)
        assert_nothing_left(page, filled)

        # Reload: the browser does not put the typed values back into the fresh page.
        fill(page)
        before = len(dialogs)
        page.reload(wait_until="domcontentloaded")
        assert dialogs[before:] == ["beforeunload"]
        assert_nothing_left(page, filled, stores=False)
        assert watch.page_errors == []
        # The only other origin asked for is the neutral site (answered by the test's route).
        assert {urlsplit(u).netloc for u in watch.foreign_requests()} <= {_exit.netloc}
    finally:
        page.close()


def test_no_free_text_field_is_spell_checked(site_dir):
    """Enhanced spell-check services send typed text to the browser's maker: every free-text field
    of every tool page says spellcheck="false" and autocorrect="off" (plan rows made by the page
    carry the same, see test_plan_pages)."""
    fields = 0
    for rel in TOOLS.values():
        html = (site_dir / rel[0] / "index.html").read_text(encoding="utf-8")
        for tag in re.findall(r"<textarea\b[^>]*>|<input\b[^>]*>", html):
            if re.search(r'type="(?:radio|checkbox|file|date|hidden|submit|button)"', tag):
                continue
            fields += 1
            assert 'spellcheck="false"' in tag and 'autocorrect="off"' in tag, (rel[0], tag)
    assert fields >= 10
