"""How a tool decides, as data (for the site's "how it decides" page) and as plain text (CLI)."""

from __future__ import annotations

import textwrap
from typing import Any

from .model import (
    DISRUPTION,
    KIND_LABELS,
    MIN_AGE,
    PROTECTIVE,
    Condition,
    Question,
    ToolDefinition,
)

_SINGULAR = {
    "vulnerability": "a vulnerability",
    "risk_indicator": "a risk indicator",
    "sign_of_harm": "a sign of harm",
    "none": "not a concern on its own",
}


def _answers(answers: tuple[str, ...]) -> str:
    return " or ".join(f'"{a}"' for a in answers)


def _kinds(kinds: tuple[str, ...]) -> str:
    return " or ".join(_SINGULAR.get(k, k) for k in kinds)


def describe(cond: Condition, tool: ToolDefinition | None = None) -> str:
    """A condition in plain words."""
    if cond.op == "count":
        who = "any question" if cond.at_least == 1 else f"at least {cond.at_least} questions"
        verb = "is" if cond.at_least == 1 else "are"
        return f"{who} counting as {_kinds(cond.kinds)} {verb} answered {_answers(cond.answers)}"
    if cond.op == "answer":
        question = tool.question(cond.question or "") if tool else None
        name = f"'{cond.question}' ({question.text})" if question else f"'{cond.question}'"
        return f"{name} is answered {_answers(cond.answers)}"
    if cond.op == "age_under":
        return f"the child is under {cond.age}"
    if cond.op == "age_at_least":
        return f"the child is {cond.age} or older"
    if cond.op == "not":
        inner = cond.children[0]
        if inner.op == "count" and inner.at_least == 1:
            return f"no question counting as {_kinds(inner.kinds)} is answered {_answers(inner.answers)}"
        return f"it is not so that {describe(inner, tool)}"
    joiner = " and " if cond.op == "all" else " or "
    parts = [describe(c, tool) for c in cond.children]
    text = joiner.join(
        f"({p})" if c.op in ("all", "any") else p for p, c in zip(parts, cond.children)
    )
    return text


def _age_ranges(question: Question) -> list[dict[str, Any]]:
    out, low = [], MIN_AGE
    for rule in question.age_rules:
        out.append(
            {
                "from_age": low,
                "to_age": rule.max_age,
                "counts_as": rule.counts_as,
                "counts_as_label": _SINGULAR.get(rule.counts_as, rule.counts_as),
            }
        )
        low = rule.max_age + 1
    return out


def _about(tool: ToolDefinition) -> dict[str, Any]:
    return {
        "tool": tool.id,
        "kind": tool.kind,
        "title": tool.title,
        "version": tool.version,
        "description": tool.description,
    }


def rules_table(tool: ToolDefinition) -> dict[str, Any]:
    """Everything a practitioner needs to see how the tool reaches its result, as plain data."""
    if tool.kind == DISRUPTION:
        return {
            **_about(tool),
            "tactics": [
                {"id": t.id, "title": t.title, "owner": t.owner, "help": t.help}
                for t in tool.tactics
            ],
        }
    window = f"last {tool.time_window_months} months"
    sections = []
    for section in tool.sections:
        questions = []
        for q in section.questions:
            scored = section.kind != PROTECTIVE
            questions.append(
                {
                    "id": q.id,
                    "text": q.text,
                    "statement": q.statement,
                    "help": q.help,
                    "weight": q.weight if scored else None,
                    "past_weight": q.past_weight if scored and q.time_window else None,
                    "time_window": window if q.time_window else None,
                    "age_rules": _age_ranges(q),
                    "if_age_unknown": q.if_age_unknown,
                    "facts": [
                        {"id": f.id, "label": f.label, "choices": list(f.choices)} for f in q.facts
                    ],
                }
            )
        sections.append(
            {
                "id": section.id,
                "title": section.title,
                "kind": section.kind,
                "kind_label": KIND_LABELS[section.kind],
                "scored": section.kind != PROTECTIVE,
                "narrative": section.narrative,
                "questions": questions,
            }
        )
    bands = []
    for index, band in enumerate(tool.bands):
        nxt = tool.bands[index + 1].min_score - 1 if index + 1 < len(tool.bands) else None
        score = (
            f"{band.min_score}+"
            if nxt is None
            else (f"{band.min_score}" if nxt == band.min_score else f"{band.min_score}-{nxt}")
        )
        bands.append(
            {
                "min_score": band.min_score,
                "max_score": nxt,
                "scores": score,
                "level": band.level,
                "label": tool.level(band.level).label,
            }
        )
    rules = []
    for rule in tool.rules:
        if rule.min_level is not None:
            effect = f"level is at least {rule.min_level} ({tool.level(rule.min_level).label})"
        elif rule.max_level is not None:
            effect = f"level is at most {rule.max_level} ({tool.level(rule.max_level).label})"
        else:  # schema refuses a rule with neither
            raise ValueError(f"rule {rule.id!r} has neither min_level nor max_level")
        rules.append(
            {
                "id": rule.id,
                "text": rule.text,
                "when": describe(rule.when, tool),
                "effect": effect,
                "min_level": rule.min_level,
                "max_level": rule.max_level,
                "immediate_action": rule.immediate_action,
                "prompt": rule.prompt,
            }
        )
    return {
        **_about(tool),
        "audience": tool.audience,
        "answers": [{"answer": a, "label": label} for a, label in tool.answer_labels.items()],
        "scoring": (
            'Each question answered "yes" adds its weight; "past" adds its past weight; "no", '
            '"unknown" and unanswered questions add nothing. Protective factors (answered yes, no or '
            "not known) are shown beside the result and never subtracted. The score gives a band; the "
            "rules below then raise or cap the level (a rule that raises always wins over one that "
            "caps). When a rule sets the level, the result says which rule and shows no score line."
        ),
        "time_window": tool.categories.time_window if tool.categories else "",
        "sections": sections,
        "bands": bands,
        "levels": [
            {
                "level": lv.level,
                "label": lv.label,
                "summary": lv.summary,
                "actions": [t.action for t in lv.next_steps(tool.id)],
                "criteria": list(lv.criteria),
                "review_days": lv.review_days,
            }
            for lv in tool.levels
        ],
        "rules": rules,
        "judgement_note": tool.judgement_note,
        "emergency_note": tool.emergency_note,
    }


def _table(headers: list[str], rows: list[list[str]], widths: list[int]) -> list[str]:
    """A plain-text table; cells wrap within their column width."""

    def line(cells: list[str]) -> list[str]:
        wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, widths)]
        height = max(len(w) for w in wrapped)
        return [
            "  ".join(
                (w[i] if i < len(w) else "").ljust(width) for w, width in zip(wrapped, widths)
            ).rstrip()
            for i in range(height)
        ]

    out = line(headers)
    out.append("  ".join("-" * w for w in widths))
    for row in rows:
        out.extend(line(row))
    return out


def render_text(tool: ToolDefinition, width: int = 100) -> str:
    """The rules table as readable plain text."""
    table = rules_table(tool)
    out = [f"{table['title']} ({table['tool']}, version {table['version']})", ""]
    if table.get("description"):
        out += textwrap.wrap(table["description"], width) + [""]
    if tool.kind == DISRUPTION:
        rows = [[t["id"], t["title"], t["owner"]] for t in table["tactics"]]
        out += _table(["ID", "Tactic", "Suggested owner"], rows, [24, 44, 28])
        return "\n".join(out) + "\n"
    out += ["ANSWERS"] + [f"  {a['answer']:<8} {a['label']}" for a in table["answers"]] + [""]
    out += textwrap.wrap("HOW THE SCORE WORKS: " + table["scoring"], width) + [""]
    for section in table["sections"]:
        if section["scored"]:
            title = (
                f"{section['title'].upper()} (each counts as {_SINGULAR[section['kind']]}, scored)"
            )
        else:
            title = f"{section['title'].upper()} (shown beside the score, never subtracted)"
        out.append(title)
        rows = []
        for q in section["questions"]:
            if section["scored"]:
                weight = (
                    f"{q['weight']} / {q['past_weight']}"
                    if q["past_weight"] is not None
                    else f"{q['weight']}"
                )
            else:
                weight = "-"
            text = q["text"]
            if q["age_rules"]:
                parts = [
                    f"age {r['from_age']}-{r['to_age']}: {r['counts_as_label']}"
                    for r in q["age_rules"]
                ]
                text += " [" + "; ".join(parts) + "]"
            rows.append([q["id"], text, weight, q["time_window"] or "none"])
        out += _table(
            ["ID", "Question", "Weight yes / past", "Time window"], rows, [24, 48, 17, 15]
        )
        out.append("")
    out.append("BANDS")
    rows = [[b["scores"], str(b["level"]), b["label"]] for b in table["bands"]]
    out += _table(["Score", "Level", "Label"], rows, [8, 6, 60]) + [""]
    out.append("RULES (applied after the score)")
    for index, rule in enumerate(table["rules"], start=1):
        out += textwrap.wrap(
            f"{index}. {rule['id']}: when {rule['when']}, the {rule['effect']}.",
            width,
            subsequent_indent="   ",
        )
        out += textwrap.wrap(rule["text"], width, initial_indent="   ", subsequent_indent="   ")
        if rule["immediate_action"]:
            out += textwrap.wrap(
                "Immediate action shown: " + rule["immediate_action"],
                width,
                initial_indent="   ",
                subsequent_indent="   ",
            )
        if rule["prompt"]:
            out += textwrap.wrap(
                "When it lowers the level, the result also says: " + rule["prompt"],
                width,
                initial_indent="   ",
                subsequent_indent="   ",
            )
    out.append("")
    out.append("WHAT EACH LEVEL MEANS YOU DO")
    for level in table["levels"]:
        out.append(f"  {level['label']} (review within {level['review_days']} days)")
        for action in level["actions"]:
            out += textwrap.wrap(action, width, initial_indent="    - ", subsequent_indent="      ")
    out.append("")
    out += textwrap.wrap(table["judgement_note"], width) + [""]
    out += textwrap.wrap(table["emergency_note"], width)
    return "\n".join(out) + "\n"
