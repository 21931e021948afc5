"""The browser's entry point: one pure function, JSON text in, JSON text out, never raising.

Every reply has "ok"; errors are {"ok": false, "error": <plain message>, "field": <where or null>}.
The operations, their request and reply fields, and the worker's messages around them are
described once, in protocol.py (protocol.OPS); HANDLERS holds one handler for each.

Form values may be strings: an empty age or an empty/null answer means "not answered yet" and
gives a provisional result with gaps; a clearly wrong age ("abc", 25) is an error on "age".
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Callable, Mapping

from . import carry, files, meeting, planning, profile
from .catalog import default_catalog, find_tool
from .checks import check_age
from .engine import assess
from .errors import DefinitionError, InputError
from .explain import rules_table
from .model import ANSWERS, ASSESSMENT, DISRUPTION, ToolDefinition
from .schema import tool_to_dict

Request = Mapping[str, Any]


def _tool(request: Request, kind: str | None = ASSESSMENT) -> ToolDefinition:
    return find_tool(default_catalog(), request.get("tool"), kind)


def _answers(request: Request) -> dict[str, Any]:
    raw = request.get("answers") or {}
    if not isinstance(raw, Mapping):
        raise InputError("answers", "must be an object", "The answers could not be read.")
    return {key: value for key, value in raw.items() if value not in (None, "")}


def _age(request: Request) -> int | None:
    return check_age(request.get("age"), required=False, allow_text=True)


def _today(request: Request, field: str = "today") -> dt.date:
    if request.get(field) in (None, ""):
        return dt.date.today()
    return planning.parse_day(request.get(field), field)


def _saved_at(request: Request) -> str:
    value = request.get("saved_at")
    if isinstance(value, str) and value:
        return value
    return (
        dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    )


def op_definitions(request: Request) -> dict[str, Any]:
    catalog = default_catalog()
    return {
        "ok": True,
        "tools": {tool_id: tool_to_dict(tool) for tool_id, tool in sorted(catalog.items())},
        "assessment_tools": sorted(t for t, tool in catalog.items() if tool.kind == ASSESSMENT),
        "disruption_tools": sorted(t for t, tool in catalog.items() if tool.kind == DISRUPTION),
        "answers": list(ANSWERS),
        "formats": dict(files.FORMATS),
        "file_version": files.FILE_VERSION,
    }


def op_explain(request: Request) -> dict[str, Any]:
    return {"ok": True, "table": rules_table(_tool(request, kind=None))}


def op_assess(request: Request) -> dict[str, Any]:
    tool = _tool(request)
    result = assess(tool, _age(request), _answers(request), request.get("review_date") or None)
    return {"ok": True, "result": result}


def op_save(request: Request) -> dict[str, Any]:
    tool = _tool(request)
    doc = files.answers_document(
        tool,
        request.get("age"),
        _answers(request),
        request.get("notes"),
        request.get("review_date"),
        _saved_at(request),
        allow_text_age=True,
        facts=request.get("facts"),
        case=request.get("case"),
    )
    day = doc["saved_at"][:10]
    return {
        "ok": True,
        "text": files.dump(doc),
        "filename": f"cse-{tool.id}-answers-{day}.json",
        "file": doc,
    }


def op_load(request: Request) -> dict[str, Any]:
    doc = files.read_json(request.get("text"))
    canonical = files.parse_answers(doc, default_catalog())
    result = assess(
        default_catalog()[canonical["tool"]],
        canonical["age"],
        canonical["answers"],
        canonical["review_date"],
    )
    return {"ok": True, "file": canonical, "result": result}


def op_carry(request: Request) -> dict[str, Any]:
    """Another tool's answers (a file opened, or the page that opened this one) into `tool`."""
    target = _tool(request)
    source_data = request.get("source")
    if not isinstance(source_data, Mapping):
        raise InputError("source", "is missing", "There are no answers to bring over.")
    source = find_tool(default_catalog(), source_data.get("tool"), ASSESSMENT)
    answers = source_data.get("answers") or {}
    if not isinstance(answers, Mapping):
        raise InputError("source.answers", "must be an object", "The answers could not be read.")
    document = files.answers_document(
        source,
        source_data.get("age"),
        answers,
        source_data.get("notes"),
        source_data.get("review_date"),
        allow_text_age=True,
        facts=source_data.get("facts"),
        case=source_data.get("case"),
    )
    moved = carry.carry_over(source, target, document)
    file = moved["file"]
    result = assess(target, file["age"], file["answers"], file["review_date"])
    return {"ok": True, **moved, "result": result}


def op_plan(request: Request) -> dict[str, Any]:
    tool = _tool(request, kind=None)
    if tool.kind == DISRUPTION:
        return {"ok": True, "plan": planning.blank_disruption_plan(tool)}
    plan = planning.draft_plan(
        tool,
        _age(request),
        _answers(request),
        _today(request),
        request.get("facts"),
        files.check_notes(tool, request.get("notes")),
    )
    return {"ok": True, "plan": plan}


def op_save_plan(request: Request) -> dict[str, Any]:
    plan = request.get("plan")
    if not isinstance(plan, Mapping):
        raise InputError("plan", "is missing", "There is no plan to save.")
    doc = dict(plan)
    doc["saved_at"] = _saved_at(request)
    canonical = files.parse_plan(doc, default_catalog())
    kind = (
        "safety-plan" if canonical["format"] == planning.SAFETY_PLAN_FORMAT else "disruption-plan"
    )
    day = canonical["saved_at"][:10]
    return {
        "ok": True,
        "text": files.dump(canonical),
        "filename": f"cse-{kind}-{day}.json",
        "plan": canonical,
    }


def op_load_plan(request: Request) -> dict[str, Any]:
    doc = files.read_json(request.get("text"))
    canonical = files.parse_plan(doc, default_catalog())
    kind = (
        "safety-plan" if canonical["format"] == planning.SAFETY_PLAN_FORMAT else "disruption-plan"
    )
    return {"ok": True, "kind": kind, "plan": canonical}


def op_overdue(request: Request) -> dict[str, Any]:
    plan = request.get("plan")
    if isinstance(plan, str):
        plan = files.read_json(plan)
    if not isinstance(plan, Mapping):
        raise InputError("plan", "is missing", "There is no plan to check.")
    canonical = files.parse_plan(plan, default_catalog())
    today = _today(request)
    return {"ok": True, "today": today.isoformat(), "items": planning.overdue(canonical, today)}


def op_profile(request: Request) -> dict[str, Any]:
    raw = request.get("files")
    if not isinstance(raw, list) or not all(isinstance(item, Mapping) for item in raw):
        raise InputError("files", "must be a list of {name, text}", "The files could not be read.")
    sources = [(str(item.get("name") or "file"), item.get("text")) for item in raw]
    period = request.get("period") or "month"
    result = profile.profile(sources, default_catalog(), _today(request), period)
    return {"ok": True, "profile": result, "csv": profile.one_csv(result)}


HANDLERS: dict[str, Callable[[Request], dict[str, Any]]] = {
    "definitions": op_definitions,
    "explain": op_explain,
    "assess": op_assess,
    "save": op_save,
    "load": op_load,
    "carry": op_carry,
    "plan": op_plan,
    "save_plan": op_save_plan,
    "load_plan": op_load_plan,
    "overdue": op_overdue,
    **meeting.page_ops(default_catalog),
    "profile": op_profile,
}


def respond(request: Any) -> dict[str, Any]:
    """Like handle, on already-parsed data."""
    if not isinstance(request, Mapping):
        return {"ok": False, "error": "The request could not be read.", "field": None}
    op = request.get("op")
    handler = HANDLERS.get(op) if isinstance(op, str) else None
    if handler is None:
        return {"ok": False, "error": f"Unknown request {op!r}.", "field": "op"}
    try:
        return handler(request)
    except InputError as exc:
        return {"ok": False, "error": exc.plain, "field": exc.field}
    except DefinitionError as exc:
        return {
            "ok": False,
            "error": f"The tool definitions could not be loaded: {exc}",
            "field": None,
        }
    except Exception as exc:  # noqa: BLE001 - the page must always get an answer
        return {
            "ok": False,
            "error": f"Something went wrong in the tool ({type(exc).__name__}: {exc}). "
            "Please save your work and report this.",
            "field": None,
        }


def handle(request_json: str) -> str:
    """JSON request in, JSON reply out; never raises."""
    try:
        request = json.loads(request_json)
    except (TypeError, ValueError):
        request = None
    try:
        return json.dumps(respond(request), ensure_ascii=False, sort_keys=True)
    except Exception as exc:  # noqa: BLE001
        return json.dumps(
            {
                "ok": False,
                "error": f"Something went wrong in the tool ({type(exc).__name__}).",
                "field": None,
            }
        )
