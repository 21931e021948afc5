"""The `cse-tools` command line, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import risk_rows

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SCRIPT = Path(sys.executable).parent / "cse-tools"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "cse_tools.cli"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_validate_prints_a_line_per_tool():
    proc = run("validate")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "disruption-tactics",
        "risk-assessment",
        "screening",
    ]
    assert all(": ok (" in line for line in lines)


def test_validate_other_folder():
    proc = run("validate", "--definitions", "tests/data/mini")
    assert proc.returncode == 0 and proc.stdout.startswith(
        "mini: ok (version 1, 3 sections, 3 questions"
    )


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        (
            "tests/data/broken-weight",
            "tests/data/broken-weight/mini.yaml: question 'missing_episodes': field 'weight' must be a whole number >= 0",
        ),
        ("tests/data/bad-yaml", "tests/data/bad-yaml/broken.yaml: is not valid YAML at line 3"),
        ("tests/data/nowhere", "tests/data/nowhere: is not a folder of tool definitions"),
    ],
)
def test_validate_broken_definitions_exits_2_with_one_line(folder, message):
    assert one_line_error(run("validate", "--definitions", folder)).startswith(message)


def test_explain_prints_questions_bands_and_rules():
    proc = run("explain", "screening")
    assert proc.returncode == 0, proc.stderr
    out = " ".join(proc.stdout.split())  # cells wrap: compare with whitespace collapsed
    for needle in (
        "VULNERABILITIES",
        "RISK INDICATORS",
        "SIGNS OF HARM",
        "missing_episodes",
        "last 6 months",
        "Weight yes / past",
        "BANDS",
        "24+",
        "Category 3: serious risk",
        "RULES",
        'sign_of_harm_now: when any question counting as a sign of harm is answered "yes"',
        "age 0-12: a sign of harm",
        "call 999",
    ):
        assert needle in out, needle
    assert "PROTECTIVE FACTORS" in run("explain", "risk-assessment").stdout


def test_explain_json_and_tactics():
    table = json.loads(run("explain", "risk-assessment", "--json").stdout)
    assert table["tool"] == "risk-assessment" and len(table["bands"]) == 3
    tactics = run("explain", "disruption-tactics").stdout
    assert "abduction_warning_notice" in tactics and "Suggested owner" in tactics


def test_assess_from_stdin_and_file(tmp_path):
    answers = {
        "age": 14,
        "answers": {"missing_episodes": "yes", "unexplained_gifts": "yes", "older_partner": "yes"},
    }
    proc = run("assess", "screening", "-", stdin=json.dumps(answers))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert (result["tool"], result["level"], result["score"]) == ("screening", 2, 12)
    assert result["provisional"] is True and len(result["gaps"]) == 24
    path = tmp_path / "answers.json"
    path.write_text(
        json.dumps({**answers, "review_date": "2025-05-01", "notes": {}}), encoding="utf-8"
    )
    from_file = json.loads(run("assess", "screening", str(path)).stdout)
    assert from_file["level"] == 2 and from_file["review_date"] == "2025-05-01"


def test_assess_accepts_a_saved_answers_file():
    saved = {
        "format": "cse-tools/answers",
        "version": 1,
        "tool": "risk-assessment",
        "saved_at": "2025-01-01T09:00:00Z",
        "age": 12,
        "answers": {"sexual_activity": "yes", "trusted_adult": "yes"},
        "notes": {"signs_of_harm": "Told her teacher."},
        "review_date": None,
    }
    result = json.loads(run("assess", "risk-assessment", "-", stdin=json.dumps(saved)).stdout)
    assert result["level"] == 3 and result["immediate_action"]
    assert result["protective_factors"] == [
        {
            "question": "trusted_adult",
            "text": "Does the child have a trusted adult they talk to?",
            "statement": "Has a trusted adult they talk to",
        }
    ]


BAD_INPUT = {
    "unknown tool": (
        ["assess", "nope", "-"],
        '{"age": 14, "answers": {}}',
        "unknown tool 'nope' (known: disruption-tactics, risk-assessment, screening)",
    ),
    "not an assessment tool": (
        ["assess", "disruption-tactics", "-"],
        '{"age": 14, "answers": {}}',
        "tool 'disruption-tactics' is a disruption tool, not an assessment tool",
    ),
    "unknown question": (
        ["assess", "screening", "-"],
        '{"age": 14, "answers": {"nope": "yes"}}',
        "answers.nope: not a question of the screening tool",
    ),
    "invalid value": (
        ["assess", "screening", "-"],
        '{"age": 14, "answers": {"missing_episodes": "maybe"}}',
        "answers.missing_episodes: 'maybe' is not one of yes, past, no, unknown",
    ),
    "past without a time window": (
        ["assess", "screening", "-"],
        '{"age": 14, "answers": {"looked_after": "past"}}',
        "answers.looked_after: 'past' is not allowed: this question has no time window",
    ),
    "age missing": (["assess", "screening", "-"], '{"answers": {}}', "age: missing"),
    "age not an integer": (
        ["assess", "screening", "-"],
        '{"age": "14", "answers": {}}',
        "age: '14' is not a whole number",
    ),
    "age a fraction": (
        ["assess", "screening", "-"],
        '{"age": 14.5, "answers": {}}',
        "age: 14.5 is not a whole number",
    ),
    "age too high": (
        ["assess", "screening", "-"],
        '{"age": 18, "answers": {}}',
        "age: 18 is outside 0-17",
    ),
    "age negative": (
        ["plan", "screening", "-"],
        '{"age": -1, "answers": {}}',
        "age: -1 is outside 0-17",
    ),
    "answers missing": (["assess", "screening", "-"], '{"age": 14}', "answers: missing"),
    "answers not an object": (
        ["assess", "screening", "-"],
        '{"age": 14, "answers": ["yes"]}',
        "answers: must be an object",
    ),
    "unknown field": (
        ["assess", "screening", "-"],
        '{"agee": 14, "answers": {}}',
        "agee: unknown field",
    ),
    "malformed JSON": (["assess", "screening", "-"], '{"age": 14,', "stdin: not valid JSON"),
    "top level not an object": (
        ["plan", "screening", "-"],
        "[14]",
        "stdin: the top level must be a JSON object",
    ),
    "bad review date": (
        ["assess", "screening", "-"],
        '{"age": 14, "answers": {}, "review_date": "soon"}',
        "review_date: 'soon' is not a date (YYYY-MM-DD)",
    ),
    "bad --today": (
        ["plan", "screening", "-", "--today", "2025-13-01"],
        '{"age": 14, "answers": {}}',
        "--today: '2025-13-01' is not a date (YYYY-MM-DD)",
    ),
    "file missing": (
        ["assess", "screening", "tests/data/no-such.json"],
        None,
        "tests/data/no-such.json: cannot be read (No such file or directory)",
    ),
    "saved file for another tool": (
        ["assess", "screening", "-"],
        '{"format": "cse-tools/answers", "version": 1, "tool": "risk-assessment", "age": 14, "answers": {}}',
        "tool: the file is for 'risk-assessment', not 'screening'",
    ),
    "saved file from a newer version": (
        ["assess", "screening", "-"],
        '{"format": "cse-tools/answers", "version": 4, "tool": "screening", "age": 14, "answers": {}}',
        "version: 4 is newer than 3",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUT), ids=list(BAD_INPUT))
def test_bad_input_exits_2_with_one_line_naming_the_problem(case):
    args, stdin, message = BAD_INPUT[case]
    line = one_line_error(run(*args, stdin=stdin))
    assert line.startswith(message), line


def test_plan_rows_come_from_the_definitions():
    answers = {
        "age": 15,
        "answers": {
            "missing_episodes": "past",
            "disclosure": "yes",
            "looked_after": "yes",
            "homeless": "past",
            "sexual_activity": "yes",
            "injuries": "no",
        },
    }
    proc = run("plan", "screening", "-", "--today", "2025-03-10", stdin=json.dumps(answers))
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(proc.stdout)
    assert (plan["tool"], plan["level"]) == ("screening", 3)
    rows = {row["risk"]: row for row in risk_rows(plan)}
    # At 15 sexual activity is not a concern on its own, so it is not a row.
    assert list(rows) == ["disclosure", "missing_episodes", "looked_after"]
    assert rows["disclosure"]["due"] == "2025-03-10"  # a sign of harm: same day
    assert (
        rows["missing_episodes"]["due"] == "2025-03-13"
        and rows["missing_episodes"]["lead_agency"] == "Local authority (children's social care)"
    )
    assert rows["looked_after"]["due"] == "2025-04-07"
    assert rows["missing_episodes"]["review"] == "2025-03-17"  # level 3: review within 7 days
    assert plan["next_review_meeting"] == "2025-03-17"
