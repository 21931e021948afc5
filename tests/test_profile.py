"""The partnership profile (cse_tools.profile): counting, small numbers hidden, nothing personal out."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profile_support import child_files, marked, meeting_file, year_of_files

from cse_tools import files, profile
from cse_tools.catalog import default_catalog
from cse_tools.engine import assess
from cse_tools.profile import SMALL, WITHHELD, Table, age_band, period_of, suppress

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "cse-tools"
CATALOG = default_catalog()
TODAY = dt.date(2026, 12, 2)
# Answers that give each level on the screening tool, found once from the engine itself.
SCREENING = CATALOG["screening"]


def answers_for(level: int) -> dict[str, str]:
    """Screening answers giving this level (searched with the engine, so the test follows the rules)."""
    rng = random.Random(level)
    for _ in range(5000):
        answers = {
            q.id: rng.choice(["yes", "no", "no", "no", "no", "no"])
            for _s, q in SCREENING.questions()
        }
        if assess(SCREENING, 14, answers)["level"] == level:
            return answers
    raise AssertionError(f"no answers found for level {level}")


LEVEL_ANSWERS = {level: answers_for(level) for level in range(4)}


def screening(ref: str | None, day: str, level: int, age: int = 14, tool: str = "screening") -> str:
    case = {"reference": ref, "date": day} if ref else None
    doc = files.answers_document(
        CATALOG[tool],
        age,
        LEVEL_ANSWERS[level] if tool == "screening" else {},
        None,
        None,
        f"{day}T10:00:00Z",
        case=case,
    )
    return files.dump(doc)


def raw(sources, period="month"):
    agencies = profile.known_agencies(CATALOG)
    return profile.count(
        [profile.summarise(t, CATALOG, agencies) for _n, t in sources], CATALOG, TODAY, period
    )


def raw_table(result, name):
    return {
        label: cells for label, cells in next(t for t in result["tables"] if t.name == name).rows
    }


CATS = profile.category_names(CATALOG)


def test_latest_file_per_child_counts_for_now_and_files_without_reference_are_children():
    sources = [
        ("a1", screening("AB-1", "2026-01-10", 1)),
        ("a2", screening("ab-1 ", "2026-03-10", 3)),
        ("b1", screening("B-2", "2026-02-01", 2)),
        ("n1", screening(None, "2026-02-01", 0)),
        ("n2", screening(None, "2026-02-02", 0)),
    ]
    result = raw(sources)
    assert result["children"] == 4 and result["without_reference"] == 2
    cats = raw_table(result, "by_category")
    assert (
        cats[CATS[3]] == [1]
        and cats[CATS[1]] == [0]
        and cats[CATS[2]] == [1]
        and cats[CATS[0]] == [2]
    )
    movement = raw_table(result, "movement")
    assert movement["Rose"] == [1] and movement["One file with a category"] == [3]


def test_movement_rose_fell_stayed():
    sources = [
        ("r1", screening("R", "2026-01-01", 0)),
        ("r2", screening("R", "2026-02-01", 2)),
        ("f1", screening("F", "2026-01-01", 3)),
        ("f2", screening("F", "2026-05-01", 1)),
        ("s1", screening("S", "2026-01-01", 2)),
        ("s2", screening("S", "2026-03-01", 3)),
        ("s3", screening("S", "2026-04-01", 2)),
    ]
    movement = raw_table(raw(sources), "movement")
    assert movement == {
        "Rose": [1],
        "Fell": [1],
        "Stayed the same": [1],
        "One file with a category": [0],
    }


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "Under 13"),
        (12, "Under 13"),
        (13, "13 to 15"),
        (15, "13 to 15"),
        (16, "16 and 17"),
        (17, "16 and 17"),
        (None, "Age not known"),
    ],
)
def test_age_bands(age, band):
    assert age_band(age) == band


def test_periods_by_month_and_quarter_use_the_case_date_else_the_saved_date():
    assert period_of(dt.date(2026, 3, 31), "month") == "2026-03"
    assert period_of(dt.date(2026, 3, 31), "quarter") == "2026 Q1"
    assert period_of(dt.date(2026, 10, 1), "quarter") == "2026 Q4"
    sources = [
        ("a", screening("A", "2026-01-30", 1)),
        ("b", screening("A", "2026-02-02", 2)),
        ("c", screening("C", "2026-02-20", 3)),
    ]
    by_month = raw_table(raw(sources, "month"), "by_period")
    assert by_month == {"2026-01": [0, 1, 0, 0, 0], "2026-02": [0, 0, 1, 1, 0]}
    by_quarter = raw_table(raw(sources, "quarter"), "by_period")
    assert by_quarter == {
        "2026 Q1": [0, 0, 1, 1, 0]
    }  # child A once, at their latest category in the quarter
    with pytest.raises(profile.InputError):
        raw(sources, "week")


def test_a_version_1_file_is_read_as_a_child_without_reference():
    text = child_files(1, random.Random(3), version=1)[0][1]
    assert json.loads(text)["version"] == 1
    result = profile.profile([("old.json", text)], CATALOG, TODAY)
    assert result["files"] == 1 and result["skipped"] == [] and result["children"] == SMALL
    assert raw([("old.json", text)])["without_reference"] == 1


def test_a_meeting_file_gives_the_agreed_category_and_the_time_from_screening():
    meeting = meeting_file(
        "M-1",
        15,
        "screening",
        LEVEL_ANSWERS[2],
        2,
        dt.date(2026, 2, 11),
        marked("x"),
        random.Random(1),
    )
    meeting["record"]["agreed_level"] = 3
    sources = [("s", screening("M-1", "2026-02-01", 2)), ("m", files.dump(meeting))]
    result = raw(sources)
    assert raw_table(result, "by_category")[CATS[3]] == [1]
    assert raw_table(result, "movement")["Rose"] == [1]
    assert result["days_to_meeting"] == [10]
    sources = [(f"s{i}", screening(f"M{i}", "2026-02-01", 2)) for i in range(5)]
    for i in range(5):
        meeting["case"]["reference"] = f"M{i}"
        meeting["record"]["date"] = f"2026-02-{10 + i * 2:02d}"
        sources.append((f"m{i}", files.dump(meeting)))
    shown = profile.profile(sources, CATALOG, TODAY)["screening_to_meeting"]
    assert shown == {"children": 5, "median_days": 13}


def test_bad_and_foreign_files_are_listed_with_a_reason_and_skipped():
    good = [(f"g{i}", screening(f"G{i}", "2026-04-01", 1)) for i in range(6)]
    newer = files.dump(json.loads(screening("X", "2026-04-01", 1)) | {"version": 99})
    bad_meeting = files.dump(
        {"format": profile.MEETING_FORMAT, "version": 1, "record": {"date": "soon"}}
    )
    bad = [
        ("broken.json", "{"),
        ("photo.json", '{"format": "something-else"}'),
        ("newer.json", newer),
        ("meeting.json", bad_meeting),
        ("list.json", "[1, 2]"),
    ]
    result = profile.profile(good + bad, CATALOG, TODAY)
    assert [s["file"] for s in result["skipped"]] == [name for name, _t in bad]
    assert all(s["reason"] for s in result["skipped"])
    assert "newer version" in result["skipped"][2]["reason"]
    assert result["files"] == 6 and result["files_opened"] == 11 and result["children"] == 6


def test_plans_actions_by_lead_agency_overdue_and_tactics():
    sources = year_of_files(200, seed=7)
    result = raw(sources)
    actions = raw_table(result, "actions")
    assert set(actions) == set(profile.known_agencies(CATALOG).values()) | {profile.OTHER_AGENCY}
    total = 0
    for name, text in sources:
        doc = json.loads(text)
        if doc["format"] == files.SAFETY_PLAN_FORMAT:
            total += len(doc["rows"])
    assert 0 < sum(map(sum, actions.values())) <= total
    assert sum(cells[2] for cells in actions.values()) > 0  # overdue at 2 December 2026
    tactics = raw_table(result, "tactics")
    assert set(tactics) == {t.title for t in CATALOG["disruption-tactics"].tactics}
    assert sum(map(sum, tactics.values())) > 0


# --- small numbers -------------------------------------------------------------------------------


def test_every_count_from_1_to_4_is_hidden_and_a_lone_hidden_count_takes_the_next_smallest():
    table = Table(
        "t", "T", "Row", ["a", "b", "c"], [("x", [3, 10, 20]), ("y", [0, 7, 30]), ("z", [6, 8, 40])]
    )
    shown = suppress(table)
    x, y, z = (row["cells"] for row in shown["rows"])
    assert x[0] == SMALL and x[1] == WITHHELD and x[2] == 20  # the row's next smallest
    assert y == [0, 7, 30]  # a withheld count alone in column b is known only within 5: not chased
    assert z[0] == WITHHELD  # column a had one hidden count; 6 is its next smallest non-zero
    assert shown["rows"][0]["total"] == "~35" and shown["rows"][1]["total"] == 37
    assert shown["totals"][2] == 90 and shown["totals"][0] == "~10" and shown["total"] == "~125"


def test_a_single_column_table_hides_a_second_count_so_the_total_does_not_give_the_first_away():
    table = Table(
        "t", "T", "Row", ["Children"], [("a", [2]), ("b", [9]), ("c", [30])], row_totals=False
    )
    shown = suppress(table)
    assert [row["cells"][0] for row in shown["rows"]] == [SMALL, WITHHELD, 30]
    assert shown["totals"] == ["~40"]


def test_a_table_of_all_children_keeps_its_exact_total_and_hides_enough_against_it():
    sources = [(f"g{i}", screening(f"G{i}", "2026-04-01", 1)) for i in range(11)]
    sources.append(("h", screening("H", "2026-04-01", 3)))
    result = profile.profile(sources, CATALOG, TODAY)
    assert result["children"] == 12 and result["by_category"]["totals"] == [12]
    cells = [row["cells"][0] for row in result["by_category"]["rows"]]
    assert cells == [
        0,
        WITHHELD,
        0,
        SMALL,
        0,
    ]  # 11 and 1: the 11 is withheld so the 1 is not 12 - 11
    assert not _line_pinned(cells, 12)


def _line_pinned(cells: list, total) -> bool:
    """Independent check: can a hidden cell be worked out exactly from the shown line?"""

    def bounds(value):
        if value == SMALL:
            return 1, 4
        if value == WITHHELD:
            return 5, 10**9
        if isinstance(value, str):
            shown = int(value[1:])
            return max(0, shown - 2), shown + 2
        return value, value

    if total == WITHHELD or all(v == WITHHELD for v in cells):
        return False  # the total, or every count of the line, is not shown
    low_t, high_t = bounds(total)
    for index, value in enumerate(cells):
        if isinstance(value, int):
            continue
        others = [bounds(v) for i, v in enumerate(cells) if i != index]
        low = max(bounds(value)[0], low_t - sum(o[1] for o in others))
        high = min(bounds(value)[1], high_t - sum(o[0] for o in others))
        if low >= high:
            return True
    return False


grids = st.integers(1, 5).flatmap(
    lambda width: st.lists(
        st.lists(st.integers(0, 30) | st.integers(0, 6), min_size=width, max_size=width),
        min_size=1,
        max_size=6,
    )
)


@settings(max_examples=300)
@given(grids, st.booleans())
def test_property_no_shown_count_is_small_and_no_hidden_count_can_be_worked_out(grid, row_totals):
    table = Table(
        "t",
        "T",
        "Row",
        [f"c{i}" for i in range(len(grid[0]))],
        [(f"r{i}", row) for i, row in enumerate(grid)],
        row_totals=row_totals,
    )
    shown = suppress(table)
    values = (
        [v for row in shown["rows"] for v in row["cells"]]
        + shown["totals"]
        + [row.get("total") for row in shown["rows"] if "total" in row]
        + [shown.get("total", 0)]
    )
    assert not any(isinstance(v, int) and 1 <= v <= 4 for v in values)
    assert "~0" not in values  # a total of 1 to 4 is shown as fewer than 5, never as about 0
    for index in range(len(grid[0])):
        column = [row["cells"][index] for row in shown["rows"]]
        assert not _line_pinned(column, shown["totals"][index])
        if not any(isinstance(v, str) for v in column):
            assert shown["totals"][index] == sum(
                row[index] for row in grid
            )  # exact when nothing is hidden
    for row, cells in zip(shown["rows"], grid):
        if row_totals:
            assert not _line_pinned(row["cells"], row["total"])
            if all(isinstance(v, int) for v in row["cells"]):
                assert row["total"] == sum(cells)


@settings(max_examples=15)
@given(st.integers(1, 120), st.integers(0, 10_000))
def test_property_totals_equal_the_number_of_children(count, seed):
    """The tables of all children add up to the number of children, shown exactly (fewer than 5 when
    1 to 4); their hidden counts cannot be worked out from that exact total."""
    sources = year_of_files(count, seed=seed)
    result = profile.profile(sources, CATALOG, TODAY)
    children = raw(sources)["children"]
    assert result["children"] == (children if children >= 5 else SMALL)
    for name in ("by_category", "by_age_band", "movement"):
        cells = [row["cells"][0] for row in result[name]["rows"]]
        assert result[name]["totals"] == [result["children"]]  # the number of children, exactly
        if all(isinstance(v, int) for v in cells):
            assert sum(cells) == children
        if children >= 5:
            assert not _line_pinned(cells, children)
    shown = [
        v
        for t in _tables(result)
        for row in t["rows"]
        for v in [*row["cells"], row.get("total", 0)]
    ]
    assert not any(isinstance(v, int) and 1 <= v <= 4 for v in shown)


def _tables(result):
    return [result[name] for name in profile.TABLE_NAMES]


# --- nothing personal leaves ------------------------------------------------------------------------

MARK = "Qm7Mark"


def test_no_free_text_or_identifying_field_reaches_the_json_or_the_csv(tmp_path):
    rng = random.Random(11)
    text = marked(MARK)
    sources = []
    for number in range(60):
        sources += child_files(number, rng, text)
    sources += child_files(99, random.Random(5), text, version=1)
    sources.append(
        (
            "meeting.json",
            files.dump(
                meeting_file(
                    text("reference"), 14, "risk-assessment", {}, 2, dt.date(2026, 5, 5), text, rng
                )
            ),
        )
    )
    planted = sum(t.count(MARK) for _n, t in sources)
    formats = {json.loads(t)["format"] for _n, t in sources}
    assert (
        formats
        == {
            files.ANSWERS_FORMAT,
            files.SAFETY_PLAN_FORMAT,
            files.DISRUPTION_PLAN_FORMAT,
            profile.MEETING_FORMAT,
        }
        and planted > 1000
    )
    names = [
        (f"file{i}.json", t) for i, (_n, t) in enumerate(sources)
    ]  # the file names are not what is tested
    result = profile.profile(names, CATALOG, TODAY, "month")
    assert result["skipped"] == [] and result["files"] == len(sources)
    out = json.dumps(result, ensure_ascii=False) + "".join(profile.csv_tables(result).values())
    assert MARK.casefold() not in out.casefold()
    assert not re.search(r"\d{4}-\d{2}-\d{2}", out), "an exact date reached the profile"
    ages = {str(a) for a in range(18)}
    assert not any(
        label in ages for t in _tables(result) for label in [r["label"] for r in t["rows"]]
    )
    # and through the command line, CSV files included
    folder = tmp_path / "files"
    folder.mkdir()
    for name, content in names:
        (folder / name).write_text(content, encoding="utf-8")
    proc = _run(
        "profile",
        *sorted(str(p) for p in folder.iterdir()),
        "--today",
        "2026-12-02",
        "--csv",
        str(tmp_path / "csv"),
    )
    assert proc.returncode == 0, proc.stderr
    written = proc.stdout + "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "csv").iterdir()
    )
    assert MARK.casefold() not in written.casefold() and json.loads(proc.stdout)["files"] == len(
        sources
    )


# --- the command line ---------------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "cse_tools.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_command_line_prints_the_profile_and_writes_the_tables(tmp_path):
    for name, content in year_of_files(40, seed=3):
        (tmp_path / name).write_text(content, encoding="utf-8")
    (tmp_path / "notes.txt").write_bytes(b"\xff\xfe not text")
    paths = sorted(str(p) for p in tmp_path.iterdir())
    proc = _run(
        "profile",
        *paths,
        "--today",
        "2026-12-02",
        "--period",
        "quarter",
        "--csv",
        str(tmp_path / "out"),
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    for key in (
        "children",
        "files",
        "skipped",
        "by_category",
        "by_age_band",
        "by_period",
        "indicators",
        "suppressed_below",
    ):
        assert key in result
    assert (
        result["suppressed_below"] == 5 and result["files"] == 40 and result["period"] == "quarter"
    )
    assert [s["file"] for s in result["skipped"]] == [str(tmp_path / "notes.txt")]
    assert all(row["label"].startswith("2026 Q") for row in result["by_period"]["rows"])
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "by_category.csv" in written and "summary.csv" in written
    lines = (tmp_path / "out" / "by_category.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Category,Children" and lines[-1].startswith("Total,")


def test_command_line_bad_input_exits_2_with_one_line(tmp_path):
    (tmp_path / "a.json").write_text(screening("A", "2026-01-01", 1), encoding="utf-8")
    proc = _run("profile", str(tmp_path / "a.json"), "--today", "2026-02-30")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1 and proc.stdout == ""
    assert "--today" in proc.stderr


def test_the_page_request_counts_the_files_and_refuses_a_bad_request():
    from cse_tools import browser

    sources = year_of_files(30, seed=5)
    reply = browser.respond(
        {
            "op": "profile",
            "files": [{"name": n, "text": t} for n, t in sources],
            "today": "2026-12-02",
            "period": "quarter",
        }
    )
    assert reply["ok"] and reply["profile"] == profile.profile(sources, CATALOG, TODAY, "quarter")
    assert reply["csv"].startswith("Table,Row,Column,Value\n") and "Small numbers" in reply["csv"]
    assert browser.respond({"op": "profile", "files": "not a list"}) == {
        "ok": False,
        "error": "The files could not be read.",
        "field": "files",
    }
    bad_period = browser.respond({"op": "profile", "files": [], "period": "week"})
    assert not bad_period["ok"] and bad_period["field"] == "period"
