"""The question bank: each question, answer label, note and rule is written once, in
tools/definitions/questions.yaml, and each tool lists the questions it asks. And each module of
cse_tools imports on its own, with no import cycle."""

from __future__ import annotations

import ast
import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cse_tools.catalog import default_catalog, load_directory
from cse_tools.errors import DefinitionError

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "tools" / "definitions"
PACKAGE = ROOT / "tools" / "cse_tools"
BANK = yaml.safe_load((DEFINITIONS / "questions.yaml").read_text(encoding="utf-8"))


def _texts(value) -> list[str]:
    """Every text in a parsed YAML file."""
    if isinstance(value, str):
        return [value.strip()]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _written_once() -> dict[str, str]:
    """The texts the bank writes once: question words, statements, help, fact labels, answer
    labels, the notes, section titles and help, rule texts, prompts and immediate actions."""
    out: dict[str, str] = {}
    for answer, label in BANK["answer_labels"].items():
        out[label] = f"answer label {answer}"
    for key in ("judgement_note", "emergency_note"):
        out[BANK[key].strip()] = key
    for section in BANK["sections"]:
        for key in ("title", "help"):
            if key in section:
                out[section[key].strip()] = f"section {section['id']} {key}"
        for q in section["questions"]:
            for key in ("text", "statement", "help"):
                if key in q:
                    out[q[key].strip()] = f"question {q['id']} {key}"
            for fact in q.get("facts", []):
                out[fact["label"].strip()] = f"question {q['id']} fact {fact['id']}"
    for rule in BANK["rules"]:
        for key in ("text", "prompt", "immediate_action"):
            if key in rule:
                out[rule[key].strip()] = f"rule {rule['id']} {key}"
    return out


def test_no_question_label_note_or_rule_is_written_in_two_definition_files():
    once = _written_once()
    assert len(once) > 100, "the bank holds every question, label, note and rule"
    for file in sorted(DEFINITIONS.glob("*.yaml")):
        if file.name == "questions.yaml":
            continue
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        twice = sorted({once[t] for t in _texts(data) if t in once})
        assert not twice, f"{file.name} repeats what questions.yaml says: {twice}"


def test_the_tools_take_every_question_and_rule_from_the_bank():
    bank_questions = {q["id"]: q for s in BANK["sections"] for q in s["questions"]}
    bank_rules = {r["id"]: r["text"].strip() for r in BANK["rules"]}
    asked: set[str] = set()
    for tool in default_catalog().values():
        if tool.kind != "assessment":
            continue
        for _section, question in tool.questions():
            assert question.text == bank_questions[question.id]["text"].strip(), question.id
            asked.add(question.id)
        assert {r.id: r.text for r in tool.rules} == bank_rules, tool.id
        assert tool.answer_labels == BANK["answer_labels"]
    assert asked == set(bank_questions), "every question in the bank is asked by some tool"


def test_rewording_a_question_in_the_bank_rewords_it_in_every_tool(tmp_path):
    bank = copy.deepcopy(BANK)
    bank["sections"][0]["questions"][0]["text"] = (
        "Is the child looked after by the local authority?"
    )
    (tmp_path / "questions.yaml").write_text(
        yaml.safe_dump(bank, sort_keys=False), encoding="utf-8"
    )
    for name in ("screening.yaml", "risk-assessment.yaml"):
        (tmp_path / name).write_text(
            (DEFINITIONS / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    tools = load_directory(tmp_path)
    for tool_id in ("screening", "risk-assessment"):
        assert (
            tools[tool_id].question("looked_after").text
            == "Is the child looked after by the local authority?"
        )


def _folder(tmp_path: Path, tool: str, bank=None) -> Path:
    (tmp_path / "screening.yaml").write_text(tool, encoding="utf-8")
    if bank is not None:
        (tmp_path / "questions.yaml").write_text(
            yaml.safe_dump(bank, sort_keys=False), encoding="utf-8"
        )
    return tmp_path


SCREENING_TEXT = (DEFINITIONS / "screening.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("tool", "message"),
    [
        (
            SCREENING_TEXT.replace("      - injuries\n", "      - injurys\n"),
            "screening.yaml: section 'risk_indicators': field 'questions' 'injurys' is not a question of section "
            "'risk_indicators' in questions.yaml",
        ),
        (
            SCREENING_TEXT.replace("  - id: signs_of_harm\n", "  - id: signs_of_harms\n"),
            "screening.yaml: section 'signs_of_harms': field 'id' is not a section of questions.yaml",
        ),
        (
            SCREENING_TEXT.replace("      - learning_disability\n", ""),
            "screening.yaml: field 'rules' rule 'young_or_learning_disability' needs question 'learning_disability', "
            "which this tool does not ask",
        ),
        (
            SCREENING_TEXT.replace("      - injuries\n", "      - injuries\n      - injuries\n"),
            "screening.yaml: section 'risk_indicators': field 'questions' 'injuries' is listed twice",
        ),
        (
            SCREENING_TEXT + "rules: [sign_of_harm_now, no_such_rule]\n",
            "screening.yaml: field 'rules' names rules that are not in questions.yaml: no_such_rule",
        ),
    ],
)
def test_a_wrong_selection_names_the_tool_file_and_the_field(tmp_path, tool, message):
    with pytest.raises(DefinitionError) as caught:
        load_directory(_folder(tmp_path, tool))
    assert message in str(caught.value)
    assert str(caught.value).startswith((tmp_path / "screening.yaml").as_posix())


def test_a_broken_question_in_the_bank_names_the_bank(tmp_path):
    bank = copy.deepcopy(BANK)
    bank["sections"][1]["questions"][0]["weight"] = -1
    with pytest.raises(DefinitionError) as caught:
        load_directory(_folder(tmp_path, SCREENING_TEXT, bank))
    assert str(caught.value) == (
        f"{(tmp_path / 'questions.yaml').as_posix()}: question 'missing_episodes': "
        "field 'weight' must be a whole number >= 0"
    )


def test_a_tool_may_ask_fewer_rules_but_the_invariants_still_hold(tmp_path):
    """A tool naming its rules without the sign-of-harm floor fails the safeguarding checks."""
    tool = (
        SCREENING_TEXT + "rules: [sign_of_harm_earlier, any_risk_indicator, no_sign_of_harm_now]\n"
    )
    with pytest.raises(DefinitionError, match="it must give level 3 with an immediate action"):
        load_directory(_folder(tmp_path, tool))


MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_on_its_own(module):
    proc = subprocess.run(
        [sys.executable, "-c", f"import cse_tools.{module}"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr


def test_no_import_cycle_and_no_local_imports_between_modules():
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                name = (node.module or "").split(".")[0]
                if name in MODULES:
                    deps.add(name)
                    assert node.col_offset == 0, f"{module} imports .{name} inside a function"
        graph[module] = deps
    seen: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        if seen.get(node) == 1:
            raise AssertionError(f"import cycle: {' -> '.join(path + [node])}")
        if seen.get(node) == 2:
            return
        seen[node] = 1
        for dep in sorted(graph[node]):
            visit(dep, path + [node])
        seen[node] = 2

    for module in MODULES:
        visit(module, [])


def test_each_module_says_its_job():
    for module in MODULES:
        doc = ast.get_docstring(ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, module
