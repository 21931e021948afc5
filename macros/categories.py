"""The categories of risk (levels 0-3) and the worked cases, rendered from data.

One definition: tools/definitions/categories.yaml, read through cse_tools' own loader (the tools
take their levels from the same file). Macros, each a Jinja template under
overrides/partials/categories/ (autoescaped) filled with plain data:
- `category_table()`: every category with its meaning, entry criteria, triggers and review.
- `category_details(level=None)`: one category (or all) in full: meaning, criteria, typical
  picture, what it triggers (action, who, by when) and review.
- `category_triggers(level)`: just what one category triggers.
- `category_criteria(level)`: just the entry criteria of one category.
- `time_window()`: what "now" and "longer ago" mean.
- `worked_examples()`: the vignettes of tests/data/vignettes.yaml with each tool's category,
  worked out by the tools at build time (the suite checks they match the expected category).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .data import ROOT, DataError, display_name, load_yaml, md_text
from .templates import environment

VIGNETTES_FILE = ROOT / "tests" / "data" / "vignettes.yaml"
ANSWERS = ("yes", "past", "no", "unknown")
CASE_FIELDS = (
    "name",
    "age",
    "story",
    "answers",
    "expect",
    "reason",
    "rule",
    "prompt",
    "vulnerabilities_note",
    "provisional",
)
TOOLS = ("screening", "risk-assessment")


def render(template: str, **data: Any) -> str:
    """A template under overrides/partials/categories/, rendered with data (one environment for
    every macro: macros/templates.py)."""
    return environment().get_template(f"partials/categories/{template}").render(**data).strip()


def load_categories():
    """The categories (cse_tools.model.Categories); DataError naming file and field if malformed."""
    from cse_tools.catalog import load_categories as load
    from cse_tools.errors import DefinitionError

    try:
        return load()
    except DefinitionError as exc:
        raise DataError(str(exc)) from exc


def category_dicts(categories) -> list[dict[str, Any]]:
    from cse_tools.schema import categories_to_dict

    out = categories_to_dict(categories)["levels"]
    for item, level in zip(out, categories.levels):
        item["label"] = level.label
    return out


# --- worked cases ---------------------------------------------------------------------------------


def load_vignettes(
    path: Path = VIGNETTES_FILE, question_ids: set[str] | None = None
) -> list[dict[str, Any]]:
    """The worked cases, checked: each names its fields, answers known questions with allowed answers."""
    name = display_name(path)
    data = load_yaml(path)
    if not isinstance(data, list) or not data:
        raise DataError(f"{name}: must be a non-empty list of cases")
    seen: set[str] = set()
    for index, case in enumerate(data, start=1):
        where = f"{name}: case {index}"
        if not isinstance(case, dict):
            raise DataError(f"{where}: must be a mapping of fields")
        for key in case:
            if key not in CASE_FIELDS:
                raise DataError(
                    f"{where}: field '{key}' is not a known field (expected one of {', '.join(CASE_FIELDS)})"
                )
        for key in ("name", "story", "reason"):
            if not isinstance(case.get(key), str) or not case[key].strip():
                raise DataError(f"{where}: field '{key}' must be non-empty text")
        where = f"{name}: case {index} ({case['name']!r})"
        if case["name"] in seen:
            raise DataError(f"{where}: field 'name' is used by another case")
        seen.add(case["name"])
        age = case.get("age", "missing")
        if age is not None and (
            isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 17
        ):
            raise DataError(f"{where}: field 'age' must be a whole number from 0 to 17, or null")
        answers = case.get("answers")
        if not isinstance(answers, dict):
            raise DataError(f"{where}: field 'answers' must be a mapping of question id to answer")
        for qid, answer in answers.items():
            if answer not in ANSWERS:
                raise DataError(
                    f"{where}: field 'answers.{qid}' must be one of {', '.join(ANSWERS)}, not {answer!r}"
                )
            if question_ids is not None and qid not in question_ids:
                raise DataError(f"{where}: field 'answers.{qid}' is not a question of any tool")
        expect = case.get("expect")
        if not isinstance(expect, dict) or set(expect) != set(TOOLS):
            raise DataError(
                f"{where}: field 'expect' must give a category for {' and '.join(TOOLS)}"
            )
        for tool_id, level in expect.items():
            if level not in (0, 1, 2, 3):
                raise DataError(f"{where}: field 'expect.{tool_id}' must be 0, 1, 2 or 3")
    return data


def case_answers(tool, answers: dict[str, str]) -> dict[str, str]:
    """A case's answers for one tool: questions not listed are "no"; questions it does not ask are left out."""
    full = {q.id: "no" for _s, q in tool.questions()}
    full.update({qid: answer for qid, answer in answers.items() if qid in full})
    return full


def run_case(tool, case: dict[str, Any]) -> dict[str, Any]:
    from cse_tools.engine import assess

    return assess(tool, case["age"], case_answers(tool, case["answers"]))


def worked_examples_data(catalog: dict, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each case with the statements of its concerning answers and the tools' own results."""
    rows = []
    for case in cases:
        statements, unknown = [], []
        for qid, answer in case["answers"].items():
            question = next(
                (
                    t.question(qid)
                    for t in catalog.values()
                    if t.kind == "assessment" and t.question(qid)
                ),
                None,
            )
            text = question.statement if question else qid
            if answer == "yes":
                statements.append(text)
            elif answer == "past":
                statements.append(f"{text} (longer ago)")
            elif answer == "unknown":
                unknown.append(text)
        results = []
        for tool_id in TOOLS:
            result = run_case(catalog[tool_id], case)
            results.append(
                {
                    "tool": catalog[tool_id].title,
                    "expected": case["expect"][tool_id],
                    "level": result["level"],
                    "label": result["label"],
                    "set_by": (result["set_by_rule"] or {}).get("text"),
                    "score_line": result["score_line"],
                }
            )
        rows.append(
            {
                "name": case["name"],
                "age": case["age"],
                "story": case["story"].strip(),
                "statements": statements,
                "unknown": unknown,
                "reason": case["reason"],
                "results": results,
            }
        )
    return rows


# --- registration ---------------------------------------------------------------------------------


def register(env) -> None:
    categories = load_categories()
    levels = category_dicts(categories)
    window = {"months": categories.time_window_months, "explanation": categories.time_window}
    env.variables["categories"] = {
        "levels": levels,
        "time_window": window,
        "vulnerabilities_note": categories.vulnerabilities_note,
    }

    def pick(level: int | None) -> list[dict[str, Any]]:
        if level is None:
            return levels
        if level not in (0, 1, 2, 3):
            raise DataError(f"categories: there is no level {level!r} (levels are 0 to 3)")
        return [levels[level]]

    @env.macro
    def category_table(from_level: int = 1) -> str:
        return render(
            "table.html", levels=[lv for lv in levels if lv["level"] >= from_level], window=window
        )

    @env.macro
    def category_details(level: int | None = None, heading_level: int = 2) -> str:
        return render(
            "details.html",
            levels=pick(level),
            window=window,
            h=heading_level,
            vulnerabilities_note=categories.vulnerabilities_note,
        )

    @env.macro
    def category_triggers(level: int) -> str:
        return render("triggers.html", level=pick(level)[0])

    @env.macro
    def category_criteria(level: int) -> str:
        return render("criteria.html", level=pick(level)[0])

    @env.macro
    def category_name(level: int) -> str:
        return md_text(pick(level)[0]["label"])  # into Markdown (headings, text): literal

    @env.macro
    def category_review(level: int) -> str:
        return md_text(pick(level)[0]["review"])

    @env.macro
    def time_window() -> str:
        return render("time-window.html", window=window)

    @env.macro
    def worked_examples() -> str:
        from .tool_pages import load_catalog

        catalog = load_catalog()
        ids = {q.id for t in catalog.values() if t.kind == "assessment" for _s, q in t.questions()}
        cases = load_vignettes(question_ids=ids)
        return render("worked-examples.html", cases=worked_examples_data(catalog, cases))
