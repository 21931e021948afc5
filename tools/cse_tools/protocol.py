"""What the pages and Python share, written once: the worker's messages, the operations of
browser.handle, and the constants the JavaScript needs (limits, file formats and version, answer
kinds, the order of the gaps).

The build (macros/build.py) writes `es_module()` into the site as assets/js/cse-shared.js; the
pages' scripts import their constants from there and never restate them.

The worker (assets/js/tool-worker.js) and its client (assets/js/tools-client.js) exchange
structured-clone messages {type, ...fields}: WORKER_IN from the page, WORKER_OUT from the worker.
A "call" carries one request for browser.handle ({op, ...}, OPS); its "reply" carries the reply
(always {"ok": true, ...} or {"ok": false, "error", "field"}). An assessment page and the plan page
it opened talk through postMessage on the site's own origin (PAGE_MESSAGES). No I/O.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .engine import GAP_ORDER
from .files import ANSWERS_FORMAT, FILE_VERSION, MAX_FILE_CHARS, MEETING_FORMAT
from .model import ANSWERS, CONCERN_ANSWERS, KIND_LABELS, SCORED_KINDS, SECTION_KINDS
from .nesting import MAX_DEPTH
from .planning import DISRUPTION_PLAN_FORMAT, SAFETY_PLAN_FORMAT


@dataclass(frozen=True)
class Op:
    """One operation of browser.handle: the request's fields (beside "op") and the reply's."""

    request: tuple[str, ...]
    reply: tuple[str, ...]
    about: str


OPS: dict[str, Op] = {
    "definitions": Op(
        (),
        ("tools", "assessment_tools", "disruption_tools", "answers", "formats", "file_version"),
        "the plain definitions of every tool",
    ),
    "explain": Op(("tool",), ("table",), "the rules table of a tool (explain.rules_table)"),
    "assess": Op(
        ("tool", "age", "answers", "review_date"), ("result",), "one result (engine.assess)"
    ),
    "save": Op(
        ("tool", "age", "answers", "notes", "review_date", "facts", "case", "saved_at"),
        ("text", "filename", "file"),
        "a saved answers file, its canonical text and name",
    ),
    "load": Op(("text",), ("file", "result"), "a saved answers file read back, and its result"),
    "carry": Op(
        ("tool", "source"),
        ("file", "carried", "to_answer", "from_tool", "from_title", "result"),
        "another tool's answers brought into this tool (carry.carry_over): a screening into the"
        " risk assessment",
    ),
    "plan": Op(
        ("tool", "age", "answers", "facts", "today"),
        ("plan",),
        "a draft safety plan (a blank disruption plan for a disruption tool)",
    ),
    "save_plan": Op(
        ("plan", "saved_at"), ("text", "filename", "plan"), "a saved safety or disruption plan"
    ),
    "load_plan": Op(("text",), ("kind", "plan"), "a saved plan read back"),
    "overdue": Op(
        ("plan", "today"), ("today", "items"), "the overdue actions of a plan (planning.overdue)"
    ),
    "meeting": Op(
        ("files", "same_child", "record", "today"),
        ("meeting", "refused", "skipped"),
        "several agencies' saved files merged (meeting.merge), or which files differ",
    ),
    "save_meeting": Op(
        ("files", "same_child", "record", "today", "saved_at"),
        ("text", "filename", "file"),
        "a saved meeting file",
    ),
    "meeting_calendar": Op(
        ("files", "same_child", "record", "today"),
        ("text", "filename"),
        "the meeting's calendar (iCalendar): the case reference only",
    ),
    "meeting_review": Op(
        ("tool", "level", "record"),
        ("record",),
        "the chair's record checked (meeting.check_record)",
    ),
    "profile": Op(
        ("files", "today", "period"),
        ("profile", "csv"),
        "the partnership profile of many files: counts only (profile.profile)",
    ),
}

# Page -> worker: "start" once (where Pyodide and the site's lockfile are), then any number of calls.
WORKER_IN: dict[str, tuple[str, ...]] = {
    "start": ("pyodide", "lockFile", "controlled"),
    "call": ("id", "request"),
}
# Page -> worker: "start" says whether a service worker controls the page (if not, the worker keeps
# the runtime files it fetches for it). Worker -> page: start-up progress, then ready (restored:
# from the kept snapshot; marks: timings for bench/; library: "reduced" or "full", the standard
# library Python started from; ready comes again if the worker had to start again from the full
# one) or failed (a plain message), and one reply per call, with the call's id.
WORKER_OUT: dict[str, tuple[str, ...]] = {
    "progress": ("step", "of", "text"),
    "ready": ("restored", "marks", "library"),
    "failed": ("message",),
    "reply": ("id", "response"),
}
# A page opened by an assessment page (the safety plan; the risk assessment opened from a
# screening result) -> the assessment page that opened it: "ready"; the assessment page answers
# with "assessment" (the answers on its screen: what the plan is drafted from, or what the risk
# assessment carries over).
PAGE_MESSAGES: dict[str, tuple[str, ...]] = {
    "ready": (),
    "assessment": ("tool", "age", "answers", "notes", "review_date", "facts", "case"),
}

OTHER_GAPS = ("other", "About the child")  # the age, and questions not a concern at this age


def shared_constants() -> dict[str, Any]:
    """The values the pages' JavaScript uses, by their name there."""
    return {
        "MAX_FILE_BYTES": MAX_FILE_CHARS,  # the page checks the file's size before reading it
        "FILE_VERSION": FILE_VERSION,
        "MAX_DEPTH": MAX_DEPTH,  # the page counts a file's nesting before it goes to the worker
        "FORMATS": {
            "answers": ANSWERS_FORMAT,
            "safety_plan": SAFETY_PLAN_FORMAT,
            "disruption_plan": DISRUPTION_PLAN_FORMAT,
            "meeting": MEETING_FORMAT,
        },
        "ANSWERS": list(ANSWERS),
        "CONCERN_ANSWERS": list(CONCERN_ANSWERS),
        "KIND_WORDS": {kind: kind.replace("_", " ") for kind in SCORED_KINDS},
        "GAP_GROUPS": [[kind, KIND_LABELS[kind]] for kind in GAP_ORDER if kind in SECTION_KINDS]
        + [list(OTHER_GAPS)],
        "OPS": {op: op for op in OPS},
        "WORKER_IN": {kind: kind for kind in WORKER_IN},
        "WORKER_OUT": {kind: kind for kind in WORKER_OUT},
        "PAGE_MESSAGES": {kind: kind for kind in PAGE_MESSAGES},
    }


SHARED_MODULE = "assets/js/cse-shared.js"  # where the build writes es_module(), in the site


def es_module() -> str:
    """The ES module of shared_constants(), as the build writes it."""
    lines = [
        "// Written by the build (macros/build.py) from tools/cse_tools/protocol.py: do not edit.",
        "// The constants the pages share with Python, and the names of the worker's messages.",
    ]
    for name, value in shared_constants().items():
        lines.append(
            f"export const {name} = Object.freeze({json.dumps(value, ensure_ascii=False)});"
            if isinstance(value, (dict, list))
            else f"export const {name} = {json.dumps(value)};"
        )
    return "\n".join(lines) + "\n"
