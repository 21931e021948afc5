"""The partnership profile page in Chromium: 40 generated files opened at once, the tables and
charts against the command line's profile of the same files, a bad file listed, and no planted
marker in the page text or the printed PDF; nothing sent, nothing stored."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from helpers import real_context, watch_page
from helpers import assert_private, pdf_text
from profile_support import child_files, marked, year_of_files

pytestmark = pytest.mark.browser
CSE_TOOLS = str(Path(sys.executable).with_name("cse-tools"))
WORDS = {"<5": "fewer than 5", "[c]": "withheld"}


def words(value) -> str:
    if isinstance(value, str) and value.startswith("~"):
        return f"about {value[1:]}"
    return WORDS.get(value, str(value))


def cli_profile(tmp_path: Path, sources) -> dict:
    folder = tmp_path / "files"
    folder.mkdir(exist_ok=True)
    for name, text in sources:
        (folder / name).write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [
            CSE_TOOLS,
            "profile",
            *sorted(str(p) for p in folder.iterdir()),
            "--today",
            dt.date.today().isoformat(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def open_files(page, sources) -> None:
    page.locator("#cse-profile-files").set_input_files(
        [
            {"name": name, "mimeType": "application/json", "buffer": text.encode()}
            for name, text in sources
        ]
    )
    page.locator("[data-result]:not([hidden])").wait_for(timeout=120_000)


def test_forty_files_tables_and_charts_match_the_command_line(real_browser, base_url, tmp_path):
    sources = year_of_files(40, seed=40) + [("broken.json", "{ not json")]
    expected = cli_profile(tmp_path, sources)
    profile_context = real_context(
        real_browser, accept_downloads=True
    )  # bfcache and service workers on
    try:
        check_forty(profile_context, base_url, sources, expected)
    finally:
        profile_context.close()


def check_forty(profile_context, base_url: str, sources, expected: dict) -> None:
    page = profile_context.new_page()
    watch = watch_page(page, base_url)
    page.goto(base_url + "tools/profile/")
    page.locator("[data-progress][data-state='ready']").wait_for(state="attached", timeout=90_000)
    open_files(page, sources)
    expect(page.locator("[data-headline]")).to_contain_text(
        f"Children: {words(expected['children'])}"
    )
    expect(page.locator("[data-skipped-list]")).to_contain_text("broken.json")
    for name in (
        "by_category",
        "by_period",
        "by_age_band",
        "movement",
        "risk_indicator",
        "actions",
        "tactics",
    ):
        table = expected[name]
        cells = page.locator(f"table[data-table='{name}'] tbody tr").evaluate_all(
            "rows => rows.map(r => Array.from(r.children).map(c => c.textContent))"
        )
        want = [
            [
                row["label"],
                *map(words, row["cells"]),
                *([words(row["total"])] if "total" in row else []),
            ]
            for row in table["rows"]
        ]
        assert cells[: len(want)] == want, name
    chart = page.locator("[data-block='by_period'] svg[role='img']")
    expect(chart.locator("title")).to_contain_text("Children by category")
    drawn = chart.locator("rect[data-value]").evaluate_all(
        "rs => rs.map(r => Number(r.dataset.value))"
    )
    shown = [
        v
        for row in expected["by_period"]["rows"]
        for v in row["cells"]
        if isinstance(v, int) and v > 0
    ]
    assert sorted(drawn) == sorted(shown)
    bars = page.locator("[data-block='risk_indicator'] svg[role='img'] rect[data-value]")
    expect(bars).to_have_count(
        sum(1 for r in expected["risk_indicator"]["rows"] if isinstance(r["cells"][0], int))
    )
    with page.expect_download() as info:
        page.locator("[data-action='export']").click()
    csv_text = Path(info.value.path()).read_text(encoding="utf-8")
    assert csv_text.startswith("Table,Row,Column,Value") and "Children by category now" in csv_text
    assert_private(page, profile_context, watch, [], markers=[])
    page.goto(base_url)
    page.go_back(wait_until="commit")
    expect(page.locator("[data-tables] table")).to_have_count(0)


def test_no_marker_reaches_the_page_or_the_printout(page, base_url):
    rng = random.Random(9)
    text = marked("Pz9Mark")
    sources = [item for number in range(12) for item in child_files(number, rng, text)]
    page.goto(base_url + "tools/profile/")
    page.locator("[data-progress][data-state='ready']").wait_for(state="attached", timeout=90_000)
    open_files(page, sources)
    assert page.locator("[data-skipped]").is_hidden()
    printed = pdf_text(page)
    shown = page.locator("article").inner_text() + printed
    assert "pz9mark" not in shown.casefold()
    assert (
        "Children by category now" in printed and "Small numbers" in printed
    )  # tables and rule print
    assert "999" in printed  # the immediate-danger line prints too


def test_the_printout_leaves_out_the_list_of_files_not_counted(page, base_url):
    page.goto(base_url + "tools/profile/")
    page.locator("[data-progress][data-state='ready']").wait_for(state="attached", timeout=90_000)
    open_files(page, year_of_files(10, seed=2) + [("Qx5-unreadable-name.json", "{")])
    expect(page.locator("[data-skipped-list]")).to_contain_text("Qx5-unreadable-name")
    assert "Qx5" not in pdf_text(page)


def test_axe_on_the_filled_profile(browser, base_url):
    from helpers import AXE, axe_violations

    context = browser.new_context(bypass_csp=True, service_workers="block")
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    try:
        page.goto(base_url + "tools/profile/")
        page.locator("[data-progress][data-state='ready']").wait_for(
            state="attached", timeout=90_000
        )
        open_files(page, year_of_files(40, seed=41) + [("broken.json", "{")])
        page.evaluate("document.fonts.ready.then(() => true)")
        assert axe_violations(page) == []
    finally:
        context.close()
