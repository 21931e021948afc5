"""The multi-agency meeting merge (cse_tools.meeting): pure Python, plus the command line.

The mutation check at the end breaks each merge rule in turn (the order of concern, the
protective order, what counts as a disagreement, the duplicate check, the same-child check) and
expects the checks above it to catch every one."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from cse_tools import files, meeting, planning
from cse_tools.catalog import default_catalog
from cse_tools.model import NO, PAST, UNKNOWN, YES

from test_cli import COMMAND, one_line_error, run

CATALOG = default_catalog()
SCREENING, RISK = CATALOG["screening"], CATALOG["risk-assessment"]
TODAY = dt.date(2026, 12, 2)


def answers_file(
    tool,
    answers,
    agency=None,
    reference="RC-1042",
    age=14,
    saved="2026-11-20T10:00:00Z",
    notes=None,
    facts=None,
) -> str:
    case = {"reference": reference, "agency": agency} if agency else {"reference": reference}
    return files.dump(
        files.answers_document(
            tool, age, answers, notes or {}, saved_at=saved, case=case, facts=facts
        )
    )


def school() -> tuple[str, str]:
    return (
        "school.json",
        answers_file(
            SCREENING,
            {
                "missing_episodes": YES,
                "older_partner": NO,
                "school_absence": YES,
                "looked_after": NO,
            },
            "Riverside Academy",
            notes={"said": "She said she stays with a friend."},
        ),
    )


def police() -> tuple[str, str]:
    return (
        "police.json",
        answers_file(
            RISK,
            {
                "missing_episodes": PAST,
                "older_partner": YES,
                "sex_exchange": YES,
                "school_absence": NO,
                "trusted_adult": YES,
            },
            "Police",
            saved="2026-11-25T09:00:00Z",
        ),
    )


def health() -> tuple[str, str]:
    return (
        "health.json",
        answers_file(
            SCREENING,
            {"sexual_health": PAST, "missing_episodes": UNKNOWN, "looked_after": UNKNOWN},
            "Health",
            age=15,
            saved="2026-11-28T14:00:00Z",
        ),
    )


def merged(*sources, same_child=False):
    return meeting.merge(list(sources), CATALOG, same_child=same_child)


def question(result, qid):
    return next(q for q in result["questions"] if q["question"] == qid)


# --- the checks (each one also runs against every mutant below) ------------------------------


def check_most_concerning_answer():
    result = merged(school(), police(), health())
    assert (
        result["combined"]["tool"] == "risk-assessment"
    )  # the screenings feed the risk assessment
    expected = {
        "missing_episodes": YES,
        "older_partner": YES,
        "school_absence": YES,
        "sexual_health": PAST,
        "looked_after": NO,
    }
    for qid, answer in expected.items():
        assert result["combined"]["answers"][qid] == answer, qid
    sources = question(result, "missing_episodes")["answers"]
    assert [(s["agency"], s["answer"]) for s in sources] == [
        ("Riverside Academy", YES),
        ("Police", PAST),
        ("Health", UNKNOWN),
    ]


@pytest.mark.parametrize(
    "answers, combined",
    [
        ((YES, NO), YES),
        ((NO, YES), YES),
        ((PAST, NO), PAST),
        ((NO, PAST), PAST),
        ((YES, PAST), YES),
        ((PAST, YES), YES),
        ((UNKNOWN, NO), NO),
        ((UNKNOWN, PAST), PAST),
        ((UNKNOWN, UNKNOWN), UNKNOWN),
        ((), UNKNOWN),
    ],
)
def test_most_concerning_known_answer_whatever_the_order(answers, combined):
    # Keeping the least concerning answer (or the first, or the last) fails several of these.
    assert meeting.most_concerning(answers) == combined


def check_protective_factor_counts_only_when_nobody_saw_it_missing():
    police_file = police()
    school_file = ("school.json", answers_file(RISK, {"trusted_adult": NO}, "Riverside Academy"))
    result = merged(police_file, school_file)
    assert result["combined"]["answers"]["trusted_adult"] == NO
    assert merged(police_file)["combined"]["answers"]["trusted_adult"] == YES


def check_sign_of_harm_known_to_one_agency():
    alone = merged(school(), health())
    assert alone["combined"]["level"] < 3
    result = merged(school(), police(), health())
    assert [v["level"] for v in result["agencies"]] == [1, 3, 1]
    assert result["combined"]["level"] == 3
    assert result["combined"]["set_by_rule"]["rule"] == "sign_of_harm_now"
    assert result["combined"]["result"]["immediate_action"]


def check_disagreements_first():
    result = merged(school(), police(), health())
    first = result["disagreements"][0]
    assert first["kind"] == "level"
    assert {(a["agency"], a["level"]) for a in first["answers"]} == {
        ("Riverside Academy", 1),
        ("Police", 3),
        ("Health", 1),
    }
    questions = [d["question"] for d in result["disagreements"][1:]]
    assert sorted(questions) == [
        "older_partner",
        "school_absence",
    ]  # yes/longer ago against no, nothing else
    older = next(d for d in result["disagreements"] if d["question"] == "older_partner")
    assert {a["agency"]: a["answer"] for a in older["answers"]} == {
        "Riverside Academy": NO,
        "Police": YES,
    }
    agreed = merged(
        police(), ("police-2.json", answers_file(RISK, {"sex_exchange": YES}, "Police"))
    )
    assert not [d for d in agreed["disagreements"] if d["kind"] == "answer"]


def check_unknowns_are_information_requests():
    result = merged(school(), police(), health())
    answered = set(result["combined"]["answers"])
    every = [q.id for _s, q in RISK.questions()]
    assert set(result["unknown"]) == set(every) - answered
    assert "missing_episodes" not in result["unknown"]  # health did not know, school did
    assert "disclosure" in result["unknown"]
    assert result["unknown"].index("disclosure") < result["unknown"].index(
        "positive_activities"
    )  # harm first


def check_different_child_refused():
    other = (
        "other.json",
        answers_file(SCREENING, {"missing_episodes": YES}, "Youth service", reference="RC-2000"),
    )
    with pytest.raises(meeting.DifferentChild) as refused:
        merged(school(), other)
    assert "school.json" in refused.value.plain and "other.json" in refused.value.plain
    older = (
        "older.json",
        answers_file(SCREENING, {"missing_episodes": YES}, "Youth service", age=16),
    )
    with pytest.raises(meeting.DifferentChild):
        merged(school(), older)  # 14 and 16: more than a year apart
    assert merged(school(), health())["case"] == {
        "reference": "RC-1042",
        "age": 15,
    }  # 14 and 15: one child
    assert merged(school(), other, same_child=True)["combined"] is not None


def check_same_file_twice_counts_once():
    name, text = police()
    respaced = json.dumps(json.loads(text))  # the same content, saved differently
    result = merged((name, text), ("copy of police.json", respaced), school())
    assert [v["file"] for v in result["agencies"]] == ["police.json", "school.json"]
    assert result["skipped"] == [
        {"file": "copy of police.json", "reason": "The same file was opened twice; it counts once."}
    ]


CHECKS = [
    check_most_concerning_answer,
    check_protective_factor_counts_only_when_nobody_saw_it_missing,
    check_sign_of_harm_known_to_one_agency,
    check_disagreements_first,
    check_unknowns_are_information_requests,
    check_different_child_refused,
    check_same_file_twice_counts_once,
]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_merge(check):
    check()


# --- the views, bad files, version 1, records and plans ---------------------------------------


def test_each_agency_view_and_attributed_notes():
    facts = {"older_partner": {"age_or_gap": "about 25"}}
    police_file = ("police.json", answers_file(RISK, {"older_partner": YES}, "Police", facts=facts))
    result = merged(school(), police_file)
    school_view = result["agencies"][0]
    assert {k: school_view[k] for k in ("agency", "tool", "level", "saved_at")} == {
        "agency": "Riverside Academy",
        "tool": "screening",
        "level": 1,
        "saved_at": "2026-11-20T10:00:00Z",
    }
    assert result["recorded"]["said"] == [
        {"agency": "Riverside Academy", "text": "She said she stays with a friend."}
    ]
    fact = result["recorded"]["facts"][0]
    assert (fact["agency"], fact["question"], fact["text"]) == (
        "Police",
        "older_partner",
        "about 25",
    )


def test_bad_files_listed_with_a_plain_reason_and_skipped():
    result = merged(
        school(),
        ("notes.txt", "not json"),
        ("plan.json", '{"format": "cse-tools/safety-plan", "version": 9}'),
    )
    assert [s["file"] for s in result["skipped"]] == ["notes.txt", "plan.json"]
    assert "could not be read as JSON" in result["skipped"][0]["reason"]
    assert "newer version" in result["skipped"][1]["reason"]
    assert result["combined"]["level"] == 1


def test_version_1_file_uses_the_file_name_as_agency():
    doc = json.loads(answers_file(SCREENING, {"sex_exchange": YES}))
    doc["version"] = 1
    del doc["case"], doc["facts"]
    result = merged(school(), ("youth-worker.json", json.dumps(doc)))
    assert result["agencies"][1]["agency"] == "youth-worker.json"
    assert result["agencies"][1]["reference"] is None
    assert result["combined"]["level"] == 3


def _plan(agency, lead_override=None):
    plan = planning.draft_plan(RISK, 14, {"missing_episodes": YES, "older_partner": YES}, TODAY)
    plan["case"] = {"reference": "RC-1042", "agency": agency}
    if lead_override:
        plan["rows"][0]["lead_agency"] = lead_override
    return (
        f"{agency}-plan.json",
        files.dump(files.parse_plan(plan | {"saved_at": "2026-11-30T10:00:00Z"}, CATALOG)),
    )


def test_plan_actions_merged_with_every_owner_kept():
    result = merged(_plan("Police"), _plan("Children's social care", "Police and school"), school())
    risks = [
        a["risk"] for a in result["actions"] if not a["risk"].startswith(planning.STANDING_PREFIX)
    ]
    assert sorted(risks) == [
        "missing_episodes",
        "older_partner",
    ]  # two plans, two risks: two actions
    first = next(a for a in result["actions"] if a["risk"] == risks[0])
    assert len(first["owners"]) == 2 and "Police and school" in first["owners"]
    assert first["agencies"] == ["Police", "Children's social care"]


def record(**extra):
    base = {
        "date": "2026-12-02",
        "chair": "Independent chair",
        "attendees": [{"agency": "Police", "role": "DS"}],
        "decisions": "Refer to the exploitation meeting.",
        "resolutions": {"school_absence": "School register checked."},
        "actions": [
            {
                "risk": "missing_episodes",
                "action": "Return home interview",
                "owner": "Children's social care",
                "due": "2026-12-04",
            },
            {
                "risk": "",
                "action": "Share the map of places",
                "owner": "Police",
                "due": "2026-12-04",
            },
            {
                "risk": "",
                "action": "Speak to Jane Doe's school",
                "owner": "Education",
                "due": "2026-12-10",
            },
        ],
        "outcome": "exploitation_meeting",
    }
    return base | extra


def test_agreed_category_needs_a_reason_and_sets_the_review():
    picture = merged(school(), police(), health())
    with pytest.raises(meeting.InputError) as missing:
        meeting.meeting_document(picture, record(agreed_level=2), CATALOG, "2026-12-02T12:00:00Z")
    assert missing.value.field == "record.reason"
    doc = meeting.meeting_document(picture, record(), CATALOG, "2026-12-02T12:00:00Z")
    assert (
        doc["record"]["next_review"]
        == (TODAY + dt.timedelta(days=RISK.level(3).review_days)).isoformat()
    )
    lower = meeting.meeting_document(
        picture, record(agreed_level=2, reason="Agreed at the meeting."), CATALOG, "x"
    )
    assert (
        lower["record"]["next_review"]
        == (TODAY + dt.timedelta(days=RISK.level(2).review_days)).isoformat()
    )


def test_meeting_file_read_back_gives_the_same_record():
    picture = merged(school(), police(), health())
    doc = meeting.meeting_document(picture, record(), CATALOG, "2026-12-02T12:00:00Z")
    text = files.dump(doc)
    assert json.loads(text)["format"] == "cse-tools/meeting" and doc["version"] == 1
    again = merged(("meeting.json", text))
    assert again["record"] == doc["record"]
    assert again["combined"]["answers"] == picture["combined"]["answers"]
    assert [v["agency"] for v in again["agencies"]] == ["Riverside Academy", "Police", "Health"]
    assert meeting.meeting_document(again, again["record"], CATALOG, doc["saved_at"]) == doc
    # the meeting file and one of its own sources opened together: still one copy of each
    assert len(merged(("meeting.json", text), police())["agencies"]) == 3
    broken = json.loads(text)
    broken["sources"][0]["document"]["answers"]["missing_episodes"] = "maybe"
    assert (
        "could not be read" in merged(("meeting.json", json.dumps(broken)))["skipped"][0]["reason"]
    )


# --- the calendar ----------------------------------------------------------------------------


def unfold(text: str) -> list[str]:
    """RFC 5545 3.1: lines end in CRLF; a line starting with a space continues the one before."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines: list[str] = []
    for raw in text.split("\r\n")[:-1]:
        assert len(raw.encode("utf-8")) <= 75, raw
        if raw.startswith(" "):
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    return lines


def events(text: str) -> list[dict[str, str]]:
    out, current = [], None
    for line in unfold(text):
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            out.append(current)
            current = None
        elif current is not None:
            current[name] = value
    return out


def test_calendar_parsed_has_the_case_reference_only():
    picture = merged(school(), police(), health())
    doc = meeting.meeting_document(picture, record(), CATALOG, "2026-12-02T12:00:00Z")
    text = meeting.calendar(
        "RC-1042", doc["record"], dt.datetime(2026, 12, 2, 12, 30, tzinfo=dt.timezone.utc)
    )
    lines = unfold(text)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-1] == "END:VCALENDAR"
    found = events(text)
    assert [(e["DTSTART;VALUE=DATE"], e["SUMMARY"]) for e in found] == [
        ("20261209", "CSE review meeting - case RC-1042"),
        ("20261204", "CSE 2 actions due - case RC-1042"),
        ("20261210", "CSE action due - case RC-1042"),
    ]
    assert all(
        e["DTSTAMP"] == "20261202T123000Z" and e["UID"].endswith("@cse-tools.invalid")
        for e in found
    )
    assert len({e["UID"] for e in found}) == 3
    assert all(e["DTEND;VALUE=DATE"] > e["DTSTART;VALUE=DATE"] for e in found)
    for private in (
        "Jane",
        "Doe",
        "Return home",
        "Independent chair",
        "Police",
        "Riverside",
        "friend",
        "Refer",
    ):
        assert private not in text, private


def test_calendar_folds_and_escapes_a_long_reference():
    text = meeting.calendar(
        "REF, with; comma" + "é" * 40,
        {"next_review": "2026-12-09", "actions": []},
        dt.datetime(2026, 12, 2, tzinfo=dt.timezone.utc),
    )
    summary = events(text)[0]["SUMMARY"]
    assert summary == "CSE review meeting - case REF\\, with\\; comma" + "é" * 40
    assert any(line.startswith(" ") for line in text.split("\r\n"))


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def case_files(tmp_path: Path) -> list[str]:
    paths = []
    for name, text in (school(), police(), health()):
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    return paths


def test_cli_meeting_prints_the_merged_record(case_files, tmp_path):
    proc = run("meeting", *case_files, str(tmp_path / "bad.json"), "--today", "2026-12-02")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert [(a["agency"], a["tool"], a["level"]) for a in out["agencies"]] == [
        ("Riverside Academy", "screening", 1),
        ("Police", "risk-assessment", 3),
        ("Health", "screening", 1),
    ]
    assert (
        out["combined"]["level"] == 3
        and out["combined"]["set_by_rule"]["rule"] == "sign_of_harm_now"
    )
    assert out["disagreements"][0]["kind"] == "level"
    assert "disclosure" in out["unknown"]
    assert out["skipped"][0]["file"].endswith("bad.json")
    assert out["record"]["next_review"] == "2026-12-09"
    assert "sources" not in out


def test_cli_meeting_calendar(case_files):
    proc = subprocess.run(
        [*COMMAND, "meeting", *case_files, "--today", "2026-12-02", "--ics"],
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert [e["DTSTART;VALUE=DATE"] for e in events(proc.stdout.decode("utf-8"))] == ["20261209"]


def test_cli_meeting_different_children_exit_2(case_files, tmp_path):
    other = tmp_path / "other.json"
    other.write_text(
        answers_file(SCREENING, {"missing_episodes": YES}, "Youth service", reference="RC-2")
    )
    line = one_line_error(run("meeting", *case_files, str(other)))
    assert "different children" in line and "other.json" in line and "school.json" in line
    assert run("meeting", *case_files, str(other), "--same-child").returncode == 0


@pytest.mark.parametrize(
    "args, needle",
    [
        (["nowhere.json"], "nowhere.json: cannot be read"),
        (["--today", "2026-13-01"], "--today"),
    ],
)
def test_cli_meeting_bad_input_one_line(case_files, args, needle):
    extra = case_files[:1] if args[0] == "--today" else []
    assert needle in one_line_error(run("meeting", *extra, *args))


def test_cli_meeting_no_readable_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    assert "no file could be read" in one_line_error(run("meeting", str(bad)))


# --- the mutation check ----------------------------------------------------------------------


@contextmanager
def mutated(name: str, value):
    original = getattr(meeting, name)
    setattr(meeting, name, value)
    try:
        yield
    finally:
        setattr(meeting, name, original)


MUTANTS = {
    "keep the least concerning answer": ("CONCERN_ORDER", (UNKNOWN, NO, PAST, YES)),
    "unknown outranks no": ("CONCERN_ORDER", (YES, PAST, UNKNOWN, NO)),
    "longer ago outranks now": ("CONCERN_ORDER", (PAST, YES, NO, UNKNOWN)),
    "a protective factor counts when one agency saw it": ("PROTECTIVE_ORDER", (YES, NO, UNKNOWN)),
    "no disagreement ever": ("disagrees", lambda answers: False),
    "any difference is a disagreement": ("disagrees", lambda answers: len(set(answers)) > 1),
    "the same file twice counts twice": ("content_hash", lambda document: str(id(document))),
    "different children merged silently": ("check_same_child", lambda views: None),
}


@pytest.mark.parametrize("description", list(MUTANTS))
def test_every_mutation_of_the_merge_rules_is_caught(description):
    name, value = MUTANTS[description]
    failed = []
    with mutated(name, value):
        for check in CHECKS:
            try:
                check()
            except (Exception, pytest.fail.Exception):  # noqa: BLE001 - any failure of a check catches it
                failed.append(check.__name__)
    assert failed, f"mutation survived: {description}"
