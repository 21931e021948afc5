"""Printouts fit for a meeting: each tool, filled in with a realistic case in a browser set to
another locale (en-US), printed to PDF; pypdf reads the text back.

Each printout must carry the case header, every risk as a whole statement, dates written out in
en-GB ("30 November 2026"), the judgement and emergency notes on page 1, and no on-screen
instructions (buttons, help text, loading messages)."""

from __future__ import annotations

import io
import json
import re

import pytest
from pypdf import PdfReader

from cse_tools.catalog import default_catalog
from cse_tools.engine import answer_label
from helpers import SCENARIOS, cli, fill, flat, statement

pytestmark = pytest.mark.browser

# Words only the screen shows: buttons, help text, progress. None may reach paper.
INSTRUCTIONS = [
    "Save to file",
    "Open from file",
    "Clear all",
    "Start a safety plan from this assessment",
    "Continue to the CSE risk assessment",
    "Save plan to file",
    "Open a saved plan",
    "Add a row",
    "Remove row",
    "Loading the tools",
    "Full result",
    "This text stays on this device",
    "Agree a date with the people involved",
    "One row for each risk",
    "Tick the tactics the meeting agreed",
    "Answer each question",
    "Name and agency of each person",
    "A whole number from",
    "About this tool",
    "About this plan",
    "Case details for the record",
]
LOCALE_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|mm/dd/yyyy|dd/mm/yyyy")
MEETING = {
    "reference": "JB-0147",
    "age": "15",
    "date": "2026-11-30",
    "practitioner": "Sam Patel, lead professional",
    "agency": "Exampleshire Children's Services",
    "meeting_date": "2026-11-30",
    "chair": "Alex Morgan, team manager",
    "attendees": "Sam Patel, children's services\nDC Lee Hart, police\nPriya Shah, school nurse",
}
HEADER_WORDS = [
    "JB-0147",
    "Sam Patel",
    "Exampleshire Children's Services",
    "Alex Morgan, team manager",
    "DC Lee Hart, police",
    "30 November 2026",
]


@pytest.fixture
def us_context(browser):
    """A browser whose own locale would write dates as 11/30/2026."""
    ctx = browser.new_context(
        service_workers="block", locale="en-US", timezone_id="America/New_York"
    )
    yield ctx
    ctx.close()


def printed_pages(page, keep: str | None = None) -> list[str]:
    data = page.pdf(format="A4")
    if keep:
        with open(keep, "wb") as out:
            out.write(data)
    return [flat(p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages]


def assert_fit_for_a_meeting(pages: list[str], tool, header: list[str]) -> str:
    text = " ".join(pages)
    first = pages[0]
    assert flat(tool.emergency_note) in first and flat(tool.judgement_note) in first
    for word in header:
        assert flat(word) in first, f"case header field {word!r} not on page 1"
    leaked = [s for s in INSTRUCTIONS if s in text]
    assert leaked == [], f"on-screen instructions printed: {leaked}"
    assert LOCALE_DATE.findall(text) == [], "a date printed in the browser's own format"
    return text


@pytest.mark.parametrize("tool_id", ["screening", "risk-assessment"])
def test_assessment_prints_for_a_meeting(us_context, base_url, tool_id, tmp_path):
    scenario = SCENARIOS[tool_id]
    tool = default_catalog()[tool_id]
    expected = cli("assess", tool_id, {"age": scenario["age"], "answers": scenario["answers"]})
    page = us_context.new_page()
    page.goto(base_url + f"tools/{tool_id}/")
    fill(page, scenario)
    page.locator(f"#cse-result[data-level='{expected['level']}']").wait_for(timeout=60_000)
    pages = printed_pages(page, str(tmp_path / f"{tool_id}.pdf"))
    case = scenario["case"]
    text = assert_fit_for_a_meeting(
        pages, tool, [case["reference"], case["practitioner"], case["agency"], "30 November 2026"]
    )
    assert re.search(r"age in years\s*" + str(scenario["age"]), pages[0]), (
        "the child's age on page 1"
    )
    for question_id, answer in scenario["answers"].items():
        question = tool.question(question_id)
        risk, label = flat(statement(question)), flat(answer_label(tool, question, answer))
        assert re.search(re.escape(risk) + r".{0,120}?" + re.escape(label), text), risk
    assert flat(expected["label"]) in text
    for note in scenario["notes"].values():
        assert flat(note) in text
    if scenario.get("review_date"):
        assert "3 February 2031" in text
    page.close()


def draft_safety_plan(page, base_url, tool_id: str) -> dict:
    scenario = SCENARIOS[tool_id]
    answers = {
        "format": "cse-tools/answers",
        "version": 1,
        "tool": tool_id,
        "tool_version": 1,
        "saved_at": "2026-11-30T10:00:00Z",
        "age": scenario["age"],
        "answers": scenario["answers"],
        "notes": {},
        "review_date": None,
    }
    page.goto(base_url + "tools/safety-plan/")
    page.locator("[data-progress][data-state='ready']").wait_for(state="attached", timeout=60_000)
    page.set_input_files(
        "#cse-open-assessment",
        files=[
            {
                "name": "answers.json",
                "mimeType": "application/json",
                "buffer": json.dumps(answers).encode(),
            }
        ],
    )
    expected = cli("plan", tool_id, {"age": scenario["age"], "answers": scenario["answers"]})
    page.locator("tr[data-row]").nth(len(expected["rows"]) - 1).wait_for()
    return expected


def fill_meeting(page) -> None:
    for key, value in MEETING.items():
        page.fill(f"[data-case='{key}']", value)
    page.fill("#plan-next-review", "2027-01-11")


def test_safety_plan_prints_for_a_meeting(us_context, base_url, tmp_path):
    page = us_context.new_page()
    expected = draft_safety_plan(page, base_url, "risk-assessment")
    assert len(expected["rows"]) >= 3
    fill_meeting(page)
    rows = page.locator("tr[data-row]")
    rows.nth(0).locator("[data-part='due']").fill("2026-12-07")
    rows.nth(0).locator("[data-part='lead_agency']").fill("Children's social care")
    page.fill("#plan-child-views", "I want to keep going to football on Saturdays.")
    pages = printed_pages(page, str(tmp_path / "safety-plan.pdf"))
    text = assert_fit_for_a_meeting(pages, default_catalog()["risk-assessment"], HEADER_WORDS)
    for row in expected["rows"]:
        assert flat(row["risk_text"]) in text, f"risk not printed whole: {row['risk_text']}"
        assert flat(row["action"])[:60] in text
    assert "7 December 2026" in text and "11 January 2027" in text
    assert "Children's social care" in text and "football on Saturdays" in text
    assert "Multi-agency safety plan" in pages[0]
    page.close()


def test_disruption_plan_prints_for_a_meeting(us_context, base_url, tmp_path):
    page = us_context.new_page()
    page.goto(base_url + "tools/disruption-plan/")
    page.locator("[data-progress][data-state='ready']").wait_for(state="attached", timeout=60_000)
    fill_meeting(page)
    tactics = page.locator("[data-tactic]")
    chosen = [tactics.nth(0), tactics.nth(2)]
    for tactic in chosen:
        tactic.locator("[data-part='checked']").check()
    chosen[0].locator("[data-part='date']").fill("2026-12-14")
    page.fill("#plan-locations", "The car park behind the Mill Street chip shop, evenings.")
    pages = printed_pages(page, str(tmp_path / "disruption-plan.pdf"))
    text = assert_fit_for_a_meeting(pages, default_catalog()["risk-assessment"], HEADER_WORDS)
    tool = default_catalog()["disruption-tactics"]
    for index in (0, 2):
        assert flat(tool.tactics[index].title) in text
    assert flat(tool.tactics[1].title) not in text, "a tactic the meeting did not agree is left off"
    assert "14 December 2026" in text and "Mill Street chip shop" in text
    assert "Disruption plan" in pages[0]
    page.close()
