"""Safety plans, disruption plans, saved files and the browser entry point (browser.handle)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cse_tools.browser import handle
from cse_tools.catalog import default_catalog
from cse_tools.planning import add_days, draft_plan, overdue
from helpers import risk_rows

CATALOG = default_catalog()
SCREENING, RISK = CATALOG["screening"], CATALOG["risk-assessment"]
START = dt.date(2025, 3, 10)


def call(**request) -> dict:
    reply = json.loads(handle(json.dumps(request)))
    assert isinstance(reply["ok"], bool)
    return reply


def error(**request) -> tuple[str, str | None]:
    reply = call(**request)
    assert reply["ok"] is False, reply
    assert set(reply) == {"ok", "error", "field"}
    return reply["error"], reply["field"]


# --- dates and plan rows ---------------------------------------------------------------------


def test_add_days_is_plain_date_arithmetic():
    assert add_days(dt.date(2024, 2, 28), 1) == dt.date(2024, 2, 29)
    assert add_days(dt.date(2025, 12, 31), 1) == dt.date(2026, 1, 1)
    assert add_days(START, 0) == START


def test_which_answers_become_plan_rows():
    answers = {
        "looked_after": "yes",  # vulnerability now: a row
        "family_breakdown": "past",  # vulnerability in the past: background, no row
        "missing_episodes": "past",  # risk indicator in the past: a row
        "online_risk": "unknown",  # not known: a gap, no row
        "injuries": "no",
        "coercion_violence": "past",  # sign of harm in the past: a row, due the same day
    }
    plan = draft_plan(SCREENING, 14, answers, START)
    assert [r["risk"] for r in risk_rows(plan)] == [
        "coercion_violence",
        "missing_episodes",
        "looked_after",
    ]
    row = plan["rows"][0]
    assert row["due"] == "2025-03-10" and row["lead_agency"] == "Police"
    assert row["action"] == SCREENING.question("coercion_violence").plan.action
    assert plan["level"] == 2 and plan["next_review_meeting"] == "2025-03-24"  # level 2: 14 days


def test_sexual_activity_rows_follow_the_age_rules():
    rows = lambda age: risk_rows(draft_plan(SCREENING, age, {"sexual_activity": "yes"}, START))  # noqa: E731
    assert rows(16) == [] and rows(14) == []  # 13 or over: not a concern on its own
    assert rows(None)[0]["due"] == "2025-03-17" and rows(None)[0]["counts_as"] == "risk_indicator"
    young = rows(12)[0]
    assert young["due"] == "2025-03-10" and young["counts_as"] == "sign_of_harm"
    assert "under 13" in young["action"] and young["lead_agency"] == "Police"


def test_plan_carries_protective_factors_and_notes():
    plan = draft_plan(RISK, 15, {"older_partner": "yes", "trusted_adult": "yes"}, START)
    assert plan["protective_factors"] == ["Has a trusted adult they talk to"]  # a statement
    assert plan["rows"][0]["review"] == "2025-04-07"  # level 1: 28 days
    assert plan["child_views"] == "" and plan["missing_contacts"] == ""
    assert "999" in plan["emergency_note"]


def test_overdue_lists_late_rows_and_meetings():
    plan = draft_plan(SCREENING, 14, {"missing_episodes": "yes", "older_partner": "yes"}, START)
    assert overdue(plan, START) == []
    plan["rows"] = risk_rows(plan)
    plan["rows"][1]["done"] = True
    late = overdue(plan, dt.date(2025, 3, 20))
    assert [(i["what"], i.get("risk"), i["days_overdue"]) for i in late] == [
        ("due", "missing_episodes", 7)
    ]
    later = overdue(plan, dt.date(2025, 4, 10))
    assert [i["what"] for i in later] == ["due", "review", "review meeting"]


# --- browser: assess ---------------------------------------------------------------------------


def test_browser_assess_with_empty_age_is_provisional():
    reply = call(
        op="assess", tool="screening", age="", answers={"missing_episodes": "yes", "injuries": ""}
    )
    assert reply["ok"] is True
    result = reply["result"]
    assert result["level"] == 1 and result["provisional"] is True
    assert result["gaps"][0] == {
        "question": "age",
        "text": "The child's age",
        "statement": "Age not given",
        "kind": "age",
        "section": "age",
    }
    assert "injuries" in [g["question"] for g in result["gaps"]]


def test_browser_assess_reads_age_text():
    assert (
        call(op="assess", tool="screening", age="12", answers={"school_absence": "yes"})["result"][
            "level"
        ]
        == 2
    )


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (25, "must be from 0 to 17"),
        ("abc", "must be a whole number"),
        ("14.5", "must be a whole number"),
        (-3, "must be from 0 to 17"),
        ([14], "must be a whole number"),
    ],
)
def test_browser_rejects_a_clearly_wrong_age(age, text):
    message, field = error(op="assess", tool="screening", age=age, answers={})
    assert field == "age" and text in message


def test_browser_names_the_question_with_a_bad_answer():
    message, field = error(
        op="assess", tool="screening", age=14, answers={"missing_episodes": "maybe"}
    )
    assert field == "answers.missing_episodes"
    assert SCREENING.question("missing_episodes").text in message


@pytest.mark.parametrize(
    ("request_text", "field", "text"),
    [
        ("not json", None, "could not be read"),
        ("[]", None, "could not be read"),
        ('{"op": "fly"}', "op", "Unknown request"),
        (
            '{"op": "assess", "tool": "nope", "age": 14, "answers": {}}',
            "tool",
            "does not know the tool",
        ),
        (
            '{"op": "assess", "tool": "screening", "age": 14, "answers": [1]}',
            "answers",
            "could not be read",
        ),
        (
            '{"op": "plan", "tool": "screening", "age": 14, "answers": {}, "today": "tomorrow"}',
            "today",
            "date",
        ),
    ],
)
def test_browser_errors_are_plain(request_text, field, text):
    reply = json.loads(handle(request_text))
    assert reply["ok"] is False and reply["field"] == field and text in reply["error"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
OPS = st.sampled_from(
    ["assess", "save", "load", "plan", "save_plan", "load_plan", "overdue", "explain", "x"]
)


@settings(max_examples=150, deadline=None)
@given(
    op=OPS,
    tool=st.sampled_from(["screening", "risk-assessment", "disruption-tactics", 3]),
    extra=JSON,
    age=JSON,
    answers=JSON,
    text=JSON,
)
def test_handle_never_raises(op, tool, extra, age, answers, text):
    request = {
        "op": op,
        "tool": tool,
        "age": age,
        "answers": answers,
        "text": text,
        "plan": extra,
        "today": "2025-01-01",
        "saved_at": "2025-01-01T00:00:00Z",
    }
    reply = json.loads(handle(json.dumps(request)))
    assert reply["ok"] in (True, False)
    if not reply["ok"]:
        assert set(reply) == {"ok", "error", "field"}
        assert isinstance(reply["error"], str) and reply["error"]
        # Only the plain input errors: the catch-all (an unexpected exception) must never answer.
        assert not reply["error"].startswith("Something went wrong"), reply["error"]
        assert reply["field"] is None or isinstance(reply["field"], str)


def test_handle_answers_in_json_even_when_respond_raises(monkeypatch):
    """handle() itself never raises: a bug below it still gives the page a JSON reply."""
    from cse_tools import browser

    def broken(_request):
        raise RuntimeError("boom")

    monkeypatch.setattr(browser, "respond", broken)
    reply = json.loads(browser.handle('{"op": "assess"}'))
    assert reply["ok"] is False and "RuntimeError" in reply["error"]


def test_definitions_op_gives_what_the_page_needs():
    reply = call(op="definitions")
    assert reply["assessment_tools"] == ["risk-assessment", "screening"]
    assert reply["disruption_tools"] == ["disruption-tactics"]
    assert reply["answers"] == ["yes", "past", "no", "unknown"]
    assert reply["tools"]["screening"]["sections"][1]["questions"][0]["id"] == "missing_episodes"
    assert call(op="explain", tool="screening")["table"]["bands"][2]["scores"] == "24+"
    screening = reply["tools"]["screening"]
    assert screening["categories"]["levels"][3]["name"] == "serious risk"
    assert all(q["statement"] for s in screening["sections"] for q in s["questions"])


# --- browser: saved answers files ------------------------------------------------------------


def saved_answers() -> str:
    reply = call(
        op="save",
        tool="risk-assessment",
        age="13",
        answers={"missing_episodes": "yes", "injuries": None},
        notes={"risk_indicators": "Seen getting into a taxi at 11 pm.", "vulnerabilities": ""},
        review_date="2025-04-01",
        saved_at="2025-03-10T09:30:00Z",
        facts={
            "missing_episodes": {
                "overnight": "Yes",
                "how_often": " twice this month ",
                "longest": "",
            }
        },
        case={
            "reference": "AB-1",
            "date": "2025-03-10",
            "practitioner": "",
            "agency": "Riverside High",
        },
    )
    assert (
        reply["ok"] is True and reply["filename"] == "cse-risk-assessment-answers-2025-03-10.json"
    )
    return reply["text"]


def test_save_writes_the_canonical_file_and_load_reads_it_back():
    text = saved_answers()
    doc = json.loads(text)
    assert list(doc) == [
        "format",
        "version",
        "tool",
        "tool_version",
        "saved_at",
        "age",
        "answers",
        "notes",
        "review_date",
        "facts",
        "case",
    ]
    assert doc["format"] == "cse-tools/answers" and doc["version"] == 3
    # Facts in the tool's order, trimmed, empty ones left out; the case header likewise.
    assert doc["facts"] == {
        "missing_episodes": {"how_often": "twice this month", "overnight": "Yes"}
    }
    assert list(doc["facts"]["missing_episodes"]) == ["how_often", "overnight"]
    assert doc["case"] == {"reference": "AB-1", "date": "2025-03-10", "agency": "Riverside High"}
    assert doc["age"] == 13 and doc["answers"] == {"missing_episodes": "yes"}
    assert doc["notes"] == {"risk_indicators": "Seen getting into a taxi at 11 pm."}
    reply = call(op="load", text=text)
    assert reply["ok"] is True and reply["file"] == doc
    assert reply["result"]["level"] == 1 and reply["result"]["review_date"] == "2025-04-01"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            lambda d: d.update(version=4),
            "version",
            "This file was saved by a newer version (version 4); this page reads version 3.",
        ),
        (
            lambda d: d.update(version=0),
            "version",
            "This file's version (0) is not one this page reads (versions 1 to 3).",
        ),
        (
            lambda d: d.pop("version"),
            "version",
            "This file is not a saved CSE tool file. (Its version is missing.)",
        ),
        (
            lambda d: d.update(format="something/else"),
            "format",
            "This file is not a saved CSE tool file.",
        ),
        (
            lambda d: d.update(format="cse-tools/safety-plan"),
            "format",
            "This is a saved safety plan, not a saved answers file.",
        ),
        (lambda d: d.pop("answers"), "answers", "The file is missing the 'answers' field."),
        (
            lambda d: d.update(tool="other-tool"),
            "tool",
            "This file is for a tool this page does not know ('other-tool').",
        ),
        (lambda d: d.update(age=30), "age", "The child's age must be from 0 to 17"),
        (
            lambda d: d["answers"].update(missing_episodes="often"),
            "answers.missing_episodes",
            "must be one of",
        ),
        (lambda d: d["notes"].update(elsewhere="x"), "notes.elsewhere", "does not have"),
        (lambda d: d.update(colour="red"), "colour", "a field this page does not know"),
        (
            lambda d: d["facts"]["missing_episodes"].update(overnight="Sometimes"),
            "facts.missing_episodes.overnight",
            'The answer to "Has the child been missing overnight?" must be one of: Yes, No, Not known.',
        ),
        (
            lambda d: d["facts"]["missing_episodes"].update(shoe_size="5"),
            "facts.missing_episodes.shoe_size",
            "has no recorded fact called shoe_size",
        ),
        (
            lambda d: d["facts"].update(injuries={"how_often": "x"}),
            "facts.injuries",
            "has none in the",
        ),
        (
            lambda d: d["facts"]["missing_episodes"].update(how_often="x" * 201),
            "facts.missing_episodes.how_often",
            "at most 200 characters",
        ),
        (
            lambda d: d["case"].update(chair="Ms Lee"),
            "case.chair",
            "a field this page does not know ('case.chair')",
        ),
        (
            lambda d: d["case"].update(date="10/03/2025"),
            "case.date",
            "The file's 'case.date' is not a date",
        ),
        (
            lambda d: d["case"].update(reference="x" * 41),
            "case.reference",
            "longer than 40 characters",
        ),
        (lambda d: d.update(case=["AB-1"]), "case", "must be an object"),
    ],
)
def test_load_refuses_a_bad_answers_file(change, field, message):
    doc = json.loads(saved_answers())
    change(doc)
    got_message, got_field = error(op="load", text=json.dumps(doc))
    assert got_field == field and message in got_message, got_message


def test_a_version_1_answers_file_is_still_read():
    """Files saved before facts and the case header (version 1) open, with neither."""
    doc = json.loads(saved_answers())
    doc.update(version=1)
    del doc["facts"], doc["case"]
    reply = call(op="load", text=json.dumps(doc))
    assert reply["ok"] is True, reply
    assert (
        reply["file"]["version"] == 3
        and reply["file"]["facts"] == {}
        and reply["file"]["case"] == {}
    )
    assert reply["file"]["answers"] == {"missing_episodes": "yes"}


def test_recorded_facts_start_the_plan_rows_notes():
    """How often and how long the child goes missing, and who the adult is, flow into the plan."""
    reply = call(
        op="plan",
        tool="screening",
        age=14,
        today="2025-03-10",
        answers={"missing_episodes": "yes", "older_partner": "past", "unexplained_gifts": "yes"},
        facts={
            "missing_episodes": {
                "return_interview": "Offered, not taken up",
                "longest": "2 nights",
            },
            "older_partner": {"age_or_gap": "about 25", "identified": "No"},
        },
    )
    notes = {row["risk"]: row["notes"] for row in reply["plan"]["rows"]}
    assert notes["missing_episodes"] == (
        "Recorded at the assessment: longest time missing: 2 nights; "
        "return home interview after the last time: Offered, not taken up."
    )
    assert notes["older_partner"] == (
        "Recorded at the assessment: the person's approximate age or age gap: "
        "about 25; identified: No."
    )
    assert notes["unexplained_gifts"] == ""
    # A fact of a question answered "no" has no row to go into; a wrong fact is refused by name.
    reply = call(
        op="plan",
        tool="screening",
        age=14,
        today="2025-03-10",
        answers={"missing_episodes": "no"},
        facts={"missing_episodes": {"overnight": "Yes"}},
    )
    assert risk_rows(reply["plan"]) == []
    assert (
        error(
            op="plan",
            tool="screening",
            age=14,
            answers={},
            facts={"missing_episodes": {"overnight": "Often"}},
        )[1]
        == "facts.missing_episodes.overnight"
    )


@pytest.mark.parametrize(
    "text", ["", "\x00\x01garbage", '{"format": ', "[1, 2]", '{"hello": "world"}', "42"]
)
def test_load_refuses_corrupt_or_foreign_files(text):
    message, _field = error(op="load", text=text)
    assert message.startswith("This file is not a saved CSE tool file.")


# --- browser: plans -------------------------------------------------------------------------


def drafted() -> dict:
    reply = call(
        op="plan",
        tool="screening",
        age=14,
        answers={"missing_episodes": "yes", "disclosure": "yes"},
        today="2025-03-10",
    )
    assert reply["ok"] is True
    return reply["plan"]


def test_safety_plan_save_and_load_round_trip():
    plan = drafted()
    plan["child_views"] = "Wants to stay at her nan's."
    plan["rows"][0]["notes"] = "Strategy discussion booked."
    saved = call(op="save_plan", plan=plan, saved_at="2025-03-10T12:00:00Z")
    assert saved["ok"] is True and saved["filename"] == "cse-safety-plan-2025-03-10.json"
    loaded = call(op="load_plan", text=saved["text"])
    assert loaded["kind"] == "safety-plan"
    assert loaded["plan"]["case"] == {}
    assert loaded["plan"]["child_views"] == "Wants to stay at her nan's."
    assert (
        loaded["plan"]["rows"] == saved["plan"]["rows"]
        and loaded["plan"]["rows"][0]["risk"] == "disclosure"
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda p: p.pop("child_views"), "child_views"),
        (lambda p: p.pop("next_review_meeting"), "next_review_meeting"),
        (lambda p: p["rows"][0].pop("due"), "rows[0].due"),
        (lambda p: p["rows"][1].update(lead_agency=""), "rows[1].lead_agency"),
        (lambda p: p.pop("rows"), "rows"),
    ],
)
def test_plan_with_a_missing_field_is_refused_naming_it(change, field):
    plan = drafted()
    change(plan)
    message, got = error(op="save_plan", plan=plan)
    assert got == field and message == f"The file is missing the '{field}' field."
    saved = json.loads(call(op="save_plan", plan=drafted())["text"])
    change(saved)
    message, got = error(op="load_plan", text=json.dumps(saved))
    assert got == field


def test_plan_with_bad_dates_or_versions_is_refused():
    plan = drafted()
    plan["rows"][0]["review"] = "next week"
    assert error(op="save_plan", plan=plan)[1] == "rows[0].review"
    plan = drafted()
    plan["version"] = 4
    assert error(op="save_plan", plan=plan)[0].startswith(
        "This file was saved by a newer version (version 4)"
    )
    assert error(op="load_plan", text=saved_answers())[0] == (
        "This is a saved answers file, not a saved safety plan or saved disruption plan."
    )


@pytest.mark.parametrize("tool", ["screening", "disruption-tactics"])
def test_a_plans_case_header_is_saved_and_read_back(tool):
    plan = drafted() if tool == "screening" else call(op="plan", tool=tool)["plan"]
    plan["case"] = {
        "reference": "JB",
        "age": "14",
        "date": "2025-03-10",
        "practitioner": "Sam Okoro",
        "agency": "Children's social care",
        "meeting_date": "2025-03-11",
        "chair": "Ms Lee",
        "attendees": "Sam Okoro, social care\nPC Shah, police",
        "colour": "",
    }
    assert error(op="save_plan", plan=plan) == (
        "The file has a field this page does not know ('case.colour').",
        "case.colour",
    )
    del plan["case"]["colour"]
    saved = call(op="save_plan", plan=plan, saved_at="2025-03-10T12:00:00Z")
    loaded = call(op="load_plan", text=saved["text"])["plan"]
    assert loaded["case"] == {**plan["case"], "age": 14}
    assert list(json.loads(saved["text"])["case"]) == [
        "reference",
        "age",
        "date",
        "practitioner",
        "agency",
        "meeting_date",
        "chair",
        "attendees",
    ]
    plan["case"]["meeting_date"] = "tomorrow"
    assert error(op="save_plan", plan=plan)[1] == "case.meeting_date"
    plan["case"]["meeting_date"] = ""
    plan["case"]["age"] = "twenty"
    assert error(op="save_plan", plan=plan)[1] == "case.age"


def test_disruption_plan_round_trip_and_overdue():
    blank = call(op="plan", tool="disruption-tactics")["plan"]
    assert blank["format"] == "cse-tools/disruption-plan"
    assert {t["id"] for t in blank["tactics"]} >= {
        "abduction_warning_notice",
        "hotels",
        "taxi_firms",
    }
    tactic = next(t for t in blank["tactics"] if t["id"] == "abduction_warning_notice")
    tactic.update(
        checked=True, owner="PC Shah", date="2025-03-12", notes="Serve on the man in the blue car."
    )
    blank["locations"] = "Bus station; the flats on Mill Lane."
    blank["people"] = "'Jay', drives a blue car."
    saved = call(op="save_plan", plan=blank, saved_at="2025-03-10T12:00:00Z")
    assert saved["filename"] == "cse-disruption-plan-2025-03-10.json"
    loaded = call(op="load_plan", text=saved["text"])
    assert (
        loaded["kind"] == "disruption-plan"
        and loaded["plan"]["people"] == "'Jay', drives a blue car."
    )
    items = call(op="overdue", plan=loaded["plan"], today="2025-03-20")["items"]
    assert [(i["id"], i["days_overdue"]) for i in items] == [("abduction_warning_notice", 8)]


def test_disruption_plan_refuses_unknown_or_incomplete_tactics():
    blank = call(op="plan", tool="disruption-tactics")["plan"]
    blank["tactics"][0]["id"] = "summon_the_dragons"
    message, field = error(op="save_plan", plan=blank)
    assert field == "tactics[0].id" and "does not know" in message
    blank = call(op="plan", tool="disruption-tactics")["plan"]
    blank["tactics"][2].pop("checked")
    assert error(op="save_plan", plan=blank) == (
        "The file is missing the 'tactics[2].checked' field.",
        "tactics[2].checked",
    )
    blank = call(op="plan", tool="disruption-tactics")["plan"]
    blank.pop("people")
    assert error(op="save_plan", plan=blank)[1] == "people"


def test_overdue_op_on_a_safety_plan_file_text():
    text = call(op="save_plan", plan=drafted(), saved_at="2025-03-10T12:00:00Z")["text"]
    reply = call(op="overdue", plan=text, today="2025-03-12")
    assert reply["ok"] and [(i["what"], i["risk"]) for i in reply["items"]] == [
        ("due", "disclosure")
    ]
    assert error(op="overdue", plan="garbage", today="2025-03-12")[0].startswith(
        "This file is not a saved"
    )
