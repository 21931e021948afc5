"""Realistic saved files for the partnership profile's tests and benchmark: a partnership's year of
screenings, risk assessments, safety and disruption plans and meeting files, every one written by
the package's own writers (files.answers_document, planning.draft_plan), so every file is valid.

`year_of_files(n, seed)` gives n (name, text) pairs; `marker` puts a unique text in every free-text
and identifying field, so a test can check that none of it reaches the profile.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

from cse_tools import files, planning
from cse_tools.catalog import default_catalog
from cse_tools.checks import allowed_answers
from cse_tools.engine import assess
from cse_tools.model import PROTECTIVE
from cse_tools.profile import MEETING_FORMAT

Text = Callable[[str], str]
START = dt.date(2026, 1, 5)


def plain(field: str) -> str:
    """Ordinary text for a field (no marker)."""
    return {"reference": "", "practitioner": "A practitioner", "agency": "An agency"}.get(
        field, "Some words."
    )


def marked(prefix: str) -> Text:
    """A text maker that writes a unique marker (prefix, field, a counter) into every field."""
    counter = iter(range(10**9))
    return lambda field: f"{prefix}{field.replace('.', '')}{next(counter)}X"


def _answers(tool: Any, rng: random.Random, concern: float) -> dict[str, str]:
    answers = {}
    for section, question in tool.questions():
        options = allowed_answers(question)
        if section.kind == PROTECTIVE:
            answers[question.id] = rng.choice(options)
        elif rng.random() < concern:
            answers[question.id] = rng.choice([a for a in options if a in ("yes", "past")])
        elif rng.random() < 0.85:
            answers[question.id] = "no"
        else:
            answers[question.id] = "unknown"
    return answers


def _facts(tool: Any, answers: dict[str, str], text: Text) -> dict[str, dict[str, str]]:
    facts: dict[str, dict[str, str]] = {}
    for _s, question in tool.questions():
        if answers.get(question.id) in ("yes", "past"):
            for fact in question.facts:
                facts.setdefault(question.id, {})[fact.id] = (
                    fact.choices[0] if fact.choices else text(f"fact.{fact.id}")[:200]
                )
    return facts


def _case(
    reference: str, day: dt.date, text: Text, plan: bool = False, age: int | None = None
) -> dict[str, Any]:
    case = {
        "reference": reference,
        "date": day.isoformat(),
        "practitioner": text("practitioner"),
        "agency": text("agency"),
    }
    if plan:
        case.update(
            age=age, meeting_date=day.isoformat(), chair=text("chair"), attendees=text("attendees")
        )
    return case


def _saved(day: dt.date, rng: random.Random) -> str:
    return f"{day.isoformat()}T{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}:00Z"


def child_files(
    number: int,
    rng: random.Random,
    text: Text = plain,
    *,
    version: int = 2,
    start: dt.date = START,
    days: int = 300,
) -> list[tuple[str, str]]:
    """One child's files over the year: a screening, often a risk assessment, plans and a meeting."""
    catalog = default_catalog()
    age = rng.choice([11, 12, 13, 13, 14, 14, 15, 15, 15, 16, 16, 17])
    reference = text("reference") or f"REF-{number:05d}"
    if rng.random() < 0.03:
        reference = ""  # a file without a reference
    day = start + dt.timedelta(days=rng.randrange(days))
    concern = rng.choice([0.0, 0.05, 0.12, 0.25])
    out: list[tuple[str, str]] = []

    def answers_file(tool_id: str, when: dt.date, level_shift: float) -> dict[str, str]:
        tool = catalog[tool_id]
        answers = _answers(tool, rng, max(0.0, concern + level_shift))
        notes = {s.id: text(f"notes.{s.id}") for s in tool.sections}
        notes["said"] = text("notes.said")
        doc = files.answers_document(
            tool,
            age,
            answers,
            notes,
            None,
            _saved(when, rng),
            facts=_facts(tool, answers, text),
            case=_case(reference, when, text) if reference else None,
        )
        if version == 1:
            doc = {k: v for k, v in doc.items() if k not in ("facts", "case")} | {"version": 1}
        out.append((f"child{number:05d}-{tool_id}-{when.isoformat()}.json", files.dump(doc)))
        return answers

    answers = answers_file("screening", day, 0.0)
    if concern == 0.0 or rng.random() < 0.3:
        return out
    day = day + dt.timedelta(days=rng.randrange(3, 30))
    answers = answers_file("risk-assessment", day, rng.choice([-0.05, 0.0, 0.05]))
    tool = catalog["risk-assessment"]
    level = assess(tool, age, answers)["level"]
    if level >= 1 and rng.random() < 0.8:
        plan = planning.draft_plan(tool, age, answers, day)
        for row in plan["rows"]:
            row["done"] = rng.random() < 0.4
            row["notes"] = text("rows.notes")
            row["risk_text"] = text("rows.risk_text")
            if rng.random() < 0.1:
                row["lead_agency"] = text("rows.lead_agency")
        plan.update(
            child_views=text("child_views"),
            family_views=text("family_views"),
            missing_contacts=text("missing_contacts"),
            protective_factors=[text("protective_factors")],
            saved_at=_saved(day, rng),
        )
        if reference:
            plan["case"] = _case(reference, day, text, plan=True, age=age)
        out.append(
            (
                f"child{number:05d}-safety-plan-{day.isoformat()}.json",
                files.dump(files.parse_plan(plan, catalog)),
            )
        )
    if level >= 2:
        disruption = planning.blank_disruption_plan(catalog["disruption-tactics"])
        for tactic in disruption["tactics"]:
            tactic["checked"] = rng.random() < 0.3
            tactic["done"] = tactic["checked"] and rng.random() < 0.5
            tactic["owner"] = text("tactics.owner")
            tactic["notes"] = text("tactics.notes")
            tactic["title"] = text("tactics.title")
            tactic["date"] = (day + dt.timedelta(days=14)).isoformat()
        disruption.update(
            locations=text("locations"), people=text("people"), saved_at=_saved(day, rng)
        )
        if reference:
            disruption["case"] = _case(reference, day, text, plan=True, age=age)
        out.append(
            (
                f"child{number:05d}-disruption-{day.isoformat()}.json",
                files.dump(files.parse_plan(disruption, catalog)),
            )
        )
        meeting_day = day + dt.timedelta(days=rng.randrange(1, 20))
        out.append(
            (
                f"child{number:05d}-meeting-{meeting_day.isoformat()}.json",
                files.dump(
                    meeting_file(reference, age, tool.id, answers, level, meeting_day, text, rng)
                ),
            )
        )
    return out


def meeting_file(
    reference: str,
    age: int,
    tool_id: str,
    answers: dict[str, str],
    level: int,
    day: dt.date,
    text: Text,
    rng: random.Random,
) -> dict[str, Any]:
    """A meeting file as cse_tools.meeting writes it (format cse-tools/meeting, version 1); its
    sources are left empty here: the profile reads the meeting's own summary only."""
    return {
        "format": MEETING_FORMAT,
        "version": 1,
        "saved_at": _saved(day, rng),
        "case": {"reference": reference or None, "age": age},
        "same_child": False,
        "combined": {
            "tool": tool_id,
            "level": level,
            "label": f"Category {level}",
            "set_by_rule": None,
            "score": 0,
            "answers": answers,
        },
        "agencies": [
            {
                "agency": text("agencies.agency"),
                "tool": tool_id,
                "level": level,
                "label": "",
                "saved_at": _saved(day, rng),
            }
        ],
        "record": {
            "date": day.isoformat(),
            "chair": text("record.chair"),
            "attendees": [
                {"agency": text("record.attendees.agency"), "role": text("record.attendees.role")}
            ],
            "agreed_level": level,
            "reason": text("record.reason"),
            "decisions": text("record.decisions"),
            "resolutions": {"level": text("record.resolutions")},
            "actions": [
                {
                    "risk": text("record.actions.risk"),
                    "action": text("record.actions.action"),
                    "owner": text("record.actions.owner"),
                    "due": day.isoformat(),
                }
            ],
            "next_review": (day + dt.timedelta(days=28)).isoformat(),
            "outcome": "exploitation_meeting",
        },
        "sources": [],
    }


def year_of_files(count: int, seed: int = 2026, text: Text = plain) -> list[tuple[str, str]]:
    """About `count` files: children added until there are that many, cut to exactly count."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    number = 0
    while len(out) < count:
        number += 1
        out.extend(child_files(number, rng, text))
    return out[:count]
