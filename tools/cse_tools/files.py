"""The saved-file formats (JSON, version 3; versions 1 and 2 are still read) and their checks.
No I/O: text in, text out.

answers ("format": "cse-tools/answers"):
    format, version, tool, tool_version, saved_at, age (0-17 or null), answers {question id: answer},
    notes {section id or "said": narrative text}, review_date (YYYY-MM-DD or null); "said" holds
    what the child or others said, a box on every assessment tool; facts {question id: {fact id:
    text}}, the facts recorded beside a question (checks.check_facts); case {reference, date,
    practitioner, agency}, the case header
safety plan ("format": "cse-tools/safety-plan"):
    format, version, tool, saved_at, rows [{risk, risk_text, action, lead_agency, person, due,
    review, done, notes}], child_views, family_views, protective_factors [text], assessment_notes,
    missing_contacts, agreed_level (the meeting's category, 0-3 or null), decisions,
    next_review_meeting; and, as drafted, tool_version, age, level, label, provisional, start,
    immediate_action, judgement_note, emergency_note; case {reference, age, date, practitioner,
    lead_professional, agency, meeting_date, chair, attendees}
disruption plan ("format": "cse-tools/disruption-plan"):
    format, version, tool, saved_at, tactics [{id, title, checked, owner, date, done, notes}],
    locations, people, vehicles (free text as the practitioner writes it), next_review_meeting,
    case (as a safety plan's)
meeting ("format": "cse-tools/meeting", its own version 1): described and read in meeting.py.
Version 2 added facts and case; a version 1 file is read as one with neither. Version 3 added a
row's named person, the plan's assessment notes, agreed category and decisions, the disruption
plan's vehicles, and the plan's lead professional beside its practitioner: a version 1 or 2 plan's
case "practitioner" was the box labelled "Lead professional", so it is read as lead_professional.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Mapping

from .catalog import find_tool
from .checks import check_age, check_answers, check_date, check_facts
from .errors import FileFormatError, InputError
from .fields import (
    file_flag,
    file_list,
    file_missing,
    file_not_too_many,
    file_only,
    file_require,
    file_text,
    file_whole,
    file_wrong,
    show_file_value,
)
from .model import ASSESSMENT, DISRUPTION, MAX_AGE, MIN_AGE, ToolDefinition
from .nesting import MAX_DEPTH, too_deep
from .planning import DISRUPTION_PLAN_FORMAT, PLAN_VERSION, SAFETY_PLAN_FORMAT
from .planning import SAID_NOTE as SAID_NOTE

ANSWERS_FORMAT = "cse-tools/answers"
MEETING_FORMAT = "cse-tools/meeting"  # described and read in meeting.py
FILE_VERSION = PLAN_VERSION  # one version for every saved file
READS_VERSIONS = (1, 2, 3)  # a version 1 file has no facts and no case header
FORMATS = {
    ANSWERS_FORMAT: "saved answers file",
    SAFETY_PLAN_FORMAT: "saved safety plan",
    DISRUPTION_PLAN_FORMAT: "saved disruption plan",
    MEETING_FORMAT: "saved meeting record",  # read by meeting.parse_meeting
}
NOT_OURS = "This file is not a saved CSE tool file."
Catalog = Mapping[str, ToolDefinition]

# Limits: a saved file is at most a few hundred kilobytes; anything far bigger is not one of ours,
# and a plan too long to read at a meeting is refused with a plain message rather than slowing
# the page down. The page checks the file size before reading it (tool-common.js) as well.
MAX_FILE_CHARS = 2_000_000
MAX_ROWS = 200
MAX_TACTICS = 100
MAX_PROTECTIVE_FACTORS = 200
TOO_BIG = f"This file is too big to be a saved CSE tool file (the limit is {MAX_FILE_CHARS // 1_000_000} MB)."


def dump(document: Mapping[str, Any]) -> str:
    """The canonical text of a saved file."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def read_json(text: Any) -> dict[str, Any]:
    if not isinstance(text, str):
        raise FileFormatError("text", "must be the text of the file", NOT_OURS)
    if len(text) > MAX_FILE_CHARS:
        raise FileFormatError(None, f"{len(text)} characters, more than {MAX_FILE_CHARS}", TOO_BIG)
    if too_deep(text):  # counted before parsing: a deep file overflows Pyodide's stack
        raise FileFormatError(
            None, f"nested more than {MAX_DEPTH} deep", f"{NOT_OURS} (It is nested too deeply.)"
        )
    try:
        data = json.loads(text)
    except RecursionError as exc:  # nested deeper than any saved file is
        raise FileFormatError(
            None, "nested too deeply", f"{NOT_OURS} (It is nested too deeply.)"
        ) from exc
    except ValueError as exc:
        raise FileFormatError(
            None, f"not JSON ({exc})", f"{NOT_OURS} (It could not be read as JSON.)"
        ) from exc
    if not isinstance(data, dict):
        raise FileFormatError(None, "the top level is not an object", NOT_OURS)
    return data


def check_header(doc: Mapping[str, Any], expected: tuple[str, ...]) -> str:
    """Check format and version; return the format."""
    fmt = doc.get("format")
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise FileFormatError(
            "format", f"{show_file_value(fmt)} is not a CSE tool file format", NOT_OURS
        )
    if fmt not in expected:
        wanted = " or ".join(FORMATS[e] for e in expected)
        raise FileFormatError(
            "format",
            f"{show_file_value(fmt)} is not {wanted}",
            f"This is a {FORMATS[fmt]}, not a {wanted}.",
        )
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise FileFormatError(
            "version", "is missing or not a whole number", f"{NOT_OURS} (Its version is missing.)"
        )
    if version > FILE_VERSION:
        raise FileFormatError(
            "version",
            f"{version} is newer than {FILE_VERSION}",
            f"This file was saved by a newer version (version {version}); this page reads version {FILE_VERSION}.",
        )
    if version not in READS_VERSIONS:
        raise FileFormatError(
            "version",
            f"{version} is not {FILE_VERSION}",
            f"This file's version ({version}) is not one this page reads (versions {READS_VERSIONS[0]} to {FILE_VERSION}).",
        )
    return fmt


def _tool(doc: Mapping[str, Any], catalog: Catalog, kind: str) -> ToolDefinition:
    tool_id = doc.get("tool")
    try:
        if not isinstance(tool_id, str):
            raise InputError("tool", "is not text")
        return find_tool(catalog, tool_id, kind)
    except InputError:
        shown = show_file_value(tool_id).replace('"', "'")
        raise FileFormatError(
            "tool",
            f"unknown tool {shown}",
            f"This file is for a tool this page does not know ({shown}).",
        ) from None


def _saved_at(doc: Mapping[str, Any]) -> str | None:
    value = doc.get("saved_at")
    if value is not None and not isinstance(value, str):
        raise file_wrong("saved_at", "must be text")
    if value is not None and len(value) > 40:
        raise file_wrong("saved_at", "is not a date and time")
    return value


def _date(value: Any, field: str) -> str | None:
    try:
        return check_date(value, field)
    except ValueError as exc:
        raise FileFormatError(
            field,
            f"{show_file_value(value)} is not a date (YYYY-MM-DD)",
            f"The file's '{field}' is not a date (YYYY-MM-DD).",
        ) from exc


# --- answers -------------------------------------------------------------------------------------

ANSWERS_FIELDS = (
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
)

# The case header (overrides/partials/tools/case-header.html): field -> the longest text it takes
# ("date" fields are YYYY-MM-DD, "age" a whole number). Empty fields are left out of the file.
CASE_LIMITS = {
    "reference": 40,
    "practitioner": 200,
    "lead_professional": 200,
    "agency": 200,
    "chair": 200,
    "attendees": 4000,
}
CASE_DATES = ("date", "meeting_date")
ASSESSMENT_CASE = ("reference", "date", "practitioner", "agency")
PLAN_CASE = (
    "reference",
    "age",
    "date",
    "practitioner",
    "lead_professional",
    "agency",
    "meeting_date",
    "chair",
    "attendees",
)


def check_case(case: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The case header in its canonical form: known fields only, in order, empty ones left out."""
    if case is None:
        return {}
    if not isinstance(case, Mapping):
        raise file_wrong("case", "must be an object")
    file_only(case, fields, "case.")
    clean: dict[str, Any] = {}
    for field in fields:
        value = case.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        name = f"case.{field}"
        if field in CASE_DATES:
            clean[field] = _date(value, name)
        elif field == "age":
            try:
                clean[field] = check_age(value, required=False, allow_text=True)
            except InputError:
                raise file_wrong(
                    name, f"must be a whole number from {MIN_AGE} to {MAX_AGE}"
                ) from None
        else:
            text = file_text(case, field, name)
            if len(text) > CASE_LIMITS[field]:
                raise file_wrong(name, f"is longer than {CASE_LIMITS[field]} characters")
            clean[field] = text.strip()
    return {key: value for key, value in clean.items() if value is not None}


def check_notes(tool: ToolDefinition, notes: Any, field: str = "notes") -> dict[str, str]:
    if notes is None:
        return {}
    if not isinstance(notes, Mapping):
        raise file_wrong(field, "must map section ids to text")
    sections = {s.id for s in tool.sections} | {SAID_NOTE}
    clean = {}
    for key, value in notes.items():
        if key not in sections:
            shown = show_file_value(key).replace('"', "'")
            raise FileFormatError(
                f"{field}.{key}",
                f"not a section of the {tool.id} tool",
                f"The notes name a section ({shown}) that the {tool.title} does not have.",
            )
        if value is None:
            continue
        value = file_text(notes, key, f"{field}.{key}")
        if value.strip():
            clean[key] = value
    order = [s.id for s in tool.sections] + [SAID_NOTE]
    return {key: clean[key] for key in order if key in clean}


def answers_document(
    tool: ToolDefinition,
    age: Any,
    answers: Mapping[str, Any],
    notes: Mapping[str, Any] | None = None,
    review_date: Any = None,
    saved_at: str | None = None,
    *,
    allow_text_age: bool = False,
    facts: Any = None,
    case: Any = None,
) -> dict[str, Any]:
    """The canonical saved-answers document (answers in the tool's order; empty answers left out)."""
    if tool.kind != ASSESSMENT:
        raise FileFormatError("tool", f"{tool.id!r} is not an assessment tool")
    checked = (
        check_answers(tool, {k: v for k, v in answers.items() if v not in (None, "")})
        if isinstance(answers, Mapping)
        else check_answers(tool, answers)
    )
    return {
        "format": ANSWERS_FORMAT,
        "version": FILE_VERSION,
        "tool": tool.id,
        "tool_version": tool.version,
        "saved_at": saved_at,
        "age": check_age(age, required=False, allow_text=allow_text_age),
        "answers": {q.id: checked[q.id] for _s, q in tool.questions() if q.id in checked},
        "notes": check_notes(tool, notes),
        "review_date": check_date(review_date, "review_date"),
        "facts": check_facts(tool, facts),
        "case": check_case(case, ASSESSMENT_CASE),
    }


def parse_answers(doc: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
    """Check a saved answers document (already parsed JSON); return its canonical form."""
    check_header(doc, (ANSWERS_FORMAT,))
    file_only(doc, ANSWERS_FIELDS)
    file_require(doc, ("tool", "age", "answers"))
    tool = _tool(doc, catalog, ASSESSMENT)
    file_whole(doc, "tool_version", 0, 1_000_000)
    saved_at = _saved_at(doc)
    if isinstance(doc["answers"], Mapping):
        for key in doc["answers"]:
            if tool.question(key) is None:
                shown = show_file_value(key).replace('"', "'")
                raise FileFormatError(
                    f"answers.{key}",
                    f"not a question of the {tool.id} tool",
                    f"The file answers a question that the {tool.title} does not ask ({shown}).",
                )
    return answers_document(
        tool,
        doc["age"],
        doc["answers"],
        doc.get("notes"),
        doc.get("review_date"),
        saved_at,
        facts=doc.get("facts"),
        case=doc.get("case"),
    )


# --- plans ---------------------------------------------------------------------------------------

SAFETY_FIELDS = (
    "format",
    "version",
    "tool",
    "tool_version",
    "saved_at",
    "age",
    "level",
    "label",
    "provisional",
    "start",
    "rows",
    "child_views",
    "family_views",
    "protective_factors",
    "assessment_notes",
    "missing_contacts",
    "agreed_level",
    "decisions",
    "next_review_meeting",
    "immediate_action",
    "judgement_note",
    "emergency_note",
    "case",
)
SAFETY_REQUIRED = (
    "tool",
    "rows",
    "child_views",
    "family_views",
    "protective_factors",
    "missing_contacts",
    "next_review_meeting",
)
ROW_FIELDS = (
    "risk",
    "risk_text",
    "counts_as",
    "answer",
    "action",
    "lead_agency",
    "person",
    "due",
    "review",
    "done",
    "notes",
)
ROW_REQUIRED = ("risk", "action", "lead_agency", "due", "review")
DISRUPTION_FIELDS = (
    "format",
    "version",
    "tool",
    "saved_at",
    "tactics",
    "locations",
    "people",
    "vehicles",
    "next_review_meeting",
    "case",
)
DISRUPTION_REQUIRED = ("tool", "tactics", "locations", "people")
TACTIC_FIELDS = ("id", "title", "checked", "owner", "date", "done", "notes")
TACTIC_REQUIRED = ("id", "checked")


def _row(raw: Any, index: int) -> dict[str, Any]:
    where = f"rows[{index}]"
    if not isinstance(raw, Mapping):
        raise file_wrong(where, "must be an object")
    file_only(raw, ROW_FIELDS, f"{where}.")
    for field in ROW_REQUIRED:
        if field not in raw or raw[field] in (None, ""):
            raise file_missing(f"{where}.{field}")
    row: dict[str, Any] = {}
    for field in ROW_FIELDS:
        if field in ("due", "review"):
            row[field] = _date(raw[field], f"{where}.{field}")
        elif field == "done":
            row[field] = file_flag(raw, field, f"{where}.done")
        elif field in raw or field in ("risk_text", "person", "notes"):
            row[field] = file_text(raw, field, f"{where}.{field}")
    return row


def parse_safety_plan(doc: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
    check_header(doc, (SAFETY_PLAN_FORMAT,))
    file_only(doc, SAFETY_FIELDS)
    file_require(doc, SAFETY_REQUIRED)
    tool = _tool(doc, catalog, ASSESSMENT)
    factors = file_not_too_many(
        file_list(doc, "protective_factors"),
        "protective_factors",
        MAX_PROTECTIVE_FACTORS,
        "protective factors",
    )
    for index, item in enumerate(factors):
        if not isinstance(item, str):
            raise file_wrong(f"protective_factors[{index}]", "must be text")
        file_text({"item": item}, "item", f"protective_factors[{index}]")  # and not too long
    rows = file_not_too_many(file_list(doc, "rows"), "rows", MAX_ROWS, "rows")
    # Every header field, as drafted (planning.draft_plan), checked for its type.
    header: dict[str, Any] = {
        "tool_version": file_whole(doc, "tool_version", 0, 1_000_000),
        "saved_at": _saved_at(doc),
        "age": _age(doc),
        "level": file_whole(doc, "level", 0, 3),
        "label": file_text(doc, "label") if doc.get("label") is not None else None,
        "provisional": file_flag(doc, "provisional", "provisional")
        if doc.get("provisional") is not None
        else None,
        "start": _date(doc.get("start"), "start"),
    }
    out: dict[str, Any] = {"format": SAFETY_PLAN_FORMAT, "version": PLAN_VERSION, "tool": tool.id}
    out.update({field: value for field, value in header.items() if field in doc})
    out.update(
        {
            "rows": [_row(raw, i) for i, raw in enumerate(rows)],
            "child_views": file_text(doc, "child_views"),
            "family_views": file_text(doc, "family_views"),
            "protective_factors": list(factors),
            "assessment_notes": file_text(doc, "assessment_notes"),
            "missing_contacts": file_text(doc, "missing_contacts"),
            "agreed_level": file_whole(doc, "agreed_level", 0, 3),
            "decisions": file_text(doc, "decisions"),
            "next_review_meeting": _date(doc.get("next_review_meeting"), "next_review_meeting"),
        }
    )
    for field in ("immediate_action", "judgement_note", "emergency_note"):
        if doc.get(field) is not None:
            out[field] = file_text(doc, field)
    out["case"] = plan_case(doc)
    return out


def plan_case(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A plan's case header. Before version 3 a plan's "practitioner" box was labelled "Lead
    professional", so an older file's practitioner is read as its lead professional."""
    case = doc.get("case")
    if doc.get("version") in (1, 2) and isinstance(case, Mapping) and "practitioner" in case:
        case = {
            ("lead_professional" if key == "practitioner" else key): value
            for key, value in case.items()
            if key != "lead_professional"
        }
    return check_case(case, PLAN_CASE)


def _age(doc: Mapping[str, Any]) -> int | None:
    try:
        return check_age(doc.get("age"), required=False)
    except InputError:
        raise file_wrong(
            "age", f"must be a whole number from {MIN_AGE} to {MAX_AGE}, or null"
        ) from None


def parse_disruption_plan(doc: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
    check_header(doc, (DISRUPTION_PLAN_FORMAT,))
    file_only(doc, DISRUPTION_FIELDS)
    file_require(doc, DISRUPTION_REQUIRED)
    tool = _tool(doc, catalog, DISRUPTION)
    tactics = []
    raw_tactics = file_not_too_many(file_list(doc, "tactics"), "tactics", MAX_TACTICS, "tactics")
    saved_at = _saved_at(doc)
    for index, raw in enumerate(raw_tactics):
        where = f"tactics[{index}]"
        if not isinstance(raw, Mapping):
            raise file_wrong(where, "must be an object")
        file_only(raw, TACTIC_FIELDS, f"{where}.")
        for field in TACTIC_REQUIRED:
            if field not in raw:
                raise file_missing(f"{where}.{field}")
        known = tool.tactic(raw["id"]) if isinstance(raw["id"], str) else None
        if known is None:
            shown = show_file_value(raw["id"]).replace('"', "'")
            raise FileFormatError(
                f"{where}.id",
                f"{shown} is not a known disruption tactic",
                f"The file lists a disruption tactic this page does not know ({shown}).",
            )
        tactics.append(
            {
                "id": known.id,
                "title": file_text(raw, "title", f"{where}.title") or known.title,
                "checked": file_flag(raw, "checked", f"{where}.checked"),
                "owner": file_text(raw, "owner", f"{where}.owner"),
                "date": _date(raw.get("date"), f"{where}.date"),
                "done": file_flag(raw, "done", f"{where}.done"),
                "notes": file_text(raw, "notes", f"{where}.notes"),
            }
        )
    out = {"format": DISRUPTION_PLAN_FORMAT, "version": PLAN_VERSION, "tool": tool.id}
    if "saved_at" in doc:
        out["saved_at"] = saved_at
    out.update(
        {
            "tactics": tactics,
            "locations": file_text(doc, "locations"),
            "people": file_text(doc, "people"),
            "vehicles": file_text(doc, "vehicles"),
            "next_review_meeting": _date(doc.get("next_review_meeting"), "next_review_meeting"),
            "case": plan_case(doc),
        }
    )
    return out


PLAN_PARSERS: dict[str, Callable[[Mapping[str, Any], Catalog], dict[str, Any]]] = {
    SAFETY_PLAN_FORMAT: parse_safety_plan,
    DISRUPTION_PLAN_FORMAT: parse_disruption_plan,
}


def parse_plan(doc: Any, catalog: Catalog) -> dict[str, Any]:
    """Check a safety or disruption plan document; return its canonical form."""
    if not isinstance(doc, Mapping):
        raise FileFormatError(None, "the plan is not an object", NOT_OURS)
    fmt = check_header(doc, (SAFETY_PLAN_FORMAT, DISRUPTION_PLAN_FORMAT))
    return PLAN_PARSERS[fmt](doc, catalog)
