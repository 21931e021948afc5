"""The tools at the point of use, in Chromium at 390 px and at desktop width: the first question on
the first screen of a phone, the sticky summary and the short live status, grouped gaps, plans
that fit a phone, a visible focus ring on every control, axe-core in each state (a result, an
error, plan rows; light, dark and larger text), and the display preference kept as nothing more.

axe's counts per state are printed (run with -s to see them)."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from helpers import ROOT
from helpers import MARKER, SCENARIOS, axe_run, fill

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
STATUS = re.compile(
    r"^Category \d, (provisional, \d+ questions? not known yet|every question answered)$"
)


@pytest.fixture
def ui_context(browser):
    # bypass_csp lets the test inject axe-core; the pages themselves are unchanged.
    ctx = browser.new_context(service_workers="block", bypass_csp=True, viewport=PHONE)
    yield ctx
    ctx.close()


def wait_result(page) -> None:
    page.locator("#cse-result:not([data-level=''])").wait_for(timeout=60_000)


def wait_ready(page) -> None:
    page.locator("[data-progress][data-state='ready']").wait_for(state="attached", timeout=60_000)


def in_view(page, selector: str) -> bool:
    """The element is wholly on the screen as the reader sees it now, the site-wide banner above
    the header (the emergency line, both numbers and the example partnership's warning) counted."""
    return page.evaluate(
        """sel => { const r = document.querySelector(sel).getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }""",
        selector,
    )


def test_phone_first_question_summary_status_and_grouped_gaps(ui_context, base_url):
    page = ui_context.new_page()
    for tool in ("risk-assessment", "screening"):
        page.goto(base_url + f"tools/{tool}/")
        # The notes above the form are closed on a phone, the banner is short, and the first
        # question (its legend and first radio) is on the first screen.
        assert page.evaluate(
            "() => [...document.querySelectorAll('details[data-intro]')].every(d => !d.open)"
        )
        assert page.evaluate("window.scrollY") == 0
        first = page.evaluate("""() => ['legend', 'input'].map(
            s => Math.round(document.querySelector(`[data-question] ${s}`).getBoundingClientRect().bottom))""")
        banner = page.evaluate(
            "Math.round(document.querySelector('.md-banner').getBoundingClientRect().height)"
        )
        print(
            f"{tool} at 390x844: banner {banner} px, first legend ends {first[0]} px, first radio {first[1]} px"
        )
        assert in_view(page, "[data-question] legend") and in_view(page, "[data-question] input"), (
            banner,
            first,
        )
    fill(page, {"age": 14, "answers": {"missing_episodes": "yes", "unexplained_gifts": "yes"}})
    wait_result(page)
    # While answering further down, the compact summary stays in view and links to the result.
    page.locator("#q-online_risk-no").scroll_into_view_if_needed()
    summary = page.locator("[data-summary]")
    expect(summary).to_be_visible()
    assert in_view(page, "[data-summary]")
    assert page.locator("[data-summary] a").get_attribute("href") == "#result"
    status = page.locator("[data-live-status]")
    assert STATUS.match(status.inner_text().strip()), status.inner_text()
    assert (
        status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    )
    assert page.locator("#cse-result").get_attribute("aria-live") is None
    assert "provisional" in summary.inner_text()
    # The gaps come grouped, signs of harm first.
    heads = page.locator("#cse-result h4").all_inner_texts()
    assert heads and heads[0].startswith("Signs of harm")
    assert [h.split(" (")[0] for h in heads] == [
        h
        for h in [
            "Signs of harm",
            "Risk indicators",
            "Vulnerabilities",
            "Protective factors",
            "About the child",
        ]
        if any(x.startswith(h) for x in heads)
    ]
    # Under the full result (the screening's): continue to the risk assessment, start a plan,
    # print, save.
    actions = page.locator(".cse-result__actions button").all_inner_texts()
    assert actions == [
        "Continue to the CSE risk assessment",
        "Start a safety plan from this assessment",
        "Print",
        "Save to file",
    ]
    # The status changes in a few words when an answer changes.
    before = int(re.search(r"(\d+) questions", status.inner_text()).group(1))
    page.check("#q-looked_after-no")
    expect(status).to_have_text(re.compile(rf"provisional, {before - 1} questions not known yet"))
    assert STATUS.match(status.inner_text().strip())
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.close()


PARTNERSHIP = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text(encoding="utf-8"))
NUMBERS = [PARTNERSHIP["emergency"]["number"]] + [
    c["phone"] for cid in ("hub", "out_of_hours") for c in PARTNERSHIP["contacts"] if c["id"] == cid
]
WHY = "Do not use them to report a concern."


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("rel", ["", "parents/", "tools/screening/"])
def test_the_banner_keeps_999_and_both_numbers_on_screen_and_tappable(
    ui_context, base_url, viewport, rel
):
    """Short on a phone, but the emergency line and the daytime and out-of-hours numbers are on the
    first screen as tel: links, at body size; the example warning's reason is shown on a desktop
    and one tap away on a phone."""
    page = ui_context.new_page()
    page.set_viewport_size(viewport)
    page.goto(base_url + rel)
    shown = [link for link in page.locator(".md-banner a[href^='tel:']").all() if link.is_visible()]
    assert [link.get_attribute("href") for link in shown] == [
        f"tel:{n.replace(' ', '')}" for n in NUMBERS
    ]
    assert [link.inner_text() for link in shown] == NUMBERS
    for link in shown:
        box = link.bounding_box()
        assert (
            box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] and box["width"] > 0
        ), box
    expect(
        page.locator(".md-banner strong").filter(has_text="immediate danger").first
    ).to_be_visible()
    sizes = page.evaluate("""() => [getComputedStyle(document.querySelector('[data-danger-line]')).fontSize,
        getComputedStyle(document.querySelector('.md-content .md-typeset p, .md-content .md-typeset li')).fontSize]""")
    assert float(sizes[0].removesuffix("px")) >= float(sizes[1].removesuffix("px")), sizes
    warning = page.locator("[data-example-banner]")
    expect(
        warning.get_by_text("Example content, not for use.").filter(visible=True).first
    ).to_be_visible()
    reason = warning.get_by_text(WHY)
    if viewport is PHONE:
        expect(reason.filter(visible=True)).to_have_count(0)
        warning.get_by_text("Why?").click()
    expect(reason.filter(visible=True)).to_have_count(1)
    page.close()


def test_plans_are_cards_on_a_phone_and_a_full_width_table_on_a_desktop(ui_context, base_url):
    page = ui_context.new_page()
    page.goto(base_url + "tools/safety-plan/")
    wait_ready(page)
    for _ in range(2):
        page.get_by_role("button", name="Add a row").click()
    page.locator("tr[data-row]").nth(0).locator("[data-part='risk_text']").fill(
        "Contact with unknown adults through a gaming site relationship"
    )
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert (
        page.evaluate("getComputedStyle(document.querySelector('tr[data-row]')).display") == "block"
    )
    row_width = page.evaluate(
        "document.querySelector('tr[data-row]').getBoundingClientRect().width"
    )
    assert row_width <= 390
    page.goto(base_url + "tools/disruption-plan/")
    wait_ready(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.set_viewport_size(DESKTOP)
    page.goto(base_url + "tools/safety-plan/")
    wait_ready(page)
    page.get_by_role("button", name="Add a row").click()
    assert (
        page.evaluate("getComputedStyle(document.querySelector('tr[data-row]')).display")
        == "table-row"
    )
    widths = page.evaluate("""() => [document.querySelector('table.cse-rows').getBoundingClientRect().width,
        document.querySelector('.md-content__inner').getBoundingClientRect().width]""")
    assert widths[0] >= widths[1] - 2, widths
    page.close()


FOCUS_STYLE = """() => { const el = document.activeElement, s = getComputedStyle(el);
    const file = el.closest('.cse-file'), label = file ? getComputedStyle(file.querySelector('label')) : null;
    return {tag: el.tagName.toLowerCase(), type: el.type || '', id: el.id,
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
            shadow: s.boxShadow !== 'none',
            label: label ? label.outlineStyle !== 'none' && parseFloat(label.outlineWidth) >= 2 : false}; }"""


def focus_walk(page, stop_after: int) -> list[dict]:
    seen = []
    for _ in range(stop_after):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_STYLE)
        inside = page.evaluate("() => !!document.activeElement.closest('.cse-tool, .cse-plan')")
        if inside:
            seen.append(info)
    return seen


@pytest.mark.parametrize("tool", ["screening", "safety-plan"])
def test_every_control_shows_a_focus_ring(ui_context, base_url, tool):
    page = ui_context.new_page()
    page.set_viewport_size(DESKTOP)
    page.goto(base_url + f"tools/{tool}/")
    if tool == "screening":
        fill(page, {"age": 13, "answers": {"missing_episodes": "yes"}})
        wait_result(page)
    else:
        wait_ready(page)
        page.get_by_role("button", name="Add a row").click()
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    seen = focus_walk(page, 140 if tool == "screening" else 110)
    kinds = {(s["tag"], s["type"]) for s in seen}
    wanted = {("input", "text"), ("button", "button"), ("input", "file")}
    # On screening "missing" is answered yes, so its recorded facts show: text boxes and choices.
    wanted |= (
        {("input", "radio"), ("textarea", "textarea"), ("select", "select-one")}
        if tool == "screening"
        else {("input", "date"), ("input", "checkbox"), ("textarea", "textarea")}
    )
    assert wanted <= kinds, wanted - kinds
    missing = [s for s in seen if not (s["outline"] or s["shadow"] or s["label"])]
    assert missing == [], f"no visible focus on: {missing[:5]}"
    page.close()


def axe_counts(page, state: str, counts: dict, larger_text: bool = True) -> None:
    """axe at 390 px and at desktop width, light and dark; larger text at 390 px (when the page
    still shows its header's A+ button)."""
    # Measure settled colours: Material fades link colours (transitions) after a width or scheme
    # change, and axe caught a nav link mid-fade once (a colour the page never rests at).
    page.add_style_tag(
        content="*, *::before, *::after { transition: none !important; animation: none !important; }"
    )
    for width in (PHONE, DESKTOP):
        page.set_viewport_size(width)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            body = "slate" if scheme == "dark" else "default"
            page.locator(f"body[data-md-color-scheme='{body}']").wait_for(
                state="attached", timeout=5_000
            )
            # The pointer off every link: after a click at another width it may rest on a nav link,
            # whose hover colour is Material's accent (measured 4.25:1, a hover state of the theme).
            page.mouse.move(1, 1)
            page.evaluate("window.scrollTo(0, 0)")
            result = axe_run(page)
            counts[f"{state} @{width['width']} {scheme}"] = (
                len(result["violations"]),
                [
                    f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
                    for v in result["violations"]
                ],
            )
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme="light")
    if not larger_text:
        return
    page.locator("[data-text-size]").click()
    page.mouse.move(
        1, 1
    )  # larger text moves the page: the pointer would rest on whatever is now under it
    result = axe_run(page)
    counts[f"{state} @390 light, larger text"] = (
        len(result["violations"]),
        [v["id"] for v in result["violations"]],
    )
    page.locator("[data-text-size]").click()


def screening_with_a_result(context, base_url):
    page = context.new_page()
    page.goto(base_url + "tools/screening/")
    fill(page, SCENARIOS["screening"])
    wait_result(page)
    return page


def assert_no_violations(counts: dict[str, tuple[int, list[str]]]) -> None:
    for state, (n, found) in counts.items():
        print(f"axe {state}: {n} violations {found if n else ''}")
    assert {state: found for state, (n, found) in counts.items() if n} == {}


def test_axe_finds_nothing_in_any_state_scheme_or_width(ui_context, base_url):
    counts: dict[str, tuple[int, list[str]]] = {}
    page = screening_with_a_result(ui_context, base_url)
    axe_counts(page, "screening, result shown", counts)
    page.goto(base_url + "tools/risk-assessment/")
    fill(page, SCENARIOS["risk-assessment"])
    wait_result(page)
    page.fill("#cse-age", "25")
    expect(page.locator("#error-age")).to_be_visible()
    axe_counts(page, "risk assessment, error shown", counts)
    page.goto(base_url + "tools/safety-plan/")
    wait_ready(page)
    for _ in range(2):
        page.get_by_role("button", name="Add a row").click()
    row = page.locator("tr[data-row]").nth(0)
    for part, value in (
        ("risk_text", "Goes missing from home"),
        ("action", "Return interviews"),
        ("lead_agency", "Police"),
        ("due", "2020-01-02"),
        ("review", "2020-01-10"),
    ):
        row.locator(f"[data-part='{part}']").fill(value)
    expect(page.locator("[data-overdue]").first).to_be_visible()
    axe_counts(page, "safety plan, rows added (one overdue)", counts)
    page.goto(base_url + "tools/disruption-plan/")
    wait_ready(page)
    page.locator("[data-tactic] [data-part='checked']").first.check()
    axe_counts(page, "disruption plan, a tactic agreed", counts)
    assert len(counts) == 4 * 5
    assert_no_violations(counts)
    page.close()


# The update banner as offline.js shows it when a newer version of the site is waiting (the same
# function, imported from the module the page already loaded: no second copy runs).
SHOW_UPDATE = """async () => {
    const src = document.querySelector('script[src$="assets/js/offline.js"]').src;
    const { showUpdate } = await import(src);
    showUpdate({ waiting: null }); }"""
NEUTRAL_SITE = "{0.scheme}://{0.netloc}/**".format(urlsplit(PARTNERSHIP["quick_exit_url"]))


def test_axe_finds_nothing_on_the_update_banner_or_the_quick_exit_overlay(ui_context, base_url):
    counts: dict[str, tuple[int, list[str]]] = {}
    # The update banner above a tool with a result, and on a quick-exit page.
    page = screening_with_a_result(ui_context, base_url)
    page.evaluate(SHOW_UPDATE)
    expect(page.locator("[data-update-banner]")).to_contain_text("This procedure has been updated")
    expect(page.get_by_role("button", name="Reload to see the latest version")).to_be_visible()
    axe_counts(page, "update banner, screening with a result", counts)
    page.goto(base_url + "parents/")
    page.evaluate(SHOW_UPDATE)
    expect(page.locator("[data-update-banner]")).to_be_visible()
    axe_counts(page, "update banner, parents' page with quick exit", counts)
    # Scrolled down, nothing covers the quick-exit button (the banner scrolls away with the page).
    for width in (PHONE, DESKTOP):
        page.set_viewport_size(width)
        page.evaluate("window.scrollTo(0, 1500)")
        assert page.evaluate("""() => { const b = document.querySelector('[data-quick-exit-button]');
            const r = b.getBoundingClientRect();
            return r.top >= 0 && b.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); }""")
    # Quick exit: Shift pressed once (the count is announced), then the page blanked while the
    # neutral site loads. That site answers "204 No Content", so the browser stays on the blanked
    # page (a 204 ends a navigation without leaving), which axe then checks.
    page.goto(base_url + "parents/what-to-do/")
    page.keyboard.press("Shift")
    expect(page.locator(".quick-exit__live")).to_have_text("Shift, press 2 more times to exit.")
    axe_counts(page, "quick exit, Shift pressed once", counts)
    asked = []
    page.route(
        NEUTRAL_SITE, lambda route: (asked.append(route.request.url), route.fulfill(status=204))
    )
    page.evaluate("document.querySelector('[data-quick-exit-button]').click()")
    overlay = page.locator(".quick-exit__overlay")
    expect(overlay).to_be_visible()
    assert asked == [PARTNERSHIP["quick_exit_url"]]
    expect(page.locator("article")).to_be_hidden()
    axe_counts(page, "quick exit overlay (leaving)", counts, larger_text=False)
    expect(overlay).to_have_text("Loading.")  # still the blanked page: the checks above ran on it
    assert len(counts) == 3 * 5 + 4
    assert_no_violations(counts)
    page.close()


def test_larger_text_is_the_only_thing_kept_and_holds_no_case_data(ui_context, base_url):
    page = ui_context.new_page()
    page.goto(base_url + "tools/screening/")
    fill(page, SCENARIOS["screening"])
    assert page.evaluate("Object.keys(localStorage)") == []  # following the system stores nothing
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.locator("[data-text-size]").click()
    assert (
        page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        > size * 1.2
    )
    stored = page.evaluate("JSON.stringify({...localStorage})")
    assert json.loads(stored) == {
        "cse-display": json.dumps({"text": "large"}, separators=(",", ":"))
    }
    assert MARKER not in stored and "missing_episodes" not in stored
    # The preference is remembered on the next page, before anything shows.
    page.goto(base_url + "tools/risk-assessment/")
    assert page.evaluate("document.documentElement.classList.contains('cse-text-large')")
    expect(page.locator("[data-text-size]")).to_have_attribute("aria-pressed", "true")
    page.locator("[data-text-size]").click()
    assert page.evaluate("Object.keys(localStorage)") == []
    page.close()
