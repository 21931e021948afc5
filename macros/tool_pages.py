"""The practitioner tool pages, rendered at build time from the tool definitions.

The markup lives in Jinja templates under overrides/partials/tools/ (autoescaped), one per
component, each beside its styles (question, result, plan row, case header, ...); these macros
only gather the data the templates need.

Macros (used in docs/tools/*.md):
- `tool_form(tool_id)`: the whole assessment form (screening, risk-assessment) as plain HTML, so it
  reads, fills in and prints without JavaScript. One radio group per question (`name` = question
  id, `value` = yes/past/no/unknown, "past" only on questions with a time window), `name="age"`,
  a case header, a narrative textarea per `narrative: true` section and one for what the child or
  others said, a review date when the tool asks for one, the result region carrying `data-level`,
  the sticky summary and a short polite status line. docs/assets/js/tool-page.js starts Python in
  a worker and fills in the result.
- `tool_notes(tool_id)`: the judgement and emergency notes, static (shown without JS and in print).
- `safety_plan_form()` / `disruption_plan_form()`: the planning pages (docs/assets/js/plan-page.js).
- `tool_rules(tool_id)`: the rules table of a tool (cse_tools.explain.rules_table), the same data
  as `cse-tools explain`.

Definitions come from cse_tools' own loader. A malformed definition fails the build with a
DataError carrying the loader's one-line message (file, question and field).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cse_tools.catalog import find_tool, load_directory, source_directory
from cse_tools.errors import DefinitionError, InputError
from cse_tools.files import MAX_ROWS
from cse_tools.profile import SUPPRESS_BELOW, SUPPRESSION_RULE
from cse_tools.files import (
    SAID_NOTE as SAID_KEY,
)  # the notes key of "What the child or others said"

from .data import DataError, md_text
from .templates import render_block

# Contacts in every result's next steps, by id in data/partnership.yml.
NEXT_STEP_CONTACTS = ("hub", "out_of_hours")
# Handbook pages every result links to: (site-relative URL, link text).
NEXT_STEP_LINKS = (
    ("guidance/pathway/", "The multi-agency pathway: what happens after a referral"),
    (
        "procedure/07-managing-individual-young-people/",
        "Strategy discussions and multi-agency meetings (procedure chapter 7)",
    ),
)
SAFETY_PLAN_FIELDS = (
    ("child_views", "The child's own views", "In the child's words where you can.", 4),
    (
        "assessment_notes",
        "Notes from the assessment",
        "What the assessment recorded in each section, as it was written.",
        4,
    ),
    (
        "family_views",
        "The family's views",
        "Parents, carers and anyone else the child sees as family.",
        4,
    ),
    (
        "protective_factors",
        "Protective factors",
        "One on each line: people and things that help keep the child safe.",
        4,
    ),
    (
        "missing_contacts",
        "Who to contact when the child goes missing",
        "Names, agencies and phone numbers, in the order to call them.",
        4,
    ),
)
DECISION_FIELDS = (
    (
        "decisions",
        "Decisions",
        "What the meeting decided, in a few lines: the reasons for the category, who is told, "
        "what happens next.",
        4,
    ),
)
DISRUPTION_PLAN_FIELDS = (
    (
        "locations",
        "Suspected locations",
        "Addresses, streets, venues, parks, hotels, online spaces: exactly as you know them.",
        5,
    ),
    (
        "people",
        "Suspected people",
        "Names, nicknames, descriptions and phone numbers: exactly as you know them.",
        5,
    ),
    (
        "vehicles",
        "Vehicle registrations",
        "Each vehicle's registration, make, model and colour, and who was seen with it, one on each line.",
        3,
    ),
)


def render(name: str, **data: Any) -> str:
    """A template under overrides/partials/tools/, rendered with data, as one HTML block."""
    return render_block(f"partials/tools/{name}", **data)


def load_catalog(definitions: Path | None = None) -> dict:
    """The tool definitions by id (the package's own, or those in `definitions`); DataError if malformed."""
    try:
        return load_directory(Path(definitions) if definitions else source_directory())
    except DefinitionError as exc:
        raise DataError(f"tool definition: {exc}") from exc


def _tool(catalog: dict, tool_id: str, kind: str | None = "assessment"):
    try:
        return find_tool(catalog, tool_id, kind)
    except InputError as exc:
        raise DataError(f"tool_pages: {exc.problem}") from None


def site_root(page_url: str | None) -> str:
    """The relative URL from a page (directory URL like 'tools/screening/') to the site root."""
    url = (page_url or "").lstrip("/")
    depth = url.count("/")
    return "../" * depth if depth else "./"


def statement(question) -> str:
    """A risk as a statement ("Goes missing from home or school"); the question when it has none."""
    return getattr(question, "statement", None) or question.text


def _partnership(partnership: dict | None) -> dict:
    if partnership is None:
        from .site import load_partnership

        partnership = load_partnership()
    return partnership


def _contacts(partnership: dict) -> list[dict]:
    by_id = {c["id"]: c for c in partnership["contacts"]}
    missing = [cid for cid in NEXT_STEP_CONTACTS if cid not in by_id]
    if missing:
        raise DataError(
            f"data/partnership.yml: contacts: the tool results need a contact with id "
            f"{missing[0]!r} (known: {', '.join(by_id)})"
        )
    return [by_id[cid] for cid in NEXT_STEP_CONTACTS]


# --- rendering -----------------------------------------------------------------------------------


def notes_html(tool) -> str:
    """The judgement and emergency notes as a static block (shown without JS and in print)."""
    return render("notes.html", tool=tool)


def _sections(tool) -> list[dict[str, Any]]:
    from cse_tools.checks import allowed_answers
    from cse_tools.engine import answer_label
    from cse_tools.model import KIND_LABELS, PROTECTIVE

    out = []
    for section in tool.sections:
        note = (
            "Shown beside the result; never taken away from the score."
            if section.kind == PROTECTIVE
            else f"These count as {KIND_LABELS[section.kind].lower()}."
        )
        questions = [
            {
                "question": q,
                "statement": statement(q),
                "answers": [(a, answer_label(tool, q, a)) for a in allowed_answers(q)],
            }
            for q in section.questions
        ]
        out.append(
            {
                "id": section.id,
                "title": section.title,
                "kind": section.kind,
                "help": section.help,
                "note": note,
                "narrative": section.narrative,
                "questions": questions,
            }
        )
    return out


def _carried(tool, catalog: dict | None) -> tuple[Any, Any]:
    """The assessment tool this one's answers continue into (the screening's: the risk
    assessment), and the one whose answers can be brought into this one (cse_tools.carry)."""
    from cse_tools.carry import can_carry

    others = [t for t in (catalog or {}).values() if t.kind == "assessment" and t.id != tool.id]
    into = next((t for t in sorted(others, key=lambda t: t.id) if can_carry(tool, t)), None)
    source = next((t for t in sorted(others, key=lambda t: t.id) if can_carry(t, tool)), None)
    return into, source


def render_tool_form(
    tool, page_url: str | None, partnership: dict | None = None, catalog: dict | None = None
) -> str:
    from cse_tools.model import MAX_AGE, MIN_AGE

    partnership = _partnership(partnership)
    root = site_root(page_url)
    continue_to, carried_from = _carried(tool, catalog)
    return render(
        "assessment.html",
        tool=tool,
        sections=_sections(tool),
        continue_to=continue_to,
        continue_url=root + f"tools/{continue_to.id}/" if continue_to else "",
        carried_from=carried_from,
        said_key=SAID_KEY,
        min_age=MIN_AGE,
        max_age=MAX_AGE,
        plan_url=root + "tools/safety-plan/",
        emergency=partnership["emergency"],
        contacts=_contacts(partnership),
        links=[{"url": root + url, "text": text} for url, text in NEXT_STEP_LINKS],
    )


def _fields(spec) -> list[dict[str, Any]]:
    return [
        {"field": f, "label": label, "help": help_text, "rows": rows}
        for f, label, help_text, rows in spec
    ]


def render_safety_plan(tool, page_url: str | None) -> str:
    """The safety plan page's form; `tool` is any assessment tool (for the notes)."""
    levels = tool.categories.levels if tool.categories else ()
    return render(
        "safety-plan.html",
        tool=tool,
        fields=_fields(SAFETY_PLAN_FIELDS),
        decision_fields=_fields(DECISION_FIELDS),
        max_rows=MAX_ROWS,
        levels=levels,
    )


def render_plan_covers(tool) -> str:
    """What a good safety plan covers (procedure chapter 7), from the tool's standing plan rows."""
    return render("plan-covers.html", rows=tool.plan_rows)


def render_disruption_plan(tool, page_url: str | None, notes_tool=None) -> str:
    """The disruption plan page's form; the notes come from `notes_tool` (an assessment tool)."""
    return render(
        "disruption-plan.html",
        tool=tool,
        notes_tool=notes_tool or tool,
        fields=_fields(DISRUPTION_PLAN_FIELDS),
    )


def render_rules(table: dict[str, Any]) -> str:
    """A rules table (cse_tools.explain.rules_table) as HTML."""
    return render("rules.html", table=table)


# --- registration --------------------------------------------------------------------------------


def register(env) -> None:
    state: dict[str, Any] = {}

    def catalog() -> dict:
        # Read once per build (so `mkdocs serve` picks up edits on the next build).
        if "tools" not in state:
            state["tools"] = load_catalog()
        return state["tools"]

    def page_url() -> str | None:
        page = getattr(env, "page", None)
        return getattr(page, "url", None)

    def partnership() -> dict | None:
        return env.variables.get("partnership")

    @env.macro
    def tool_form(tool_id: str) -> str:
        return render_tool_form(_tool(catalog(), tool_id), page_url(), partnership(), catalog())

    @env.macro
    def tool_notes(tool_id: str) -> str:
        return notes_html(_tool(catalog(), tool_id))

    @env.macro
    def tool_description(tool_id: str) -> str:
        return md_text(
            _tool(catalog(), tool_id, kind=None).description
        )  # read as Markdown: literal

    @env.macro
    def tool_audience(tool_id: str) -> str:
        return md_text(_tool(catalog(), tool_id).audience)

    @env.macro
    def safety_plan_form(tool_id: str = "risk-assessment") -> str:
        return render_safety_plan(_tool(catalog(), tool_id), page_url())

    @env.macro
    def disruption_plan_form(
        tool_id: str = "disruption-tactics", notes_tool_id: str = "risk-assessment"
    ) -> str:
        return render_disruption_plan(
            _tool(catalog(), tool_id, kind="disruption"),
            page_url(),
            _tool(catalog(), notes_tool_id),
        )

    @env.macro
    def plan_covers(tool_id: str = "risk-assessment") -> str:
        return render_plan_covers(_tool(catalog(), tool_id))

    @env.macro
    def profile_page(tool_id: str = "screening") -> str:
        """The partnership profile page (overrides/partials/profile/profile.html)."""
        return render_block(
            "partials/profile/profile.html",
            tool=_tool(catalog(), tool_id),
            emergency=_partnership(partnership())["emergency"],
            rule=SUPPRESSION_RULE,
            below=SUPPRESS_BELOW,
        )

    @env.macro
    def tool_rules(tool_id: str) -> str:
        from cse_tools.explain import rules_table

        return render_rules(rules_table(_tool(catalog(), tool_id, kind=None)))
