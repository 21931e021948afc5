"""The category rules, checked on both shipped tools: worked cases, one check per rule, and a
mutation check that breaks each rule, band threshold and scored question in turn and expects
these checks to notice.

Every check is a plain function of a tool that raises AssertionError, so the same checks run as
tests and, in process, against each mutant of the loaded definitions.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

import pytest

from cse_tools.catalog import default_catalog
from cse_tools.engine import assess, counts_as
from cse_tools.model import RISK_INDICATOR, SIGN_OF_HARM, VULNERABILITY, ToolDefinition
from macros.categories import case_answers, load_vignettes

CATALOG = default_catalog()
TOOLS = [CATALOG["screening"], CATALOG["risk-assessment"]]
QUESTION_IDS = {q.id for t in TOOLS for _s, q in t.questions()}
VIGNETTES = load_vignettes(question_ids=QUESTION_IDS)
# Risk indicators that no rule names: three of them make category 2 by score alone.
PLAIN = ("school_absence", "substance_misuse", "self_harm", "injuries")
# The one vulnerability that adds no points: it works through the learning disability rule.
RULE_ONLY = ("learning_disability",)


def run(tool: ToolDefinition, age: int | None, **answers: str) -> dict:
    return assess(tool, age, case_answers(tool, answers))


def ids_of(tool: ToolDefinition, kind: str, age: int | None = 15) -> list[str]:
    return [q.id for s, q in tool.questions() if counts_as(s, q, age) == kind]


def two_plain(*avoid: str) -> dict[str, str]:
    return {qid: "yes" for qid in [p for p in PLAIN if p not in avoid][:2]}


# --- the worked cases -------------------------------------------------------------------------


def check_vignettes(tool: ToolDefinition) -> None:
    for case in VIGNETTES:
        result = assess(tool, case["age"], case_answers(tool, case["answers"]))
        name = f"{case['name']!r} ({tool.id})"
        assert result["level"] == case["expect"][tool.id], (
            f"{name}: level {result['level']}, expected {case['expect'][tool.id]}"
        )
        if "rule" in case:
            got = (result["set_by_rule"] or {}).get("rule")
            assert got == case["rule"], f"{name}: set by {got!r}, expected {case['rule']!r}"
        if "prompt" in case:
            assert bool(result["prompt"]) == case["prompt"], (
                f"{name}: strategy prompt {result['prompt']!r}"
            )
        assert bool(result["vulnerabilities_note"]) == case.get("vulnerabilities_note", False), name
        assert result["provisional"] == case.get("provisional", False), name


# --- one check per rule -----------------------------------------------------------------------


def check_sign_of_harm_now_is_category_3(tool: ToolDefinition) -> None:
    for qid in ids_of(tool, SIGN_OF_HARM):
        result = run(tool, 15, **{qid: "yes"})
        assert result["level"] == 3 and result["immediate_action"], qid
        assert (
            result["set_by_rule"]["rule"] == "sign_of_harm_now" and result["score_line"] is None
        ), qid


def check_age_rule_sign_of_harm(tool: ToolDefinition) -> None:
    """Sexual activity under 13 is a sign of harm: category 3 now; at 13 or over not on its own."""
    for age in (0, 9, 12):
        result = run(tool, age, sexual_activity="yes")
        assert result["level"] == 3 and result["immediate_action"], age
        assert result["reasons"][0]["counts_as"] == SIGN_OF_HARM
    for age in (13, 15, 16, 17):
        assert run(tool, age, sexual_activity="yes")["level"] == 0, age


def check_adult_sexual_activity_under_16(tool: ToolDefinition) -> None:
    """Under 16, sexual activity with an adult or much older person in contact: category 2 at
    least, with the immediate action to tell the police today; at 16 or with only one of the two, not."""
    for age in (13, 14, 15):
        result = run(tool, age, sexual_activity="yes", older_partner="yes")
        assert result["level"] == 2, age
        assert result["set_by_rule"]["rule"] == "adult_sexual_activity_under_16", age
        assert (
            "tell the police and children's social care today" in result["set_by_rule"]["text"]
        ), age
    assert run(tool, 16, sexual_activity="yes", older_partner="yes")["level"] == 1
    assert run(tool, 14, sexual_activity="no", older_partner="yes")["level"] == 1
    assert run(tool, 14, sexual_activity="yes", older_partner="past")["level"] == 1


def check_sign_of_harm_earlier_is_category_2(tool: ToolDefinition) -> None:
    for qid in ids_of(tool, SIGN_OF_HARM):
        result = run(tool, 15, **{qid: "past"})
        assert result["level"] == 2 and not result["immediate_action"], qid
        assert result["set_by_rule"]["rule"] == "sign_of_harm_earlier", qid


def check_risk_indicators_alone_stop_at_2(tool: ToolDefinition) -> None:
    answers = {qid: "yes" for qid in ids_of(tool, RISK_INDICATOR)}
    answers.update({qid: "yes" for qid in ids_of(tool, VULNERABILITY)})
    result = run(tool, 15, **answers)
    assert result["level"] == 2 and result["band"]["level"] == 3
    assert result["prompt"] and "strategy discussion" in result["prompt"]
    assert result["set_by_rule"]["rule"] == "no_sign_of_harm_now" and result["score_line"] is None
    # Just under the high total: category 2 by score, no prompt.
    result = run(tool, 15, **{q: "yes" for q in ids_of(tool, RISK_INDICATOR)[:5]})
    assert result["level"] == 2


def check_any_risk_indicator_is_category_1(tool: ToolDefinition) -> None:
    for qid in ids_of(tool, RISK_INDICATOR):
        for answer in ("yes", "past"):
            result = run(tool, 15, **{qid: answer})
            assert result["level"] == 1, (qid, answer)
            assert (
                result["set_by_rule"]["rule"] == "any_risk_indicator"
                and result["score_line"] is None
            )


def check_each_risk_indicator_counts(tool: ToolDefinition) -> None:
    """Any three risk indicators reach category 2 by score; two plain ones stay at 1; a third from
    longer ago (half weight) also reaches 10."""
    for qid in ids_of(tool, RISK_INDICATOR, None):
        age = 15 if qid in ids_of(tool, RISK_INDICATOR) else None
        base = two_plain(qid)
        assert run(tool, age, **base)["level"] == 1, qid
        result = run(tool, age, **base, **{qid: "yes"})
        assert result["level"] == 2 and result["score"] == 12, (qid, result["score"])
        if tool.question(qid).time_window:
            result = run(tool, age, **base, **{qid: "past"})
            assert result["level"] == 2 and result["score"] == 10, (qid, "past", result["score"])


def check_each_vulnerability_counts(tool: ToolDefinition) -> None:
    """Two risk indicators with two vulnerabilities reach category 2; with one they stay at 1."""
    counted = [q for q in ids_of(tool, VULNERABILITY) if q not in RULE_ONLY]
    for qid in counted:
        other = next(q for q in counted if q != qid)
        assert run(tool, 15, **two_plain(), **{other: "yes"})["level"] == 1, qid
        assert run(tool, 15, **two_plain(), **{other: "yes", qid: "yes"})["level"] == 2, qid


def check_vulnerabilities_alone_give_no_category(tool: ToolDefinition) -> None:
    vulns = ids_of(tool, VULNERABILITY)
    result = run(tool, 15, **{q: "yes" for q in vulns})
    assert result["level"] == 0
    note = result["vulnerabilities_note"]
    assert note and "not a sign" in note["text"] and "early help" in note["text"]
    assert note["items"] == [tool.question(q).statement for q in vulns]


def check_young_or_learning_disability(tool: ToolDefinition) -> None:
    for qid in ids_of(tool, RISK_INDICATOR):
        assert run(tool, 12, **{qid: "past"})["level"] == 2, qid
        assert run(tool, 15, learning_disability="yes", **{qid: "past"})["level"] == 2, qid
    assert run(tool, 13, school_absence="yes")["level"] == 1
    assert run(tool, 12, looked_after="yes")["level"] == 0
    assert run(tool, 15, learning_disability="yes")["level"] == 0


def check_grooming_pattern(tool: ToolDefinition) -> None:
    for adult in ("older_partner", "adults_collecting"):
        for sign in ("missing_episodes", "unexplained_gifts"):
            result = run(tool, 16, **{adult: "yes", sign: "yes"})
            assert result["level"] == 2 and result["set_by_rule"]["rule"] == "grooming_pattern", (
                adult,
                sign,
            )
            assert run(tool, 16, **{adult: "past", sign: "yes"})["level"] == 1, (adult, sign)


CHECKS: list[Callable[[ToolDefinition], None]] = [
    check_vignettes,
    check_sign_of_harm_now_is_category_3,
    check_age_rule_sign_of_harm,
    check_adult_sexual_activity_under_16,
    check_sign_of_harm_earlier_is_category_2,
    check_risk_indicators_alone_stop_at_2,
    check_any_risk_indicator_is_category_1,
    check_each_risk_indicator_counts,
    check_each_vulnerability_counts,
    check_vulnerabilities_alone_give_no_category,
    check_young_or_learning_disability,
    check_grooming_pattern,
]


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.id)
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__.removeprefix("check_"))
def test_rule(tool, check):
    check(tool)


def test_there_are_at_least_30_worked_cases_covering_every_category():
    assert len(VIGNETTES) >= 30
    for tool in TOOLS:
        assert {case["expect"][tool.id] for case in VIGNETTES} == {0, 1, 2, 3}


# --- the mutation check -----------------------------------------------------------------------


def _mutants(tool: ToolDefinition):
    """Every override removed, every band threshold shifted by one either way, every scored
    question's weight zeroed: (description, mutated tool)."""
    for rule in tool.rules:
        yield (
            f"remove rule {rule.id}",
            replace(tool, rules=tuple(o for o in tool.rules if o is not rule)),
        )
    for index, band in enumerate(tool.bands):
        if index == 0:
            continue  # the first band is fixed at score 0 (the schema requires it)
        for delta in (-1, 1):
            bands = list(tool.bands)
            bands[index] = replace(band, min_score=band.min_score + delta)
            yield (
                f"band {index + 1} threshold {band.min_score}{delta:+d}",
                replace(tool, bands=tuple(bands)),
            )
    for section in tool.sections:
        for question in section.questions:
            if question.weight == 0 and question.past_weight == 0:
                continue
            zeroed = replace(question, weight=0, past_weight=0)
            sections = tuple(
                replace(s, questions=tuple(zeroed if q is question else q for q in s.questions))
                if s is section
                else s
                for s in tool.sections
            )
            yield f"zero weight of {question.id}", replace(tool, sections=sections)


def _killed(mutant: ToolDefinition) -> bool:
    for check in CHECKS:
        try:
            check(mutant)
        except AssertionError:
            return True
    return False


def test_every_mutation_of_the_rules_is_caught(capsys):
    tried, survivors = 0, []
    for tool in TOOLS:
        for description, mutant in _mutants(tool):
            tried += 1
            if not _killed(mutant):
                survivors.append(f"{tool.id}: {description}")
    with capsys.disabled():
        print(
            f"\nmutation check: {tried} mutations tried, {tried - len(survivors)} caught, "
            f"{len(survivors)} survived"
        )
    assert not survivors, survivors
    scored = sum(1 for t in TOOLS for _s, q in t.questions() if q.weight)
    rules = sum(len(t.rules) for t in TOOLS)
    thresholds = sum(2 * (len(t.bands) - 1) for t in TOOLS)
    assert tried == scored + rules + thresholds >= 60
