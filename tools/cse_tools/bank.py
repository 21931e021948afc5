"""The question bank (tools/definitions/questions.yaml) and the tools that ask from it.

Every question of the assessment tools, its answer labels, help, recorded facts, weights and plan
suggestions, the notes, the bands and the rules are written once, in the bank. A tool definition
says which sections and questions it asks, by id and in its order (and a section's `narrative`
box); `select` turns the two into the tool's full plain-data form, which schema.tool_from_dict
then validates like any other definition. Only the bank's own fields that a tool does not give
(answer_labels, judgement_note, emergency_note, bands, rules, plan_rows) are taken from the bank, so a tool
gives its own bands or rules only where they truly differ. No I/O.
"""

from __future__ import annotations

from typing import Any

from .fields import Place, describe

BANK_FILE = "questions.yaml"
BANK_FIELDS = (
    "answer_labels",
    "judgement_note",
    "emergency_note",
    "bands",
    "sections",
    "rules",
    "plan_rows",
)
INHERITED = ("answer_labels", "judgement_note", "emergency_note", "bands", "plan_rows")
SELECTION_FIELDS = ("id", "narrative", "questions")


def asks_from_bank(data: Any) -> bool:
    """Whether a tool definition lists its questions by id (it asks from the bank) rather than
    defining them in place (a self-contained definition, such as the test folders hold)."""
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        return False
    return any(isinstance(s, dict) and "kind" not in s for s in data["sections"])


def bank_mapping(bank: Any, source: str) -> dict[str, Any]:
    """The bank's top level, checked: a mapping of the bank's fields only."""
    return Place(source).mapping(bank, BANK_FIELDS, "the file")


def bank_as_tool(bank: Any, source: str) -> dict[str, Any]:
    """The bank as one tool asking every question, so schema.tool_from_dict checks every field of
    it (errors then name questions.yaml, the question and the field)."""
    return {
        "id": "question-bank",
        "title": "Question bank",
        "version": 1,
        **bank_mapping(bank, source),
    }


def select(tool: dict[str, Any], bank: dict[str, Any], source: str) -> dict[str, Any]:
    """The tool's full plain-data form: its own fields, the bank's sections and questions it
    lists (in its order), and the bank's notes, bands and rules unless it gives its own."""
    place = Place(source)
    by_section = {
        s["id"]: s for s in bank.get("sections") or [] if isinstance(s, dict) and "id" in s
    }
    sections: list[dict[str, Any]] = []
    for index, raw in enumerate(place.items(tool, "sections"), start=1):
        here = place.at(f"section {index}")
        here.mapping(raw, SELECTION_FIELDS)
        sid = here.ident(raw, "id")
        here = place.at(f"section '{sid}'")
        banked = by_section.get(sid)
        if banked is None:
            raise here.fail(
                "id", f"is not a section of {BANK_FILE} (known: {', '.join(by_section)})"
            )
        questions = {
            q["id"]: q for q in banked.get("questions") or [] if isinstance(q, dict) and "id" in q
        }
        chosen: list[dict[str, Any]] = []
        for qid in here.items(raw, "questions"):
            if not isinstance(qid, str) or qid not in questions:
                shown = repr(qid) if isinstance(qid, str) else describe(qid)
                raise here.fail(
                    "questions", f"{shown} is not a question of section '{sid}' in {BANK_FILE}"
                )
            if questions[qid] in chosen:
                raise here.fail("questions", f"{qid!r} is listed twice")
            chosen.append(questions[qid])
        section = {key: value for key, value in banked.items() if key != "questions"}
        if "narrative" in raw:
            section["narrative"] = raw["narrative"]
        sections.append({**section, "questions": chosen})
    asked = {q["id"] for s in sections for q in s["questions"]}
    rules = tool.get("rules", bank.get("rules") or [])
    if isinstance(rules, list) and all(isinstance(r, str) for r in rules):
        known = {r["id"]: r for r in bank.get("rules") or [] if isinstance(r, dict) and "id" in r}
        missing = [r for r in rules if r not in known]
        if missing:
            raise place.fail(
                "rules", f"names rules that are not in {BANK_FILE}: {', '.join(missing)}"
            )
        rules = [known[r] for r in rules]
    for rule in rules if isinstance(rules, list) else []:
        for qid in _questions_named(rule.get("when") if isinstance(rule, dict) else None):
            if qid not in asked:
                raise place.fail(
                    "rules",
                    f"rule {rule.get('id')!r} needs question {qid!r}, which this tool does not ask",
                )
    inherited = {key: bank[key] for key in INHERITED if key in bank and key not in tool}
    return {
        **{k: v for k, v in tool.items() if k not in ("sections", "rules")},
        **inherited,
        "sections": sections,
        "rules": rules,
    }


def _questions_named(cond: Any) -> list[str]:
    """The question ids a rule's condition names (its 'answer' leaves)."""
    if isinstance(cond, list):
        return [qid for item in cond for qid in _questions_named(item)]
    if not isinstance(cond, dict):
        return []
    out: list[str] = []
    for op, arg in cond.items():
        if op == "answer" and isinstance(arg, dict) and isinstance(arg.get("question"), str):
            out.append(arg["question"])
        elif op in ("all", "any", "not"):
            out += _questions_named(arg)
    return out
