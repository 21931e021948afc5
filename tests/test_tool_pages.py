"""The screening and risk assessment pages in Chromium: scoring in the browser (same level as the
command line), print, save/open/clear, bad files and bad answers, keyboard use, and privacy (no
request to anyone, nothing sent or stored)."""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest
from playwright.sync_api import expect

from helpers import real_context, watch_page
from macros.build import wheel_name
from cse_tools.catalog import default_catalog
from cse_tools.engine import answer_label
from cse_tools.files import FILE_VERSION
from helpers import (
    MARKER,
    SCENARIOS,
    TIMINGS,
    assert_private,
    cli,
    fill,
    flat,
    open_file,
    pdf_text,
    screen_state,
    statement,
    today_words,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def tool_context(real_browser):
    """As a reader's browser is: service workers allowed, back/forward cache on."""
    ctx = real_context(real_browser, accept_downloads=True)
    yield ctx
    ctx.close()


@pytest.mark.parametrize("tool_id", ["screening", "risk-assessment"])
def test_tool_page_scores_prints_saves_and_keeps_everything_on_the_device(
    tool_context, base_url, tmp_path, tool_id
):
    scenario = SCENARIOS[tool_id]
    expected = cli(
        "assess",
        tool_id,
        {k: v for k, v in scenario.items() if k != "case" and (k != "notes" or v)},
    )
    assert expected["level"] in (2, 3)
    tool = default_catalog()[tool_id]
    page = tool_context.new_page()
    watch = watch_page(page, base_url)
    result = page.locator("#cse-result")

    # The form takes answers at once, while Python is still starting.
    started = time.monotonic()
    page.goto(base_url + f"tools/{tool_id}/", wait_until="domcontentloaded")
    fill(page, scenario)
    assert page.locator("[data-progress]").get_attribute("data-state") == "loading"
    assert result.get_attribute("data-level") == ""
    expect(page.locator("[data-progress-text]")).to_contain_text("step")
    result.and_(page.locator(f"[data-level='{expected['level']}']")).wait_for(timeout=60_000)
    TIMINGS[tool_id] = time.monotonic() - started
    print(f"\n{tool_id}: first result {TIMINGS[tool_id]:.1f} s after navigation")
    requests_when_ready = len(watch.requests)

    # The same level as the command line, with everything a result must show.
    text = flat(result.inner_text())
    assert expected["label"] in text
    assert flat(tool.judgement_note) in text and flat(tool.emergency_note) in text
    for reason in expected["reasons"]:
        assert flat(reason["text"]) in text
    if expected["immediate_action"]:
        expect(page.locator("[data-immediate]")).to_contain_text(
            flat(expected["immediate_action"])[:60]
        )
    assert ("provisional" in text) == expected["provisional"]
    # Either the rule that set the level or the score's band, never a score line that contradicts it.
    if expected["set_by_rule"]:
        assert flat(expected["set_by_rule"]["text"]) in text and "Score " not in text
    else:
        assert expected["score_line"] in text
    if expected["prompt"]:
        assert flat(expected["prompt"]) in text
    # the static notes are in the page too (no JavaScript needed)
    expect(page.locator("[data-static-notes]")).to_contain_text("999")
    before = screen_state(page)

    # A bad age: a plain message next to the field; every answer stays.
    for bad in ("25", "abc"):
        page.fill("#cse-age", bad)
        expect(page.locator("#error-age")).to_be_visible()
        expect(page.locator("#error-age")).to_contain_text("0 to 17")
        assert screen_state(page)["answers"] == before["answers"]
        assert page.locator("#cse-age").input_value() == bad
    page.fill("#cse-age", str(scenario["age"]))
    result.and_(page.locator(f"[data-level='{expected['level']}']")).wait_for()
    expect(page.locator("#error-age")).to_be_hidden()

    # Print: the answers, the narrative, the result and today's date.
    printed = pdf_text(page)
    today = dt.date.today()
    assert today_words(today) in printed and today.isoformat() in printed
    assert flat(expected["label"]) in printed
    for reason in expected["reasons"]:
        assert flat(reason["text"])[:50] in printed
    for question, answer in scenario["answers"].items():
        q = flat(statement(tool.question(question)))  # on paper a risk reads as its statement
        label = flat(
            answer_label(tool, tool.question(question), answer)
        )  # protective factors: plain "Yes"
        assert re.search(re.escape(q) + r".{0,260}?" + re.escape(label), printed), (
            question,
            answer,
        )
    for note in scenario["notes"].values():
        assert flat(note) in printed
    for facts in scenario["facts"].values():  # the recorded facts print in full
        for value in facts.values():
            assert flat(value) in printed, value
    assert "Save to file" not in printed and "Loading the tools" not in printed

    # Save, clear all, open: the answers come back.
    with page.expect_download() as download:
        page.get_by_role("button", name="Save to file").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    doc = json.loads(saved.read_text())
    assert doc["answers"] == {k: v for k, v in scenario["answers"].items()}
    assert doc["age"] == scenario["age"]
    assert (
        doc["version"] == FILE_VERSION
        and doc["facts"] == scenario["facts"]
        and doc["case"] == scenario["case"]
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear all").click()
    expect(page.locator("#cse-form input[type=radio]:checked")).to_have_count(0)
    assert page.locator("#cse-age").input_value() == ""
    cleared = screen_state(page)
    assert all(v == "" for part in ("notes", "case", "facts") for v in cleared[part].values()), (
        cleared
    )
    page.set_input_files("#cse-open-file", str(saved))
    result.and_(page.locator(f"[data-level='{expected['level']}']")).wait_for()
    restored = screen_state(page)
    assert restored == before
    for question, answer in list(scenario["answers"].items())[:4]:
        expect(page.locator(f"#q-{question}-{answer}")).to_be_checked()

    # Corrupt and foreign files: a plain message, and the answers on screen stay as they were.
    message = page.locator("[data-message]")
    for name, content, words in (
        ("broken.json", "{not json", "could not be read as JSON"),
        ("other.json", '{"hello": 1}', "not a saved CSE tool file"),
        ("binary.json", b"\x00\xff\x10garbage", "characters that cannot be read"),
        ("huge.json", b" " * 2_000_001, "too big"),
    ):
        open_file(page, "#cse-open-file", name, content)
        expect(message).to_contain_text("cannot be opened")
        expect(message).to_contain_text(words)
        assert screen_state(page) == before
    assert result.get_attribute("data-level") == str(expected["level"])

    # Nothing left the device and nothing stayed behind.
    secrets = (
        [MARKER, *scenario["answers"].keys()]
        if scenario["notes"]
        else list(scenario["answers"].keys())
    )
    assert_private(page, tool_context, watch, secrets, [MARKER] if scenario["notes"] else [])
    # The request listener sees the tools worker's own requests: the wheel is fetched by it.
    assert any(url.endswith("/" + wheel_name()) for _m, url, _b in watch.requests), (
        "the wheel request was not seen"
    )
    # After the tools are ready the page itself asks for nothing more. The service worker (it
    # registers once Python has started) fetches the site's own files for the offline copy.
    later = [
        url
        for _m, url, _b in watch.requests[requests_when_ready:]
        if not url.startswith(("blob:", "data:"))
        and url not in watch.service_worker_requests
        and url != base_url + "sw.js"
    ]
    assert later == [], f"requests after the tools were ready: {later}"
    assert watch.page_errors == []
    page.close()


def test_keyboard_only_screening(page, base_url):
    """Tab to the age, type it, then answer every question with Space and the arrow keys."""
    tool = default_catalog()["screening"]
    wanted = {
        "missing_episodes": "yes",
        "unexplained_gifts": "yes",
        "looked_after": "yes",
        "older_partner": "past",
    }
    page.goto(base_url + "tools/screening/")
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == "cse-age":
            break
    else:
        pytest.fail("Tab never reached the age field")
    page.keyboard.type("14")
    # Until a question is answered yes or longer ago its fact boxes are out of the way.
    for group in page.locator("[data-facts]").all():
        expect(group).to_be_hidden()
    # The rest of the case header (date, practitioner, agency) comes next; type the practitioner.
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "case-practitioner":
            page.keyboard.type("A. Teacher")
        if page.evaluate("() => document.activeElement.id") == "case-agency":
            break
    else:
        pytest.fail("Tab never reached the agency field")
    assert page.locator("#case-practitioner").input_value() == "A. Teacher"
    answers = {}
    for _section, question in tool.questions():
        page.keyboard.press("Tab")
        focused = page.evaluate("() => [document.activeElement.name, document.activeElement.type]")
        assert focused == [question.id, "radio"]
        choices = (
            ["yes", "past", "no", "unknown"] if question.time_window else ["yes", "no", "unknown"]
        )
        answer = wanted.get(question.id, "no")
        index = choices.index(answer)
        if index == 0:
            page.keyboard.press("Space")
        for _ in range(index):
            page.keyboard.press("ArrowDown")
        answers[question.id] = answer
        # Answered yes or longer ago, a question's recorded facts come next, in order; type into
        # the text boxes. Answered no, they stay out of the way.
        if question.facts and answer in ("yes", "past"):
            for fact in question.facts:
                page.keyboard.press("Tab")
                focused = page.evaluate("() => document.activeElement.name")
                assert focused == f"facts.{question.id}.{fact.id}"
                if not fact.choices:
                    page.keyboard.type(f"typed {fact.id}")
    assert screen_state(page)["answers"] == answers
    typed = {k: v for k, v in screen_state(page)["facts"].items() if v}
    assert typed == {
        f"{q.id}.{f.id}": f"typed {f.id}"
        for q in (tool.question("missing_episodes"), tool.question("older_partner"))
        for f in q.facts
        if not f.choices
    }
    expected = cli("assess", "screening", {"age": 14, "answers": answers})
    result = page.locator("#cse-result")
    result.and_(page.locator(f"[data-level='{expected['level']}']")).wait_for(timeout=60_000)
    text = flat(result.inner_text())
    assert expected["label"] in text
    assert "provisional" not in text
    assert expected["level"] == 2
    assert page.watch.foreign_requests() == []


def test_without_webassembly_the_page_says_so_and_the_form_still_prints(browser, base_url):
    """A browser that cannot run the tools: a plain message; answering and printing still work."""
    ctx = browser.new_context(
        service_workers="block"
    )  # this test is about WebAssembly, not privacy
    try:
        ctx.add_init_script("delete globalThis.WebAssembly;")
        page = ctx.new_page()
        page.goto(base_url + "tools/screening/")
        status = page.locator("[data-progress-text]")
        expect(status).to_contain_text("could not start in this browser")
        expect(status).to_contain_text("fill in this form and print it")
        assert page.locator("#cse-result").get_attribute("data-level") == ""
        expect(page.get_by_role("button", name="Save to file")).to_be_hidden()
        expect(page.get_by_role("button", name="Print")).to_be_visible()
        page.fill("#cse-age", "13")
        page.check("#q-injuries-yes")
        printed = pdf_text(page)
        assert flat(statement(default_catalog()["screening"].question("injuries"))) in printed
        assert "Yes, now or in the last 6 months" in printed
        assert "call 999" in printed
    finally:
        ctx.close()
