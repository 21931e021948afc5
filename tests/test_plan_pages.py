"""The safety plan and disruption plan pages in Chromium: a plan drafted from an assessment on the
same device (window.open + postMessage, no storage), editing rows, print, save/reload/open, files
that must be refused, and privacy (nothing sent, nothing stored)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from playwright.sync_api import expect

from helpers import watch_page
from helpers import MARKER, SCENARIOS, assert_private, cli, fill, open_file, pdf_text, today_words

pytestmark = pytest.mark.browser

PLAN_STATE = """() => {
    const form = document.querySelector('#cse-plan-form');
    const rows = Array.from(form.querySelectorAll('tr[data-row]')).map(row => {
        const part = name => row.querySelector(`[data-part="${name}"]`);
        return {risk: row.dataset.risk, risk_text: part('risk_text').value, action: part('action').value,
                lead_agency: part('lead_agency').value, due: part('due').value, review: part('review').value,
                done: part('done').checked, notes: part('notes').value};
    });
    const tactics = Array.from(form.querySelectorAll('[data-tactic]')).map(node => {
        const part = name => node.querySelector(`[data-part="${name}"]`);
        return {id: node.dataset.tactic, checked: part('checked').checked, owner: part('owner').value,
                date: part('date').value, done: part('done').checked, notes: part('notes').value};
    });
    const fields = {};
    for (const el of form.querySelectorAll('[data-field]')) fields[el.dataset.field] = el.value;
    return {rows, tactics, fields};
}"""


def state(page) -> dict:
    return page.evaluate(PLAN_STATE)


def wait_ready(page) -> None:
    page.locator("[data-progress][data-state='ready']").wait_for(state="attached", timeout=60_000)


def test_safety_plan_from_an_assessment_edit_print_save_reload_open(
    plan_context, base_url, tmp_path
):
    scenario = SCENARIOS["risk-assessment"]
    expected = cli(
        "plan",
        "risk-assessment",
        {"age": scenario["age"], "answers": scenario["answers"], "facts": scenario["facts"]},
    )
    assert len(expected["rows"]) >= 3
    page = plan_context.new_page()
    watch = watch_page(page, base_url)  # watches the whole context, the plan's tab included
    page.goto(base_url + "tools/risk-assessment/")
    fill(page, scenario)
    page.locator("#cse-result[data-level='3']").wait_for(timeout=60_000)

    # The assessment page opens the plan, which asks for the answers by postMessage.
    with plan_context.expect_page() as opened:
        page.get_by_role("button", name="Start a safety plan from this assessment").click()
    plan = opened.value
    # The plan's tab has its own error listeners (watch_page's requests cover the whole context).
    plan.on("pageerror", lambda exc: watch.page_errors.append(f"plan tab: {exc}"))
    plan.on(
        "console",
        lambda msg: (
            watch.console_errors.append(f"plan tab: {msg.text}") if msg.type == "error" else None
        ),
    )
    rows = plan.locator("tr[data-row]")
    expect(rows).to_have_count(len(expected["rows"]), timeout=60_000)
    # A long plan is drawn in batches, its boxes and case header filled after: wait for the draft.
    expect(plan.locator("[data-message]")).to_contain_text("Drafted from", timeout=60_000)
    drafted = state(plan)
    assert [r["risk"] for r in drafted["rows"]] == [r["risk"] for r in expected["rows"]]
    assert [r["action"] for r in drafted["rows"]] == [r["action"] for r in expected["rows"]]
    assert [r["due"] for r in drafted["rows"]] == [r["due"] for r in expected["rows"]]
    # The facts recorded at the assessment start the notes of their row.
    assert [r["notes"] for r in drafted["rows"]] == [r["notes"] for r in expected["rows"]]
    missing = next(r for r in drafted["rows"] if r["risk"] == "missing_episodes")
    assert (
        "2 nights, found in a flat in Leeds" in missing["notes"]
        and "return home interview" in missing["notes"]
    )
    # The case header comes across too, each field to its own name (not the date: a plan has its
    # own, today in the browser's local date).
    header = plan.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('[data-case]')]"
        ".map(f => [f.dataset.case, f.value]))"
    )
    for key in ("reference", "practitioner", "agency"):
        assert header[key] == scenario["case"][key], key
    today = plan.evaluate(
        "() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]"
        ".map((n, i) => String(n).padStart(i ? 2 : 4, '0')).join('-'); }"
    )
    assert header["age"] == str(scenario["age"]) and header["date"] == today
    assert header["lead_professional"] == "", "the practitioner is not made the lead professional"
    plan.fill("#case-chair", "Ms Lee, team manager")
    assert drafted["fields"]["next_review_meeting"] == expected["next_review_meeting"]
    expect(plan.locator("[data-immediate]")).to_be_visible()
    assert plan.url.endswith("/tools/safety-plan/"), "the hash is dropped once the answers arrived"

    # Edit a row, add a row, remove a row; a date in the past is marked overdue.
    first = rows.nth(0)
    first.locator('[data-part="action"]').fill(f"Weekly visits agreed. {MARKER}")
    first.locator('[data-part="lead_agency"]').fill("Police (DC Example)")
    first.locator('[data-part="due"]').fill("2020-01-02")
    expect(first.locator("[data-overdue]")).to_contain_text("Overdue")
    removed_risk = drafted["rows"][1]["risk"]
    plan.get_by_role("button", name="Remove row 2").click()
    expect(rows).to_have_count(len(expected["rows"]) - 1)
    plan.get_by_role("button", name="Add a row").click()
    added = rows.last
    added.locator('[data-part="risk_text"]').fill("Contact with a man called Dee on the bus")
    plan.get_by_role("button", name="Save plan to file").click()  # an incomplete row stops the save
    expect(plan.locator("[data-message]")).to_contain_text(
        f"Row {len(expected['rows'])} needs the agreed action, the lead agency, the date due, the review date"
    )
    added.locator('[data-part="action"]').fill("Bus company to share CCTV")
    added.locator('[data-part="lead_agency"]').fill("Police")
    added.locator('[data-part="due"]').fill("2031-05-06")
    added.locator('[data-part="review"]').fill("2031-05-20")
    plan.fill("#plan-child-views", "I want to stay at my aunt's.")
    plan.fill("#plan-family-views", "Mum wants more help at weekends.")
    plan.fill("#plan-missing-contacts", "Aunt first, then police on 101.")
    edited = state(plan)
    assert removed_risk not in [r["risk"] for r in edited["rows"]]
    assert len(edited["rows"]) == len(expected["rows"])

    # Print.
    printed = pdf_text(plan)
    unwrapped = re.sub(r"-\s+", "-", printed)  # narrow table cells break lines after hyphens
    for text in (
        MARKER,
        "Contact with a man called Dee on the bus",
        "I want to stay at my aunt's.",
        "Aunt first, then police on 101.",
        today_words(dt.date.today()),
        "Overdue",
    ):
        assert text in unwrapped, text
    assert "Save plan to file" not in printed

    # Save, reload (the plan is gone: nothing was stored), open the file: the plan is back.
    with plan.expect_download() as download:
        plan.get_by_role("button", name="Save plan to file").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    doc = json.loads(saved.read_text())
    assert doc["format"] == "cse-tools/safety-plan" and len(doc["rows"]) == len(edited["rows"])
    assert doc["case"] == {
        "reference": scenario["case"]["reference"],
        "age": scenario["age"],
        "date": today,
        "practitioner": scenario["case"]["practitioner"],
        "agency": scenario["case"]["agency"],
        "chair": "Ms Lee, team manager",
    }
    plan.reload()
    wait_ready(plan)
    expect(rows).to_have_count(0)
    assert MARKER not in plan.content()
    plan.set_input_files("#cse-open-plan", str(saved))
    # Rows are drawn in batches and the plan's boxes filled after them: wait until it is open.
    expect(plan.locator("[data-message]")).to_contain_text("Opened the plan", timeout=60_000)
    expect(rows).to_have_count(len(edited["rows"]))
    assert state(plan) == edited
    assert plan.locator("#case-chair").input_value() == "Ms Lee, team manager"
    assert plan.locator("#case-reference").input_value() == scenario["case"]["reference"]
    expect(rows.nth(0).locator("[data-overdue]")).to_contain_text("Overdue")

    # Refused files: a wrong version and a missing field; the screen keeps its content.
    message = plan.locator("[data-message]")
    wrong_version = dict(doc, version=4)
    missing_field = {k: v for k, v in doc.items() if k != "child_views"}
    for name, bad, words in (
        ("v4.json", wrong_version, "version"),
        ("missing.json", missing_field, "child_views"),
        ("junk.json", {"hello": 1}, "not a saved CSE tool file"),
    ):
        open_file(plan, "#cse-open-plan", name, json.dumps(bad))
        expect(message).to_contain_text("cannot be opened")
        expect(message).to_contain_text(words)
        assert state(plan) == edited
    # An assessment file is not a plan, and a plan is not an assessment.
    open_file(plan, "#cse-open-assessment", "plan.json", saved.read_text())
    expect(message).to_contain_text("not a saved answers file")
    assert state(plan) == edited

    for pg in (page, plan):
        assert_private(
            pg,
            plan_context,
            watch,
            [MARKER, "missing_episodes", "coercion_violence", "Dee on the bus"],
            [MARKER, "Dee on the bus"],
        )
    assert watch.page_errors == []
    assert [e for e in watch.console_errors if e.startswith("plan tab")] == []


def test_safety_plan_from_a_saved_assessment_file(page, base_url):
    scenario = SCENARIOS["screening"]
    expected = cli("plan", "screening", {"age": scenario["age"], "answers": scenario["answers"]})
    doc = cli("assess", "screening", {"age": 14, "answers": {}})  # just to prove the CLI works here
    assert doc["provisional"]
    answers_file = {
        "format": "cse-tools/answers",
        "version": 1,
        "tool": "screening",
        "tool_version": 1,
        "saved_at": "2030-01-01T10:00:00Z",
        "age": scenario["age"],
        "answers": scenario["answers"],
        "notes": {},
        "review_date": None,
    }
    page.goto(base_url + "tools/safety-plan/")
    wait_ready(page)
    open_file(page, "#cse-open-assessment", "answers.json", json.dumps(answers_file))
    rows = page.locator("tr[data-row]")
    expect(rows).to_have_count(len(expected["rows"]))
    assert [r["risk"] for r in state(page)["rows"]] == [r["risk"] for r in expected["rows"]]
    expect(page.locator("[data-plan-source]")).to_contain_text(expected["label"])
    # The level has one name ("Category 2: significant risk"), never "level 2, Category 2".
    assert "level " not in page.locator("[data-plan-source]").inner_text().lower()
    assert page.watch.foreign_requests() == []


def test_disruption_plan_round_trip_and_privacy(plan_context, base_url, tmp_path):
    page = plan_context.new_page()
    watch = watch_page(page, base_url)
    page.goto(base_url + "tools/disruption-plan/")
    wait_ready(page)
    tactics = page.locator("[data-tactic]")
    assert tactics.count() >= 5
    first, second = tactics.nth(0), tactics.nth(2)
    first.locator('[data-part="checked"]').check()
    first.locator('[data-part="owner"]').fill("DS Example, police")
    first.locator('[data-part="date"]').fill("2031-03-04")
    second.locator('[data-part="checked"]').check()
    second.locator('[data-part="date"]').fill("2020-02-03")
    second.locator('[data-part="notes"]').fill("Manager briefed")
    expect(second.locator("[data-overdue]")).to_contain_text("Overdue")
    locations = (
        f'Flat 2, 14 Mill St — "the den" <b>not bold</b>\n  car park behind the chip shop  {MARKER}'
    )
    people = '"Jay" (maybe Jason), blue Audi, 07700 900123\n\tand his cousin'
    page.fill("#plan-locations", locations)
    page.fill("#plan-people", people)
    page.fill("#plan-next-review", "2031-04-01")
    page.fill("#case-chair", "DI Example")
    page.fill("#case-meeting-date", "2031-03-01")
    filled = state(page)
    assert filled["fields"]["locations"] == locations and filled["fields"]["people"] == people

    printed = pdf_text(page)
    assert MARKER in printed and "DS Example, police" in printed and "Manager briefed" in printed

    with page.expect_download() as download:
        page.get_by_role("button", name="Save plan to file").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    doc = json.loads(saved.read_text())
    assert doc["format"] == "cse-tools/disruption-plan"
    assert doc["locations"] == locations and doc["people"] == people
    assert doc["case"] == {"meeting_date": "2031-03-01", "chair": "DI Example"}
    assert [t["id"] for t in doc["tactics"] if t["checked"]] == [
        filled["tactics"][0]["id"],
        filled["tactics"][2]["id"],
    ]

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear all").click()
    cleared = state(page)
    assert cleared["fields"]["locations"] == "" and not any(
        t["checked"] for t in cleared["tactics"]
    )
    page.set_input_files("#cse-open-plan", str(saved))
    expect(page.locator("#plan-locations")).to_have_value(locations)
    assert state(page) == filled
    expect(page.locator("#case-chair")).to_have_value("DI Example")
    expect(page.locator("#case-meeting-date")).to_have_value("2031-03-01")

    # A safety plan file, and a file with a wrong version, are refused; the screen keeps its content.
    message = page.locator("[data-message]")
    open_file(page, "#cse-open-plan", "v9.json", json.dumps(dict(doc, version=9)))
    expect(message).to_contain_text("version")
    assert state(page) == filled
    safety = {
        "format": "cse-tools/safety-plan",
        "version": 1,
        "tool": "screening",
        "rows": [],
        "child_views": "",
        "family_views": "",
        "protective_factors": [],
        "missing_contacts": "",
        "next_review_meeting": None,
    }
    open_file(page, "#cse-open-plan", "safety.json", json.dumps(safety))
    expect(message).to_contain_text("safety plan page")
    assert state(page) == filled

    assert_private(page, plan_context, watch, [MARKER, "Mill St", "07700"])
    assert watch.page_errors == []


def test_a_plan_opened_before_python_is_ready_is_kept(browser, base_url):
    """The file is checked once Python is ready, and the blank plan Python then drafts must not
    replace it. The tools wheel is held back until the file has been chosen."""
    ctx = browser.new_context(service_workers="block")  # page.route sees every request
    try:
        page = ctx.new_page()
        held = []
        page.route("**/assets/wheels/*.whl", lambda route: held.append(route))
        page.goto(base_url + "tools/disruption-plan/")
        plan = json.loads(
            json.dumps(
                {
                    "format": "cse-tools/disruption-plan",
                    "version": 1,
                    "tool": "disruption-tactics",
                    "saved_at": "2030-01-02T10:00:00Z",
                    "tactics": [
                        {
                            "id": "abduction_warning_notice",
                            "checked": True,
                            "owner": "PC Shah",
                            "date": "2031-01-01",
                            "done": False,
                            "notes": "Serve it",
                        }
                    ],
                    "locations": f"Bus station {MARKER}",
                    "people": "Jay",
                    "next_review_meeting": None,
                }
            )
        )
        for _ in range(600):
            if held:
                break
            page.wait_for_timeout(100)
        assert held, "the wheel was never requested"
        assert page.locator("[data-progress]").get_attribute("data-state") == "loading"
        open_file(page, "#cse-open-plan", "plan.json", json.dumps(plan))
        held[0].continue_()
        wait_ready(page)
        expect(page.locator("[data-message]")).to_contain_text(
            "Opened the plan saved on 2 January 2030"
        )
        page.wait_for_timeout(500)  # the blank plan's reply, had it been used, has arrived by now
        expect(page.locator("#plan-locations")).to_have_value(f"Bus station {MARKER}")
        first = next(t for t in state(page)["tactics"] if t["id"] == "abduction_warning_notice")
        assert first["checked"] and first["owner"] == "PC Shah" and first["notes"] == "Serve it"
    finally:
        ctx.close()


def test_adding_rows_stops_at_the_limit_with_a_plain_message(page, base_url):
    page.goto(base_url + "tools/safety-plan/")
    limit = int(page.locator("tbody[data-rows]").get_attribute("data-max-rows"))
    from cse_tools.files import MAX_ROWS

    assert limit == MAX_ROWS
    page.locator("tbody[data-rows]").evaluate(
        "body => { body.dataset.maxRows = '2'; }"
    )  # reach it quickly
    for _ in range(3):
        page.get_by_role("button", name="Add a row").click()
    expect(page.locator("tr[data-row]")).to_have_count(2)
    expect(page.locator("[data-message]")).to_contain_text(
        "already has 2 rows, the most a plan can hold"
    )
    # Rows made by the page keep typed text from spelling services too.
    for field in page.locator("tr[data-row] textarea, tr[data-row] input[type=text]").all():
        assert (
            field.get_attribute("spellcheck") == "false"
            and field.get_attribute("autocorrect") == "off"
        )
