"""The screening's answers carried into the risk assessment (cse_tools.carry), in CPython."""

from __future__ import annotations

import json

import pytest

from cse_tools import browser, carry, files
from cse_tools.catalog import default_catalog
from cse_tools.errors import InputError

CATALOG = default_catalog()
SCREENING = CATALOG["screening"]
RISK = CATALOG["risk-assessment"]


def screening_document(**extra):
    return files.answers_document(
        SCREENING,
        14,
        {
            "missing_episodes": "yes",
            "older_partner": "past",
            "disclosure": "unknown",
            "homeless": "no",
        },
        {"said": "She said he picks her up after school."},
        facts=extra.get("facts"),
        case={"reference": "AB-123", "practitioner": "J Lee"},
    )


def test_every_screening_question_is_asked_by_the_risk_assessment():
    """The carry relies on the shared bank: nothing the screening asks is lost on the way."""
    assert set(carry.question_ids(SCREENING)) <= set(carry.question_ids(RISK))
    assert carry.can_carry(SCREENING, RISK)


def test_a_risk_assessment_is_never_carried_into_the_screening():
    assert not carry.can_carry(RISK, SCREENING)
    assert not carry.can_carry(SCREENING, SCREENING)
    with pytest.raises(InputError) as caught:
        carry.carry_over(RISK, SCREENING, files.answers_document(RISK, 14, {}))
    assert caught.value.field == "tool"


def test_answers_age_notes_and_case_come_over_under_the_same_ids():
    moved = carry.carry_over(SCREENING, RISK, screening_document())
    doc = moved["file"]
    assert doc["tool"] == "risk-assessment"
    assert doc["age"] == 14
    assert doc["answers"] == {
        "homeless": "no",
        "missing_episodes": "yes",
        "older_partner": "past",
        "disclosure": "unknown",
    }
    assert moved["carried"] == ["homeless", "missing_episodes", "older_partner", "disclosure"]
    assert doc["notes"] == {"said": "She said he picks her up after school."}
    assert doc["case"] == {"reference": "AB-123", "practitioner": "J Lee"}
    assert moved["to_answer"] == len(carry.question_ids(RISK)) - 4
    assert moved["from_title"] == SCREENING.title


def test_recorded_facts_come_over_beside_their_question():
    question = next(q for _s, q in SCREENING.questions() if q.facts)
    fact = question.facts[0]
    value = fact.choices[0] if fact.choices else "A silver car"
    moved = carry.carry_over(
        SCREENING, RISK, screening_document(facts={question.id: {fact.id: value}})
    )
    assert moved["file"]["facts"] == {question.id: {fact.id: value}}


def test_the_carry_op_takes_a_form_as_the_page_gathers_it_and_gives_the_result():
    source = {
        "tool": "screening",
        "age": "15",
        "answers": {"missing_episodes": "yes", "unexplained_gifts": "yes", "disclosure": None},
        "notes": {"said": ""},
        "review_date": None,
        "facts": {},
        "case": {"reference": "", "date": "", "practitioner": "", "agency": ""},
    }
    reply = json.loads(
        browser.handle(json.dumps({"op": "carry", "tool": "risk-assessment", "source": source}))
    )
    assert reply["ok"], reply
    assert reply["carried"] == ["missing_episodes", "unexplained_gifts"]
    assert reply["result"]["tool"] == "risk-assessment"
    assert reply["result"]["answered"] == 2
    assert reply["file"]["age"] == 15


def test_the_carry_op_refuses_a_risk_assessment_into_the_screening_plainly():
    source = {"tool": "risk-assessment", "age": 14, "answers": {"mental_health": "yes"}}
    reply = json.loads(
        browser.handle(json.dumps({"op": "carry", "tool": "screening", "source": source}))
    )
    assert reply["ok"] is False
    assert (
        reply["error"]
        == "Answers from the CSE risk assessment cannot be opened in the CSE screening tool."
    )


# --- the result in plain words (engine.assess), in CPython ----------------------------------------


def test_the_level_has_one_name_category_number_and_its_name_from_the_categories():
    from cse_tools.engine import assess

    result = assess(RISK, 14, {"missing_episodes": "yes", "older_partner": "yes"})
    name = RISK.level(result["level"]).name
    assert result["label"] == f"Category {result['level']}: {name}"
    assert result["short_label"] == f"Category {result['level']}"
    assert assess(RISK, 14, {})["label"] == RISK.level(0).name


def test_the_risk_assessment_never_tells_you_to_complete_the_risk_assessment():
    from cse_tools.engine import assess

    answers = {"missing_episodes": "yes", "older_partner": "yes", "unexplained_gifts": "yes"}
    risk, screen = assess(RISK, 14, answers), assess(SCREENING, 14, answers)
    assert risk["level"] == screen["level"] == 2
    assert not any("risk assessment" in step["action"] for step in risk["next_steps"])
    assert any("risk assessment" in step["action"] for step in screen["next_steps"])
    assert all(step["who"] and step["by_when"] for step in risk["next_steps"])


def test_only_the_tool_that_asks_protective_factors_says_so_and_nothing_is_answered_at_first():
    from cse_tools.engine import assess

    assert assess(RISK, None, {})["asks_protective"] is True
    assert assess(SCREENING, None, {})["asks_protective"] is False
    assert assess(SCREENING, None, {})["answered"] == 0
    assert assess(SCREENING, None, {"homeless": "unknown"})["answered"] == 1


def test_a_gap_is_filed_under_the_section_the_form_shows_it_in():
    from cse_tools.engine import assess

    # Under 13, sexual activity counts as a sign of harm, but the form asks it with the risk indicators.
    gap = next(g for g in assess(SCREENING, 12, {})["gaps"] if g["question"] == "sexual_activity")
    assert gap["kind"] == "sign_of_harm"
    assert gap["section"] == SCREENING.section_of("sexual_activity").kind == "risk_indicator"


def test_a_done_in_naming_no_tool_fails_the_load_naming_the_trigger(tmp_path):
    import shutil

    from cse_tools.catalog import load_directory, source_directory
    from cse_tools.errors import DefinitionError

    for name in ("categories.yaml", "questions.yaml", "screening.yaml"):
        shutil.copy(source_directory() / name, tmp_path / name)
    with pytest.raises(DefinitionError, match=r"level 2: trigger 5: field 'done_in' names no tool"):
        load_directory(tmp_path)  # risk-assessment.yaml is not in this folder
