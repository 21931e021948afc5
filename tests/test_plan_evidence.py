"""Plans keep the evidence and hold what a chair needs (issue 22), in CPython: what was said, the
sections' notes, recorded facts (vehicles too) and protective factors as statements go into the
drafted plan; every drafted plan has the rows procedure chapter 7 asks for; return home interviews
are the local authority's; a named person, the agreed category and decisions are saved and read
back (version 3), and older files still open with each case field under its own name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from cse_tools import files
from cse_tools.browser import handle
from cse_tools.catalog import default_catalog
from cse_tools.fields import MAX_TEXT_CHARS
from cse_tools.planning import STANDING_PREFIX

ROOT = Path(__file__).resolve().parent.parent
CATALOG = default_catalog()
RISK = CATALOG["risk-assessment"]


def call(**request) -> dict:
    return json.loads(handle(json.dumps(request)))


def drafted(**extra) -> dict:
    reply = call(
        op="plan",
        tool="risk-assessment",
        age=14,
        today="2026-12-02",
        answers={"adults_collecting": "yes", "missing_episodes": "yes", "trusted_adult": "yes"},
        facts={"adults_collecting": {"vehicles": "AB12 CDE, a silver hatchback"}},
        notes={
            "said": "He said the man in the car is his friend.",
            "risk_indicators": "Picked up outside school twice this week.",
            "protective_factors": "His gran is the adult he trusts.",
        },
        **extra,
    )
    assert reply["ok"] is True, reply
    return reply["plan"]


def test_a_drafted_plan_keeps_what_the_assessment_recorded():
    plan = drafted()
    assert (
        plan["child_views"] == "Said at the assessment: He said the man in the car is his friend."
    )
    assert "Risk indicators: Picked up outside school twice this week." in plan["assessment_notes"]
    assert "His gran is the adult he trusts." in plan["assessment_notes"]
    # Protective factors as the question bank's statements, never as questions.
    assert plan["protective_factors"] == [RISK.question("trusted_adult").statement]
    assert not any(f.endswith("?") for f in plan["protective_factors"])
    collecting = next(r for r in plan["rows"] if r["risk"] == "adults_collecting")
    assert "vehicles: AB12 CDE, a silver hatchback" in collecting["notes"]
    assert all(row["person"] == "" for row in plan["rows"]), "a named person is the meeting's"


def test_every_drafted_plan_has_the_rows_chapter_7_asks_for():
    plan = drafted()
    standing = [r for r in plan["rows"] if r["risk"].startswith(STANDING_PREFIX)]
    assert [r["risk"] for r in standing] == [STANDING_PREFIX + r.id for r in RISK.plan_rows]
    assert plan["rows"][-len(standing) :] == standing, "after the risks"
    texts = " ".join(r["risk_text"] + " " + r["action"] for r in standing).lower()
    for words in ("phone", "online", "parents or carers", "day", "night", "school"):
        assert words in texts, words
    assert all(r["lead_agency"] and r["action"] for r in standing)
    # The chapter's list is rendered from the same rows: no list of its own in the Markdown.
    chapter = (ROOT / "docs/procedure/07-managing-individual-young-people.md").read_text()
    assert "{{ plan_covers() }}" in chapter
    assert all(row.covers not in chapter for row in RISK.plan_rows)


def test_return_home_interviews_are_arranged_by_the_local_authority():
    plan = RISK.question("missing_episodes").plan
    assert plan.lead_agency.startswith("Local authority") and "Police" not in plan.lead_agency
    assert "independent return home interview" in plan.action
    assert "Children who run away or go missing from home or care" in plan.action
    register = yaml.safe_load((ROOT / "data/legislation.yml").read_text())
    entry = next(e for e in register if e["id"] == "missing-guidance")
    assert "local authority" in entry["does"] and "72 hours" in entry["does"]
    assert "72 hours" in plan.action


def test_the_adults_collecting_question_records_vehicle_registrations():
    fact = {f.id: f for f in RISK.question("adults_collecting").facts}["vehicles"]
    assert "registration" in fact.label.lower()
    saved = call(
        op="save",
        tool="risk-assessment",
        age=14,
        answers={"adults_collecting": "yes"},
        facts={"adults_collecting": {"vehicles": "AB12 CDE"}},
    )
    loaded = call(op="load", text=saved["text"])
    assert loaded["file"]["facts"] == {"adults_collecting": {"vehicles": "AB12 CDE"}}


def test_a_plan_saves_and_reads_back_the_named_person_category_and_decisions():
    plan = drafted()
    plan["rows"][0]["person"] = "DC Lee Hart"
    plan.update(agreed_level=3, decisions="Strategy discussion today; MACE told.")
    plan["case"] = {"practitioner": "Sam Patel", "lead_professional": "Jo Evans"}
    saved = call(op="save_plan", plan=plan, saved_at="2026-12-02T12:00:00Z")
    assert saved["ok"] is True, saved
    doc = json.loads(saved["text"])
    assert doc["version"] == files.FILE_VERSION == 3
    loaded = call(op="load_plan", text=saved["text"])["plan"]
    assert loaded["rows"][0]["person"] == "DC Lee Hart"
    assert (loaded["agreed_level"], loaded["decisions"]) == (3, plan["decisions"])
    assert loaded["assessment_notes"] == plan["assessment_notes"]
    assert loaded["case"] == {"practitioner": "Sam Patel", "lead_professional": "Jo Evans"}


def test_the_disruption_plan_saves_and_reads_back_vehicles():
    plan = call(op="plan", tool="disruption-tactics")["plan"]
    assert plan["vehicles"] == ""
    plan["vehicles"] = "AB12 CDE, silver hatchback, seen at the park"
    saved = call(op="save_plan", plan=plan)
    assert call(op="load_plan", text=saved["text"])["plan"]["vehicles"] == plan["vehicles"]


def test_a_version_2_plan_still_opens_with_its_lead_professional_under_its_own_name():
    """Before version 3 the plan's "practitioner" box was labelled "Lead professional"."""
    plan = drafted()
    for row in plan["rows"]:
        del row["person"]
    for key in ("assessment_notes", "agreed_level", "decisions"):
        del plan[key]
    plan.update(version=2, case={"practitioner": "Jo Evans, social worker", "chair": "Ms Lee"})
    loaded = call(op="load_plan", text=json.dumps(plan))
    assert loaded["ok"] is True, loaded
    got = loaded["plan"]
    assert got["case"] == {"lead_professional": "Jo Evans, social worker", "chair": "Ms Lee"}
    assert got["version"] == 3 and all(row["person"] == "" for row in got["rows"])
    assert got["agreed_level"] is None and got["decisions"] == ""
    disruption = call(op="plan", tool="disruption-tactics")["plan"]
    del disruption["vehicles"]
    disruption.update(version=2, case={"practitioner": "DC Hart"})
    got = call(op="load_plan", text=json.dumps(disruption))["plan"]
    assert got["case"] == {"lead_professional": "DC Hart"} and got["vehicles"] == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda p: p["rows"][0].update(person="x" * (MAX_TEXT_CHARS + 1)), "rows[0].person"),
        (lambda p: p["rows"][0].update(person=7), "rows[0].person"),
        (lambda p: p.update(agreed_level=4), "agreed_level"),
        (lambda p: p.update(agreed_level="2"), "agreed_level"),
        (lambda p: p.update(decisions=["a"]), "decisions"),
        (lambda p: p.update(case={"lead_professional": "x" * 201}), "case.lead_professional"),
    ],
)
def test_bad_new_fields_are_refused_by_name(change, field):
    plan = drafted()
    change(plan)
    reply = call(op="load_plan", text=json.dumps(plan))
    assert reply["ok"] is False and reply["field"] == field, reply
