"""One path from the screening to the risk assessment, and the result in plain words, in Chromium.

- "Continue to the CSE risk assessment" on a screening result opens the risk assessment with the
  screening's answers (in memory: postMessage between the two pages, never storage, the address or
  window.name), each marked "From the CSE screening tool", and the page says how many came over.
- A saved screening file opens on the risk assessment page the same way; a file of another kind
  is still refused with a plain message and the screen keeps its content.
- The result: one name for the level ("Category 2: significant risk"), no advice to do what the
  user is doing, next steps with who and by when, no protective factors on a tool that asks none,
  no category before the first answer, a gap under the section the form shows it in, and the
  result on page 1 of the printout.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from cse_tools import files
from cse_tools.catalog import default_catalog
from helpers import (
    MARKER,
    SCENARIOS,
    axe_violations,
    fill,
    flat,
    open_file,
    real_context,
    screen_state,
    stored_everywhere,
    wait_until_controlled,
)

pytestmark = pytest.mark.browser

CATALOG = default_catalog()
SCREENING = CATALOG["screening"]
RISK = CATALOG["risk-assessment"]
TAG = "From the CSE screening tool"
# Three risk indicators: category 2 on both tools (a known grooming pattern).
CATEGORY_2 = {"missing_episodes": "yes", "older_partner": "yes", "unexplained_gifts": "yes"}


def ready(page, base_url, tool: str) -> None:
    page.goto(base_url + f"tools/{tool}/")
    page.locator("[data-progress][data-state='ready']").wait_for(state="attached", timeout=90_000)


def tagged(page) -> list[str]:
    """The questions whose "From the screening" tag is showing."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-question]')]
            .filter(f => { const t = f.querySelector('[data-carried]'); return t && !t.hidden; })
            .map(f => f.dataset.question)"""
    )


def expected_answers(scenario: dict) -> dict:
    return {q: a for q, a in scenario["answers"].items() if RISK.question(q) is not None}


@pytest.fixture
def carry_context(real_browser):
    """As a reader's browser is: the back/forward cache on, the service worker allowed."""
    ctx = real_context(real_browser)
    yield ctx
    ctx.close()


def test_continue_carries_the_screening_in_memory_and_marks_what_came_over(carry_context, base_url):
    scenario = SCENARIOS["screening"]
    page = carry_context.new_page()
    page.goto(base_url + "tools/screening/")
    wait_until_controlled(page)  # the service worker in control, as a returning reader has it
    fill(page, scenario)
    page.locator("#cse-result:not([data-level=''])").wait_for(timeout=90_000)

    with carry_context.expect_page() as opened:
        page.get_by_role("button", name="Continue to the CSE risk assessment").click()
    risk = opened.value
    message = risk.locator("[data-message]")
    expect(message).to_contain_text("came over from the CSE screening tool", timeout=90_000)
    carried = expected_answers(scenario)
    n_left = len(list(RISK.questions())) - len(carried)
    expect(message).to_contain_text(f"{len(carried)} answers came over")
    expect(message).to_contain_text(f"The other {n_left} questions still need answering")

    state = screen_state(risk)
    assert state["answers"] == carried
    assert state["age"] == str(scenario["age"])
    assert state["notes"]["said"] == scenario["notes"]["said"]
    assert state["case"]["reference"] == scenario["case"]["reference"]
    for question, facts in scenario["facts"].items():
        for fact, value in facts.items():
            assert state["facts"][f"{question}.{fact}"] == value
    # Each answer that came over carries the tag, visible and in the question's accessible name.
    assert sorted(tagged(risk)) == sorted(carried)
    first = next(iter(carried))
    fieldset = risk.locator(f"[data-question='{first}']")
    expect(fieldset.locator("[data-carried]")).to_be_visible()
    expect(risk.get_by_role("group", name=re.compile(TAG))).to_have_count(len(carried))
    expect(risk.locator("#cse-result:not([data-level=''])")).to_have_count(1, timeout=60_000)
    # An answer changed on the risk assessment is no longer marked as the screening's.
    risk.check(f"#q-{first}-no")
    assert first not in tagged(risk)

    # Nothing about the child in either page's address, history entry or window name, nor in any
    # store (local, session, IndexedDB, Cache Storage).
    secrets = [MARKER, scenario["case"]["reference"], "missing_episodes"]
    for tab in (page, risk):
        where = tab.evaluate(
            "() => ({href: location.href, state: JSON.stringify(history.state), name: window.name})"
        )
        assert where["href"] in (base_url + "tools/screening/", base_url + "tools/risk-assessment/")
        for secret in secrets:
            assert secret not in json.dumps(where), (secret, where)
        stored = stored_everywhere(tab, [MARKER, scenario["case"]["reference"]])
        for secret in secrets:
            assert secret not in json.dumps([stored["local"], stored["session"]])
        assert stored["idb"] == [] and stored["found"] == []
    assert risk.url == base_url + "tools/risk-assessment/", "the hash is dropped at once"


def screening_file(scenario: dict) -> str:
    return files.dump(
        files.answers_document(
            SCREENING,
            scenario["age"],
            scenario["answers"],
            scenario["notes"],
            saved_at="2026-11-30T10:00:00Z",
            facts=scenario["facts"],
            case=scenario["case"],
        )
    )


def test_a_saved_screening_file_fills_the_risk_assessment(page, base_url):
    scenario = SCENARIOS["screening"]
    ready(page, base_url, "risk-assessment")
    open_file(page, "#cse-open-file", "screening.json", screening_file(scenario))
    message = page.locator("[data-message]")
    expect(message).to_contain_text(
        "came over from the CSE screening tool (the file saved on 30 November 2026)", timeout=30_000
    )
    expect(message).to_contain_text("still need answering")
    carried = expected_answers(scenario)
    state = screen_state(page)
    assert state["answers"] == carried and state["age"] == str(scenario["age"])
    assert state["notes"]["said"] == scenario["notes"]["said"]
    assert sorted(tagged(page)) == sorted(carried)
    page.locator("#cse-result:not([data-level=''])").wait_for(timeout=30_000)
    assert page.watch.page_errors == []


@pytest.fixture
def axe_page(browser):
    # bypass_csp lets the test inject axe-core; the pages themselves are unchanged.
    ctx = browser.new_context(
        service_workers="block", bypass_csp=True, viewport={"width": 390, "height": 844}
    )
    yield ctx.new_page()
    ctx.close()


def test_axe_finds_nothing_before_an_answer_and_with_answers_from_the_screening(axe_page, base_url):
    page = axe_page
    ready(page, base_url, "risk-assessment")
    expect(page.locator("[data-result-body]")).to_contain_text("Answer the questions")
    assert axe_violations(page) == []
    open_file(page, "#cse-open-file", "screening.json", screening_file(SCENARIOS["screening"]))
    expect(page.locator("[data-message]")).to_contain_text("came over", timeout=30_000)
    page.locator("#cse-result:not([data-level=''])").wait_for(timeout=30_000)
    assert tagged(page)
    assert axe_violations(page) == []
    ready(page, base_url, "screening")
    page.check("#q-missing_episodes-yes")
    expect(page.get_by_role("button", name="Continue to the CSE risk assessment")).to_be_visible()
    assert axe_violations(page) == []


def test_a_file_of_another_kind_is_still_refused_and_the_screen_keeps_its_content(page, base_url):
    risk_file = files.dump(
        files.answers_document(RISK, 15, {"mental_health": "yes"}, saved_at="2026-11-30T10:00:00Z")
    )
    # A risk assessment on the screening page: the screening asks fewer questions, so refused.
    ready(page, base_url, "screening")
    page.fill("#cse-age", "13")
    page.check("#q-homeless-yes")
    open_file(page, "#cse-open-file", "risk.json", risk_file)
    message = page.locator("[data-message]")
    expect(message).to_contain_text(
        "This file holds answers for the CSE risk assessment. Open it on that tool's page. "
        "Your answers on screen have not changed.",
        timeout=30_000,
    )
    expect(page.locator("#cse-age")).to_have_value("13")
    expect(page.locator("#q-homeless-yes")).to_be_checked()
    # A saved plan on the risk assessment page: refused, and nothing is marked.
    ready(page, base_url, "risk-assessment")
    page.fill("#cse-age", "13")
    page.check("#q-isolated-yes")
    plan = json.dumps({"format": "cse-tools/safety-plan", "version": 2, "tool": "risk-assessment"})
    open_file(page, "#cse-open-file", "plan.json", plan)
    expect(message).to_contain_text("This file cannot be opened", timeout=30_000)
    expect(message).to_contain_text("Your answers on screen have not changed.")
    expect(page.locator("#cse-age")).to_have_value("13")
    expect(page.locator("#q-isolated-yes")).to_be_checked()
    assert tagged(page) == []


# --- the result in plain words -------------------------------------------------------------------


def result_text(page) -> str:
    return flat(page.locator("[data-result-body]").inner_text())


def test_one_name_for_the_level_and_next_steps_with_who_and_by_when(page, base_url):
    for tool in ("screening", "risk-assessment"):
        ready(page, base_url, tool)
        page.fill("#cse-age", "14")
        for question, answer in CATEGORY_2.items():
            page.check(f"#q-{question}-{answer}")
        page.locator("#cse-result[data-level='2']").wait_for(timeout=30_000)
        level = CATALOG[tool].level(2)
        expect(page.locator(".cse-result__level")).to_contain_text(f"Category 2: {level.name}")
        text = result_text(page)
        assert "Level 2" not in text and "Category 2 - " not in text, tool
        steps = page.locator(".cse-next-steps li")
        shown = [flat(t) for t in steps.all_inner_texts()]
        wanted = level.next_steps(tool)
        assert len(shown) == len(wanted), tool
        for line, step in zip(shown, wanted):
            assert step.action in line and f"Who: {step.who}." in line, line
            assert f"By when: {step.by_when}." in line, line
        # The risk assessment never tells its user to complete the risk assessment.
        completes = "Complete the full risk assessment" in text
        assert completes == (tool == "screening"), tool


def test_protective_factors_only_where_the_tool_asks_them(page, base_url):
    for tool, asks in (("screening", False), ("risk-assessment", True)):
        ready(page, base_url, tool)
        page.check("#q-missing_episodes-yes")
        page.locator("#cse-result[data-level='1']").wait_for(timeout=30_000)
        expect(page.locator(".cse-result__protective")).to_have_count(1 if asks else 0)
        assert ("Protective factors" in result_text(page)) == asks, tool


def test_no_category_before_the_first_answer(page, base_url):
    for tool in ("screening", "risk-assessment"):
        ready(page, base_url, tool)
        body = page.locator("[data-result-body]")
        expect(body).to_contain_text("Answer the questions to see a result", timeout=30_000)
        text = result_text(page)
        assert "No category" not in text and "Category" not in text, tool
        # Still the judgement and the immediate-danger text every result carries.
        tool_def = CATALOG[tool]
        assert flat(tool_def.emergency_note) in text and flat(tool_def.judgement_note) in text
        expect(page.locator("[data-summary]")).to_be_hidden()
        page.check("#q-homeless-no")
        expect(page.locator(".cse-result__level")).to_have_text(re.compile("^No category"))


def test_a_gap_is_filed_under_the_section_of_the_form(page, base_url):
    # At 12, sexual activity counts as a sign of harm, but the form asks it among the risk
    # indicators: the gaps list puts it there too.
    ready(page, base_url, "screening")
    page.fill("#cse-age", "12")
    page.check("#q-homeless-no")
    page.locator("#cse-result[data-level='0']").wait_for(timeout=30_000)
    statement = SCREENING.question("sexual_activity").text
    form_section = page.evaluate(
        "() => document.querySelector(\"[data-question='sexual_activity']\").closest('[data-section]')"
        ".querySelector('legend').textContent.trim()"
    )
    assert form_section == "Risk indicators"
    assert statement in page.locator(".cse-gaps--risk_indicator").inner_text()
    assert statement not in page.locator(".cse-gaps--sign_of_harm").inner_text()


@pytest.mark.parametrize("tool", ["screening", "risk-assessment"])
def test_the_result_and_category_are_on_page_1_of_the_printout(page, base_url, tool):
    ready(page, base_url, tool)
    scenario = SCENARIOS[tool]
    fill(page, scenario)
    page.locator("#cse-result:not([data-level=''])").wait_for(timeout=30_000)
    level = int(page.locator("#cse-result").get_attribute("data-level"))
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(reader.pages) > 1
    first = flat(reader.pages[0].extract_text() or "")
    label = CATALOG[tool].level(level).label
    assert f"Result: {label}" in first, first[:600]
