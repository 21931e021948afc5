"""Without JavaScript the handbook still works: content, pathway steps and the whole action plan."""

from __future__ import annotations

import pytest

from macros.action_plan import load_action_plan

pytestmark = pytest.mark.browser


@pytest.fixture
def nojs_page(browser):
    ctx = browser.new_context(java_script_enabled=False, service_workers="block")
    page = ctx.new_page()
    yield page
    ctx.close()


def test_chapter_text_is_present_and_visible(nojs_page, base_url):
    page = nojs_page
    page.goto(base_url + "procedure/01-definition-and-categories/")
    heading = page.locator("article h1")
    assert heading.inner_text().strip().startswith("1. Definition and categories of CSE")
    assert heading.is_visible()
    step = page.get_by_text("Treat the child as a victim of abuse", exact=False)
    assert step.count() >= 1 and step.first.is_visible()
    table = page.locator("article table")
    assert table.count() >= 1 and table.first.is_visible()
    assert "significant risk" in table.first.inner_text()


def test_pathway_numbered_steps_are_present(nojs_page, base_url):
    page = nojs_page
    page.goto(base_url + "guidance/pathway/")
    for anchor in (
        "a-new-concern",
        "a-child-already-open-to-a-service",
        "a-child-who-goes-missing",
    ):
        steps = page.locator(f"h2#{anchor} ~ ol").first.locator("> li")
        assert steps.count() >= 8, anchor
        assert steps.first.is_visible(), anchor
    text = page.locator("article").inner_text()
    for sentence in (
        "Talk to your safeguarding lead the same day.",
        "Tell the allocated worker and their manager the same day.",
        "When the child is found, the police carry out a safe and well check.",
    ):
        assert sentence in text


def test_action_plan_shows_every_row_and_no_filters(nojs_page, base_url):
    page = nojs_page
    page.goto(base_url + "strategy/action-plan/")
    actions = load_action_plan()["actions"]
    rows = page.locator("[data-action-plan] tbody tr[data-rag]")
    assert rows.count() == len(actions)
    for i in range(rows.count()):
        assert rows.nth(i).is_visible(), f"row {i} hidden without JavaScript"
    # The filters need JavaScript, so they stay hidden.
    assert not page.locator("[data-action-plan-filters]").is_visible()
    # The rating is a word, not only a colour.
    text = page.locator("[data-action-plan] tbody").inner_text()
    assert "Red" in text and "Amber" in text and "Green" in text


def test_every_page_shows_its_heading_and_the_danger_line_without_javascript(
    nojs_page, site_dir, base_url
):
    """The accessibility statement says every page is usable without JavaScript: each one is."""
    from helpers import html_pages

    missing = []
    for rel in html_pages(site_dir):
        nojs_page.goto(base_url + rel, wait_until="load")
        heading = nojs_page.locator("main h1").first
        if not (heading.count() and heading.is_visible() and heading.inner_text().strip()):
            missing.append(f"{rel}: no visible heading")
        if not nojs_page.locator("[data-danger-line]").first.is_visible():
            missing.append(f"{rel}: no danger line")
    assert missing == []


def test_profile_page_says_it_needs_javascript_and_keeps_its_notes(nojs_page, base_url):
    page = nojs_page
    page.goto(base_url + "tools/profile/")
    assert page.locator("article h1").inner_text().strip().startswith("Partnership profile")
    assert page.get_by_text("needs JavaScript", exact=False).first.is_visible()
    assert (
        page.locator(".cse-note--emergency").is_visible()
        and page.locator(".cse-note--judgement").is_visible()
    )
    assert page.get_by_text("Counts from 1 to 4 are shown as", exact=False).first.is_visible()
    js_only = page.locator(".cse-profile [data-js-only]")
    assert js_only.count() == 2 and all(
        js_only.nth(i).is_hidden() for i in range(2)
    )  # toolbar, drop zone
