"""The parent's minute and the ways out (issue 22, the site's half), in a real browser.

- Every parents' page links to "if you find messages tonight" on a phone's first screen, before
  any "Updated" box, and the link lands on the section with its heading in view.
- The hub, the emergency duty team and CEOP each get a line saying who they are, from the data.
- The exit button is on every page, on top of an open search panel and an open menu drawer, and
  there is a second exit button at the foot of the page (the phone's second way out).
- Nothing sticky hides the focused field or a linked heading (WCAG 2.2 2.4.11), at 390 and
  1280 px and with larger text: checked with elementFromPoint at the element's corners.
- axe finds nothing in the new states.
"""

from __future__ import annotations

import pytest
import yaml
from playwright.sync_api import expect

from helpers import ROOT, audience_pages
from helpers import axe_run

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PARENTS = [p for p in audience_pages() if p.startswith("parents/")]
TONIGHT = "parents/what-to-do/#if-you-find-messages-tonight"
EXIT_URL = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text(encoding="utf-8"))[
    "quick_exit_url"
]


@pytest.fixture
def axe_context(browser):
    ctx = browser.new_context(service_workers="block", bypass_csp=True, viewport=PHONE)
    yield ctx
    ctx.close()


def fake_neutral_site(page) -> None:
    page.route(
        EXIT_URL.split("//")[0] + "//" + EXIT_URL.split("/")[2] + "/**",
        lambda route: route.fulfill(body="<title>Weather</title>neutral", content_type="text/html"),
    )


# Covered: the element at each corner (just inside) is neither the element nor inside it.
COVERED = """el => { if (el.type === 'radio') el = el.parentElement;  // drawn by the span beside it
  const rects = el.getClientRects(); const a = rects[0], z = rects[rects.length - 1]; const out = [];
  // A link that wraps: the first line's top corners and the last line's bottom corners.
  const pts = [[a.left + 2, a.top + 2], [a.right - 2, a.top + 2], [z.left + 2, z.bottom - 2], [z.right - 2, z.bottom - 2]];
  for (const [x, y] of pts) {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) { out.push(`off screen at ${x},${y}`); continue; }
    const top = document.elementFromPoint(x, y);
    if (!top || !(top === el || el.contains(top)))
      out.push(`${x},${y}: ${top ? top.tagName + '.' + top.className : 'nothing'}`);
  }
  return out; }"""


@pytest.mark.parametrize("rel", PARENTS)
def test_tonight_link_is_on_the_first_screen_of_each_parents_page(page, base_url, rel):
    page.set_viewport_size(PHONE)
    page.goto(base_url + rel)
    link = page.get_by_role("link", name="What to do tonight")
    expect(link).to_have_count(1)
    box = link.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert link.evaluate(COVERED) == []
    # No "Updated" box pushes it down: the link comes first, and the box is closed.
    for amendment in page.locator(".amendment-box").all():
        assert amendment.bounding_box()["y"] > box["y"]
        assert amendment.evaluate("b => [...b.querySelectorAll('details')].every(d => !d.open)")
    assert link.get_attribute("href").endswith("#if-you-find-messages-tonight")
    link.click()
    heading = page.locator("#if-you-find-messages-tonight")
    expect(heading).to_be_in_viewport()
    page.wait_for_timeout(300)
    assert heading.evaluate(COVERED) == [], "the header or the exit bar covers the heading"
    assert "messages from an adult" in heading.inner_text()


def test_who_they_are_comes_from_the_data(page, base_url):
    partnership = {
        c["id"]: c
        for c in yaml.safe_load((ROOT / "data" / "partnership.yml").read_text())["contacts"]
    }
    national = {
        c["id"]: c for c in yaml.safe_load((ROOT / "data" / "national-contacts.yml").read_text())
    }
    lines = [partnership["hub"]["who"], partnership["out_of_hours"]["who"], national["ceop"]["who"]]
    for rel in ("parents/what-to-do/", "parents/support/"):
        page.goto(base_url + rel)
        text = " ".join(page.locator("article").inner_text().split())
        for line in lines:
            assert line in text, (rel, line)


EVERY_KIND = [
    "",
    "procedure/09-legislation-disruption-prosecution/",
    "guidance/pathway/",
    "glossary/",
    "tools/screening/",
    "parents/signs/",
    "updates/",
]


@pytest.mark.parametrize("rel", EVERY_KIND)
def test_exit_is_on_every_kind_of_page_with_a_second_button_at_the_foot(page, base_url, rel):
    page.set_viewport_size(PHONE)
    fake_neutral_site(page)
    page.goto(base_url + rel)
    buttons = page.get_by_role("link", name="Exit this page")
    expect(buttons).to_have_count(2)
    expect(buttons.first).to_be_in_viewport()
    footer = page.locator(".quick-exit-footer [data-quick-exit-button]")
    footer.scroll_into_view_if_needed()
    assert footer.bounding_box()["height"] >= 44
    footer.click()
    expect(page).to_have_title("Weather", timeout=5000)


def exit_centre_is_exit(page) -> str:
    return page.evaluate("""() => { const b = document.querySelector('.quick-exit [data-quick-exit-button]');
        const r = b.getBoundingClientRect(); const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return top && (top === b || b.contains(top)) ? 'exit' : (top ? top.tagName + '.' + top.className : 'nothing'); }""")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("rel", ["parents/what-to-do/", "procedure/"])
def test_exit_stays_on_top_of_search_and_the_menu(axe_context, base_url, viewport, rel):
    page = axe_context.new_page()
    page.set_viewport_size(viewport)
    page.goto(base_url + rel)
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    box.wait_for(state="visible")
    box.fill("missing")
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    assert exit_centre_is_exit(page) == "exit"
    assert [
        (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in axe_run(page)["violations"]
    ] == []
    page.keyboard.press("Escape")
    if viewport is PHONE:
        page.locator("label.md-header__button[for='__drawer']").click()
        page.wait_for_timeout(400)
        expect(page.locator(".md-sidebar--primary")).to_be_in_viewport()
        assert exit_centre_is_exit(page) == "exit"
        assert [
            (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in axe_run(page)["violations"]
        ] == []


FOCUSABLE = "a[href], button, input, select, textarea, summary"


@pytest.mark.parametrize("large", [False, True], ids=["normal-text", "larger-text"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_nothing_sticky_hides_the_focused_field(axe_context, base_url, viewport, large):
    _focused_field_check(axe_context, base_url, viewport, large)


def _focused_field_check(axe_context, base_url, viewport, large):
    """Tab through the screening tool with an answer given (the result bar showing at the foot):
    every focused control in the article is clear of the header, the exit bar and the result bar."""
    page = axe_context.new_page()
    page.set_viewport_size(viewport)
    page.goto(base_url + "tools/screening/")
    page.locator("[data-progress][data-state='ready']").wait_for(state="attached", timeout=60_000)
    if large:
        page.locator(".cse-text-toggle").click()
        assert page.evaluate("document.documentElement.classList.contains('cse-text-large')")
    page.fill("#cse-age", "14")
    page.check("#q-missing_episodes-yes")
    page.locator("#cse-result:not([data-level=''])").wait_for(timeout=60_000)
    page.locator("#cse-age").focus()
    hidden, checked = [], 0
    for _ in range(60):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const el = document.activeElement;
            return el && el.closest('article') && !el.closest('.cse-summary') ? true : false; }""")
        if not info:
            continue
        page.wait_for_timeout(30)
        problems = page.evaluate(f"() => ({COVERED})(document.activeElement)")
        checked += 1
        if problems:
            hidden.append(
                (
                    page.evaluate(
                        "document.activeElement.id || document.activeElement.outerHTML.slice(0, 80)"
                    ),
                    problems,
                )
            )
    assert checked > 20
    expect(page.locator("[data-summary]")).to_be_visible()
    assert hidden == [], hidden[:5]


@pytest.mark.parametrize("large", [False, True], ids=["normal-text", "larger-text"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_linked_heading_is_not_under_the_sticky_bars(axe_context, base_url, viewport, large):
    page = axe_context.new_page()
    page.set_viewport_size(viewport)
    page.goto(base_url + "procedure/07-managing-individual-young-people/")
    if large:
        page.locator(".cse-text-toggle").click()
    target = page.evaluate("() => [...document.querySelectorAll('article h2[id]')][3].id")
    page.goto(base_url + f"procedure/07-managing-individual-young-people/#{target}")
    page.wait_for_timeout(400)
    assert page.evaluate("window.scrollY") > 200
    assert page.locator(f"#{target}").evaluate(COVERED) == []


def test_category_table_is_cards_on_a_phone_and_a_table_on_a_desktop(axe_context, base_url):
    page = axe_context.new_page()
    rel = "procedure/01-definition-and-categories/"
    page.goto(base_url + rel)
    table = page.locator(".cse-categories table")
    table.scroll_into_view_if_needed()
    fits = """t => ({scroll: t.scrollWidth, client: t.clientWidth,
        widest: Math.max(...[...t.querySelectorAll('td')].map(td => td.getBoundingClientRect().right)),
        display: getComputedStyle(t.querySelector('td')).display})"""
    phone = table.evaluate(fits)
    assert phone["scroll"] <= phone["client"] + 1 and phone["widest"] <= PHONE["width"], phone
    assert phone["display"] == "block", phone
    # Each cell says which column it is in.
    assert table.locator("td[data-label='What it triggers']").count() >= 3
    assert [
        (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in axe_run(page)["violations"]
    ] == []
    page.set_viewport_size(DESKTOP)
    assert table.evaluate(fits)["display"] == "table-cell"


def test_answer_targets_are_44px_tall_with_space_between_on_a_phone(page, base_url):
    page.set_viewport_size(PHONE)
    page.goto(base_url + "tools/screening/")
    boxes = page.evaluate("""() => [...document.querySelectorAll('.cse-answers')].slice(0, 6).map(group =>
        [...group.querySelectorAll('.cse-answer label')].map(l => l.getBoundingClientRect().toJSON()))""")
    assert boxes and all(len(group) >= 2 for group in boxes)
    for group in boxes:
        for label in group:
            assert label["height"] >= 44 and label["width"] >= 44, label
        for a, b in zip(group, group[1:]):
            same_row = abs(a["top"] - b["top"]) < 1
            gap = b["left"] - a["right"] if same_row else b["top"] - a["bottom"]
            assert gap >= 8, (a, b)


def test_warnings_for_parents_are_at_body_size(page, base_url):
    page.set_viewport_size(PHONE)
    page.goto(base_url + "parents/")
    sizes = page.evaluate("""() => ({warning: getComputedStyle(document.querySelector('article .admonition.danger p:not(.admonition-title)')).fontSize,
        body: getComputedStyle(document.querySelector('article > p:not([class])')).fontSize})""")
    assert sizes["warning"] == sizes["body"], sizes
