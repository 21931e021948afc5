"""What a chair gets (issue 22), in Chromium: a plan drafted from an assessment keeps the child's
words, the notes, the recorded facts (a vehicle registration too) and the protective factors as
statements; its date is today and each case field keeps its own name; a named person is saved and
read back; a plan started from a meeting has the agreed category and next review. On paper, every
page of all four tools carries the child's reference and "Page n of m", the last page has real
content, the category is on page 1 and "Done" has a column of its own."""

from __future__ import annotations

import io
import json
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from cse_tools.catalog import default_catalog
from helpers import SCENARIOS, fill, flat, watch_page
from test_meeting import health, police, school
from test_plan_pages import wait_ready

pytestmark = pytest.mark.browser

RISK = default_catalog()["risk-assessment"]
REFERENCE = "Child R / 2026-0381"
VEHICLE = "AB12 CDE, a silver hatchback"
SAID = "He said the man in the car is his friend and buys him food."
TODAY = """() => { const d = new Date(); const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`; }"""
PLAN_STATE = """() => ({
  rows: Array.from(document.querySelectorAll('tr[data-row]')).map(r => ({risk: r.dataset.risk,
    notes: r.querySelector('[data-part="notes"]').value, person: r.querySelector('[data-part="person"]').value})),
  field: Object.fromEntries(Array.from(document.querySelectorAll('[data-field]')).map(f => [f.dataset.field, f.value])),
  case: Object.fromEntries(Array.from(document.querySelectorAll('[data-case]')).map(f => [f.dataset.case, f.value])),
})"""


def scenario() -> dict:
    """The risk assessment scenario, with a child picked up in a car and what he said."""
    base = SCENARIOS["risk-assessment"]
    return dict(
        base,
        answers=dict(base["answers"], adults_collecting="yes"),
        facts=dict(base["facts"], adults_collecting={"vehicles": VEHICLE}),
        notes=dict(base["notes"], said=SAID),
    )


def drafted_plan(plan_context, base_url):
    """The risk assessment filled in, and the safety plan started from it (the plan's tab)."""
    case = scenario()
    page = plan_context.new_page()
    page.goto(base_url + "tools/risk-assessment/")
    fill(page, case)
    page.locator("#cse-result[data-level='3']").wait_for(timeout=90_000)
    with plan_context.expect_page() as opened:
        page.get_by_role("button", name="Start a safety plan from this assessment").click()
    plan = opened.value
    expect(plan.locator("[data-message]")).to_contain_text("Drafted from", timeout=90_000)
    return plan, case


def test_a_drafted_plan_keeps_the_evidence_and_each_field_its_name(
    plan_context, base_url, tmp_path
):
    plan, case = drafted_plan(plan_context, base_url)
    watch = watch_page(plan, base_url)
    state = plan.evaluate(PLAN_STATE)
    assert SAID in state["field"]["child_views"]
    assert case["notes"]["risk_indicators"] in state["field"]["assessment_notes"]
    assert case["notes"]["protective_factors"] in state["field"]["assessment_notes"]
    assert state["field"]["protective_factors"] == RISK.question("trusted_adult").statement
    collecting = next(r for r in state["rows"] if r["risk"] == "adults_collecting")
    assert VEHICLE in collecting["notes"]
    # Each case field under its own label: the practitioner stays the practitioner.
    assert state["case"]["practitioner"] == case["case"]["practitioner"]
    assert state["case"]["lead_professional"] == ""
    assert state["case"]["date"] == plan.evaluate(TODAY)
    assert any(r["risk"] == "plan:phones_online" for r in state["rows"])

    # A named person for an action is saved in the file and read back.
    plan.locator("tr[data-row]").nth(0).locator('[data-part="person"]').fill("DC Lee Hart")
    plan.fill("#case-lead-professional", "Jo Evans")
    plan.select_option("#plan-agreed-level", "3")
    plan.fill("#plan-decisions", "Strategy discussion today.")
    with plan.expect_download() as download:
        plan.get_by_role("button", name="Save plan to file").click()
    saved = tmp_path / "plan.json"
    download.value.save_as(saved)
    doc = json.loads(saved.read_text())
    assert doc["rows"][0]["person"] == "DC Lee Hart" and doc["agreed_level"] == 3
    assert doc["case"]["lead_professional"] == "Jo Evans"
    assert doc["case"]["practitioner"] == case["case"]["practitioner"]
    before = plan.evaluate(PLAN_STATE)
    plan.reload()
    wait_ready(plan)
    plan.set_input_files("#cse-open-plan", str(saved))
    expect(plan.locator("[data-message]")).to_contain_text("Opened the plan", timeout=60_000)
    assert plan.evaluate(PLAN_STATE) == before
    assert watch.page_errors == []


def test_a_plan_started_from_a_meeting_has_the_agreed_category_and_next_review(
    plan_context, base_url
):
    page = plan_context.new_page()
    page.goto(base_url + "tools/meeting/")
    wait_ready(page)
    page.set_input_files(
        "#meeting-files",
        files=[
            {"name": n, "mimeType": "application/json", "buffer": t.encode()}
            for n, t in (school(), police(), health())
        ],
    )
    expect(page.locator("[data-agencies] tr")).to_have_count(3, timeout=30_000)
    page.fill('[data-record-field="date"]', "2026-12-02")
    page.select_option('[data-record-field="agreed_level"]', "3")
    page.fill('[data-record-field="reason"]', "The police's evidence.")
    expect(page.locator("[data-next-review]")).to_contain_text("2026", timeout=30_000)
    with plan_context.expect_page() as info:
        page.get_by_role("button", name="Start the safety plan").click()
    plan = info.value
    expect(plan.locator("[data-message]")).to_contain_text("Drafted from", timeout=90_000)
    expect(plan.locator("#plan-agreed-level")).to_have_value("3")
    expect(plan.locator("#plan-next-review")).to_have_value("2026-12-09")  # category 3: 7 days
    expect(plan.locator("#case-meeting-date")).to_have_value("2026-12-02")


def printed(page) -> list[str]:
    data = page.pdf(format="A4")
    return [flat(p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages]


def assert_every_page_is_labelled(pages: list[str], reference: str | None) -> None:
    n = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {n}" in text, f"page {number}: no 'Page {number} of {n}'"
        if reference:
            assert f"Child's initials or reference: {reference}" in text, f"page {number}"
    # The last page has real content, not only the running header and footer.
    rest = re.sub(r"Child's initials or reference: \S.*?(?=Page)|Page \d+ of \d+", "", pages[-1])
    assert len(rest.strip()) > 60, f"a near-empty last page: {pages[-1]!r}"


def test_the_safety_plan_prints_for_a_chair(plan_context, base_url):
    plan, _case = drafted_plan(plan_context, base_url)
    plan.select_option("#plan-agreed-level", "3")
    pages = printed(plan)
    assert len(pages) >= 2
    assert_every_page_is_labelled(pages, REFERENCE)
    category = flat(RISK.level(3).label)
    assert category in pages[0], "the category on page 1"
    assert "Category agreed by the meeting " + category in pages[0]
    text = " ".join(pages)
    assert "Done (row" not in text, "'Done' has its own column, with no row number on paper"
    assert "Lead agency and named person" in text and "Named person" in text
    assert VEHICLE in text and SAID in text


@pytest.mark.parametrize("tool", ["screening", "risk-assessment", "disruption-plan"])
def test_every_tool_printout_carries_the_reference_and_page_numbers(plan_context, base_url, tool):
    page = plan_context.new_page()
    page.goto(base_url + f"tools/{tool}/")
    wait_ready(page)
    if tool in SCENARIOS:
        fill(page, SCENARIOS[tool])
        reference = SCENARIOS[tool]["case"]["reference"]
    else:
        reference = "JB-0147"
        page.fill("[data-case='reference']", reference)
        page.fill("#plan-vehicles", VEHICLE)
    pages = printed(page)
    assert_every_page_is_labelled(pages, reference)
    if tool == "disruption-plan":
        assert VEHICLE in " ".join(pages)
    # Cleared with the form: a blank reference prints a line to write it on.
    page.fill("[data-case='reference']", "")
    assert "Child's initials or reference: ____" in printed(page)[0]


def test_handbook_pages_print_page_numbers_without_a_reference_line(plan_context, base_url):
    page = plan_context.new_page()
    page.goto(base_url + "procedure/07-managing-individual-young-people/")
    pages = printed(page)
    assert_every_page_is_labelled(pages, None)
    assert "Child's initials or reference" not in " ".join(pages)
    for row in RISK.plan_rows:  # chapter 7's list, rendered from the standing plan rows
        assert flat(row.covers) in flat(" ".join(pages))
