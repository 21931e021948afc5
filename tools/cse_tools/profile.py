"""The partnership profile: many saved files in, counts with small numbers hidden out. No I/O.

A child is a case reference (compared without case or surrounding spaces). A child's latest file
counts for "now" (category, age band, indicators, plans); all their files count for movement
(first and latest category) and for the time from first screening to first meeting. A file
without a reference is a child of its own, and the profile says how many there are.

What leaves this module is counts, bands, months and labels taken from the tool definitions,
never anything typed into a file: no reference, name, practitioner, chair, agency staff, note,
fact, what was said, person, location, exact date or age. A plan's lead agency is counted under
its own name only when it is one the tool definitions name; anything else is "Another agency".

Small numbers (SUPPRESSION_RULE says the same in words for the page and the JSON):
1. every count from 1 to 4 is hidden ("<5", shown as "fewer than 5");
2. a row or column with a total never has a count from 1 to 4 as its only hidden count: the next
   smallest count in it is hidden too ("[c]", shown as "withheld"); and any hidden count that could
   still be worked out exactly from its row or column as shown makes another one hidden, until none
   can (a withheld count alone in a line is not chased further: its line's rounded total gives it
   only within 5);
3. the total of a row or column holding a hidden count is rounded to the nearest 5 ("~25", shown
   as "about 25"), or withheld when even that would give a hidden count away. The exception is the
   tables of all children (by category, age band, movement): their total is the number of children,
   shown exactly, so their hidden counts are checked against the exact total, and a table whose
   counts could still be worked out shows none of them (every cell "[c]", zeros included).
Zero is shown as 0.

Meeting files ("cse-tools/meeting", version 1, from cse_tools.meeting) are read for the fields
this profile needs, which that format writes for readers that do not merge: saved_at,
case.reference, case.age, combined.level, combined.answers, combined.tool, record.date,
record.agreed_level; everything else in a meeting file is ignored here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from . import files, planning
from .engine import assess
from .errors import FileFormatError, InputError
from .model import (
    ASSESSMENT,
    DISRUPTION,
    RISK_INDICATOR,
    SIGN_OF_HARM,
    VULNERABILITY,
    ToolDefinition,
)

SUPPRESS_BELOW = 5
ROUND_TO = 5
SMALL = "<5"
WITHHELD = "[c]"
SUPPRESSION_RULE = (
    "Counts from 1 to 4 are shown as 'fewer than 5'. Where a row or column would then let a hidden "
    "count be worked out, the next smallest count in it is withheld as well. The total of any row or "
    "column with a hidden count is rounded to the nearest 5 (shown as 'about'), or withheld. The number "
    "of children, and the total of each table of all children, is exact. Zero is shown as 0."
)
MEETING_FORMAT = "cse-tools/meeting"
MEETING_VERSIONS = (1,)
MAX_PROFILE_FILES = 5000
AGE_BANDS = ("Under 13", "13 to 15", "16 and 17", "Age not known")
NOT_KNOWN = "Not known"
OTHER_AGENCY = "Another agency"
PERIODS = ("month", "quarter")
TOP_INDICATORS = 10
KINDS = {
    RISK_INDICATOR: "risk indicators",
    SIGN_OF_HARM: "signs of harm",
    VULNERABILITY: "vulnerabilities",
}
Catalog = Mapping[str, ToolDefinition]
Source = tuple[str, str]  # (file name, text of the file)
Cell = int | str


# --- one file, reduced to what the profile counts ------------------------------------------------


@dataclass
class Summary:
    """What the profile takes from one file. `reference` and `day` never leave this module."""

    reference: str | None
    kind: str  # answers, safety-plan, disruption-plan, meeting
    day: dt.date | None
    saved_at: str
    tool: str | None = None
    level: int | None = None
    age: int | None = None
    concerns: dict[str, set[str]] = field(
        default_factory=dict
    )  # kind -> question ids (yes or past)
    rows: list[tuple[str, dt.date | None, bool]] = field(
        default_factory=list
    )  # lead agency, due, done
    tactics: list[tuple[str, bool, bool]] = field(default_factory=list)  # tactic id, checked, done


def _day(text: Any) -> dt.date | None:
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _reference(case: Mapping[str, Any]) -> str | None:
    ref = case.get("reference")
    return ref.strip().casefold() if isinstance(ref, str) and ref.strip() else None


def _concerns(result: Mapping[str, Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for reason in result["reasons"]:
        if reason["question"] and reason["counts_as"] in found:
            found[reason["counts_as"]].add(reason["question"])
    return found


def _answers_summary(doc: Mapping[str, Any], catalog: Catalog) -> Summary:
    case = doc["case"]
    result = assess(catalog[doc["tool"]], doc["age"], doc["answers"])
    return Summary(
        _reference(case),
        "answers",
        _day(case.get("date")) or _day(doc["saved_at"]),
        doc["saved_at"] or "",
        doc["tool"],
        result["level"],
        doc["age"],
        _concerns(result),
    )


def _plan_summary(doc: Mapping[str, Any], agencies: Mapping[str, str]) -> Summary:
    case = doc["case"]
    safety = doc["format"] == planning.SAFETY_PLAN_FORMAT
    summary = Summary(
        _reference(case),
        "safety-plan" if safety else "disruption-plan",
        _day(case.get("date")) or _day(doc.get("saved_at")),
        doc.get("saved_at") or "",
        doc["tool"],
        doc.get("level") if safety else None,
        doc.get("age") if isinstance(doc.get("age"), int) else case.get("age"),
    )
    if safety:
        summary.rows = [
            (
                agencies.get(row["lead_agency"].strip().casefold(), OTHER_AGENCY),
                _day(row["due"]),
                row["done"],
            )
            for row in doc["rows"]
        ]
    else:
        summary.tactics = [(t["id"], t["checked"], t["done"]) for t in doc["tactics"]]
    return summary


def _wrong(field_name: str, problem: str) -> FileFormatError:
    return FileFormatError(
        field_name, problem, f"The meeting file's '{field_name}' field {problem}."
    )


def _meeting_summary(doc: Mapping[str, Any], catalog: Catalog) -> Summary:
    """The fields of a meeting file the profile counts, each checked; the rest is not read."""
    version = doc.get("version")
    if version not in MEETING_VERSIONS or isinstance(version, bool):
        raise FileFormatError(
            "version",
            f"{version!r} is not a meeting file version this page reads",
            "This meeting file was saved by a version this page does not read.",
        )
    case, combined, record = (doc.get(name) or {} for name in ("case", "combined", "record"))
    for name, part in (("case", case), ("combined", combined), ("record", record)):
        if not isinstance(part, Mapping):
            raise _wrong(name, "must be an object")
    saved_at = doc.get("saved_at")
    if saved_at is not None and not isinstance(saved_at, str):
        raise _wrong("saved_at", "must be text")
    ref = case.get("reference")
    if ref is not None and not isinstance(ref, str):
        raise _wrong("case.reference", "must be text")
    age = case.get("age")
    if age is not None and (
        isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 17
    ):
        raise _wrong("case.age", "must be a whole number from 0 to 17")
    if record.get("date") is not None and _day(record.get("date")) is None:
        raise _wrong("record.date", "is not a date (YYYY-MM-DD)")
    level = record.get("agreed_level")
    if level is None:
        level = combined.get("level")
    if level is not None and (isinstance(level, bool) or level not in (0, 1, 2, 3)):
        raise _wrong("combined.level", "must be a level from 0 to 3")
    concerns: dict[str, set[str]] = {}
    tool_id = combined.get("tool")
    tool = catalog.get(tool_id) if isinstance(tool_id, str) else None
    if (
        tool is not None
        and tool.kind == ASSESSMENT
        and isinstance(combined.get("answers"), Mapping)
    ):
        try:
            concerns = _concerns(assess(tool, age, combined["answers"]))
        except InputError as exc:
            raise _wrong("combined.answers", "does not match the tool's questions") from exc
    return Summary(
        _reference(case),
        "meeting",
        _day(record.get("date")) or _day(saved_at),
        saved_at or "",
        tool.id if tool else None,
        level,
        age,
        concerns,
    )


def known_agencies(catalog: Catalog) -> dict[str, str]:
    """The lead agencies the tool definitions name, by their folded name."""
    names = {
        q.plan.lead_agency
        for tool in catalog.values()
        if tool.kind == ASSESSMENT
        for _s, q in tool.questions()
        if q.plan is not None
    }
    return {name.casefold(): name for name in sorted(names)}


def summarise(text: Any, catalog: Catalog, agencies: Mapping[str, str]) -> Summary:
    """One file's text checked by the readers of its format (InputError when it is not one)."""
    doc = files.read_json(text)
    fmt = doc.get("format")
    if fmt == MEETING_FORMAT:
        return _meeting_summary(doc, catalog)
    if fmt == files.ANSWERS_FORMAT:
        return _answers_summary(files.parse_answers(doc, catalog), catalog)
    return _plan_summary(files.parse_plan(doc, catalog), agencies)


# --- counting --------------------------------------------------------------------------------------


def age_band(age: int | None) -> str:
    if age is None:
        return AGE_BANDS[3]
    return AGE_BANDS[0] if age < 13 else AGE_BANDS[1] if age < 16 else AGE_BANDS[2]


def period_of(day: dt.date, period: str) -> str:
    return (
        f"{day.year}-{day.month:02d}"
        if period == "month"
        else f"{day.year} Q{(day.month - 1) // 3 + 1}"
    )


def _order(item: Summary) -> tuple[str, str]:
    return (item.day.isoformat() if item.day else "", item.saved_at)


def group_children(summaries: Sequence[Summary]) -> list[list[Summary]]:
    """Each child's files, oldest first; a file without a reference is a child of its own."""
    by_ref: dict[str, list[Summary]] = {}
    alone: list[list[Summary]] = []
    for item in summaries:
        if item.reference is None:
            alone.append([item])
        else:
            by_ref.setdefault(item.reference, []).append(item)
    return [sorted(group, key=_order) for group in by_ref.values()] + alone


def _latest(group: Sequence[Summary], attr: str) -> Any:
    for item in reversed(group):
        if getattr(item, attr) is not None:
            return getattr(item, attr)
    return None


def _latest_of_kind(group: Sequence[Summary], kinds: tuple[str, ...]) -> Summary | None:
    return next((item for item in reversed(group) if item.kind in kinds), None)


@dataclass
class Table:
    """Raw counts: rows x columns, with optional totals. Never shown before `suppress`."""

    name: str
    title: str
    row_heading: str
    columns: list[str]
    rows: list[tuple[str, list[int]]]
    row_totals: bool = True
    column_totals: bool = True
    of_all_children: bool = False


def _count_table(
    name: str,
    title: str,
    heading: str,
    columns: Sequence[str],
    rows: Iterable[str],
    pairs: Iterable[tuple[str, str]],
    **options: Any,
) -> Table:
    counts: dict[tuple[str, str], int] = {}
    for row, column in pairs:
        counts[(row, column)] = counts.get((row, column), 0) + 1
    row_list = list(rows)
    return Table(
        name,
        title,
        heading,
        list(columns),
        [(r, [counts.get((r, c), 0) for c in columns]) for r in row_list],
        **options,
    )


def category_names(catalog: Catalog) -> list[str]:
    tool = next(t for _id, t in sorted(catalog.items()) if t.kind == ASSESSMENT)
    return [level.label for level in sorted(tool.levels, key=lambda lv: lv.level)] + [NOT_KNOWN]


def _movement(group: Sequence[Summary]) -> str:
    levels = [item.level for item in group if item.level is not None]
    if len(levels) < 2:
        return "One file with a category"
    return (
        "Rose"
        if levels[-1] > levels[0]
        else "Fell"
        if levels[-1] < levels[0]
        else "Stayed the same"
    )


def _indicator_tables(children: Sequence[Sequence[Summary]], catalog: Catalog) -> list[Table]:
    statements: dict[str, str] = {}
    for tool in catalog.values():
        if tool.kind == ASSESSMENT:
            for _s, q in tool.questions():
                statements.setdefault(q.id, q.statement or q.text)
    tables = []
    for kind, words in KINDS.items():
        counts: dict[str, int] = {}
        for group in children:
            latest = next((item for item in reversed(group) if item.concerns), None)
            for qid in latest.concerns.get(kind, ()) if latest else ():
                counts[qid] = counts.get(qid, 0) + 1
        top = sorted(counts.items(), key=lambda kv: (-kv[1], statements.get(kv[0], kv[0])))[
            :TOP_INDICATORS
        ]
        tables.append(
            Table(
                kind,
                f"The most common {words} (children, in their latest assessment)",
                "Recorded",
                ["Children"],
                [(statements.get(q, q), [n]) for q, n in top],
                row_totals=False,
                column_totals=False,
            )
        )
    return tables


def _plan_tables(
    children: Sequence[Sequence[Summary]],
    catalog: Catalog,
    agencies: Mapping[str, str],
    today: dt.date,
) -> list[Table]:
    agency_cols = ["Done", "Open, not overdue", "Overdue"]
    action_pairs: list[tuple[str, str]] = []
    tactic_pairs: list[tuple[str, str]] = []
    for group in children:
        plan = _latest_of_kind(group, ("safety-plan",))
        for agency, due, done in plan.rows if plan else ():
            state = (
                "Done"
                if done
                else "Overdue"
                if due is not None and due < today
                else "Open, not overdue"
            )
            action_pairs.append((agency, state))
        plan = _latest_of_kind(group, ("disruption-plan",))
        for tactic_id, checked, done in plan.tactics if plan else ():
            if checked:
                tactic_pairs.append((tactic_id, "Done" if done else "Planned, not done yet"))
    agency_rows = list(agencies.values()) + [OTHER_AGENCY]
    disruption = [t for _id, t in sorted(catalog.items()) if t.kind == DISRUPTION]
    titles = {t.id: t.title for tool in disruption for t in tool.tactics}
    tactics = _count_table(
        "tactics",
        "Disruption tactics used (children's latest disruption plans)",
        "Tactic",
        ["Done", "Planned, not done yet"],
        titles,
        tactic_pairs,
        column_totals=False,
    )
    tactics.rows = [(titles[tid], cells) for tid, cells in tactics.rows]
    return [
        _count_table(
            "actions",
            f"Safety plan actions by lead agency (children's latest plans), at {today:%B %Y}",
            "Lead agency",
            agency_cols,
            agency_rows,
            action_pairs,
        ),
        tactics,
    ]


def _days_to_meeting(children: Sequence[Sequence[Summary]]) -> list[int]:
    days = []
    for group in children:
        screening = next(
            (s.day for s in group if s.kind == "answers" and s.tool == "screening" and s.day), None
        )
        meeting = next((s.day for s in group if s.kind == "meeting" and s.day), None)
        if screening and meeting and meeting >= screening:
            days.append((meeting - screening).days)
    return days


def count(
    summaries: Sequence[Summary], catalog: Catalog, today: dt.date, period: str
) -> dict[str, Any]:
    """The raw counts (tables before suppression) of these files' children."""
    if period not in PERIODS:
        raise InputError(
            "period", f"{period!r} is not month or quarter", "The period must be month or quarter."
        )
    children = group_children(summaries)
    categories = category_names(catalog)
    agencies = known_agencies(catalog)

    def category(level: int | None) -> str:
        return categories[level] if level is not None else NOT_KNOWN

    periods: dict[str, dict[int, Summary]] = {}  # period -> child index -> their latest file in it
    for index, group in enumerate(children):
        for item in group:
            if item.day is not None:
                periods.setdefault(period_of(item.day, period), {})[index] = item
    by_period_pairs = []
    for name, latest in periods.items():
        for index, _item in latest.items():
            in_period = [s for s in children[index] if s.day and period_of(s.day, period) == name]
            by_period_pairs.append((name, category(_latest(in_period, "level"))))
    tables = [
        _count_table(
            "by_category",
            "Children by category now (their latest file)",
            "Category",
            ["Children"],
            categories,
            ((category(_latest(g, "level")), "Children") for g in children),
            row_totals=False,
            of_all_children=True,
        ),
        _count_table(
            "by_age_band",
            "Children by age band (their latest file that gives an age)",
            "Age band",
            ["Children"],
            AGE_BANDS,
            ((age_band(_latest(g, "age")), "Children") for g in children),
            row_totals=False,
            of_all_children=True,
        ),
        _count_table(
            "by_period",
            f"Children by category in each {period} (their latest file in it)",
            period.capitalize(),
            categories,
            sorted(periods),
            by_period_pairs,
            column_totals=False,
        ),
        _count_table(
            "movement",
            "Movement: first and latest category of each child",
            "Category",
            ["Children"],
            ["Rose", "Fell", "Stayed the same", "One file with a category"],
            ((_movement(g), "Children") for g in children),
            row_totals=False,
            of_all_children=True,
        ),
        *_indicator_tables(children, catalog),
        *_plan_tables(children, catalog, agencies, today),
    ]
    return {
        "children": len(children),
        "without_reference": sum(1 for g in children if g[0].reference is None),
        "tables": tables,
        "days_to_meeting": _days_to_meeting(children),
    }


# --- small numbers -----------------------------------------------------------------------------------


def hide(value: int) -> bool:
    return 0 < value < SUPPRESS_BELOW


def round_total(value: int) -> int:
    return int(ROUND_TO * ((value + ROUND_TO // 2) // ROUND_TO))


def _bounds(value: int, state: str, rounded_total: bool = False) -> tuple[int, float]:
    """What someone reading the table knows about a value: the range it lies in."""
    if state == SMALL:
        return 1, SUPPRESS_BELOW - 1
    if state == WITHHELD:
        return SUPPRESS_BELOW, float("inf")
    if rounded_total:
        shown = round_total(value)
        return max(0, shown - ROUND_TO // 2), shown + ROUND_TO // 2
    return value, value


def pinned(
    cells: Sequence[tuple[int, str]], total: tuple[int, bool] | None, small_total: bool = False
) -> bool:
    """Whether a hidden cell of this line can be worked out exactly from what is shown of it.

    cells: (value, state) with state "" (shown), SMALL or WITHHELD; total: (value, rounded) or None;
    small_total: the total is shown as fewer than 5."""
    if total is None:
        return False
    low_t, high_t = _bounds(total[0], SMALL if small_total else "", total[1])
    bounds = [_bounds(v, s) for v, s in cells]
    for index, (_value, state) in enumerate(cells):
        if not state:
            continue
        low_o = sum(b[0] for i, b in enumerate(bounds) if i != index)
        high_o = sum(b[1] for i, b in enumerate(bounds) if i != index)
        low = max(bounds[index][0], low_t - high_o)
        high = min(bounds[index][1], high_t - low_o)
        if high - low < 1:
            return True
    return False


def suppress_grid(
    grid: list[list[int]], row_totals: bool, column_totals: bool, exact: bool = False
) -> list[list[str]]:
    """The state of every cell of a table: "" shown, SMALL or WITHHELD (rules 1 and 2). `exact`:
    the column total is shown exactly (a table of all children: its total is the number of children)."""
    states = [[SMALL if hide(v) else "" for v in row] for row in grid]
    width = len(grid[0]) if grid else 0
    lines: list[list[tuple[int, int]]] = []
    if row_totals:
        lines += [[(r, c) for c in range(width)] for r in range(len(grid))]
    if column_totals:
        lines += [[(r, c) for r in range(len(grid))] for c in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [p for p in line if states[p[0]][p[1]]]
            if not hidden:
                continue
            total = sum(grid[r][c] for r, c in line)
            cells = [(grid[r][c], states[r][c]) for r, c in line]
            lone_small = len(hidden) == 1 and states[hidden[0][0]][hidden[0][1]] == SMALL
            if lone_small or pinned(cells, (total, not exact)):
                shown = sorted(
                    (grid[r][c], (r, c)) for r, c in line if not states[r][c] and grid[r][c] > 0
                )
                if shown:
                    r, c = shown[0][1]
                    states[r][c] = WITHHELD
                    changed = True
    if exact and any(
        pinned(
            [(grid[r][c], states[r][c]) for r, c in line], (sum(grid[r][c] for r, c in line), False)
        )
        for line in lines
    ):
        states = [
            [WITHHELD for _v in row] for row in grid
        ]  # a tiny table: no count shown, not even 0
    return states


def _shown(value: int, state: str) -> Cell:
    return state or value


def _total(cells: Sequence[int], states: Sequence[str]) -> Cell:
    """A line's total: exact when nothing in it is hidden, else rounded to the nearest 5, or withheld
    when even the rounded total would let a hidden count be worked out (say two counts of 4)."""
    value = sum(cells)
    if not any(states):
        return value
    if hide(value):  # a total from 1 to 4 is a small number too, never "about 0"
        return (
            WITHHELD
            if pinned(list(zip(cells, states)), (value, False), small_total=True)
            else SMALL
        )
    if pinned(list(zip(cells, states)), (value, True)):
        return WITHHELD
    return f"~{round_total(value)}"


def suppress(table: Table) -> dict[str, Any]:
    """The table as it may be shown: small counts hidden, totals rounded where a count is hidden."""
    grid = [cells for _label, cells in table.rows]
    exact = table.of_all_children
    states = suppress_grid(grid, table.row_totals, table.column_totals, exact) if grid else []
    rows = []
    for (label, cells), state in zip(table.rows, states):
        row: dict[str, Any] = {
            "label": label,
            "cells": [_shown(v, s) for v, s in zip(cells, state)],
        }
        if table.row_totals:
            row["total"] = _total(cells, state)
        rows.append(row)
    out: dict[str, Any] = {
        "name": table.name,
        "title": table.title,
        "row_heading": table.row_heading,
        "columns": table.columns,
        "rows": rows,
    }
    if table.column_totals:
        out["totals"] = [
            _headline(sum(row[c] for row in grid))
            if exact
            else _total([row[c] for row in grid], [state[c] for state in states])
            for c in range(len(table.columns))
        ]
        if table.row_totals:
            grand = sum(map(sum, grid))
            out["total"] = (
                grand
                if not any(map(any, states))
                else SMALL
                if hide(grand)
                else f"~{round_total(grand)}"
            )
    return out


def _headline(value: int) -> Cell:
    return SMALL if hide(value) else value


def profile(
    sources: Sequence[Source], catalog: Catalog, today: dt.date, period: str = "month"
) -> dict[str, Any]:
    """The profile of these files (name, text): counts only, small numbers hidden."""
    if len(sources) > MAX_PROFILE_FILES:
        raise InputError(
            "files",
            f"{len(sources)} files, more than {MAX_PROFILE_FILES}",
            f"{len(sources)} files were opened; the profile reads up to {MAX_PROFILE_FILES} at once.",
        )
    agencies = known_agencies(catalog)
    summaries: list[Summary] = []
    skipped: list[dict[str, str]] = []
    for name, text in sources:
        try:
            summaries.append(summarise(text, catalog, agencies))
        except InputError as exc:
            skipped.append({"file": name, "reason": exc.plain})
    raw = count(summaries, catalog, today, period)
    tables = {table.name: suppress(table) for table in raw["tables"]}
    days = raw["days_to_meeting"]
    shown_days = len(days) >= SUPPRESS_BELOW
    return {
        "children": _headline(raw["children"]),
        "files": len(summaries),
        "files_opened": len(sources),
        "without_reference": _headline(raw["without_reference"]),
        "skipped": skipped,
        "period": period,
        "today": today.strftime("%Y-%m"),
        "suppressed_below": SUPPRESS_BELOW,
        "suppression_rule": SUPPRESSION_RULE,
        "markers": {
            SMALL: "fewer than 5",
            WITHHELD: "withheld",
            "~": "about (rounded to the nearest 5)",
        },
        **tables,
        "indicators": {kind: tables[kind] for kind in KINDS},
        "screening_to_meeting": {
            "children": _headline(len(days)),
            "median_days": round(statistics.median(days)) if shown_days else None,
        },
    }


TABLE_NAMES = (
    "by_category",
    "by_age_band",
    "by_period",
    "movement",
    RISK_INDICATOR,
    SIGN_OF_HARM,
    VULNERABILITY,
    "actions",
    "tactics",
)


def table_csv(table: Mapping[str, Any]) -> str:
    """One shown table as CSV text (markers as in the JSON)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    has_total = bool(table["rows"]) and "total" in table["rows"][0]
    writer.writerow([table["row_heading"], *table["columns"], *(["Total"] if has_total else [])])
    for row in table["rows"]:
        writer.writerow([row["label"], *row["cells"], *([row["total"]] if has_total else [])])
    if "totals" in table:
        writer.writerow(
            ["Total", *table["totals"], *([table["total"]] if "total" in table else [])]
        )
    return buffer.getvalue()


def csv_tables(result: Mapping[str, Any]) -> dict[str, str]:
    """Every table of a profile as CSV text, by file name; and a summary with the rule."""
    out = {f"{name}.csv": table_csv(result[name]) for name in TABLE_NAMES}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Measure", "Value"])
    meeting = result["screening_to_meeting"]
    for label, value in (
        ("Children", result["children"]),
        ("Files counted", result["files"]),
        ("Files skipped", len(result["skipped"])),
        ("Children without a case reference", result["without_reference"]),
        ("Period", result["period"]),
        ("Overdue at (month)", result["today"]),
        ("Children with a screening and a meeting", meeting["children"]),
        (
            "Median days from first screening to first meeting",
            "" if meeting["median_days"] is None else meeting["median_days"],
        ),
        ("Small numbers", result["suppression_rule"]),
    ):
        writer.writerow([label, value])
    out["summary.csv"] = buffer.getvalue()
    return out


def one_csv(result: Mapping[str, Any]) -> str:
    """Every table of a profile in one CSV text, with a first column naming the table (the page's export)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Table", "Row", "Column", "Value"])
    for name in TABLE_NAMES:
        table = result[name]
        for row in table["rows"]:
            for column, value in zip(table["columns"], row["cells"]):
                writer.writerow([table["title"], row["label"], column, value])
            if "total" in row:
                writer.writerow([table["title"], row["label"], "Total", row["total"]])
        for column, value in zip(table["columns"], table.get("totals", [])):
            writer.writerow([table["title"], "Total", column, value])
    writer.writerow(["Summary", "Children", "", result["children"]])
    writer.writerow(
        ["Summary", "Children without a case reference", "", result["without_reference"]]
    )
    meeting = result["screening_to_meeting"]
    writer.writerow(
        [
            "Summary",
            "Median days from first screening to first meeting",
            "",
            "" if meeting["median_days"] is None else meeting["median_days"],
        ]
    )
    writer.writerow(["Summary", "Small numbers", "", result["suppression_rule"]])
    return buffer.getvalue()
