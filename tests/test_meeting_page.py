"""The multi-agency meeting page in Chromium: three agencies' files opened at once (and a bad one),
a disagreement resolved, the record printed to PDF and read back, saved, reopened: the same record.
Also: files about different children wait for the chair's tick, and nothing leaves the device."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from helpers import real_context, watch_page
from helpers import assert_private, pdf_text
from test_meeting import health, police, school
from test_tool_ui import assert_no_violations, axe_counts, ui_context  # noqa: F401 - ui_context is a fixture

pytestmark = pytest.mark.browser

MARKER = "Meeting-Marker-Kw52"
RECORD_STATE = """() => {
    const form = document.querySelector('#cse-meeting-form');
    const rows = (sel, parts) => Array.from(form.querySelectorAll(sel + ' tr')).map(row =>
        Object.fromEntries(parts.map(p => [p, row.querySelector(`[data-part="${p}"]`).value])));
    const value = name => form.querySelector(`[data-record-field="${name}"]`).value;
    const outcome = form.querySelector('[data-record-field="outcome"]:checked');
    const resolutions = {};
    form.querySelectorAll('[data-resolution]').forEach(a => { resolutions[a.dataset.resolution] = a.value; });
    return {date: value('date'), chair: value('chair'), agreed: value('agreed_level'), reason: value('reason'),
            decisions: value('decisions'), outcome: outcome ? outcome.value : null, resolutions,
            attendees: rows('[data-attendees]', ['agency', 'role']),
            actions: rows('[data-record-actions]', ['action', 'owner', 'due']),
            agencies: Array.from(document.querySelectorAll('[data-agencies] tr')).map(tr => tr.innerText),
            combined: document.querySelector('[data-combined]').innerText,
            review: document.querySelector('[data-next-review]').textContent};
}"""


def wait_ready(page) -> None:
    page.locator("[data-progress][data-state='ready']").wait_for(state="attached", timeout=90_000)


def choose(page, named: list[tuple[str, str]]) -> None:
    page.set_input_files(
        "#meeting-files",
        files=[{"name": n, "mimeType": "application/json", "buffer": t.encode()} for n, t in named],
    )


@pytest.fixture
def meeting_context(real_browser):
    ctx = real_context(real_browser, accept_downloads=True)
    yield ctx
    ctx.close()


def test_three_agencies_resolve_print_save_reopen(meeting_context, base_url):
    page = meeting_context.new_page()
    watch = watch_page(page, base_url)
    page.goto(base_url + "tools/meeting/")
    wait_ready(page)
    choose(page, [school(), police(), health(), ("notes.txt", "not a saved file")])
    expect(page.locator("[data-picture]")).to_be_visible(timeout=30_000)
    expect(page.locator("[data-skipped-list]")).to_contain_text(
        "notes.txt: This file is not a saved CSE tool file."
    )
    agencies = page.locator("[data-agencies] tr")
    expect(agencies).to_have_count(3)
    expect(agencies.nth(1)).to_contain_text("Police")
    expect(agencies.nth(1)).to_contain_text("Category 3")
    expect(page.locator("[data-combined]")).to_contain_text(
        "Combined result: Category 3: serious risk"
    )
    expect(page.locator("[data-combined]")).to_contain_text("Set by a rule")
    # Disagreements first: the levels, then the two questions where yes met no.
    blocks = page.locator("[data-disagreement]")
    expect(blocks).to_have_count(3)
    assert blocks.nth(0).get_attribute("data-disagreement") == "level"
    older = page.locator('[data-disagreement="older_partner"]')
    expect(older).to_contain_text("Riverside Academy: No")
    expect(older).to_contain_text("Police: Yes, now or in the last 6 months")
    older.locator("textarea").fill(
        f"School had not been told; police intelligence confirmed. {MARKER}"
    )
    expect(page.locator('[data-unknown] [data-question="disclosure"]')).to_have_count(1)
    expect(page.locator('[data-unknown] [data-question="missing_episodes"]')).to_have_count(0)
    # The meeting record.
    page.fill("#meeting-date", "2026-12-02")
    page.fill("#meeting-chair", "Independent chair, children's social care")
    page.get_by_role("button", name="Add an attendee").click()
    row = page.locator("[data-attendees] tr").last
    row.locator('[data-part="agency"]').fill("Police")
    row.locator('[data-part="role"]').fill("Detective sergeant")
    page.fill("#meeting-decisions", "Refer to the exploitation meeting; safety plan today.")
    page.get_by_role("button", name="Add an action").click()
    action = page.locator("[data-record-actions] tr").last
    action.locator('[data-part="action"]').fill("Return home interview after each missing episode")
    action.locator('[data-part="owner"]').fill("Children's social care")
    action.locator('[data-part="due"]').fill("2026-12-04")
    page.check("#meeting-outcome-exploitation_meeting")
    # A different category needs a reason: the page says so, and Save refuses.
    page.select_option("#meeting-agreed", "2")
    expect(page.locator("[data-next-review]")).to_contain_text("Give the reason")
    page.get_by_role("button", name="Save meeting file").click()
    expect(page.locator("[data-message]")).to_contain_text("Give the reason")
    page.select_option("#meeting-agreed", "")
    expect(page.locator("[data-next-review]")).to_contain_text("9 December 2026")
    before = page.evaluate(RECORD_STATE)

    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    text = pdf_text(page)
    page.emulate_media(media="screen")
    for needle in (
        "Multi-agency meeting record",
        "Case reference RC-1042",
        "Riverside Academy",
        "Police",
        "Health",
        "Combined result: Category 3: serious risk",
        "School had not been told",
        "Detective sergeant",
        "2 December 2026",
        "4 December 2026",
        "Next review: 9 December 2026",
        "Return home interview after each missing episode",
        "notes.txt",
    ):
        assert needle in text, needle
    for instruction in (
        "Or drop the saved files here",
        "Names are not needed",
        "Open saved files",
        "Save meeting file",
    ):
        assert instruction not in text, instruction
    assert "2026-12-04" not in text and "2026-11-25" not in text  # en-GB dates on paper

    with page.expect_download() as info:
        page.get_by_role("button", name="Save meeting file").click()
    saved = info.value
    assert saved.suggested_filename == "cse-meeting-2026-12-02.json"
    content = open(saved.path(), encoding="utf-8").read()
    doc = json.loads(content)
    assert doc["format"] == "cse-tools/meeting" and doc["version"] == 1
    assert doc["record"]["resolutions"]["older_partner"].startswith("School had not been told")
    assert len(doc["sources"]) == 3

    with page.expect_download() as info:
        page.get_by_role("button", name="Download calendar").click()
    ics = open(info.value.path(), encoding="utf-8", newline="").read()
    assert (
        "SUMMARY:CSE review meeting - case RC-1042\r\n" in ics
        and "DTSTART;VALUE=DATE:20261204" in ics
    )
    assert MARKER not in ics and "Return home" not in ics

    page.reload()  # the page is wiped; the file brings it all back
    wait_ready(page)
    expect(page.locator("[data-picture]")).to_be_hidden()
    choose(page, [("cse-meeting-2026-12-02.json", content)])
    expect(page.locator("[data-picture]")).to_be_visible(timeout=30_000)
    expect(page.locator("[data-next-review]")).to_contain_text("9 December 2026")
    after = page.evaluate(RECORD_STATE)
    assert after == before
    assert_private(page, meeting_context, watch, [MARKER, "Detective sergeant"], [MARKER])


def test_different_children_wait_for_the_chairs_tick(meeting_context, base_url):
    from test_meeting import SCREENING, answers_file

    page = meeting_context.new_page()
    page.goto(base_url + "tools/meeting/")
    wait_ready(page)
    other = (
        "other.json",
        answers_file(SCREENING, {"disclosure": "yes"}, "Youth service", reference="RC-2000"),
    )
    choose(page, [school(), other, school()])
    box = page.locator("[data-same-child]")
    expect(box).to_be_visible(timeout=30_000)
    expect(box).to_contain_text("other.json (RC-2000)")
    expect(page.locator("[data-picture]")).to_be_hidden()
    expect(page.locator("[data-skipped-list]")).to_contain_text("opened twice")
    page.check("#meeting-same-child")
    expect(page.locator("[data-combined]")).to_contain_text("Category 3", timeout=30_000)
    expect(page.locator("[data-agencies] tr")).to_have_count(2)


def test_axe_finds_nothing_on_the_meeting_page_with_files_open(ui_context, base_url):  # noqa: F811
    counts: dict = {}
    page = ui_context.new_page()
    page.goto(base_url + "tools/meeting/")
    wait_ready(page)
    choose(page, [school(), police(), health(), ("notes.txt", "not a saved file")])
    expect(page.locator("[data-agencies] tr")).to_have_count(3, timeout=30_000)
    page.get_by_role("button", name="Add an attendee").click()
    page.get_by_role("button", name="Add an action").click()
    axe_counts(page, "meeting, three files and a bad one", counts)
    page.goto(base_url + "tools/meeting/")
    wait_ready(page)
    from test_meeting import SCREENING, answers_file

    choose(
        page,
        [
            school(),
            ("other.json", answers_file(SCREENING, {"disclosure": "yes"}, "Youth", reference="X")),
        ],
    )
    expect(page.locator("[data-same-child]")).to_be_visible(timeout=30_000)
    axe_counts(page, "meeting, different children", counts, larger_text=False)
    assert len(counts) == 5 + 4
    assert_no_violations(counts)
    page.close()


def test_without_javascript_the_record_form_prints_by_hand(browser, base_url):
    ctx = browser.new_context(java_script_enabled=False, service_workers="block")
    page = ctx.new_page()
    try:
        page.goto(base_url + "tools/meeting/")
        expect(page.locator("[data-progress-text]")).to_contain_text("needs JavaScript")
        for visible in (
            "#meeting-date",
            "#meeting-chair",
            "#meeting-agreed",
            "#meeting-decisions",
            "#meeting-outcome-escalation",
            ".cse-meeting__judgement",
            ".cse-meeting__danger",
        ):
            expect(page.locator(visible)).to_be_visible()
        for hidden in (".cse-toolbar", "[data-picture]", "[data-drop]", "[data-same-child]"):
            expect(page.locator(hidden)).to_be_hidden()
    finally:
        ctx.close()


def test_start_the_safety_plan_from_the_combined_answers(meeting_context, base_url):
    page = meeting_context.new_page()
    page.goto(base_url + "tools/meeting/")
    wait_ready(page)
    choose(page, [school(), police(), health()])
    expect(page.locator("[data-agencies] tr")).to_have_count(3, timeout=30_000)
    with meeting_context.expect_page() as info:
        page.get_by_role("button", name="Start the safety plan").click()
    plan = info.value
    expect(plan.locator("[data-message]")).to_contain_text(
        "Drafted from the assessment", timeout=90_000
    )
    risks = plan.evaluate(
        "() => Array.from(document.querySelectorAll('tr[data-row]')).map(r => r.dataset.risk)"
    )
    # the police's sign of harm, the school's missing episodes and absence, health's sexual health
    assert {
        "sex_exchange",
        "missing_episodes",
        "older_partner",
        "school_absence",
        "sexual_health",
    } <= set(risks)
    expect(plan.locator("[data-case='reference']")).to_have_value("RC-1042")
    plan.close()


LONG_TASKS = """
window.__longest = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
}).observe({ type: "longtask", buffered: true });
"""


def test_fifty_files_of_200_rows_keep_the_page_responsive(meeting_context, base_url):
    """The merge runs in the worker; drawing 50 agencies and 25 plans' actions takes no task over 1 s."""
    import importlib.util

    from helpers import ROOT

    spec = importlib.util.spec_from_file_location("bench_meeting", ROOT / "bench" / "meeting.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    page = meeting_context.new_page()
    page.add_init_script(LONG_TASKS)
    page.goto(base_url + "tools/meeting/")
    wait_ready(page)
    page.evaluate("() => { window.__longest = 0; }")  # Python's start is not the merge
    choose(page, bench.sources(50))
    expect(page.locator("[data-agencies] tr")).to_have_count(50, timeout=60_000)
    page.fill("#meeting-chair", "Chair")
    expect(page.locator("[data-next-review]")).to_contain_text("Next review:")
    assert page.evaluate("() => window.__longest") < 1000
