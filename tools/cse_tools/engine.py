"""Scoring: answers and an age in, a result dict out. No I/O (inputs are checked by `checks`).

How a level is reached (all of it data in the tool definition):
1. Each question counts as its section's kind (vulnerability, risk indicator, sign of harm,
   protective factor), unless an age rule on the question says otherwise for the child's age.
2. Score = sum of the weights of questions answered "yes", plus their past weights for "past".
   "no", "unknown" and unanswered questions score nothing; protective factors are never scored.
3. The bands turn the score into a level (0-3).
4. The rules then apply: caps ("at most level 2 when ...") and floors ("at least level 2 when
   ..."); floors win over caps, so a cap can never hide a serious concern.
5. When a rule, not the score, set the level, the result says which rule in one sentence
   (`set_by_rule`) and shows no score line; otherwise `score_line` says which band the score is in.
The levels themselves (name, meaning, criteria, triggers, review) come from categories.yaml.
"""

from __future__ import annotations

from typing import Any, Mapping

from .checks import check_age, check_answers, check_date
from .errors import InputError
from .model import (
    ASSESSMENT,
    NOT_A_CONCERN,
    PAST,
    PROTECTIVE,
    RISK_INDICATOR,
    SCORED_KINDS,
    SIGN_OF_HARM,
    UNKNOWN,
    VULNERABILITY,
    YES,
    Band,
    Condition,
    Question,
    Rule,
    Section,
    ToolDefinition,
)

Answers = Mapping[str, str]


def counts_as(section: Section, question: Question, age: int | None) -> str:
    """The kind a question counts as for a child of this age (its section's, unless an age rule says)."""
    if section.kind == PROTECTIVE or not question.age_rules:
        return section.kind
    if age is None:
        return question.if_age_unknown or section.kind
    for rule in question.age_rules:
        if age <= rule.max_age:
            return rule.counts_as
    return section.kind


def kinds_for(tool: ToolDefinition, age: int | None) -> dict[str, str]:
    return {q.id: counts_as(s, q, age) for s, q in tool.questions()}


def points(question: Question, kind: str, answer: str | None) -> int:
    if kind not in SCORED_KINDS:
        return 0
    if answer == YES:
        return question.weight
    if answer == PAST:
        return question.past_weight
    return 0


def holds(cond: Condition, age: int | None, answers: Answers, kinds: Mapping[str, str]) -> bool:
    """Whether a rule's condition holds for these answers."""
    op = cond.op
    if op == "count":
        hits = sum(
            1
            for qid, kind in kinds.items()
            if kind in cond.kinds and answers.get(qid) in cond.answers
        )
        return hits >= cond.at_least
    if op == "answer":
        return answers.get(cond.question or "") in cond.answers
    if op == "age_under":
        return age is not None and cond.age is not None and age < cond.age
    if op == "age_at_least":
        return age is not None and cond.age is not None and age >= cond.age
    if op == "all":
        return all(holds(c, age, answers, kinds) for c in cond.children)
    if op == "any":
        return any(holds(c, age, answers, kinds) for c in cond.children)
    if op == "not":
        return not holds(cond.children[0], age, answers, kinds)
    raise ValueError(f"unknown condition {op!r}")


def band_for(tool: ToolDefinition, score: int) -> tuple[Band, int | None]:
    """The band a score falls in and the band's highest score (None for the last, open band)."""
    chosen, upper = tool.bands[0], None
    for index, band in enumerate(tool.bands):
        if score >= band.min_score:
            chosen = band
            nxt = tool.bands[index + 1] if index + 1 < len(tool.bands) else None
            upper = nxt.min_score - 1 if nxt else None
    return chosen, upper


GAP_ORDER = ("age", SIGN_OF_HARM, RISK_INDICATOR, VULNERABILITY, PROTECTIVE, NOT_A_CONCERN)


def answer_label(tool: ToolDefinition, question: Question, answer: str) -> str:
    """How an answer reads for this question: a question without a time window is Yes / No / Not known."""
    if answer == YES and not question.time_window:
        return "Yes"
    return tool.answer_labels.get(answer, answer)


def _level_words(level: int) -> str:
    return "no category" if level == 0 else f"category {level}"


def category_data(tool: ToolDefinition, level: int) -> dict[str, Any]:
    """The level's definition (from categories.yaml) as plain data, for the result and the pages."""
    info = tool.level(level)
    return {
        "level": info.level,
        "name": info.name,
        "label": info.label,
        "meaning": info.meaning,
        "criteria": list(info.criteria),
        "triggers": [
            {"action": t.action, "who": t.who, "by_when": t.by_when} for t in info.triggers
        ],
        "review_days": info.review_days,
        "review": info.review,
    }


def _deciding_rule(fired: list[Rule], band_level: int, level: int) -> Rule | None:
    """The rule that set the level, when the score's band alone would have given another level."""
    if level > band_level:
        return next((o for o in fired if o.min_level == level), None)
    if level < band_level:
        return next((o for o in fired if o.max_level == level), None)
    return None


def assess(
    tool: ToolDefinition,
    age: int | None,
    answers: Answers,
    review_date: str | None = None,
) -> dict[str, Any]:
    """Score one set of answers. Inputs are checked (InputError); the result is JSON-serialisable."""
    if tool.kind != ASSESSMENT:
        raise InputError("tool", f"{tool.id!r} is a {tool.kind} list, not an assessment tool")
    age = check_age(age, required=False)
    answers = check_answers(tool, answers)
    review_date = check_date(review_date, "review_date")
    kinds = kinds_for(tool, age)

    reasons: list[dict[str, Any]] = []
    gaps: list[dict[str, str]] = []
    protective: list[dict[str, str]] = []
    vulnerabilities: list[str] = []
    score = 0
    if age is None:
        gaps.append(
            {
                "question": "age",
                "text": "The child's age",
                "statement": "Age not given",
                "kind": "age",
                "section": "age",
            }
        )
    for section, question in tool.questions():
        answer = answers.get(question.id)
        kind = kinds[question.id]
        if answer is None or answer == UNKNOWN:
            gaps.append(
                {
                    "question": question.id,
                    "text": question.text,
                    "statement": question.statement,
                    "kind": kind,
                    # Filed under the section the form shows it in (an age rule may make it count
                    # as another kind).
                    "section": section.kind,
                }
            )
            continue
        if kind == PROTECTIVE:
            if answer == YES:
                protective.append(
                    {
                        "question": question.id,
                        "text": question.text,
                        "statement": question.statement,
                    }
                )
            continue
        if kind not in SCORED_KINDS or answer not in (YES, PAST):
            continue
        gained = points(question, kind, answer)
        score += gained
        if kind == VULNERABILITY:
            vulnerabilities.append(question.statement)
        reasons.append(
            {
                "question": question.id,
                "answer": answer,
                "text": question.text,
                "statement": question.statement,
                "points": gained,
                "counts_as": kind,
                "rule": None,
            }
        )
    gaps.sort(key=lambda gap: GAP_ORDER.index(gap["section"]))

    band, upper = band_for(tool, score)
    fired = [o for o in tool.rules if holds(o.when, age, answers, kinds)]
    caps = [o.max_level for o in fired if o.max_level is not None]
    floors = [o.min_level for o in fired if o.min_level is not None]
    capped = min([band.level, *caps])
    level = max([capped, *floors])

    immediate: str | None = None
    prompt: str | None = None
    for rule in fired:
        binding_floor = rule.min_level is not None and rule.min_level == level
        binding_cap = (
            rule.max_level is not None and rule.max_level < band.level and rule.max_level == level
        )
        if binding_floor or binding_cap:
            reasons.append(
                {
                    "question": None,
                    "answer": None,
                    "text": rule.text,
                    "statement": None,
                    "points": None,
                    "counts_as": None,
                    "rule": rule.id,
                }
            )
        if binding_floor and rule.immediate_action and immediate is None:
            immediate = rule.immediate_action
        if binding_cap and rule.prompt and prompt is None:
            prompt = rule.prompt

    deciding = _deciding_rule(fired, band.level, level)
    if deciding is not None:
        set_by_rule = {"rule": deciding.id, "text": deciding.text}
        score_line = None
    else:
        set_by_rule = None
        scores = (
            f"{band.min_score} or more" if upper is None else f"from {band.min_score} to {upper}"
        )
        score_line = f"Score {score}: scores {scores} give {_level_words(level)}."

    vulnerabilities_note = None
    if level == 0 and vulnerabilities and tool.categories is not None:
        vulnerabilities_note = {
            "text": tool.categories.vulnerabilities_note,
            "items": vulnerabilities,
        }

    info = tool.level(level)
    return {
        "tool": tool.id,
        "tool_title": tool.title,
        "tool_version": tool.version,
        "age": age,
        "level": level,
        "label": info.label,
        "short_label": info.short,
        "summary": info.summary,
        "score": score,
        "band": {"level": band.level, "min_score": band.min_score, "max_score": upper},
        "score_line": score_line,
        "set_by_rule": set_by_rule,
        "prompt": prompt,
        "category": category_data(tool, level),
        "vulnerabilities_note": vulnerabilities_note,
        "provisional": bool(gaps),
        "reasons": reasons,
        "gaps": gaps,
        "actions": [t.action for t in info.next_steps(tool.id)],
        # What to do next, with who and by when, from categories.yaml (without the step this tool is).
        "next_steps": [
            {"action": t.action, "who": t.who, "by_when": t.by_when}
            for t in info.next_steps(tool.id)
        ],
        # How many questions have an answer ("not known" included): 0 before the first answer.
        "answered": sum(1 for _s, q in tool.questions() if answers.get(q.id) is not None),
        # Whether this tool asks about protective factors at all (the screening does not).
        "asks_protective": any(s.kind == PROTECTIVE for s in tool.sections),
        "immediate_action": immediate,
        "protective_factors": protective,
        "judgement_note": tool.judgement_note,
        "emergency_note": tool.emergency_note,
        "review_date": review_date,
    }
