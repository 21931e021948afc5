"""Property tests: the rules every default tool must obey, over random ages and random answers."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cse_tools.catalog import default_catalog
from cse_tools.engine import allowed_answers, assess, counts_as

CATALOG = default_catalog()
TOOLS = [tool for tool in CATALOG.values() if tool.kind == "assessment"]
AGES = st.integers(min_value=0, max_value=17)
MAYBE_AGE = st.one_of(st.none(), AGES)
# Rank of an answer: a change to a higher rank is "more concern". None = left out.
RANK = {None: 0, "no": 0, "unknown": 0, "past": 1, "yes": 2}
SETTINGS = settings(max_examples=120, deadline=None)

pytestmark = pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.id)


def answers_for(tool, allowed=lambda section, question: (None, *allowed_answers(question))):
    """A strategy for an answers dict; each question picks from `allowed(section, question)`.

    Built from one hypothesis-controlled Random (much faster than one draw per question)."""
    options = [(q.id, allowed(s, q)) for s, q in tool.questions()]

    def build(rnd):
        picked = {qid: rnd.choice(choices) for qid, choices in options}
        return {k: v for k, v in picked.items() if v is not None}

    return st.randoms(use_true_random=False).map(build)


def questions_of(tool, kind):
    return [q.id for s, q in tool.questions() if s.kind == kind]


def no_concern(section, question):
    return (None, "no", "unknown")


@SETTINGS
@given(data=st.data())
def test_no_yes_or_past_gives_level_0(tool, data):
    age = data.draw(MAYBE_AGE)
    answers = data.draw(answers_for(tool, no_concern))
    result = assess(tool, age, answers)
    assert result["level"] == 0 and result["score"] == 0 and result["reasons"] == []


@SETTINGS
@given(data=st.data())
def test_raising_answers_never_lowers_score_or_level(tool, data):
    age = data.draw(MAYBE_AGE)
    rnd = data.draw(st.randoms(use_true_random=False))
    low, high = {}, {}
    for _section, question in tool.questions():
        options = [None, *allowed_answers(question)]
        a = rnd.choice(options)
        b = rnd.choice([o for o in options if RANK[o] >= RANK[a]])
        if a is not None:
            low[question.id] = a
        if b is not None:
            high[question.id] = b
    before, after = assess(tool, age, low), assess(tool, age, high)
    assert after["score"] >= before["score"]
    assert after["level"] >= before["level"]


@SETTINGS
@given(data=st.data())
def test_one_step_up_never_lowers(tool, data):
    age = data.draw(MAYBE_AGE)
    answers = data.draw(answers_for(tool))
    question = data.draw(st.sampled_from([q for s, q in tool.questions()]))
    current = answers.get(question.id)
    if current == "yes":
        return
    if current == "past" or not question.time_window:
        raised = "yes"
    else:
        raised = data.draw(st.sampled_from(["past", "yes"]))
    before = assess(tool, age, answers)
    after = assess(tool, age, {**answers, question.id: raised})
    assert (after["score"], after["level"]) >= (before["score"], before["level"])
    assert after["score"] >= before["score"]


@SETTINGS
@given(data=st.data())
def test_any_sign_of_harm_yes_gives_level_3_and_immediate_action(tool, data):
    age = data.draw(MAYBE_AGE)
    answers = data.draw(answers_for(tool))
    sign = data.draw(st.sampled_from(questions_of(tool, "sign_of_harm")))
    result = assess(tool, age, {**answers, sign: "yes"})
    assert result["level"] == 3
    assert result["immediate_action"]
    assert "sign_of_harm_now" in [r["rule"] for r in result["reasons"]]


@SETTINGS
@given(data=st.data())
def test_under_13_or_learning_disability_with_a_risk_indicator_is_at_least_level_2(tool, data):
    answers = data.draw(answers_for(tool))
    indicator = data.draw(st.sampled_from(questions_of(tool, "risk_indicator")))
    question = tool.question(indicator)
    answers[indicator] = data.draw(st.sampled_from(["yes", "past"] if question.time_window else ["yes"]))
    if data.draw(st.booleans()):
        age = data.draw(st.integers(min_value=0, max_value=12))
    else:
        age = data.draw(AGES)
        answers["learning_disability"] = "yes"
    section = tool.section_of(indicator)
    if counts_as(section, question, age) == "none":  # e.g. sexual activity at 16-17: not an indicator
        return
    assert assess(tool, age, answers)["level"] >= 2


@SETTINGS
@given(data=st.data())
def test_unknown_never_raises_and_every_gap_is_listed(tool, data):
    age = data.draw(MAYBE_AGE)
    answers = data.draw(answers_for(tool))
    as_no = {k: ("no" if v == "unknown" else v) for k, v in answers.items()}
    result, baseline = assess(tool, age, answers), assess(tool, age, as_no)
    assert (result["score"], result["level"]) == (baseline["score"], baseline["level"])
    expected_gaps = ([] if age is not None else ["age"]) + [
        q.id for _s, q in tool.questions() if answers.get(q.id) in (None, "unknown")
    ]
    assert [g["question"] for g in result["gaps"]] == expected_gaps
    assert result["provisional"] == bool(expected_gaps)


@SETTINGS
@given(data=st.data())
def test_vulnerabilities_alone_never_exceed_level_1(tool, data):
    age = data.draw(MAYBE_AGE)

    def only_vulnerabilities(section, question):
        if section.kind in ("vulnerability", "protective"):
            return (None, *allowed_answers(question))
        return no_concern(section, question)

    answers = data.draw(answers_for(tool, only_vulnerabilities))
    assert assess(tool, age, answers)["level"] <= 1


@SETTINGS
@given(data=st.data())
def test_every_result_is_complete(tool, data):
    age = data.draw(MAYBE_AGE)
    result = assess(tool, age, data.draw(answers_for(tool)))
    assert result["level"] in (0, 1, 2, 3)
    assert result["label"] == tool.level(result["level"]).label
    assert result["actions"] == list(tool.level(result["level"]).actions)
    assert "does not replace" in result["judgement_note"]
    assert "999" in result["emergency_note"] and "immediate danger" in result["emergency_note"]
    assert (result["immediate_action"] is not None) <= (result["level"] == 3)
    assert result["score"] == sum(r["points"] for r in result["reasons"] if r["points"])
    assert json.loads(json.dumps(result)) == result
