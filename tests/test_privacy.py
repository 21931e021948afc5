"""A shared computer: after a tool page is left, nothing typed into it can be recovered by Back,
Forward or the back/forward cache, nor found in any browser store.

Reload is checked too (the browser must not restore the typed values into the new page).

The browser is as a reader has it: the back/forward cache on (Playwright turns it off) and the
site's service worker installed and controlling the page. Each test checks that Back really did
restore the page from the back/forward cache (a `pageshow` with `persisted`), so it would fail if
the clearing on `pagehide` / `pageshow` (tool-common.js protectScreen) were taken out.
"""

from __future__ import annotations

import json

import re
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from helpers import ROOT, real_context, stored_everywhere, wait_until_controlled, watch_page

pytestmark = pytest.mark.browser

MARKER = "Privacy-Marker-Qx81"
EXIT_URL = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text(encoding="utf-8"))[
    "quick_exit_url"
]
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


def fill_meeting(page) -> None:
    """Two agencies' files (one with the marker in what the child said) and the chair's record."""
    from test_meeting import police, school

    name, text = school()
    text = text.replace(
        "She said she stays with a friend.", f"She said she stays with a friend. {MARKER}"
    )
    page.set_input_files(
        "#meeting-files",
        files=[
            {"name": n, "mimeType": "application/json", "buffer": t.encode()}
            for n, t in ((name, text), police())
        ],
    )
    page.locator("[data-agencies] tr").nth(1).wait_for(timeout=30_000)
    page.fill("#meeting-chair", f"Chair {MARKER}")


def fill_profile(page) -> None:
    """The profile shows counts only; a file it cannot read is listed by name, here the marker."""
    good = json.dumps(
        {
            "format": "cse-tools/answers",
            "version": 1,
            "tool": "screening",
            "tool_version": 1,
            "saved_at": "2026-01-01T10:00:00Z",
            "age": 14,
            "answers": {},
            "notes": {},
            "review_date": None,
        }
    )
    page.locator("#cse-profile-files").set_input_files(
        [
            {"name": f"{MARKER}.json", "mimeType": "application/json", "buffer": b"{"},
            {"name": "good.json", "mimeType": "application/json", "buffer": good.encode()},
        ]
    )
    page.locator("[data-skipped-list] li").first.wait_for(timeout=60_000)


TOOLS = {
    "meeting": ("tools/meeting/", fill_meeting),
    "screening": ("tools/screening/", fill_screening),
    "risk-assessment": ("tools/risk-assessment/", fill_risk),
    "safety-plan": ("tools/safety-plan/", fill_safety),
    "disruption-plan": ("tools/disruption-plan/", fill_disruption),
    "profile": ("tools/profile/", fill_profile),
}
# Pages that do not ask before leaving: the profile holds counts of files still on the device.
NO_WARNING = {"tools/profile/"}


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
    warns = not any(page.url.endswith(rel) for rel in NO_WARNING)
    page.goto(url)
    assert dialogs[before:] == (["beforeunload"] if warns else []), (
        f"warning before leaving: {dialogs}"
    )


def assert_restored_from_cache(page, times: int) -> None:
    """Back showed the page from the back/forward cache (else this test would prove nothing)."""
    try:
        page.wait_for_function(f"() => window.__restores === {times}", timeout=15_000)
    except Exception:  # noqa: BLE001 - reported as the failure it means
        reasons = page.evaluate(
            "() => JSON.stringify(performance.getEntriesByType('navigation')[0]"
            "?.notRestoredReasons || null)"
        )
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
    assert "RC-1042" not in screen["html"], "a case reference is still in the page"
    if not stores:
        return
    stored = stored_everywhere(page, [MARKER])
    assert stored["found"] == [], stored["found"]
    # Proof that the stores were searched: the Python snapshot and the handbook precache are there.
    assert "cse-python-snapshot" in stored["caches"], stored["caches"]
    assert (
        any(name.startswith("cse-handbook") for name in stored["caches"]) and stored["entries"] > 50
    ), stored["caches"]
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
        assert page.evaluate("() => Boolean(navigator.serviceWorker.controller)"), (
            "the service worker is not in control"
        )
        wait_ready(page)
        fill(page)
        filled = page.evaluate(SCREEN)
        assert MARKER in filled["fields"] or filled["checked"] or MARKER in filled["html"], (
            "nothing was filled in"
        )

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
        page.route(
            NEUTRAL_ROUTE,
            lambda route: route.fulfill(
                body="<title>Weather</title>neutral", content_type="text/html"
            ),
        )
        leave(page, base_url + "parents/signs/", dialogs)
        page.get_by_role(
            "link", name="Exit this page"
        ).first.click()  # the sticky one (a second is at the foot)
        expect(page).to_have_title("Weather")
        # Back does not show the tool page at all: it goes straight on to the neutral site
        # (leave-no-trace.js). Opened afresh, the tool page is empty and nothing is stored.
        page.go_back(wait_until="commit")
        expect(page).to_have_title("Weather")
        page.goto(base_url + rel)
        wait_ready(page)
        assert_nothing_left(page, filled)

        # Reload: the browser does not put the typed values back into the fresh page.
        fill(page)
        before = len(dialogs)
        warns = rel not in NO_WARNING
        page.reload(wait_until="domcontentloaded")
        assert dialogs[before:] == (["beforeunload"] if warns else [])
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


SEARCHED = "grooming"
# A searched word in any address: `?h=grooming` (search.highlight), `?q=grooming`, `&x=grooming`.
QUERY_IN_ADDRESS = re.compile(rb"[?&][A-Za-z_]+=" + SEARCHED.encode(), re.I)


def test_search_open_a_result_exit_back_keeps_the_search_nowhere(
    playwright_driver, base_url, tmp_path
):
    """A parent searches on a family computer, opens a result, leaves with the exit and someone
    presses Back. The browser's own profile (a persistent one, as a reader's is) is then read:
    the History database's addresses and titles, and every other file of the profile (Sessions,
    Favicons...), must hold no address with the searched word in it; Back shows the neutral site."""
    import shutil
    import sqlite3

    import chromium  # scripts/chromium.py (on the path through helpers)

    profile = tmp_path / "profile"
    ctx = chromium.launch_persistent(
        playwright_driver, profile, bfcache=True, service_workers="allow"
    )
    try:
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.route(
            NEUTRAL_ROUTE,
            lambda route: route.fulfill(
                body="<title>Weather</title>neutral", content_type="text/html"
            ),
        )
        page.goto(base_url + "parents/")
        wait_until_controlled(page)
        page.keyboard.press("/")
        box = page.locator("input.md-search__input")
        box.fill(SEARCHED)
        box.press("End")
        result = page.locator("a.md-search-result__link").first
        result.wait_for(timeout=15_000)
        result.click()
        page.wait_for_load_state()
        # No query in the address. A result may open at its section: the fragment is then the
        # id of a heading on that page (as the page's own contents list links), not the query.
        opened = urlsplit(page.url)
        assert opened.query == "" and SEARCHED not in opened.path.lower(), page.url
        if opened.fragment:
            assert page.locator(f"[id='{opened.fragment}']").count() == 1, page.url
        page.goto(base_url + "parents/signs/")
        page.get_by_role("link", name="Exit this page").first.click()
        expect(page).to_have_title("Weather")
        page.go_back(wait_until="commit")
        expect(page).to_have_title("Weather")  # the result page is not shown again
    finally:
        ctx.close()  # Chromium writes its History and Sessions files when the profile closes
    history = tmp_path / "History"
    shutil.copy(profile / "Default" / "History", history)
    with sqlite3.connect(history) as db:
        rows = db.execute("SELECT url, title FROM urls").fetchall()
        terms = db.execute("SELECT term FROM keyword_search_terms").fetchall()
    assert any("/parents/" in url for url, _title in rows), rows  # the profile really kept history
    assert [url for url, _title in rows if QUERY_IN_ADDRESS.search(url.encode())] == []
    assert terms == []
    kept = [
        p.relative_to(profile).as_posix()
        for p in profile.rglob("*")
        if p.is_file() and QUERY_IN_ADDRESS.search(p.read_bytes())
    ]
    assert kept == [], f"the searched word is in an address kept in: {kept}"


def test_the_search_box_is_empty_after_back(shared_computer, base_url):
    """Typed into the site's search box (a parent's query), then another page, then Back from
    the back/forward cache: the box is empty and no result is left on the page."""
    page = shared_computer.new_page()
    try:
        page.goto(base_url + "parents/")
        page.keyboard.press("/")
        box = page.locator("input.md-search__input")
        box.fill(MARKER)
        box.press("End")
        assert (
            page.evaluate("() => document.querySelector('input.md-search__input').value") == MARKER
        )
        page.goto(base_url + "contacts/")
        page.go_back(wait_until="commit")
        expect(page).to_have_url(base_url + "parents/")
        assert_restored_from_cache(page, 1)
        expect(page.locator("input.md-search__input")).to_have_value("")
        assert MARKER not in page.evaluate("() => document.documentElement.outerHTML")
    finally:
        page.close()
