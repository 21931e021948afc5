"""The safeguarding invariants every assessment tool must obey, checked when a definition loads.

- A rule's direction: a floor (min_level) never depends on an answer being absent, a cap
  (max_level) only on answers being absent, so a worse answer can never lower the level
  (check_polarity, on each rule as it is read).
- The behaviour, evaluated at every age and with no age (check_behaviour, on the whole tool):
  every answer "no" gives level 0; vulnerabilities alone give level 0; risk indicators alone stop
  at level 2; any sign of harm now gives level 3 with an immediate action.
A definition that breaks one fails to load with a DefinitionError naming the file and the rule or
question. No I/O.
"""

from __future__ import annotations

from typing import Iterator

from .engine import assess, counts_as
from .fields import Place
from .model import (
    MAX_AGE,
    MIN_AGE,
    NO,
    RISK_INDICATOR,
    SCORED_KINDS,
    SIGN_OF_HARM,
    VULNERABILITY,
    YES,
    Condition,
    ToolDefinition,
)


def _answer_leaves(cond: Condition, negated: bool = False) -> Iterator[bool]:
    if cond.op in ("count", "answer"):
        yield negated
    for child in cond.children:
        yield from _answer_leaves(child, negated ^ (cond.op == "not"))


def check_polarity(here: Place, cond: Condition, floor: bool) -> None:
    leaves = list(_answer_leaves(cond))
    if floor and any(leaves):
        raise here.fail(
            "when",
            "a floor (min_level) must not depend on an answer being absent ('not'): a worse answer could then lower the level",
        )
    if not floor and not all(leaves):
        raise here.fail(
            "when",
            "a cap (max_level) may only depend on answers being absent (inside 'not'): otherwise a worse answer could lower the level",
        )
    if not floor and not leaves:
        raise here.fail("when", "a cap (max_level) must depend on the answers, not only on the age")


def check_behaviour(place: Place, tool: ToolDefinition) -> None:
    """Evaluate the tool on the cases that must always come out right, at every age."""
    ages: list[int | None] = [None, *range(MIN_AGE, MAX_AGE + 1)]
    scored = [(s, q) for s, q in tool.questions() if s.kind in SCORED_KINDS]
    all_no = {q.id: NO for _s, q in tool.questions()}
    for age in ages:
        shown = "no age given" if age is None else f"age {age}"
        result = assess(tool, age, all_no)
        if result["level"] != 0:
            raise place.fail(
                "rules",
                f"with every answer 'no' ({shown}) the level would be {result['level']}, not 0: a floor rule must need a concerning answer",
            )
        vulnerable = dict(all_no)
        vulnerable.update({q.id: YES for s, q in scored if s.kind == VULNERABILITY})
        result = assess(tool, age, vulnerable)
        if result["level"] > 0:
            raise place.fail(
                "rules",
                f"with only vulnerabilities answered yes ({shown}) the level would be {result['level']}: vulnerabilities alone give no category (add a rule capping them at level 0)",
            )
        indicators = dict(vulnerable)
        indicators.update({q.id: YES for s, q in scored if counts_as(s, q, age) == RISK_INDICATOR})
        result = assess(tool, age, indicators)
        if result["level"] > 2:
            raise place.fail(
                "rules",
                f"with every risk indicator answered yes and no sign of harm ({shown}) the level would be {result['level']}: risk indicators alone stop at level 2 (add a rule capping them)",
            )
        for s, q in scored:
            if s.kind != SIGN_OF_HARM:
                continue
            result = assess(tool, age, {**all_no, q.id: YES})
            if result["level"] != 3 or not result["immediate_action"]:
                raise place.at(f"question '{q.id}'").fail(
                    None,
                    f"answered yes ({shown}) it must give level 3 with an immediate action: add a min_level 3 rule with immediate_action for signs of harm",
                )
