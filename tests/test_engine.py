"""Scenarios for the scoring engine, per default tool: expected levels, reasons, gaps and notes."""

from __future__ import annotations

import json

import pytest

from cse_tools.catalog import default_catalog
from cse_tools.checks import check_age, check_answers
from cse_tools.engine import assess, counts_as
from cse_tools.errors import InputError
from cse_tools.explain import render_text, rules_table

CATALOG = default_catalog()
SCREENING = CATALOG["screening"]
RISK = CATALOG["risk-assessment"]
TOOLS = [SCREENING, RISK]
REQUIRED_QUESTIONS = {
    "vulnerability": [
        "looked_after",
        "previous_abuse",
        "learning_disability",
        "family_breakdown",
        "homeless",
        "peers_exploited",
        "substance_misuse_family",
    ],
    "risk_indicator": [
        "missing_episodes",
        "unexplained_gifts",
        "older_partner",
        "adults_collecting",
        "substance_misuse",
        "sexual_health",
        "school_absence",
        "online_risk",
        "self_harm",
        "injuries",
        "hotspot_locations",
        "withdrawn_from_family",
        "offending",
    ],
    "sign_of_harm": [
        "disclosure",
        "sex_exchange",
        "trafficked",
        "coercion_violence",
        "sexual_assault",
        "image_abuse",
    ],
}


def all_no(tool, **changes):
    answers = {q.id: "no" for _s, q in tool.questions()}
    answers.update(changes)
    return answers


def reason_ids(result):
    return [r["question"] or r["rule"] for r in result["reasons"]]


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.id)
def test_required_questions_are_in_the_right_sections(tool):
    for kind, ids in REQUIRED_QUESTIONS.items():
        for qid in ids:
            assert tool.section_of(qid) is not None, qid
            assert tool.section_of(qid).kind == kind, qid
    assert tool.section_of("sexual_activity") is not None


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.id)
def test_all_no_is_level_0_and_complete(tool):
    result = assess(tool, 14, all_no(tool))
    assert (result["level"], result["score"]) == (0, 0)
    assert result["reasons"] == [] and result["gaps"] == []
    assert result["provisional"] is False
    assert result["label"] == "No category"
    assert result["score_line"] == "Score 0: scores from 0 to 9 give no category."
    assert result["set_by_rule"] is None and result["vulnerabilities_note"] is None
    assert result["immediate_action"] is None
    assert "judgement" in result["judgement_note"] and "999" in result["emergency_note"]
    json.dumps(result)  # serialisable


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.id)
def test_nothing_answered_lists_every_question_as_a_gap(tool):
    result = assess(tool, None, {})
    assert result["level"] == 0 and result["provisional"] is True
    order = ["age", "sign_of_harm", "risk_indicator", "vulnerability", "protective"]
    assert sorted(g["question"] for g in result["gaps"]) == sorted(
        ["age"] + [q.id for _s, q in tool.questions()]
    )
    kinds = [g["kind"] for g in result["gaps"]]
    assert kinds == sorted(kinds, key=order.index)  # signs of harm first, after the age
    assert kinds[:2] == ["age", "sign_of_harm"]
    assert all(g["statement"] for g in result["gaps"])


def test_one_current_risk_indicator_is_category_1():
    result = assess(SCREENING, 14, all_no(SCREENING, missing_episodes="yes"))
    assert (result["score"], result["level"], result["label"]) == (4, 1, "Category 1: at risk")
    question = SCREENING.question("missing_episodes")
    assert result["reasons"][0] == {
        "question": "missing_episodes",
        "answer": "yes",
        "text": question.text,
        "statement": question.statement,
        "points": 4,
        "counts_as": "risk_indicator",
        "rule": None,
    }
    assert reason_ids(result) == ["missing_episodes", "any_risk_indicator"]
    # The rule set the level, so the result says so and shows no score line.
    assert result["set_by_rule"]["rule"] == "any_risk_indicator" and result["score_line"] is None
    assert any("early help" in a for a in result["actions"])
    assert result["category"]["name"] == "at risk" and result["category"]["triggers"][0]["who"]


def test_past_scores_less_than_yes():
    past = assess(SCREENING, 14, all_no(SCREENING, missing_episodes="past"))
    yes = assess(SCREENING, 14, all_no(SCREENING, missing_episodes="yes"))
    assert past["score"] == 2 < yes["score"] == 4
    assert past["level"] == 1


def test_three_risk_indicators_is_category_2():
    answers = all_no(SCREENING, substance_misuse="yes", school_absence="yes", self_harm="yes")
    result = assess(SCREENING, 15, answers)
    assert (result["score"], result["level"]) == (12, 2)
    assert reason_ids(result) == ["substance_misuse", "school_absence", "self_harm"]
    assert result["set_by_rule"] is None
    assert result["score_line"] == "Score 12: scores from 10 to 23 give category 2."


@pytest.mark.parametrize("tool", [SCREENING, RISK], ids=["screening", "risk-assessment"])
def test_older_partner_with_missing_episodes_is_a_grooming_pattern(tool):
    """Two indicators score only category 1, but this pair is a known pattern: category 2."""
    result = assess(tool, 14, all_no(tool, older_partner="yes", missing_episodes="yes"))
    assert (result["score"], result["level"]) == (8, 2)
    assert result["set_by_rule"]["rule"] == "grooming_pattern"
    unrelated = assess(tool, 14, all_no(tool, older_partner="yes", school_absence="yes"))
    assert unrelated["level"] == 1


def test_many_indicators_stop_at_category_2_and_prompt_a_strategy_discussion():
    ids = REQUIRED_QUESTIONS["risk_indicator"][:6]
    result = assess(SCREENING, 15, all_no(SCREENING, **{q: "yes" for q in ids}))
    assert result["score"] == 24 and result["band"]["level"] == 3 and result["level"] == 2
    assert result["immediate_action"] is None
    assert result["set_by_rule"]["rule"] == "no_sign_of_harm_now" and result["score_line"] is None
    assert "strategy discussion" in result["prompt"]


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.id)
@pytest.mark.parametrize("sign", REQUIRED_QUESTIONS["sign_of_harm"])
def test_sign_of_harm_yes_is_level_3_with_immediate_action(tool, sign):
    result = assess(tool, 16, all_no(tool, **{sign: "yes"}))
    assert result["level"] == 3
    assert result["immediate_action"] and "today" in result["immediate_action"].lower()
    assert "sign_of_harm_now" in reason_ids(result) and sign in reason_ids(result)


def test_sign_of_harm_in_the_past_is_at_least_category_2():
    result = assess(SCREENING, 16, all_no(SCREENING, disclosure="past"))
    assert (
        result["score"] == 0 and result["level"] == 2
    )  # signs of harm work through rules, not points
    assert result["immediate_action"] is None
    assert "sign_of_harm_earlier" in reason_ids(result) and "disclosure" in reason_ids(result)


def test_sexual_activity_depends_on_age():
    answers = all_no(SCREENING, sexual_activity="yes")
    by_age = {age: assess(SCREENING, age, answers) for age in (11, 12, 13, 15, 16, 17)}
    assert by_age[11]["level"] == by_age[12]["level"] == 3
    assert by_age[12]["immediate_action"]
    assert by_age[12]["reasons"][0]["counts_as"] == "sign_of_harm"
    # At 13 or over, sexual activity is not a concern on its own (only with an adult or much older person).
    assert by_age[13]["level"] == by_age[15]["level"] == 0
    assert by_age[13]["reasons"] == []
    assert by_age[16]["level"] == by_age[17]["level"] == 0
    assert by_age[16]["score"] == 0 and by_age[16]["reasons"] == []


def test_sexual_activity_without_age_counts_as_a_risk_indicator_and_age_is_a_gap():
    result = assess(SCREENING, None, all_no(SCREENING, sexual_activity="yes"))
    assert result["level"] == 1 and result["provisional"]
    assert result["gaps"] == [
        {
            "question": "age",
            "text": "The child's age",
            "statement": "Age not given",
            "kind": "age",
            "section": "age",
        }
    ]


def test_age_rule_is_data_not_code():
    question = SCREENING.question("sexual_activity")
    section = SCREENING.section_of("sexual_activity")
    assert [r.counts_as for r in question.age_rules] == ["sign_of_harm", "none"]
    assert counts_as(section, question, 12) == "sign_of_harm"
    assert counts_as(section, question, 16) == "none"
    assert counts_as(section, SCREENING.question("missing_episodes"), 5) == "risk_indicator"


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.id)
def test_under_13_with_one_indicator_is_category_2(tool):
    young = assess(tool, 12, all_no(tool, school_absence="yes"))
    older = assess(tool, 13, all_no(tool, school_absence="yes"))
    assert (young["level"], older["level"]) == (2, 1)
    assert "young_or_learning_disability" in reason_ids(young)
    assert "young_or_learning_disability" not in reason_ids(older)


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.id)
def test_learning_disability_with_one_indicator_is_category_2(tool):
    result = assess(tool, 15, all_no(tool, learning_disability="yes", online_risk="past"))
    assert result["score"] == 2 and result["level"] == 2
    assert result["set_by_rule"]["rule"] == "young_or_learning_disability"


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.id)
def test_vulnerabilities_alone_give_no_category_and_say_why(tool):
    vulns = [q.id for s, q in tool.questions() if s.kind == "vulnerability"]
    result = assess(tool, 14, all_no(tool, **{q: "yes" for q in vulns}))
    assert result["level"] == 0 and result["label"] == "No category"
    note = result["vulnerabilities_note"]
    assert "not a sign" in note["text"] and "early help" in note["text"]
    assert note["items"] == [tool.question(q).statement for q in vulns]
    # Even with heavier vulnerability weights the cap on risk indicators and signs of harm being
    # absent keeps them well away from category 3; and with a risk indicator the note goes.
    result = assess(tool, 14, all_no(tool, missing_episodes="past", **{q: "yes" for q in vulns}))
    assert result["level"] >= 1 and result["vulnerabilities_note"] is None


def test_one_or_two_vulnerabilities_give_no_category():
    assert assess(SCREENING, 14, all_no(SCREENING, looked_after="yes"))["level"] == 0
    assert (
        assess(SCREENING, 14, all_no(SCREENING, looked_after="yes", homeless="yes"))["level"] == 0
    )


def test_unknown_is_a_gap_and_never_scores():
    answers = all_no(SCREENING, missing_episodes="unknown", disclosure="unknown")
    result = assess(SCREENING, 14, answers)
    assert result["score"] == 0 and result["level"] == 0 and result["provisional"]
    assert [g["question"] for g in result["gaps"]] == [
        "disclosure",
        "missing_episodes",
    ]  # signs of harm first
    assert [g["kind"] for g in result["gaps"]] == ["sign_of_harm", "risk_indicator"]


def test_protective_factors_are_listed_beside_the_score_never_subtracted():
    base = all_no(RISK, missing_episodes="yes", older_partner="yes")
    without = assess(RISK, 14, base)
    with_factors = assess(RISK, 14, {**base, "trusted_adult": "yes", "accepts_support": "yes"})
    assert with_factors["score"] == without["score"] and with_factors["level"] == without["level"]
    assert [p["question"] for p in with_factors["protective_factors"]] == [
        "trusted_adult",
        "accepts_support",
    ]
    assert without["protective_factors"] == []
    assert assess(SCREENING, 14, all_no(SCREENING))["protective_factors"] == []


def test_review_date_is_returned_and_checked():
    assert assess(RISK, 14, {}, review_date="2025-06-30")["review_date"] == "2025-06-30"
    with pytest.raises(InputError, match="review_date: '30/06/2025' is not a date"):
        assess(RISK, 14, {}, review_date="30/06/2025")


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            {"missing_episodes": "maybe"},
            "answers.missing_episodes: 'maybe' is not one of yes, past, no, unknown",
        ),
        (
            {"looked_after": "past"},
            "answers.looked_after: 'past' is not allowed: this question has no time window",
        ),
        ({"not_a_question": "yes"}, "answers.not_a_question: not a question of the screening tool"),
        ({"missing_episodes": True}, "answers.missing_episodes: true is not one of"),
        (["yes"], "answers: must be an object"),
    ],
)
def test_bad_answers_name_the_field(answers, message):
    with pytest.raises(InputError) as caught:
        check_answers(SCREENING, answers)
    assert str(caught.value).startswith(message)
    assert caught.value.plain and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("age", "message"),
    [
        (None, "age: missing"),
        (18, "age: 18 is outside 0-17"),
        (-1, "age: -1 is outside 0-17"),
        ("14", "age: '14' is not a whole number"),
        (14.5, "age: 14.5 is not a whole number"),
        (True, "age: true is not a whole number"),
    ],
)
def test_bad_ages(age, message):
    with pytest.raises(InputError) as caught:
        check_age(age, required=True)
    assert str(caught.value).startswith(message)


def test_browser_style_ages():
    assert check_age(" 14 ", required=False, allow_text=True) == 14
    assert check_age("", required=False, allow_text=True) is None
    with pytest.raises(InputError):
        check_age("abc", required=False, allow_text=True)


def test_explain_table_lists_questions_bands_and_rules():
    table = rules_table(SCREENING)
    question = next(
        q for s in table["sections"] for q in s["questions"] if q["id"] == "missing_episodes"
    )
    assert (question["weight"], question["past_weight"], question["time_window"]) == (
        4,
        2,
        "last 6 months",
    )
    assert [b["scores"] for b in table["bands"]] == ["0-9", "10-23", "24+"]
    assert "6 months" in table["time_window"]
    rules = {r["id"]: r for r in table["rules"]}
    assert rules["sign_of_harm_now"]["effect"].startswith("level is at least 3")
    assert "the child is under 13" in rules["young_or_learning_disability"]["when"]
    text = render_text(SCREENING)
    for needle in (
        "missing_episodes",
        "RISK INDICATORS",
        "24+",
        "Category 3: serious risk",
        "no_sign_of_harm_now",
        "strategy discussion",
    ):
        assert needle in text
    protective = next(s for s in rules_table(RISK)["sections"] if s["kind"] == "protective")
    assert protective["scored"] is False and protective["questions"][0]["weight"] is None
