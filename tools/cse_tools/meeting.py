"""The multi-agency meeting: several agencies' saved files merged into one picture. No I/O.

meeting ("format": "cse-tools/meeting", "version": 1):
    format, version, saved_at; case {reference, age}, the child the files are about (from the
    files merged); same_child (true when the chair confirmed that files with different references
    or ages are the same child); combined {tool, level, label, set_by_rule (a rule id or null),
    score, answers {question id: answer}}, written for readers that do not merge (the profile)
    and worked out again when this tool reads the file; agencies [{agency, tool, level, label,
    saved_at}], the same; record {date, chair, attendees [{agency, role}], agreed_level (0-3 or
    null), reason (required when agreed_level differs from combined.level), decisions,
    resolutions {question id or "level": how the meeting resolved that disagreement}, actions
    [{risk, action, owner, due}], next_review (YYYY-MM-DD: the meeting date plus the agreed
    category's review interval), outcome ("exploitation_meeting", "escalation" or null)};
    sources [{name, document}], every file merged in its canonical form (files.parse_answers,
    files.parse_plan), so a meeting file reopened gives the same picture.

How the answers combine (the page "How the tools decide" says the same in words):
- the combined tool is the most detailed assessment tool among the files (a screening's questions
  are the risk assessment's questions, with the same ids, so a screening feeds the risk assessment);
- for each question the combined answer is the most concerning one known: "yes" over "past" over
  "no"; "unknown" only when no agency knows. For a protective factor, "no" wins over "yes": a
  strength counts only when no agency has seen it missing;
- the engine scores the combined answers: a sign of harm one agency recorded reaches the level;
- the child's age is the one in the most recently saved file that gives an age.
Plans add actions (same risk and action: one action, every owner kept), never answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Iterable, Mapping, Sequence

from . import files, planning
from .checks import check_date
from .engine import GAP_ORDER, answer_label, assess
from .errors import FileFormatError, InputError
from .model import NO, PAST, PROTECTIVE, UNKNOWN, YES, ToolDefinition

MEETING_FORMAT = files.MEETING_FORMAT
MEETING_VERSION = 1
MAX_FILES = 60  # a meeting with more saved files than this is not one meeting
OUTCOMES = ("exploitation_meeting", "escalation")
RECORD_TEXT_LIMIT = 4000
MEETING_FIELDS = (
    "format",
    "version",
    "saved_at",
    "case",
    "same_child",
    "combined",
    "agencies",
    "record",
    "sources",
)
RECORD_FIELDS = (
    "date",
    "chair",
    "attendees",
    "agreed_level",
    "reason",
    "decisions",
    "resolutions",
    "actions",
    "next_review",
    "outcome",
)

# The order of concern, most concerning first (engine.py scores "yes" and "past"; "no" scores nothing).
CONCERN_ORDER = (YES, PAST, NO, UNKNOWN)
PROTECTIVE_ORDER = (NO, YES, UNKNOWN)  # a strength counts only when nobody has seen it missing

Source = tuple[str, str]  # (file name, text of the file)
Catalog = Mapping[str, ToolDefinition]


class DifferentChild(InputError):
    """Files that seem to be about different children, merged only when the chair says they are one."""

    def __init__(self, names: list[str], why: str) -> None:
        self.names = names
        super().__init__(
            "same_child",
            f"{why}: {', '.join(names)}",
            f"These files may be about different children ({why}): {', '.join(names)}. "
            "Tick that they are the same child to combine them.",
        )


# --- reading the files ---------------------------------------------------------------------------


def content_hash(document: Mapping[str, Any]) -> str:
    """The same file opened twice (or saved again unchanged) has the same hash."""
    return hashlib.sha256(files.dump(document).encode("utf-8")).hexdigest()


def _kind(document: Mapping[str, Any]) -> str:
    return {
        files.ANSWERS_FORMAT: "answers",
        planning.SAFETY_PLAN_FORMAT: "safety-plan",
        planning.DISRUPTION_PLAN_FORMAT: "disruption-plan",
    }[document["format"]]


def read_one(text: Any, catalog: Catalog) -> dict[str, Any]:
    """One saved file checked by the existing readers: an answers file, a plan or a meeting file."""
    doc = files.read_json(text)
    if doc.get("format") == MEETING_FORMAT:
        return parse_meeting(doc, catalog)
    if doc.get("format") == files.ANSWERS_FORMAT:
        return files.parse_answers(doc, catalog)
    return files.parse_plan(doc, catalog)


def open_files(sources: Sequence[Source], catalog: Catalog) -> dict[str, Any]:
    """Every file read: {"documents": [{name, document, hash}], "skipped": [{file, reason}], "meetings": [...]}.
    A meeting file's own sources join the others; the same content twice counts once."""
    if len(sources) > MAX_FILES:
        raise InputError(
            "files",
            f"{len(sources)} files, more than {MAX_FILES}",
            f"{len(sources)} files were opened; this page combines up to {MAX_FILES}.",
        )
    documents: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    meetings: list[dict[str, Any]] = []
    seen: set[str] = set()

    def add(name: str, document: dict[str, Any]) -> None:
        digest = content_hash(document)
        if digest in seen:
            skipped.append(
                {"file": name, "reason": "The same file was opened twice; it counts once."}
            )
            return
        seen.add(digest)
        documents.append({"name": name, "document": document, "hash": digest})

    for name, text in sources:
        try:
            document = read_one(text, catalog)
        except InputError as exc:
            skipped.append({"file": name, "reason": exc.plain})
            continue
        if document["format"] == MEETING_FORMAT:
            meetings.append({"name": name, "meeting": document})
            for inner in document["sources"]:
                add(inner["name"], inner["document"])
        else:
            add(name, document)
    return {"documents": documents, "skipped": skipped, "meetings": meetings}


# --- each agency's view --------------------------------------------------------------------------


def _case(document: Mapping[str, Any]) -> Mapping[str, Any]:
    return document.get("case") or {}


def agency_of(name: str, document: Mapping[str, Any]) -> str:
    return _case(document).get("agency") or name


def age_of(document: Mapping[str, Any]) -> int | None:
    age = document.get("age")
    return age if isinstance(age, int) else _case(document).get("age")


def view(name: str, document: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
    """One agency's view: who, which tool, when, and the level its own file gives."""
    case = _case(document)
    out: dict[str, Any] = {
        "file": name,
        "agency": agency_of(name, document),
        "kind": _kind(document),
        "tool": document["tool"],
        "saved_at": document.get("saved_at"),
        "practitioner": case.get("practitioner"),
        "reference": case.get("reference"),
        "age": age_of(document),
        "level": None,
        "label": None,
        "tool_title": None,
    }
    if document["format"] == files.ANSWERS_FORMAT:
        result = assess(catalog[document["tool"]], document["age"], document["answers"])
        out.update(level=result["level"], label=result["label"], tool_title=result["tool_title"])
    elif document.get("level") is not None:  # a safety plan carries the level it was drafted at
        out.update(level=document["level"], label=document.get("label"))
    return out


def check_same_child(views: Sequence[Mapping[str, Any]]) -> None:
    """Raise DifferentChild when references differ, or ages are more than a year apart."""
    with_ref = [v for v in views if v["reference"]]
    if len({v["reference"].casefold() for v in with_ref}) > 1:
        raise DifferentChild(
            [f"{v['file']} ({v['reference']})" for v in with_ref], "the case references differ"
        )
    with_age = [v for v in views if v["age"] is not None]
    if with_age and max(v["age"] for v in with_age) - min(v["age"] for v in with_age) > 1:
        raise DifferentChild(
            [f"{v['file']} (age {v['age']})" for v in with_age],
            "the ages are more than a year apart",
        )


# --- the combined picture ------------------------------------------------------------------------


def combined_tool(
    documents: Iterable[Mapping[str, Any]], catalog: Catalog
) -> ToolDefinition | None:
    """The most detailed assessment tool among the answers files (None when there are none)."""
    tools = {d["tool"] for d in documents if d["format"] == files.ANSWERS_FORMAT}
    ranked = sorted(
        (catalog[t] for t in tools), key=lambda t: (-sum(1 for _ in t.questions()), t.id)
    )
    return ranked[0] if ranked else None


def most_concerning(answers: Iterable[str], protective: bool = False) -> str:
    """The combined answer: the most concerning known one ("unknown" only when nobody knows)."""
    order = PROTECTIVE_ORDER if protective else CONCERN_ORDER
    given = [a for a in answers if a in order]
    return min(given, key=order.index) if given else UNKNOWN


def disagrees(answers: Iterable[str]) -> bool:
    """One agency says yes (now or longer ago) and another says no."""
    known = set(answers)
    return NO in known and bool(known & {YES, PAST})


def _latest_age(views: Sequence[Mapping[str, Any]]) -> int | None:
    with_age = [v for v in views if v["age"] is not None]
    if not with_age:
        return None
    age: int = max(with_age, key=lambda v: (v["saved_at"] or "", v["age"]))["age"]
    return age


def _statement(question: Any) -> str:
    text: str = getattr(question, "statement", None) or question.text
    return text


def combine(
    tool: ToolDefinition,
    answer_views: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]],
    age: int | None,
) -> dict[str, Any]:
    """Questions (each agency's answer, the combined one), disagreements, unknowns and the level."""
    questions: list[dict[str, Any]] = []
    combined: dict[str, str] = {}
    disagreements: list[dict[str, Any]] = []
    unknown: list[tuple[str, str]] = []
    for section, question in tool.questions():
        given = [
            {
                "agency": v["agency"],
                "file": v["file"],
                "answer": d["answers"][question.id],
                "label": answer_label(tool, question, d["answers"][question.id]),
            }
            for v, d in answer_views
            if question.id in d["answers"]
        ]
        answer = most_concerning((g["answer"] for g in given), section.kind == PROTECTIVE)
        entry = {
            "question": question.id,
            "text": question.text,
            "statement": _statement(question),
            "kind": section.kind,
            "answer": answer,
            "label": answer_label(tool, question, answer),
            "answers": given,
        }
        questions.append(entry)
        if answer != UNKNOWN:
            combined[question.id] = answer
        else:
            unknown.append((question.id, section.kind))
        if disagrees(g["answer"] for g in given):
            disagreements.append(
                {
                    "kind": "answer",
                    "question": question.id,
                    "text": question.text,
                    "counts_as": section.kind,
                    "answers": given,
                    "combined": entry["label"],
                }
            )
    result = assess(tool, age, combined)
    kinds = {r["question"]: r["counts_as"] for r in result["reasons"] if r["question"]}
    for item in disagreements:
        item["counts_as"] = kinds.get(item["question"], item["counts_as"])
    disagreements.sort(
        key=lambda item: GAP_ORDER.index(item["counts_as"]) if item["counts_as"] in GAP_ORDER else 9
    )
    unknown.sort(key=lambda item: GAP_ORDER.index(item[1]))
    return {
        "answers": combined,
        "questions": questions,
        "disagreements": disagreements,
        "unknown": [qid for qid, _kind in unknown],
        "result": result,
    }


def recorded(
    answer_views: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]], catalog: Catalog
) -> dict[str, list[dict[str, str]]]:
    """Recorded facts, what the child or others said, and section notes, each with its agency."""
    facts: list[dict[str, str]] = []
    said: list[dict[str, str]] = []
    notes: list[dict[str, str]] = []
    for v, d in answer_views:
        tool = catalog[d["tool"]]
        for qid, values in d["facts"].items():
            question = tool.question(qid)
            labels = {f.id: f.label for f in question.facts} if question else {}
            for fid, text in values.items():
                facts.append(
                    {
                        "agency": v["agency"],
                        "question": qid,
                        "question_text": question.text if question else qid,
                        "fact": labels.get(fid, fid),
                        "text": text,
                    }
                )
        for key, text in d["notes"].items():
            if key == files.SAID_NOTE:
                said.append({"agency": v["agency"], "text": text})
            else:
                title = next((s.title for s in tool.sections if s.id == key), key)
                notes.append({"agency": v["agency"], "section": title, "text": text})
    return {"facts": facts, "said": said, "notes": notes}


def plan_actions(
    plan_views: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]],
) -> list[dict[str, Any]]:
    """Every plan's actions; the same risk and action from two plans is one action with both owners."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for v, d in plan_views:
        if d["format"] == planning.SAFETY_PLAN_FORMAT:
            items = [
                (
                    r["risk"],
                    r.get("risk_text") or r["risk"],
                    r["action"],
                    r["lead_agency"],
                    r["due"],
                    r["done"],
                )
                for r in d["rows"]
            ]
        else:
            items = [
                ("disruption", "Disruption", t["title"], t["owner"], t["date"], t["done"])
                for t in d["tactics"]
                if t["checked"]
            ]
        for risk, risk_text, action, owner, due, done in items:
            key = (risk, " ".join(action.split()).casefold())
            entry = merged.setdefault(
                key,
                {
                    "risk": risk,
                    "risk_text": risk_text,
                    "action": action,
                    "owners": [],
                    "agencies": [],
                    "due": due,
                    "done": True,
                },
            )
            if owner and owner not in entry["owners"]:
                entry["owners"].append(owner)
            if v["agency"] not in entry["agencies"]:
                entry["agencies"].append(v["agency"])
            if due and (entry["due"] is None or due < entry["due"]):
                entry["due"] = due
            entry["done"] = entry["done"] and done
    return sorted(merged.values(), key=lambda a: (a["due"] or "9999", a["risk"]))


def level_disagreement(views: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    rated = [v for v in views if v["level"] is not None]
    if len({v["level"] for v in rated}) < 2:
        return None
    return {
        "kind": "level",
        "question": "level",
        "text": "The agencies' own levels differ",
        "answers": [
            {"agency": v["agency"], "file": v["file"], "level": v["level"], "label": v["label"]}
            for v in rated
        ],
    }


def merge(
    sources: Sequence[Source], catalog: Catalog, *, same_child: bool = False
) -> dict[str, Any]:
    """The merged picture of several saved files (see the module's docstring)."""
    opened = open_files(sources, catalog)
    views = [view(item["name"], item["document"], catalog) for item in opened["documents"]]
    same_child = same_child or any(m["meeting"]["same_child"] for m in opened["meetings"])
    if not same_child:
        check_same_child(views)
    pairs = list(zip(views, (item["document"] for item in opened["documents"])))
    answer_views = [(v, d) for v, d in pairs if d["format"] == files.ANSWERS_FORMAT]
    plan_views = [(v, d) for v, d in pairs if d["format"] != files.ANSWERS_FORMAT]
    tool = combined_tool((d for _v, d in answer_views), catalog)
    age = _latest_age(views)
    references = [v["reference"] for v in views if v["reference"]]
    out: dict[str, Any] = {
        "case": {"reference": references[0] if references else None, "age": age},
        "same_child": same_child,
        "agencies": views,
        "combined": None,
        "questions": [],
        "disagreements": [],
        "unknown": [],
        "recorded": recorded(answer_views, catalog),
        "actions": plan_actions(plan_views),
        "skipped": opened["skipped"],
        "sources": [
            {"name": item["name"], "document": item["document"]} for item in opened["documents"]
        ],
        "record": latest_record(opened["meetings"]),
    }
    if tool is not None:
        picture = combine(tool, [(v, d) for v, d in answer_views], age)
        result = picture["result"]
        out["combined"] = {
            "tool": tool.id,
            "tool_title": tool.title,
            "level": result["level"],
            "label": result["label"],
            "set_by_rule": result["set_by_rule"],
            "score_line": result["score_line"],
            "score": result["score"],
            "answers": picture["answers"],
            "result": result,
        }
        out["questions"] = picture["questions"]
        out["disagreements"] = picture["disagreements"]
        out["unknown"] = picture["unknown"]
    levels = level_disagreement(views)
    if levels is not None:
        out["disagreements"].insert(0, levels)
    return out


# --- the meeting record and the meeting file -----------------------------------------------------


def _rtext(raw: Mapping[str, Any], field: str, limit: int = RECORD_TEXT_LIMIT) -> str:
    value = raw.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FileFormatError(
            f"record.{field}", "must be text", f"The meeting record's '{field}' must be text."
        )
    if len(value) > limit:
        raise FileFormatError(
            f"record.{field}",
            f"is longer than {limit} characters",
            f"The meeting record's '{field}' is longer than {limit} characters.",
        )
    return value.strip()


def _rdate(value: Any, field: str) -> str | None:
    try:
        return check_date(value, field)
    except InputError:
        raise FileFormatError(
            field,
            "is not a date (YYYY-MM-DD)",
            f"The meeting record's {field.split('.')[-1].replace('_', ' ')} is not a date (YYYY-MM-DD).",
        ) from None


def _rlist(raw: Mapping[str, Any], field: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    value = raw.get(field) or []
    if not isinstance(value, list) or len(value) > files.MAX_ROWS:
        raise FileFormatError(
            f"record.{field}",
            f"must be a list of at most {files.MAX_ROWS}",
            f"The meeting record's {field} could not be read.",
        )
    rows = []
    for index, item in enumerate(value):
        where = f"record.{field}[{index}]"
        if not isinstance(item, Mapping) or any(key not in fields for key in item):
            raise FileFormatError(
                where,
                "is not a row of this list",
                f"The meeting record's {field} could not be read.",
            )
        row = {
            key: (
                _rdate(item.get(key), f"{where}.{key}") if key == "due" else _rtext(item, key, 400)
            )
            for key in fields
        }
        if any(row.values()):
            rows.append(row)
    return rows


def review_days(tool: ToolDefinition, level: int) -> int:
    return tool.level(level).review_days


def check_record(
    raw: Any, combined_level: int | None, tool: ToolDefinition | None
) -> dict[str, Any]:
    """The meeting record in canonical form. A reason is required when the agreed category differs
    from the combined level; the next review is the meeting date plus that category's interval."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise FileFormatError(
            "record", "must be an object", "The meeting record could not be read."
        )
    for key in raw:
        if key not in RECORD_FIELDS:
            raise FileFormatError(
                f"record.{key}",
                "is not a field of the meeting record",
                "The meeting record has a field this page does not know.",
            )
    agreed = raw.get("agreed_level")
    if isinstance(agreed, str) and agreed.strip().isdigit():
        agreed = int(agreed)
    if agreed in ("", None):
        agreed = None
    elif isinstance(agreed, bool) or not isinstance(agreed, int) or not 0 <= agreed <= 3:
        raise FileFormatError(
            "record.agreed_level", "must be 0 to 3", "The agreed category must be 0, 1, 2 or 3."
        )
    reason = _rtext(raw, "reason")
    if (
        agreed is not None
        and combined_level is not None
        and agreed != combined_level
        and not reason
    ):
        raise InputError(
            "record.reason",
            "is required when the agreed category differs from the combined level",
            "Give the reason the meeting agreed a category different from the combined level.",
        )
    resolutions = raw.get("resolutions") or {}
    if not isinstance(resolutions, Mapping) or len(resolutions) > files.MAX_ROWS:
        raise FileFormatError(
            "record.resolutions",
            "must map questions to text",
            "The meeting record's resolutions could not be read.",
        )
    date = _rdate(raw.get("date"), "record.date")
    outcome = raw.get("outcome") or None
    if outcome is not None and outcome not in OUTCOMES:
        raise FileFormatError(
            "record.outcome",
            f"must be one of {', '.join(OUTCOMES)}",
            "The meeting's outcome must be the exploitation meeting or escalation.",
        )
    level = agreed if agreed is not None else combined_level
    next_review = None
    if date and level is not None and tool is not None:
        next_review = (
            dt.date.fromisoformat(date) + dt.timedelta(days=review_days(tool, level))
        ).isoformat()
    return {
        "date": date,
        "chair": _rtext(raw, "chair", 200),
        "attendees": _rlist(raw, "attendees", ("agency", "role")),
        "agreed_level": agreed,
        "reason": reason,
        "decisions": _rtext(raw, "decisions"),
        "resolutions": {
            str(k): _rtext(resolutions, k, 2000)
            for k in resolutions
            if _rtext(resolutions, k, 2000)
        },
        "actions": _rlist(raw, "actions", ("risk", "action", "owner", "due")),
        "next_review": next_review,
        "outcome": outcome,
    }


def latest_record(meetings: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    if not meetings:
        return None
    latest = max(meetings, key=lambda m: m["meeting"].get("saved_at") or "")
    record: dict[str, Any] = latest["meeting"]["record"]
    return record


def meeting_document(
    merged: Mapping[str, Any], record: Any, catalog: Catalog, saved_at: str
) -> dict[str, Any]:
    """The saved meeting file for a merged picture and the chair's record."""
    combined = merged["combined"]
    tool = catalog[combined["tool"]] if combined else None
    return {
        "format": MEETING_FORMAT,
        "version": MEETING_VERSION,
        "saved_at": saved_at,
        "case": dict(merged["case"]),
        "same_child": bool(merged["same_child"]),
        "combined": None
        if combined is None
        else {
            "tool": combined["tool"],
            "level": combined["level"],
            "label": combined["label"],
            "set_by_rule": (combined["set_by_rule"] or {}).get("rule"),
            "score": combined["score"],
            "answers": dict(combined["answers"]),
        },
        "agencies": [
            {k: v[k] for k in ("agency", "tool", "level", "label", "saved_at")}
            for v in merged["agencies"]
        ],
        "record": check_record(record, combined["level"] if combined else None, tool),
        "sources": [{"name": s["name"], "document": s["document"]} for s in merged["sources"]],
    }


def parse_meeting(doc: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
    """Check a saved meeting file; its sources through the existing readers, its summary worked out again."""
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise FileFormatError(
            "version",
            "is missing or not a whole number",
            f"{files.NOT_OURS} (Its version is missing.)",
        )
    if version != MEETING_VERSION:
        raise FileFormatError(
            "version",
            f"{version} is not {MEETING_VERSION}",
            f"This meeting file's version ({version}) is not one this page reads (version {MEETING_VERSION}).",
        )
    for key in doc:
        if key not in MEETING_FIELDS:
            raise FileFormatError(
                key, "is not a field of this file", "The file has a field this page does not know."
            )
    raw_sources = doc.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources or len(raw_sources) > MAX_FILES:
        raise FileFormatError(
            "sources",
            "must be a list of the files merged",
            "This meeting file does not hold the files it was made from.",
        )
    texts: list[Source] = []
    for index, item in enumerate(raw_sources):
        if (
            not isinstance(item, Mapping)
            or not isinstance(item.get("name"), str)
            or not isinstance(item.get("document"), Mapping)
            or item["document"].get("format") == MEETING_FORMAT
        ):
            raise FileFormatError(
                f"sources[{index}]",
                "is not a saved file",
                "This meeting file holds a file that could not be read.",
            )
        texts.append((item["name"][:200], files.dump(item["document"])))
    same_child = doc.get("same_child", False)
    if not isinstance(same_child, bool):
        raise FileFormatError(
            "same_child", "must be true or false", "The meeting file could not be read."
        )
    merged = merge(texts, catalog, same_child=same_child)
    if merged["skipped"]:
        first = merged["skipped"][0]
        raise FileFormatError(
            "sources",
            first["reason"],
            f"A file inside this meeting file could not be read: {first['reason']}",
        )
    saved_at = doc.get("saved_at")
    if saved_at is not None and (not isinstance(saved_at, str) or len(saved_at) > 40):
        raise FileFormatError(
            "saved_at",
            "is not a date and time",
            "The file's 'saved_at' field is not a date and time.",
        )
    return meeting_document(merged, doc.get("record"), catalog, saved_at or "")


def record_for(merged: Mapping[str, Any], catalog: Catalog, today: dt.date) -> dict[str, Any]:
    """The record of a meeting file opened, or a new one dated today with the plans' actions."""
    combined = merged["combined"]
    tool = catalog[combined["tool"]] if combined else None
    if merged["record"] is not None:
        return dict(merged["record"])
    actions = [
        {"risk": a["risk"], "action": a["action"], "owner": ", ".join(a["owners"]), "due": a["due"]}
        for a in merged["actions"]
        if not a["done"]
    ]
    return check_record(
        {"date": today.isoformat(), "actions": actions},
        combined["level"] if combined else None,
        tool,
    )


def public(merged: Mapping[str, Any], record: Mapping[str, Any]) -> dict[str, Any]:
    """The merged record as the command line prints it and the page shows it (no embedded files)."""
    out = {key: value for key, value in merged.items() if key not in ("sources", "record")}
    if out["combined"] is not None:
        out["combined"] = {k: v for k, v in out["combined"].items() if k != "result"} | {
            "provisional": merged["combined"]["result"]["provisional"],
            "immediate_action": merged["combined"]["result"]["immediate_action"],
            "judgement_note": merged["combined"]["result"]["judgement_note"],
            "emergency_note": merged["combined"]["result"]["emergency_note"],
        }
    out["record"] = dict(record)
    return out


# --- the calendar (RFC 5545) ---------------------------------------------------------------------


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets folded (CRLF and a space), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def calendar(reference: str | None, record: Mapping[str, Any], stamp: dt.datetime) -> str:
    """An iCalendar file: the review meeting and each action's due date, as all-day events that carry
    the case reference only (never a name, an action's words or any other free text)."""
    ref = " ".join((reference or "").split())
    suffix = f" - case {ref}" if ref else ""
    events: list[tuple[str, str]] = []
    if record.get("next_review"):
        events.append((record["next_review"], f"CSE review meeting{suffix}"))
    due_days: dict[str, int] = {}
    for action in record.get("actions", []):
        if action.get("due"):
            due_days[action["due"]] = due_days.get(action["due"], 0) + 1
    for day, count in sorted(due_days.items()):
        events.append((day, f"CSE {'action' if count == 1 else f'{count} actions'} due{suffix}"))
    stamp_text = stamp.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CSE procedure handbook//cse-tools meeting//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for index, (day, summary) in enumerate(events):
        start = dt.date.fromisoformat(day)
        uid = hashlib.sha256(
            json.dumps([ref, record.get("date"), index, day]).encode()
        ).hexdigest()[:32]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@cse-tools.invalid",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{start + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_text(summary)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


# --- the page's requests (browser.py hands them here) --------------------------------------------


def _sources(request: Mapping[str, Any]) -> list[Source]:
    raw = request.get("files")
    if not isinstance(raw, list) or not raw:
        raise InputError("files", "must be a list of {name, text}", "Open at least one saved file.")
    out: list[Source] = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping) or not isinstance(item.get("text"), str):
            raise InputError(f"files[{index}]", "must be {name, text}", "A file could not be read.")
        name = item.get("name")
        out.append(
            (name[:200] if isinstance(name, str) and name else f"file {index + 1}", item["text"])
        )
    return out


def _merged(request: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
    return merge(_sources(request), catalog, same_child=request.get("same_child") is True)


def _request_record(
    request: Mapping[str, Any], merged: Mapping[str, Any], catalog: Catalog, today: dt.date
) -> dict[str, Any]:
    """The record the page sent (checked), or the one the files bring, or a new one."""
    if request.get("record") is None:
        return record_for(merged, catalog, today)
    combined = merged["combined"]
    return check_record(
        request["record"],
        combined["level"] if combined else None,
        catalog[combined["tool"]] if combined else None,
    )


def _stamp(request: Mapping[str, Any]) -> str:
    value = request.get("saved_at")
    if isinstance(value, str) and value:
        return value[:40]
    return (
        dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    )


def _today(request: Mapping[str, Any]) -> dt.date:
    value = check_date(request.get("today") or None, "today")
    return dt.date.fromisoformat(value) if value else dt.date.today()


def page_ops(catalog: Any) -> dict[str, Any]:
    """The page's three requests: "meeting" (files, same_child, record?, today) -> meeting (public)
    or refused {files, message}; "save_meeting" (.., saved_at) -> text, filename; "meeting_calendar"
    (.., record) -> text, filename. `catalog` is a function giving the catalog (loaded once)."""

    def op_meeting(request: Mapping[str, Any]) -> dict[str, Any]:
        try:
            merged = _merged(request, catalog())
        except DifferentChild as exc:
            opened = open_files(_sources(request), catalog())
            return {
                "ok": True,
                "meeting": None,
                "refused": {"files": exc.names, "message": exc.plain},
                "skipped": opened["skipped"],
            }
        record = record_for(merged, catalog(), _today(request))
        return {
            "ok": True,
            "meeting": public(merged, record),
            "refused": None,
            "skipped": merged["skipped"],
        }

    def op_save(request: Mapping[str, Any]) -> dict[str, Any]:
        merged = _merged(request, catalog())
        doc = meeting_document(
            merged,
            _request_record(request, merged, catalog(), _today(request)),
            catalog(),
            _stamp(request),
        )
        day = doc["record"]["date"] or doc["saved_at"][:10]
        return {
            "ok": True,
            "text": files.dump(doc),
            "filename": f"cse-meeting-{day}.json",
            "file": doc,
        }

    def op_calendar(request: Mapping[str, Any]) -> dict[str, Any]:
        merged = _merged(request, catalog())
        record = _request_record(request, merged, catalog(), _today(request))
        stamp = dt.datetime.now(dt.timezone.utc)
        day = record["date"] or stamp.date().isoformat()
        return {
            "ok": True,
            "text": calendar(merged["case"]["reference"], record, stamp),
            "filename": f"cse-meeting-{day}.ics",
        }

    def op_review(request: Mapping[str, Any]) -> dict[str, Any]:
        """The record checked against the combined level (the next review date, a missing reason)."""
        level = request.get("level")
        tool = catalog()[request["tool"]] if request.get("tool") in catalog() else None
        level = (
            level
            if isinstance(level, int) and not isinstance(level, bool) and 0 <= level <= 3
            else None
        )
        return {"ok": True, "record": check_record(request.get("record"), level, tool)}

    return {
        "meeting": op_meeting,
        "save_meeting": op_save,
        "meeting_calendar": op_calendar,
        "meeting_review": op_review,
    }
