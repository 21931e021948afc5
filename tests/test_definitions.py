"""Definition loading and validation: every error names the file, the place and the field."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cse_tools.catalog import (
    bundle_json,
    catalog_origin,
    default_catalog,
    default_categories,
    load_categories,
    load_bundle,
    load_directory,
    source_directory,
)
from cse_tools.bank import select
from cse_tools.errors import DefinitionError
from cse_tools.schema import tool_from_dict, tool_to_dict

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "tools" / "definitions"
BANK = yaml.safe_load((DEFINITIONS / "questions.yaml").read_text(encoding="utf-8"))
# The screening in full (its questions and rules taken from the bank), as a self-contained
# definition: the mutations below break one field of it and the load must name that field.
SCREENING = select(
    yaml.safe_load((DEFINITIONS / "screening.yaml").read_text(encoding="utf-8")),
    BANK,
    "screening.yaml",
)


def question(data, qid):
    return next(q for s in data["sections"] for q in s["questions"] if q["id"] == qid)


def section(data, sid):
    return next(s for s in data["sections"] if s["id"] == sid)


def rule(data, oid):
    return next(o for o in data["rules"] if o["id"] == oid)


def load_mutated(tmp_path: Path, mutate) -> str:
    """Write a mutated copy of screening.yaml to tmp_path and return the load error message."""
    data = copy.deepcopy(SCREENING)
    mutate(data)
    (tmp_path / "screening.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False), encoding="utf-8"
    )
    with pytest.raises(DefinitionError) as caught:
        load_directory(tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def _raise_vulnerability_weights(data):
    for q in section(data, "vulnerabilities")["questions"]:
        q["weight"] = 5


CASES = {
    "missing field": (
        lambda d: question(d, "missing_episodes").pop("text"),
        "question 'missing_episodes': field 'text' is missing",
    ),
    "negative weight": (
        lambda d: question(d, "missing_episodes").update(weight=-1),
        "question 'missing_episodes': field 'weight' must be a whole number >= 0",
    ),
    "weight of the wrong type": (
        lambda d: question(d, "missing_episodes").update(weight="three"),
        "question 'missing_episodes': field 'weight' must be a whole number >= 0",
    ),
    "misspelt field": (
        lambda d: question(d, "injuries").update(wieght=2),
        "question 'injuries': field 'wieght' is not a known field",
    ),
    "duplicate question id": (
        lambda d: question(d, "offending").update(id="missing_episodes"),
        "question 'missing_episodes': field 'id' is used by another question",
    ),
    "past scoring more than yes": (
        lambda d: question(d, "injuries").update(past_weight=9),
        "question 'injuries': field 'past_weight' must not be more than 'weight' (4)",
    ),
    "past weight without a time window": (
        lambda d: question(d, "looked_after").update(past_weight=0),
        "question 'looked_after': field 'past_weight' needs time_window: true",
    ),
    "missing plan suggestion": (
        lambda d: question(d, "self_harm").pop("plan"),
        "question 'self_harm': field 'plan' is missing",
    ),
    "sign of harm not due the same day": (
        lambda d: question(d, "trafficked")["plan"].update(due_days=2),
        "question 'trafficked': field 'plan.due_days' must be 0",
    ),
    "band referring to an unknown level": (
        lambda d: d["bands"][1].update(level=5),
        "band 2: field 'level' 5 is not a defined level (0, 1, 2, 3)",
    ),
    "bands out of order": (
        lambda d: d["bands"][2].update(min_score=1),
        "band 3: field 'min_score' must be higher than the previous band's (10)",
    ),
    "levels written in a tool instead of categories.yaml": (
        lambda d: d.update(levels=[]),
        "field 'levels' is not a known field",
    ),
    "unknown section kind": (
        lambda d: section(d, "vulnerabilities").update(kind="vulnerabilities"),
        "section 'vulnerabilities': field 'kind' must be one of vulnerability, risk_indicator, sign_of_harm, "
        "protective, not 'vulnerabilities'",
    ),
    "override naming an unknown question": (
        lambda d: rule(d, "young_or_learning_disability")["when"]["all"][0]["any"][1][
            "answer"
        ].update(question="learning_disabilty"),
        "rule 'young_or_learning_disability': field 'when.all[0].any[1].answer.question' names unknown "
        "question 'learning_disabilty'",
    ),
    "unquoted yes read as true": (
        lambda d: rule(d, "sign_of_harm_now")["when"]["count"].update(answers=[True]),
        "rule 'sign_of_harm_now': field 'when.count.answers' contains true/false: write \"yes\" in quotes",
    ),
    "rule on unknown": (
        lambda d: rule(d, "sign_of_harm_earlier")["when"]["count"].update(
            answers=["yes", "unknown"]
        ),
        "field 'when.count.answers' may only use yes and past, not 'unknown'",
    ),
    "rule on past but not yes": (
        lambda d: rule(d, "sign_of_harm_earlier")["when"]["count"].update(answers=["past"]),
        "includes past but not yes",
    ),
    "floor depending on an absent answer": (
        lambda d: rule(d, "sign_of_harm_earlier").update(
            when={"not": {"answer": {"question": "injuries", "answers": ["yes"]}}}
        ),
        "rule 'sign_of_harm_earlier': field 'when' a floor (min_level) must not depend on an answer being absent",
    ),
    "cap that a worse answer would trigger": (
        lambda d: rule(d, "no_sign_of_harm_now").update(
            when={"answer": {"question": "injuries", "answers": ["yes"]}}
        ),
        "rule 'no_sign_of_harm_now': field 'when' a cap (max_level) may only depend on answers being absent",
    ),
    "unknown condition": (
        lambda d: rule(d, "sign_of_harm_earlier").update(when={"some": []}),
        "field 'when' 'some' is not a known condition",
    ),
    "floor on age alone": (
        lambda d: d["rules"].append(
            {"id": "young", "text": "Young.", "when": {"age_under": 13}, "min_level": 2}
        ),
        "field 'rules' with every answer 'no' (age 0) the level would be 2, not 0",
    ),
    "vulnerabilities alone giving a category": (
        _raise_vulnerability_weights,
        "field 'rules' with only vulnerabilities answered yes (no age given) the level would be 2: "
        "vulnerabilities alone give no category",
    ),
    "risk indicators alone reaching category 3": (
        lambda d: d["rules"].remove(rule(d, "no_sign_of_harm_now")),
        "field 'rules' with every risk indicator answered yes and no sign of harm (no age given) the level "
        "would be 3: risk indicators alone stop at level 2",
    ),
    "question without a statement": (
        lambda d: question(d, "injuries").pop("statement"),
        "question 'injuries': field 'statement' is missing",
    ),
    "answer label not naming the time window": (
        lambda d: d["answer_labels"].update(past="Longer ago"),
        "answer_labels: field 'past' must name the time window of categories.yaml (6 months)",
    ),
    "sign of harm without the level 3 rule": (
        lambda d: d["rules"].remove(rule(d, "sign_of_harm_now")),
        "question 'disclosure': answered yes (no age given) it must give level 3 with an immediate action",
    ),
    "age rules not covering 17": (
        lambda d: question(d, "sexual_activity")["age_rules"].pop(),
        "question 'sexual_activity': field 'age_rules' must cover every age up to 17",
    ),
    "age rule with an unknown kind": (
        lambda d: question(d, "sexual_activity")["age_rules"][1].update(counts_as="risk"),
        "question 'sexual_activity': age rule 2: field 'counts_as' must be one of",
    ),
    "immediate action on a lower floor": (
        lambda d: rule(d, "sign_of_harm_earlier").update(immediate_action="Now."),
        "rule 'sign_of_harm_earlier': field 'immediate_action' is only allowed on a rule with min_level: 3",
    ),
    "fact without a short name": (
        lambda d: question(d, "missing_episodes")["facts"][1].pop("short"),
        "question 'missing_episodes': fact 2: field 'short' is missing",
    ),
    "fact with one choice": (
        lambda d: question(d, "older_partner")["facts"][1].update(choices=["Yes"]),
        "question 'older_partner': fact 2: field 'choices' must be a list of at least two different",
    ),
    "fact id used twice": (
        lambda d: question(d, "missing_episodes")["facts"][1].update(id="how_often"),
        "question 'missing_episodes': fact 2: field 'id' is used by another fact of this question",
    ),
    "unknown top-level field": (
        lambda d: d.update(colour="red"),
        "field 'colour' is not a known field",
    ),
    "bad tool id": (
        lambda d: d.update(id="Screening Tool"),
        "field 'id' must be an identifier",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_malformed_definition_names_file_place_and_field(tmp_path, case):
    mutate, expected = CASES[case]
    message = load_mutated(tmp_path, mutate)
    assert message.startswith(f"{(tmp_path / 'screening.yaml').as_posix()}: "), message
    assert expected in message, message


def test_error_names_the_file_relative_to_the_checkout(monkeypatch):
    monkeypatch.chdir(ROOT)
    with pytest.raises(DefinitionError) as caught:
        load_directory(ROOT / "tests" / "data" / "broken-weight")
    assert str(caught.value) == (
        "tests/data/broken-weight/mini.yaml: question 'missing_episodes': field 'weight' must be a whole number >= 0"
    )


def test_invalid_yaml_names_file_and_line():
    with pytest.raises(DefinitionError, match=r"broken\.yaml: is not valid YAML at line 3"):
        load_directory(ROOT / "tests" / "data" / "bad-yaml")


def test_duplicate_tool_id_across_files(tmp_path):
    text = (DEFINITIONS / "screening.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(
        DefinitionError, match=r"b\.yaml: field 'id' 'screening' is already used by .*a\.yaml"
    ):
        load_directory(tmp_path)


def test_empty_or_missing_folder(tmp_path):
    with pytest.raises(DefinitionError, match="holds no"):
        load_directory(tmp_path)
    with pytest.raises(DefinitionError, match="is not a folder"):
        load_directory(tmp_path / "nope")


def test_the_minimal_fixture_is_valid():
    tools = load_directory(ROOT / "tests" / "data" / "mini")
    assert list(tools) == ["mini"]


def test_default_definitions_load_from_yaml_in_a_checkout():
    assert source_directory() == DEFINITIONS
    assert catalog_origin() == "yaml"
    catalog = default_catalog()
    assert set(catalog) == {"screening", "risk-assessment", "disruption-tactics"}
    assert catalog == load_directory(DEFINITIONS)
    assert catalog["risk-assessment"].review_date is True
    assert all(s.narrative for s in catalog["risk-assessment"].sections)
    tactics = {t.id for t in catalog["disruption-tactics"].tactics}
    for needed in (
        "intelligence_sharing",
        "abduction_warning_notice",
        "hotels",
        "taxi_firms",
        "licensed_premises",
        "online_content_removal",
        "sexual_risk_order",
        "trespass_notice",
        "vehicle_checks",
    ):
        assert needed in tactics


def test_bundle_round_trip():
    tools = load_directory(DEFINITIONS)
    text = bundle_json(tools)
    again = load_bundle(text)
    assert again == tools
    assert bundle_json(again) == text
    for tool in tools.values():
        plain = tool_to_dict(tool)
        assert tool_to_dict(tool_from_dict(json.loads(json.dumps(plain)), "x")) == plain


def test_bundle_is_validated_when_loaded():
    bundle = json.loads(bundle_json(load_directory(DEFINITIONS)))
    question(bundle["tools"]["screening"], "missing_episodes")["weight"] = -2
    with pytest.raises(DefinitionError) as caught:
        load_bundle(json.dumps(bundle))
    assert str(caught.value) == (
        "cse_tools/data/definitions.json: tool 'screening': question 'missing_episodes': "
        "field 'weight' must be a whole number >= 0"
    )
    with pytest.raises(DefinitionError, match="field 'version' must be 3"):
        load_bundle(json.dumps({**bundle, "version": 1}))
    with pytest.raises(DefinitionError, match="is not valid JSON"):
        load_bundle("{")


def test_yaml_is_not_imported_by_the_runtime_modules():
    code = (
        "import sys\n"
        "import cse_tools.engine, cse_tools.browser, cse_tools.cli, cse_tools.planning, cse_tools.files, "
        "cse_tools.explain, cse_tools.catalog\n"
        "assert 'yaml' not in sys.modules, 'yaml imported at module level'\n"
        "from cse_tools.catalog import load_bundle\n"
        "print('ok')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert run.returncode == 0, run.stderr


CATEGORIES = yaml.safe_load((DEFINITIONS / "categories.yaml").read_text(encoding="utf-8"))

CATEGORY_CASES = {
    "a level missing": (
        lambda d: d["levels"].pop(2),
        "field 'levels' must define every level 0, 1, 2 and 3 (missing: 2)",
    ),
    "a trigger without who": (
        lambda d: d["levels"][3]["triggers"][0].pop("who"),
        "level 3: trigger 1: field 'who' is missing",
    ),
    "criteria not a list": (
        lambda d: d["levels"][1].update(criteria="Some risk."),
        "level 1: field 'criteria' must be a list",
    ),
    "review interval longer at a higher level": (
        lambda d: d["levels"][3].update(review_days=30),
        "field 'levels' review_days must get shorter",
    ),
    "time window without months": (
        lambda d: d["time_window"].pop("months"),
        "time_window: field 'months' is missing",
    ),
    "misspelt field": (
        lambda d: d["levels"][0].update(meanings="x"),
        "level entry 1: field 'meanings' is not a known field",
    ),
}


@pytest.mark.parametrize("case", list(CATEGORY_CASES), ids=list(CATEGORY_CASES))
def test_malformed_categories_name_file_place_and_field(tmp_path, case):
    mutate, expected = CATEGORY_CASES[case]
    data = copy.deepcopy(CATEGORIES)
    mutate(data)
    (tmp_path / "categories.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False), encoding="utf-8"
    )
    (tmp_path / "screening.yaml").write_text(
        (DEFINITIONS / "screening.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(DefinitionError) as caught:
        load_directory(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{(tmp_path / 'categories.yaml').as_posix()}: "), message
    assert expected in message, message


def test_tools_take_their_levels_from_the_one_categories_file():
    catalog = default_catalog()
    categories = load_categories()
    for tool in (catalog["screening"], catalog["risk-assessment"]):
        assert tool.categories == categories
        assert tool.levels == categories.levels
        assert tool.time_window_months == categories.time_window_months
    assert default_categories() == categories
