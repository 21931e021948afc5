"""The CSE action plan (data/action-plan.yml): checked at build time, shown as a filterable table.

- `action_plan_table()` renders every action as an HTML table. Each row carries `data-rag`,
  `data-lead` and `data-strand`, and shows the RAG rating as a word (not only a colour).
  Above it are two filters (RAG rating, lead agency) that start `hidden`: without JavaScript
  the reader sees every row. docs/assets/js/action-plan.js shows and wires them.
- `action_plan_summary()` renders a one-line count of actions by RAG rating.

A malformed file stops the build with a DataError naming the file, the entry and the field, e.g.
    data/action-plan.yml: entry 3 ('PROF-3'): field 'rag': 'purple' is not one of red, amber, green
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .data import (
    DATA_DIR,
    DataError,
    display_name,
    load_yaml,
    require,
    require_choice,
    require_date,
)
from .templates import render_block

ACTION_PLAN_FILE = DATA_DIR / "action-plan.yml"

RAG_VALUES = ("red", "amber", "green")
STRANDS = ("profile", "prevent", "protect", "prosecute")
TEXT_FIELDS = ("action", "how", "lead", "timescale")

RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green"}
# A coloured dot next to the word. The colour is set inline (the policy allows inline styles), so
# it shows without any extra stylesheet; the word carries the meaning for everyone.
# The ratings' colours are in docs/assets/css/site.css (.rag__dot--red, --amber, --green).
RAG_MEANINGS = {
    "red": "off track",
    "amber": "some risk to delivery",
    "green": "on track or done",
}
STRAND_LABELS = {s: s.capitalize() for s in STRANDS}


def load_action_plan(path: Path = ACTION_PLAN_FILE) -> dict[str, Any]:
    """Read and check the action plan; return {'reviewed': date | None, 'actions': [...]}."""
    name = display_name(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise DataError(f"{name}: must be a mapping with an 'actions' list")
    reviewed = require_date(data, "reviewed", name) if "reviewed" in data else None
    entries = require(data, "actions", list, name)
    if not entries:
        raise DataError(f"{name}: field 'actions' is empty")
    seen: set[str] = set()
    actions = []
    for index, entry in enumerate(entries, start=1):
        where = f"{name}: entry {index}"
        aid = require(entry, "id", str, where)
        where = f"{name}: entry {index} ({aid!r})"
        if aid in seen:
            raise DataError(f"{where}: field 'id' repeats an earlier entry")
        seen.add(aid)
        for field in TEXT_FIELDS:
            value = require(entry, field, str, where)
            if not value.strip():
                raise DataError(f"{where}: field '{field}' is missing")
        require_choice(entry, "rag", RAG_VALUES, where)
        require_choice(entry, "strand", STRANDS, where)
        unknown = set(entry) - {"id", "strand", "rag", *TEXT_FIELDS}
        if unknown:
            raise DataError(f"{where}: field '{sorted(unknown)[0]}' is not a known field")
        actions.append(entry)
    order = {s: i for i, s in enumerate(STRANDS)}
    actions.sort(key=lambda a: order[a["strand"]])  # stable: file order within a strand
    return {"reviewed": reviewed, "actions": actions}


def _leads(actions: list[dict]) -> list[str]:
    return sorted({a["lead"] for a in actions}, key=str.lower)


def render_table(plan: dict[str, Any]) -> str:
    """The filters and the table as one raw HTML block (overrides/partials/action-plan.html)."""
    actions = plan["actions"]
    rags = [
        {"value": rag, "label": RAG_LABELS[rag], "meaning": RAG_MEANINGS[rag]} for rag in RAG_VALUES
    ]
    return render_block(
        "partials/action-plan.html",
        actions=actions,
        leads=_leads(actions),
        rags=rags,
        rag_labels=RAG_LABELS,
        strand_labels=STRAND_LABELS,
    )


def render_summary(plan: dict[str, Any]) -> str:
    actions = plan["actions"]
    counts = {rag: sum(1 for a in actions if a["rag"] == rag) for rag in RAG_VALUES}
    parts = [f"{counts[rag]} {RAG_LABELS[rag].lower()}" for rag in RAG_VALUES]
    text = f"{len(actions)} actions: " + ", ".join(parts) + "."
    if plan["reviewed"]:
        text += f" Ratings last reviewed {_format_date(plan['reviewed'])}."
    return text


def _format_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def register(env) -> None:
    plan = load_action_plan()
    env.variables["action_plan"] = plan

    @env.macro
    def action_plan_table() -> str:
        """The whole action plan as a filterable HTML table."""
        return render_table(plan)

    @env.macro
    def action_plan_summary() -> str:
        """How many actions there are, by RAG rating."""
        return render_summary(plan)
