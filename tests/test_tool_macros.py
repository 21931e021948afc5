"""The tool pages' macros (macros/tool_pages.py): forms rendered at build time from the definitions."""

from __future__ import annotations

import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import ROOT
from cse_tools.catalog import default_catalog
from cse_tools.checks import allowed_answers
from macros import tool_pages
from macros.data import DataError


class Tree(HTMLParser):
    """A flat list of (tag, attrs, depth-path) plus the text of legends, enough for these checks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.stack: list[str] = []
        self.legends: list[str] = []
        self._legend: list[str] | None = None
        self.fieldset_legend_first: list[bool] = []
        self._just_opened_fieldset = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        self.elements.append((tag, attrs))
        if self._just_opened_fieldset:
            self.fieldset_legend_first.append(tag == "legend")
            self._just_opened_fieldset = False
        if tag == "fieldset":
            self._just_opened_fieldset = True
        if tag == "legend":
            self._legend = []
        if tag not in ("input", "br", "meta", "link", "img"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "legend" and self._legend is not None:
            self.legends.append("".join(self._legend).strip())
            self._legend = None
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if self._legend is not None:
            self._legend.append(data)

    def find(self, tag=None, **wanted):
        return [
            a
            for t, a in self.elements
            if (tag is None or t == tag)
            and all(a.get(k.replace("_", "-")) == v for k, v in wanted.items())
        ]


def parse(html: str) -> Tree:
    tree = Tree()
    tree.feed(html)
    return tree


@pytest.fixture(scope="module")
def catalog():
    return default_catalog()


@pytest.mark.parametrize("tool_id", ["screening", "risk-assessment"])
def test_form_has_a_radio_group_per_question_with_the_right_values(catalog, tool_id):
    tool = catalog[tool_id]
    tree = parse(tool_pages.render_tool_form(tool, "tools/x/"))
    radios = tree.find("input", type="radio")
    by_name: dict[str, list[str]] = {}
    for radio in radios:
        by_name.setdefault(radio["name"], []).append(radio["value"])
    questions = [q for _s, q in tool.questions()]
    assert sorted(by_name) == sorted(q.id for q in questions)
    for question in questions:
        assert by_name[question.id] == list(allowed_answers(question))
        assert ("past" in by_name[question.id]) == question.time_window
    # every radio has a label
    labels = {a["for"] for a in tree.find("label") if "for" in a}
    assert all(r["id"] in labels for r in radios)
    # the child's age
    ages = tree.find("input", name="age")
    assert len(ages) == 1 and ages[0]["id"] in labels


@pytest.mark.parametrize("tool_id", ["screening", "risk-assessment"])
def test_form_groups_questions_in_fieldsets_with_legends(catalog, tool_id):
    tool = catalog[tool_id]
    tree = parse(tool_pages.render_tool_form(tool, "tools/x/"))
    fieldsets = tree.find("fieldset")
    # one per section, one per question, one for the child's details
    assert len(fieldsets) == len(tool.sections) + sum(1 for _ in tool.questions()) + 1
    assert all(tree.fieldset_legend_first) and len(tree.fieldset_legend_first) == len(fieldsets)
    for section in tool.sections:
        assert section.title in tree.legends
    for _s, question in tool.questions():
        assert question.text in tree.legends


@pytest.mark.parametrize("tool_id", ["screening", "risk-assessment"])
def test_described_by_targets_exist_and_help_is_linked(catalog, tool_id):
    tool = catalog[tool_id]
    tree = parse(tool_pages.render_tool_form(tool, "tools/x/"))
    ids = [a["id"] for _t, a in tree.elements if "id" in a]
    assert len(ids) == len(set(ids)), "ids must be unique"
    described = [a for _t, a in tree.elements if "aria-describedby" in a]
    assert described
    for attrs in described:
        for target in attrs["aria-describedby"].split():
            assert target in ids, f"aria-describedby target {target!r} missing"
    # every question with help text points at it
    for _s, question in tool.questions():
        if question.help:
            group = tree.find("fieldset", data_question=question.id)[0]
            assert f"help-{question.id}" in group["aria-describedby"].split()


@pytest.mark.parametrize("tool_id", ["screening", "risk-assessment"])
def test_only_a_short_status_line_is_live_and_the_result_carries_the_level(catalog, tool_id):
    tree = parse(tool_pages.render_tool_form(catalog[tool_id], "tools/x/"))
    live = [a for _t, a in tree.elements if "aria-live" in a]
    assert len(live) == 1 and live[0]["aria-live"] == "polite" and live[0]["role"] == "status"
    assert "data-live-status" in live[0]
    results = tree.find("section", id="cse-result")
    assert len(results) == 1 and "data-level" in results[0] and "aria-live" not in results[0]


@pytest.mark.parametrize("page", ["screening", "risk-assessment", "safety-plan", "disruption-plan"])
def test_tool_pages_start_python_from_the_head(site_dir, page):
    """Python starts while the page loads: the boot module and the wheel's address are in <head>."""
    html = (site_dir / "tools" / page / "index.html").read_text()
    head = html.split("</head>")[0]
    wheel = re.search(r'<meta name="cse-tools-wheel" content="([^"]+)"', head)
    assert wheel and (site_dir / "tools" / page / wheel.group(1)).resolve().is_file()
    assert re.search(r'<script type="module" async src="[./]*assets/js/tools-boot.js"', head)


def test_risk_assessment_has_narratives_and_review_date_screening_does_not(catalog):
    risk = parse(tool_pages.render_tool_form(catalog["risk-assessment"], "tools/x/"))
    narrative = [s.id for s in catalog["risk-assessment"].sections if s.narrative]
    assert narrative
    notes = [a["data-notes"] for a in risk.find("textarea") if "data-notes" in a]
    assert sorted(notes) == sorted([*narrative, tool_pages.SAID_KEY])
    assert risk.find("input", name="review_date", type="date")
    screening = parse(tool_pages.render_tool_form(catalog["screening"], "tools/x/"))
    assert not screening.find("input", name="review_date")
    # both tools have a box for what the child or others said
    said = screening.find("textarea", data_notes=tool_pages.SAID_KEY)
    assert len(said) == 1 and said[0]["id"] in {
        a["for"] for a in screening.find("label") if "for" in a
    }


def all_forms(catalog) -> dict[str, str]:
    return {
        "screening": tool_pages.render_tool_form(catalog["screening"], "tools/screening/"),
        "risk-assessment": tool_pages.render_tool_form(
            catalog["risk-assessment"], "tools/risk-assessment/"
        ),
        "safety-plan": tool_pages.render_safety_plan(
            catalog["risk-assessment"], "tools/safety-plan/"
        ),
        "disruption-plan": tool_pages.render_disruption_plan(
            catalog["disruption-tactics"], "tools/disruption-plan/", catalog["risk-assessment"]
        ),
    }


def test_every_free_text_field_is_never_spellchecked_corrected_or_autocompleted(catalog):
    for name, html in all_forms(catalog).items():
        tree = parse(html.replace("<template data-row-template>", "").replace("</template>", ""))
        fields = tree.find("textarea") + tree.find("input", type="text")
        assert len(fields) >= 5, name
        for attrs in fields:
            assert (
                attrs.get("spellcheck"),
                attrs.get("autocorrect"),
                attrs.get("autocomplete"),
            ) == ("false", "off", "off"), (name, attrs.get("id"))


def test_case_header_has_the_fields_a_meeting_needs_and_the_file_saves_them_all(catalog):
    from cse_tools import files

    forms = all_forms(catalog)
    for name, html in forms.items():
        cases = {a["data-case"] for a in parse(html).find() if "data-case" in a}
        wanted = {"reference", "date", "practitioner", "agency"}
        if name.endswith("plan"):
            wanted |= {"age", "meeting_date", "chair", "attendees"}
        assert wanted <= cases, (name, wanted - cases)
        # Every field on the page is one the saved file keeps (and nothing else).
        assert cases == set(files.PLAN_CASE if name.endswith("plan") else files.ASSESSMENT_CASE), (
            name
        )


@pytest.mark.parametrize("tool_id", ["screening", "risk-assessment"])
def test_recorded_facts_are_rendered_from_the_definition(catalog, tool_id):
    tool = catalog[tool_id]
    tree = parse(tool_pages.render_tool_form(tool, "tools/x/"))
    with_facts = [q for _s, q in tool.questions() if q.facts]
    assert {q.id for q in with_facts} >= {"missing_episodes", "older_partner"}
    labels = {a["for"] for a in tree.find("label") if "for" in a}
    for question in with_facts:
        assert len(tree.find("div", data_facts=question.id)) == 1
        for fact in question.facts:
            ident = f"fact-{question.id}-{fact.id}"
            tag = "select" if fact.choices else "input"
            found = tree.find(tag, id=ident)
            assert len(found) == 1 and found[0]["name"] == f"facts.{question.id}.{fact.id}", ident
            assert found[0]["data-fact"] == fact.id and ident in labels
            if fact.choices:
                options = [a["value"] for t, a in tree.elements if t == "option"]
                assert all(choice in options for choice in fact.choices)
            assert tree.find("p", data_error_for=f"facts.{question.id}.{fact.id}")
    # Nothing else carries a fact.
    assert len([a for _t, a in tree.elements if "data-fact" in a]) == sum(
        len(q.facts) for q in with_facts
    )


def test_next_steps_carry_the_local_numbers_and_link_the_pathway(catalog):
    from macros.site import load_partnership

    contacts = {c["id"]: c for c in load_partnership()["contacts"]}
    html = unescape(tool_pages.render_tool_form(catalog["screening"], "tools/screening/"))
    for cid in ("hub", "out_of_hours"):
        assert contacts[cid]["phone"] in html and contacts[cid]["name"] in html
    assert 'href="../../guidance/pathway/"' in html
    assert 'href="../../procedure/07-managing-individual-young-people/"' in html


def test_notes_and_rules_come_from_the_definition(catalog):
    tool = catalog["screening"]
    notes = tool_pages.notes_html(tool)
    assert "999" in notes and "judgement" in notes
    from cse_tools.explain import rules_table

    html = tool_pages.render_rules(rules_table(tool))
    for rule in tool.rules:
        assert rule.text.split(",")[0] in unescape(html)
    for band in rules_table(tool)["bands"]:
        assert f"<td>{band['scores']}</td>" in html
    prompt = next(rule.prompt for rule in tool.rules if rule.prompt)
    assert prompt.split(".")[0] in html  # the strategy-discussion prompt is explained too


def test_disruption_plan_lists_every_tactic(catalog):
    tool = catalog["disruption-tactics"]
    tree = parse(tool_pages.render_disruption_plan(tool, "tools/disruption-plan/"))
    assert [a["data-tactic"] for a in tree.find("fieldset") if "data-tactic" in a] == [
        t.id for t in tool.tactics
    ]


class FakeEnv:
    def __init__(self) -> None:
        self.macros: dict = {}
        self.variables = {}
        self.conf = {"extra": {}}
        self.page = None

    def macro(self, fn):
        self.macros[fn.__name__] = fn
        return fn


def broken_definitions(tmp_path: Path) -> Path:
    dest = tmp_path / "definitions"
    shutil.copytree(ROOT / "tools" / "definitions", dest)
    path = dest / "questions.yaml"  # where the screening's questions are written
    text = path.read_text(encoding="utf-8")
    start = text.index("id: missing_episodes")
    at = text.index("weight: 4", start)
    path.write_text(text[:at] + "weight: four" + text[at + len("weight: 4") :], encoding="utf-8")
    return dest


def test_a_malformed_definition_fails_the_macro_naming_file_question_and_field(
    tmp_path, monkeypatch
):
    dest = broken_definitions(tmp_path)
    monkeypatch.setattr(tool_pages, "source_directory", lambda: dest)
    env = FakeEnv()
    tool_pages.register(env)
    with pytest.raises(DataError) as caught:
        env.macros["tool_form"]("screening")
    message = str(caught.value)
    assert "questions.yaml" in message
    assert "missing_episodes" in message
    assert "'weight'" in message
    assert "\n" not in message.strip()


def test_load_catalog_wraps_definition_errors(tmp_path):
    with pytest.raises(DataError, match=r"questions\.yaml.*missing_episodes.*weight"):
        tool_pages.load_catalog(broken_definitions(tmp_path))


def test_unknown_tool_fails_the_build():
    env = FakeEnv()
    tool_pages.register(env)
    with pytest.raises(DataError, match="unknown tool 'nope'"):
        env.macros["tool_form"]("nope")
