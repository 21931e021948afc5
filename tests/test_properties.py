"""Property tests: the rules every shipped assessment tool must obey, over random ages and sparse
random answers (most questions "no", a few concerning ones, as in real cases), so that every
level is reached. One property per rule of the categories (tools/definitions/categories.yaml).

The hypothesis profile ("ci", derandomized, or "dev") is chosen in tests/conftest.py.
"""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cse_tools.catalog import default_catalog
from cse_tools.checks import allowed_answers
from cse_tools.engine import assess, counts_as, kinds_for

CATALOG = default_catalog()
TOOLS = [tool for tool in CATALOG.values() if tool.kind == "assessment"]
AGES = st.integers(min_value=0, max_value=17)
MAYBE_AGE = st.one_of(st.none(), AGES)
# Rank of an answer: a change to a higher rank is "more concern". None = left out.
RANK = {None: 0, "no": 0, "unknown": 0, "past": 1, "yes": 2}
# How many questions get a random answer (the rest are "no" or left out): sparse, so that low
# levels are as likely as high ones.
DENSITIES = (0.0, 0.03, 0.08, 0.15, 0.3, 0.6)
DENSITY = st.sampled_from(DENSITIES)
SETTINGS = settings(max_examples=60)
CONCERN = ("yes", "past")

pytestmark = pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.id)


def every_answer(section, question):
    return (None, *allowed_answers(question))


def build_answers(options, rnd: random.Random, density: float) -> dict[str, str]:
    """Each question, with probability `density`, picks from its allowed answers; otherwise it is
    "no" or left out."""
    picked = {}
    for qid, choices in options:
        value = (
            rnd.choice(choices) if rnd.random() < density else rnd.choice(("no", "no", "no", None))
        )
        if value is not None:
            picked[qid] = value
    return picked


def answers_for(tool, allowed=every_answer):
    """A strategy for a sparse answers dict, built from one drawn seed and density (one draw per
    question would make hypothesis far slower, for no better cases)."""
    options = [(q.id, allowed(s, q)) for s, q in tool.questions()]
    return st.tuples(st.integers(0, 2**32 - 1), DENSITY).map(
        lambda drawn: build_answers(options, random.Random(drawn[0]), drawn[1])
    )


def no_concern(section, question):
    return (None, "no", "unknown")


def without(*kinds):
    """Answers where questions of these section kinds are never concerning."""

    def allowed(section, question):
        return (
            no_concern(section, question)
            if section.kind in kinds
            else every_answer(section, question)
        )

    return allowed


def concerning(tool, age, answers, kind):
    kinds = kinds_for(tool, age)
    return [qid for qid, answer in answers.items() if answer in CONCERN and kinds[qid] == kind]


def test_the_answer_strategy_reaches_every_level(tool):
    """The same generator the properties use reaches every level within a few hundred cases."""
    options = [(q.id, every_answer(s, q)) for s, q in tool.questions()]
    rnd, seen = random.Random(10), {}
    for _ in range(400):
        age = rnd.choice([None, *range(18)])
        level = assess(tool, age, build_answers(options, rnd, rnd.choice(DENSITIES)))["level"]
        seen[level] = seen.get(level, 0) + 1
    assert set(seen) == {0, 1, 2, 3}, seen
    assert min(seen.values()) >= 20, seen  # no level is a rarity


@SETTINGS
@given(age=MAYBE_AGE, answers=st.data())
def test_no_yes_or_past_gives_level_0(tool, age, answers):
    result = assess(tool, age, answers.draw(answers_for(tool, no_concern)))
    assert result["level"] == 0 and result["score"] == 0 and result["reasons"] == []


@SETTINGS
@given(data=st.data())
def test_raising_answers_never_lowers_score_or_level(tool, data):
    age = data.draw(MAYBE_AGE)
    low = data.draw(answers_for(tool))
    rnd = random.Random(data.draw(st.integers(0, 2**32 - 1)))
    high = dict(low)
    for _section, question in tool.questions():
        current = low.get(question.id)
        options = [o for o in (None, *allowed_answers(question)) if RANK[o] >= RANK[current]]
        if rnd.random() < 0.2:
            high[question.id] = rnd.choice(options)
    high = {k: v for k, v in high.items() if v is not None}
    before, after = assess(tool, age, low), assess(tool, age, high)
    assert after["score"] >= before["score"]
    assert after["level"] >= before["level"]


@SETTINGS
@given(data=st.data())
def test_unknown_never_raises_and_every_gap_is_listed_signs_of_harm_first(tool, data):
    age = data.draw(MAYBE_AGE)
    answers = data.draw(answers_for(tool))
    as_no = {k: ("no" if v == "unknown" else v) for k, v in answers.items()}
    result, baseline = assess(tool, age, answers), assess(tool, age, as_no)
    assert (result["score"], result["level"]) == (baseline["score"], baseline["level"])
    expected = ({"age"} if age is None else set()) | {
        q.id for _s, q in tool.questions() if answers.get(q.id) in (None, "unknown")
    }
    assert {g["question"] for g in result["gaps"]} == expected
    order = ["age", "sign_of_harm", "risk_indicator", "vulnerability", "protective", "none"]
    kinds = [g["section"] for g in result["gaps"]]  # in the sections the form shows them in
    assert kinds == sorted(kinds, key=order.index)
    assert result["provisional"] == bool(expected)


# --- one property per rule ------------------------------------------------------------------------


@SETTINGS
@given(data=st.data())
def test_any_sign_of_harm_now_gives_category_3_and_immediate_action(tool, data):
    age = data.draw(MAYBE_AGE)
    answers = data.draw(answers_for(tool))
    signs = [q.id for s, q in tool.questions() if counts_as(s, q, age) == "sign_of_harm"]
    sign = data.draw(st.sampled_from(signs))
    result = assess(tool, age, {**answers, sign: "yes"})
    assert result["level"] == 3 and result["immediate_action"]
    assert "sign_of_harm_now" in [r["rule"] for r in result["reasons"]]


@SETTINGS
@given(age=st.integers(min_value=0, max_value=12), data=st.data())
def test_sexual_activity_under_13_is_a_sign_of_harm(tool, age, data):
    answers = data.draw(answers_for(tool))
    result = assess(tool, age, {**answers, "sexual_activity": "yes"})
    assert result["level"] == 3 and result["immediate_action"]
    reason = next(r for r in result["reasons"] if r["question"] == "sexual_activity")
    assert reason["counts_as"] == "sign_of_harm"


@SETTINGS
@given(age=st.integers(min_value=13, max_value=17), data=st.data())
def test_sexual_activity_at_13_or_over_is_not_a_concern_on_its_own(tool, age, data):
    """At 13 or over sexual activity adds nothing on its own; only under 16 with an adult or much
    older person in contact does it raise the level, and then to category 2 at least."""
    answers = data.draw(answers_for(tool))
    answers.pop("sexual_activity", None)
    before = assess(tool, age, answers)
    after = assess(tool, age, {**answers, "sexual_activity": "yes"})
    assert after["score"] == before["score"]
    if age < 16 and answers.get("older_partner") == "yes":
        assert after["level"] == max(before["level"], 2)
    else:
        assert after["level"] == before["level"]


@SETTINGS
@given(data=st.data())
def test_without_a_sign_of_harm_now_the_level_stops_at_2(tool, data):
    age = data.draw(MAYBE_AGE)
    answers = data.draw(answers_for(tool))
    assume(
        not concerning(tool, age, {k: v for k, v in answers.items() if v == "yes"}, "sign_of_harm")
    )
    result = assess(tool, age, answers)
    assert result["level"] <= 2 and result["immediate_action"] is None
    # A high total with no sign of harm says so and prompts a strategy discussion.
    assert bool(result["prompt"]) == (result["band"]["level"] == 3)


@SETTINGS
@given(data=st.data())
def test_a_sign_of_harm_from_longer_ago_gives_exactly_category_2(tool, data):
    age = data.draw(MAYBE_AGE)
    answers = data.draw(answers_for(tool))
    signs = [
        q.id
        for s, q in tool.questions()
        if counts_as(s, q, age) == "sign_of_harm" and q.time_window
    ]
    answers = {k: ("past" if v == "yes" and k in signs else v) for k, v in answers.items()}
    assume(
        not concerning(tool, age, {k: v for k, v in answers.items() if v == "yes"}, "sign_of_harm")
    )
    sign = data.draw(st.sampled_from(signs))
    assert assess(tool, age, {**answers, sign: "past"})["level"] == 2


@SETTINGS
@given(data=st.data())
def test_vulnerabilities_alone_give_no_category_and_are_listed(tool, data):
    age = data.draw(MAYBE_AGE)
    answers = data.draw(answers_for(tool, without("risk_indicator", "sign_of_harm")))
    assume(
        not concerning(tool, age, answers, "sign_of_harm")
        and not concerning(tool, age, answers, "risk_indicator")
    )
    result = assess(tool, age, answers)
    assert result["level"] == 0
    listed = concerning(tool, age, answers, "vulnerability")
    if listed:
        note = result["vulnerabilities_note"]
        assert "not a sign" in note["text"]
        assert note["items"] == [q.statement for _s, q in tool.questions() if q.id in listed]
    else:
        assert result["vulnerabilities_note"] is None


@SETTINGS
@given(data=st.data())
def test_any_risk_indicator_gives_category_1_at_least(tool, data):
    age = data.draw(MAYBE_AGE)
    answers = data.draw(answers_for(tool))
    assume(concerning(tool, age, answers, "risk_indicator"))
    assert assess(tool, age, answers)["level"] >= 1


@SETTINGS
@given(data=st.data())
def test_under_13_or_learning_disability_with_a_risk_indicator_is_at_least_category_2(tool, data):
    answers = data.draw(answers_for(tool))
    if data.draw(st.booleans()):
        age = data.draw(st.integers(min_value=0, max_value=12))
    else:
        age = data.draw(AGES)
        answers["learning_disability"] = "yes"
    indicators = [q.id for s, q in tool.questions() if counts_as(s, q, age) == "risk_indicator"]
    indicator = data.draw(st.sampled_from(indicators))
    answers[indicator] = data.draw(
        st.sampled_from(["yes", "past"] if tool.question(indicator).time_window else ["yes"])
    )
    assert assess(tool, age, answers)["level"] >= 2


@SETTINGS
@given(data=st.data())
def test_an_adult_with_missing_or_gifts_is_at_least_category_2(tool, data):
    age = data.draw(MAYBE_AGE)
    answers = data.draw(answers_for(tool))
    answers[data.draw(st.sampled_from(["older_partner", "adults_collecting"]))] = "yes"
    answers[data.draw(st.sampled_from(["missing_episodes", "unexplained_gifts"]))] = "yes"
    assert assess(tool, age, answers)["level"] >= 2


@SETTINGS
@given(data=st.data())
def test_protective_factors_never_change_the_level(tool, data):
    protective = [q.id for s, q in tool.questions() if s.kind == "protective"]
    if not protective:
        pytest.skip(f"{tool.id} asks no protective factors")
    age = data.draw(MAYBE_AGE)
    answers = data.draw(answers_for(tool))
    strengths = {q: data.draw(st.sampled_from(["yes", "no", "unknown"])) for q in protective}
    base = {k: v for k, v in answers.items() if k not in protective}
    with_strengths = assess(tool, age, {**base, **strengths})
    without_answer = assess(tool, age, {**base, **{q: "no" for q in protective}})
    assert (with_strengths["level"], with_strengths["score"]) == (
        without_answer["level"],
        without_answer["score"],
    )


@SETTINGS
@given(data=st.data())
def test_a_rule_that_sets_the_level_says_so_and_no_score_line_contradicts_it(tool, data):
    age = data.draw(MAYBE_AGE)
    result = assess(tool, age, data.draw(answers_for(tool)))
    if result["level"] == result["band"]["level"]:
        assert result["set_by_rule"] is None
        words = "no category" if result["level"] == 0 else f"category {result['level']}"
        assert result["score_line"].startswith(f"Score {result['score']}:") and result[
            "score_line"
        ].endswith(f"give {words}.")
    else:
        rule = next(o for o in tool.rules if o.id == result["set_by_rule"]["rule"])
        assert result["set_by_rule"]["text"] == rule.text and result["score_line"] is None
        assert result["level"] in (rule.min_level, rule.max_level)


@SETTINGS
@given(data=st.data())
def test_every_result_is_complete(tool, data):
    age = data.draw(MAYBE_AGE)
    result = assess(tool, age, data.draw(answers_for(tool)))
    assert result["level"] in (0, 1, 2, 3)
    level = tool.level(result["level"])
    assert result["label"] == level.label and result["category"]["meaning"] == level.meaning
    # What to do next: the category's triggers, who and by when, less the step this tool is.
    steps = [t for t in level.triggers if t.done_in != tool.id]
    assert result["actions"] == [t.action for t in steps]
    assert result["next_steps"] == [
        {"action": t.action, "who": t.who, "by_when": t.by_when} for t in steps
    ]
    assert [t["action"] for t in result["category"]["triggers"]] == list(level.actions)
    assert "does not replace" in result["judgement_note"]
    assert "999" in result["emergency_note"] and "immediate danger" in result["emergency_note"]
    assert (result["immediate_action"] is not None) <= (result["level"] == 3)
    assert result["score"] == sum(r["points"] for r in result["reasons"] if r["points"])
    assert json.loads(json.dumps(result)) == result
