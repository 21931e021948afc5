"""Draft multi-agency safety plans, blank disruption plans and overdue checks. No I/O.

Which answers become safety plan rows (one row per identified risk):
- every question that counts as a risk indicator or a sign of harm (for this child's age)
  answered "yes" or "past";
- every vulnerability answered "yes" (now or in the last 6 months) whose definition suggests an
  action; a vulnerability only "in the past" is background, not a row.
The action, lead agency and due-in-days come from the question's plan suggestion (an age rule may
carry its own). Signs of harm are always due the same day. Each row's review date is the start
date plus the level's review_days (never before the due date); the same date is proposed for the
next review meeting. Facts recorded beside a question (how often the child goes missing, the adult's
approximate age, vehicle registrations...) start the row's notes. Every drafted plan then has the
tool's standing rows after the risks (`plan_rows` in questions.yaml: what procedure chapter 7
says a good plan covers). What the assessment recorded in words goes across too: "what the child or others said"
starts the child's views, the sections' notes become the plan's assessment notes, and protective
factors are written as statements ("Has a trusted adult they talk to"), never as questions.
Each row has a named person as well as the lead agency; a draft leaves it for the meeting to fill.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from .checks import check_answers, check_date, check_facts
from .engine import assess, counts_as
from .errors import InputError
from .model import (
    CONCERN_ANSWERS,
    DISRUPTION,
    RISK_INDICATOR,
    SIGN_OF_HARM,
    VULNERABILITY,
    YES,
    PlanSuggestion,
    Question,
    ToolDefinition,
)

SAFETY_PLAN_FORMAT = "cse-tools/safety-plan"
DISRUPTION_PLAN_FORMAT = "cse-tools/disruption-plan"
PLAN_VERSION = 3  # every saved file's version (files.FILE_VERSION)
STANDING_PREFIX = "plan:"  # a standing row's risk: "plan:" and the row's id in questions.yaml
SAID_NOTE = "said"  # the notes key of "What the child or others said" on the assessment tools


def add_days(start: dt.date, days: int) -> dt.date:
    """The date `days` after `start` (0 = the same day)."""
    return start + dt.timedelta(days=days)


def parse_day(value: Any, field: str) -> dt.date:
    """A required YYYY-MM-DD date."""
    text = check_date(value, field)
    if text is None:
        raise InputError(
            field, "is missing (YYYY-MM-DD)", f"The {field.replace('_', ' ')} date is missing."
        )
    return dt.date.fromisoformat(text)


def suggestion_for(question: Question, age: int | None) -> PlanSuggestion | None:
    """The plan suggestion for a question at this age: the matching age rule's own, else the question's."""
    if question.age_rules and age is not None:
        for rule in question.age_rules:
            if age <= rule.max_age:
                return rule.plan or question.plan
    return question.plan


def is_plan_risk(kind: str, answer: str | None) -> bool:
    if kind in (RISK_INDICATOR, SIGN_OF_HARM):
        return answer in CONCERN_ANSWERS
    return kind == VULNERABILITY and answer == YES


def facts_note(question: Question, recorded: Mapping[str, str]) -> str:
    """The recorded facts of one question as a sentence for the plan row's notes ("" if none)."""
    parts = [
        f"{fact.short}: {recorded[fact.id]}" for fact in question.facts if recorded.get(fact.id)
    ]
    return f"Recorded at the assessment: {'; '.join(parts)}." if parts else ""


def plan_row(
    risk: str, risk_text: str, suggestion: PlanSuggestion, due: dt.date, review: dt.date
) -> dict[str, Any]:
    """One drafted row: the suggested action and lead agency; the named person is the meeting's."""
    return {
        "risk": risk,
        "risk_text": risk_text,
        "action": suggestion.action,
        "lead_agency": suggestion.lead_agency,
        "person": "",
        "due": due.isoformat(),
        "review": max(due, review).isoformat(),
        "done": False,
        "notes": "",
    }


def notes_text(tool: ToolDefinition, notes: Mapping[str, Any] | None) -> tuple[str, str]:
    """What the assessment recorded in words: ("what the child or others said", the sections'
    notes each headed by its section's title). Blank notes are left out."""
    notes = notes or {}

    def text(key: str) -> str:
        value = notes.get(key)
        return value.strip() if isinstance(value, str) else ""

    said = text(SAID_NOTE)
    parts = [f"{s.title}: {text(s.id)}" for s in tool.sections if text(s.id)]
    return (f"Said at the assessment: {said}" if said else "", "\n\n".join(parts))


def draft_plan(
    tool: ToolDefinition,
    age: int | None,
    answers: Mapping[str, str],
    start: dt.date,
    facts: Mapping[str, Any] | None = None,
    notes: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The draft safety plan for these answers (recorded facts and notes), dated from `start`."""
    result = assess(tool, age, answers)
    answers = check_answers(tool, answers)
    recorded = check_facts(tool, facts)
    level = tool.level(result["level"])
    review = add_days(start, level.review_days)
    rows: list[dict[str, Any]] = []
    for section, question in tool.questions():
        kind = counts_as(section, question, result["age"])
        answer = answers.get(question.id)
        if not is_plan_risk(kind, answer):
            continue
        suggestion = suggestion_for(question, result["age"])
        if suggestion is None:
            continue
        due = add_days(start, 0 if kind == SIGN_OF_HARM else suggestion.due_days)
        row = plan_row(question.id, question.statement or question.text, suggestion, due, review)
        row.update(counts_as=kind, answer=answer)
        row["notes"] = facts_note(question, recorded.get(question.id, {}))
        rows.append(row)
    rows.sort(key=lambda row: row["due"])  # stable: same-day rows keep the tool's order
    for standing in tool.plan_rows:  # after the risks, in chapter 7's order
        due = add_days(start, standing.plan.due_days)
        rows.append(
            plan_row(STANDING_PREFIX + standing.id, standing.risk, standing.plan, due, review)
        )
    said, assessment_notes = notes_text(tool, notes)
    return {
        "format": SAFETY_PLAN_FORMAT,
        "version": PLAN_VERSION,
        "tool": tool.id,
        "tool_version": tool.version,
        "age": result["age"],
        "level": result["level"],
        "label": result["label"],
        "provisional": result["provisional"],
        "start": start.isoformat(),
        "rows": rows,
        "child_views": said,
        "family_views": "",
        "protective_factors": [
            item["statement"] or item["text"] for item in result["protective_factors"]
        ],
        "assessment_notes": assessment_notes,
        "missing_contacts": "",
        "agreed_level": None,
        "decisions": "",
        "next_review_meeting": review.isoformat(),
        "immediate_action": result["immediate_action"],
        "judgement_note": tool.judgement_note,
        "emergency_note": tool.emergency_note,
    }


def blank_disruption_plan(tool: ToolDefinition) -> dict[str, Any]:
    """A disruption plan with every tactic listed, unchecked, owned by its suggested owner."""
    if tool.kind != DISRUPTION:
        raise InputError("tool", f"{tool.id!r} is not a list of disruption tactics")
    return {
        "format": DISRUPTION_PLAN_FORMAT,
        "version": PLAN_VERSION,
        "tool": tool.id,
        "tactics": [
            {
                "id": t.id,
                "title": t.title,
                "checked": False,
                "owner": t.owner,
                "date": None,
                "done": False,
                "notes": "",
            }
            for t in tool.tactics
        ],
        "locations": "",
        "people": "",
        "vehicles": "",
        "next_review_meeting": None,
    }


def overdue(plan: Mapping[str, Any], today: dt.date) -> list[dict[str, Any]]:
    """What in a (checked) safety or disruption plan is past its date and not done, oldest first.

    Each item carries `index`, the position of its row (or tactic) in the plan, so the page marks
    it directly: one pass over the plan and one sort, however many rows there are.
    """
    items: list[dict[str, Any]] = []

    def late(what: str, date_text: str | None, **info: Any) -> None:
        if not date_text:
            return
        when = dt.date.fromisoformat(date_text)
        if when < today:
            items.append(
                {"what": what, "date": date_text, "days_overdue": (today - when).days, **info}
            )

    if plan.get("format") == DISRUPTION_PLAN_FORMAT:
        for index, tactic in enumerate(plan.get("tactics", [])):
            if tactic.get("checked") and not tactic.get("done"):
                late(
                    "tactic",
                    tactic.get("date"),
                    index=index,
                    id=tactic["id"],
                    title=tactic.get("title", ""),
                    owner=tactic.get("owner", ""),
                )
    else:
        for index, row in enumerate(plan.get("rows", [])):
            if row.get("done"):
                continue
            info = dict(
                index=index,
                risk=row["risk"],
                risk_text=row.get("risk_text", ""),
                action=row["action"],
                lead_agency=row["lead_agency"],
            )
            late("due", row.get("due"), **info)
            late("review", row.get("review"), **info)
    late("review meeting", plan.get("next_review_meeting"))
    items.sort(key=lambda item: (item["date"], item["what"]))
    return items
