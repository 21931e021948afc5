"""Practice rules (data/practice-rules.yml): one statement of a rule, rendered everywhere.

- Sexual activity at 13 to 15: the guidance sheet, chapter 2 and "How the tools decide" render the
  rule from the data file (no page restates it), and both tools apply the same rule, read from
  their definitions through the tools' own loader (cse_tools): the question counts as nothing on
  its own at 13 to 15, the adult-or-much-older question counts as a risk indicator, and that
  question's help shows the rule's sentence.
- The NRM rule for a child is rendered from the same file on chapters 6 and 9 and the guidance.
- A malformed file stops the build naming the file, the entry and the field.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from helpers import ROOT, changed_yaml
from macros.data import DataError
from macros.legislation import load_legislation
from macros.practice_rules import RULES_FILE, load_rules

RULES = {rule["id"]: rule for rule in load_rules(legislation=load_legislation())}
TEEN_RULE = RULES["sexual-activity-13-15"]
TOOLS = ("screening", "risk-assessment")


def words(text: str) -> str:
    return " ".join(text.split())


def article_text(site_dir, rel: str) -> str:
    html = (site_dir / rel / "index.html").read_text(encoding="utf-8")
    start = html.find("<article")
    return words(unescape(re.sub(r"<[^>]+>", " ", html[start : html.find("</article>", start)])))


# --- the guidance renders the one statement ---------------------------------------------------

RULE_PAGES = {
    "sexual-activity-13-15": (
        "guidance/risk-indicators",
        "procedure/02-risk-and-vulnerability-indicators",
        "tools/how-the-tools-decide",
    ),
    "nrm-child": (
        "procedure/06-assessing-needs",
        "procedure/09-legislation-disruption-prosecution",
        "guidance/changes-in-guidance",
    ),
    "category-2-convention": (
        "guidance/categories",
        "procedure/02-risk-and-vulnerability-indicators",
        "tools/how-the-tools-decide",
    ),
}


@pytest.mark.parametrize(
    ("rid", "rel"), [(rid, rel) for rid, pages in RULE_PAGES.items() for rel in pages]
)
def test_each_page_renders_the_rule_from_the_data_file(site_dir, rid, rel) -> None:
    statement = words(RULES[rid]["statement"])
    assert statement in article_text(site_dir, rel)
    source = (ROOT / "docs" / f"{rel}.md").read_text(encoding="utf-8")
    assert f"practice_rule('{rid}'" in source


def test_no_page_restates_the_13_to_15_rule_by_hand() -> None:
    """The old hand-written rule ("At 13 to 15 it is a risk indicator") and the rule's own opening
    words appear in no page's Markdown: pages call practice_rule() instead."""
    opening = words(TEEN_RULE["statement"])[:60]
    for path in sorted((ROOT / "docs").rglob("*.md")):
        text = words(path.read_text(encoding="utf-8"))
        assert "At 13 to 15 it is a risk indicator" not in text, path
        assert opening not in text, path


# --- the tools apply the same rule --------------------------------------------------------------


def _tool_questions(tool_id: str):
    from cse_tools.catalog import default_catalog

    tool = default_catalog()[tool_id]
    return {question.id: (section, question) for section, question in tool.questions()}


@pytest.mark.parametrize("tool_id", TOOLS)
def test_the_tools_apply_the_guidance_rule_for_13_to_15(tool_id: str) -> None:
    """Integrator: once tools/definitions render the older_partner help from
    data/practice-rules.yml (branch h1-one-source), the help check below becomes an identity."""
    from cse_tools.engine import counts_as

    spec = TEEN_RULE["tools"]
    questions = _tool_questions(tool_id)
    section, question = questions[spec["question"]]
    through_section, through = questions[spec["counted_through"]]
    first, last = spec["ages"]
    for age in range(first, last + 1):
        assert counts_as(section, question, age) == spec["on_its_own"], (tool_id, age)
        assert counts_as(through_section, through, age) == spec["counted_as"], (tool_id, age)
    assert words(spec["help"]) in words(through.help), (
        f"{tool_id}: the help of {spec['counted_through']!r} does not show the rule in data/practice-rules.yml"
    )


def test_the_tool_check_fails_when_a_tool_counts_13_to_15_differently(monkeypatch) -> None:
    """The comparison is real: a tool that counted sexual activity at 14 as a risk indicator fails."""
    from cse_tools import engine

    spec = TEEN_RULE["tools"]
    section, question = _tool_questions("screening")[spec["question"]]
    real = engine.counts_as
    monkeypatch.setattr(
        engine,
        "counts_as",
        lambda s, q, age: (
            "risk_indicator" if q.id == spec["question"] and age == 14 else real(s, q, age)
        ),
    )
    with pytest.raises(AssertionError):
        test_the_tools_apply_the_guidance_rule_for_13_to_15("screening")


# --- a malformed file fails naming file, entry and field ----------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda e: e[0].pop("statement"),
            r"entry 1 \('sexual-activity-13-15'\): field 'statement' is missing",
        ),
        (lambda e: e[0].update(law=["no-such-law"]), r"field 'law': 'no-such-law' is not an id"),
        (lambda e: e[0]["tools"].update(ages=[15, 13]), r"tools: field 'ages' must be"),
        (lambda e: e[0]["sources"][0].update(url="brook.org.uk"), r"sources entry 1: field 'url'"),
        (lambda e: e[1].update(colour="red"), r"field 'colour' is not a known field"),
    ],
)
def test_malformed_rules_name_file_entry_and_field(tmp_path, change, message) -> None:
    path = changed_yaml(RULES_FILE, tmp_path, change)
    with pytest.raises(DataError, match=message):
        load_rules(path, legislation=load_legislation())
