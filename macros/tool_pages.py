"""The practitioner tool pages, rendered at build time from the tool definitions.

Macros (used in docs/tools/*.md):
- `tool_form(tool_id)`: the whole assessment form (screening, risk-assessment) as plain HTML, so it
  reads, fills in and prints without JavaScript. One radio group per question (`name` = question
  id, `value` = yes/past/no/unknown, "past" only on questions with a time window), `name="age"`,
  a narrative textarea per `narrative: true` section, a review date when the tool asks for one,
  and a polite live result region carrying `data-level`. docs/assets/js/tool-page.js starts
  Python in a worker and fills in the result.
- `tool_notes(tool_id)`: the judgement and emergency notes, static (shown without JS and in print).
- `safety_plan_form()` / `disruption_plan_form()`: the planning pages (docs/assets/js/plan-page.js).
- `tool_rules(tool_id)`: the rules table of a tool (cse_tools.explain.rules_table), the same data
  as `cse-tools explain`.

Definitions come from cse_tools' own loader. A malformed definition fails the build with a
DataError carrying the loader's one-line message (file, question and field).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from cse_tools.catalog import find_tool, load_directory, source_directory
from cse_tools.errors import DefinitionError, InputError
from cse_tools.files import MAX_ROWS

from .data import DataError

TOOL_FORM_SCRIPT = "assets/js/tool-page.js"
# On every free-text field: no spelling service reads what is typed, no autofill copy is kept.
FREE_TEXT = 'autocomplete="off" spellcheck="false" autocorrect="off"'
PLAN_SCRIPT = "assets/js/plan-page.js"


def _e(text: Any) -> str:
    return escape(str(text if text is not None else ""), quote=True)


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


# --- shared pieces -------------------------------------------------------------------------------


def notes_html(tool) -> str:
    """The judgement and emergency notes as a static block (shown without JS and in print)."""
    return (
        '<div class="cse-notes" data-static-notes>\n'
        f'<p class="cse-note cse-note--emergency"><strong>In an emergency:</strong> {_e(tool.emergency_note)}</p>\n'
        f'<p class="cse-note cse-note--judgement"><strong>Your judgement counts:</strong> {_e(tool.judgement_note)}</p>\n'
        "</div>"
    )


def _toolbar(buttons: list[str], label: str) -> str:
    """A row of buttons; hidden until the page script shows it (they all need JavaScript)."""
    return (f'<div class="cse-toolbar" role="group" aria-label="{_e(label)}" data-js-only hidden>\n'
            + "\n".join(buttons) + "\n</div>")


def _button(action: str, text: str, extra: str = "") -> str:
    return f'<button type="button" class="md-button" data-action="{action}"{extra}>{_e(text)}</button>'


def _file_button(action: str, text: str, ident: str) -> str:
    # A real file input, visually styled as a button through its label; keyboard users tab to it.
    return (f'<span class="cse-file"><label class="md-button" for="{ident}">{_e(text)}</label>'
            f'<input type="file" id="{ident}" class="cse-file__input" accept=".json,application/json" '
            f'data-action="{action}"></span>')


def _message_area() -> str:
    return '<div class="cse-message" data-message role="alert" hidden></div>'


def _print_date() -> str:
    return ('<p class="cse-print-date">Date printed: <span data-print-date>'
            '____________________</span></p>')


def _progress(noscript_text: str) -> str:
    return (
        '<div class="cse-progress" data-progress>\n'
        f'<p data-progress-text>{_e(noscript_text)}</p>\n'
        '<progress data-progress-bar max="3" value="0" hidden aria-label="Loading the scoring tools"></progress>\n'
        "</div>"
    )


# --- the assessment form -------------------------------------------------------------------------


def _question_html(tool, section, question) -> str:
    from cse_tools.engine import allowed_answers, answer_label

    qid = question.id
    described = [f"help-{qid}"] if question.help else []
    described.append(f"error-{qid}")
    parts = [
        f'<fieldset class="cse-question" data-question="{_e(qid)}" aria-describedby="{_e(" ".join(described))}">',
        f'<legend class="cse-question__text">{_e(question.text)}</legend>',
    ]
    if question.help:
        parts.append(f'<p class="cse-help" id="help-{_e(qid)}">{_e(question.help)}</p>')
    parts.append('<div class="cse-answers">')
    for answer in allowed_answers(question):
        label = answer_label(tool, question, answer)
        ident = f"q-{qid}-{answer}"
        parts.append(
            f'<span class="cse-answer"><input type="radio" id="{_e(ident)}" name="{_e(qid)}" value="{answer}">'
            f'<label for="{_e(ident)}">{_e(label)}</label></span>'
        )
    parts.append("</div>")
    parts.append(f'<p class="cse-field-error" id="error-{_e(qid)}" data-error-for="answers.{_e(qid)}" hidden></p>')
    parts.append("</fieldset>")
    return "\n".join(parts)


def _narrative_html(section) -> str:
    ident = f"notes-{section.id}"
    return (
        '<div class="cse-narrative">\n'
        f'<label for="{_e(ident)}">What you know about {_e(section.title.lower())}, in your own words</label>\n'
        f'<p class="cse-help" id="{_e(ident)}-help">Write what you have seen, heard and been told, and by whom. '
        "This text stays on this device unless you save or print it.</p>\n"
        f'<textarea id="{_e(ident)}" name="notes.{_e(section.id)}" data-notes="{_e(section.id)}" rows="5" '
        f'{FREE_TEXT} aria-describedby="{_e(ident)}-help"></textarea>\n'
        f'<div class="cse-print-text" data-mirror="{_e(ident)}" aria-hidden="true"></div>\n'
        "</div>"
    )


def _section_html(tool, section) -> str:
    from cse_tools.model import KIND_LABELS, PROTECTIVE

    ident = f"section-{section.id}"
    note = ("Shown beside the result; never taken away from the score."
            if section.kind == PROTECTIVE else f"These count as {KIND_LABELS[section.kind].lower()}.")
    parts = [
        f'<fieldset class="cse-section cse-section--{_e(section.kind)}" id="{_e(ident)}" '
        f'data-section="{_e(section.id)}" aria-describedby="{_e(ident)}-help">',
        f'<legend class="cse-section__title">{_e(section.title)}</legend>',
        f'<p class="cse-help" id="{_e(ident)}-help">{_e(section.help)} {_e(note)}</p>',
    ]
    parts += [_question_html(tool, section, q) for q in section.questions]
    if section.narrative:
        parts.append(_narrative_html(section))
    parts.append("</fieldset>")
    return "\n".join(parts)


def render_tool_form(tool, page_url: str | None) -> str:
    from cse_tools.model import MAX_AGE, MIN_AGE

    plan_url = site_root(page_url) + "tools/safety-plan/"
    buttons = [
        _button("save", "Save to file"),
        _file_button("open", "Open from file", "cse-open-file"),
        _button("print", "Print"),
        _button("plan", "Start a safety plan from this assessment", f' data-plan-url="{_e(plan_url)}"'),
        _button("clear", "Clear all"),
    ]
    child = [
        '<fieldset class="cse-section cse-section--child">',
        "<legend class=\"cse-section__title\">About the child</legend>",
        '<div class="cse-field">',
        '<label for="cse-age">The child\'s age in years</label>',
        f'<p class="cse-help" id="help-age">A whole number from {MIN_AGE} to {MAX_AGE}. Some questions count '
        "differently at different ages, so the result stays provisional until the age is given.</p>",
        f'<input type="text" id="cse-age" name="age" inputmode="numeric" size="4" maxlength="3" {FREE_TEXT} '
        'aria-describedby="help-age error-age">',
        '<p class="cse-field-error" id="error-age" data-error-for="age" hidden></p>',
        "</div>",
    ]
    if tool.review_date:
        child += [
            '<div class="cse-field">',
            '<label for="cse-review-date">Date to review this assessment</label>',
            '<p class="cse-help" id="help-review-date">Agree a date with the people involved.</p>',
            '<input type="date" id="cse-review-date" name="review_date" autocomplete="off" '
            'aria-describedby="help-review-date error-review-date">',
            '<p class="cse-field-error" id="error-review-date" data-error-for="review_date" hidden></p>',
            "</div>",
        ]
    child.append("</fieldset>")
    form = [
        f'<div class="cse-tool" data-cse-tool="{_e(tool.id)}">',
        _toolbar(buttons, "Save, open, print or clear this assessment"),
        _message_area(),
        _print_date(),
        f'<form class="cse-form" id="cse-form" data-tool="{_e(tool.id)}" '
        f'autocomplete="off" novalidate aria-label="{_e(tool.title)}">',
        "\n".join(child),
        *[_section_html(tool, s) for s in tool.sections],
        "</form>",
        '<h2 id="result">Result</h2>',
        '<section class="cse-result" id="cse-result" aria-live="polite" aria-labelledby="result" data-result data-level="">',
        _progress("The result is worked out in your browser and needs JavaScript. Without it you can "
                  "still fill in and print this form, and work out the level from the rules in "
                  "How the tools decide."),
        '<div data-result-body></div>',
        "</section>",
        "</div>",
    ]
    return "\n".join(form)


# --- planning pages ------------------------------------------------------------------------------


def render_safety_plan(tool, page_url: str | None) -> str:
    """The safety plan page's form; `tool` is any assessment tool (for the notes)."""
    buttons = [
        _file_button("open-assessment", "Open a saved assessment file", "cse-open-assessment"),
        _file_button("open-plan", "Open a saved plan", "cse-open-plan"),
        _button("save", "Save plan to file"),
        _button("print", "Print"),
        _button("clear", "Clear all"),
    ]
    blank_rows = "\n".join(
        "<tr>" + "".join('<td><span class="cse-blank"></span></td>' for _ in range(6)) + "</tr>" for _ in range(4)
    )
    parts = [
        '<div class="cse-plan" data-cse-plan="safety">',
        _toolbar(buttons, "Open, save, print or clear this plan"),
        _message_area(),
        _print_date(),
        '<div class="cse-status" role="status" aria-live="polite" data-status>',
        _progress("Filling in a plan from an assessment, saving and opening need JavaScript. Without it, "
                  "print this page and fill it in by hand."),
        "</div>",
        f'<form class="cse-form" id="cse-plan-form" data-tool="{_e(tool.id)}" '
        f'autocomplete="off" novalidate aria-label="Multi-agency safety plan">',
        '<div class="cse-plan__source" data-plan-source><p>Not yet drafted from an assessment.</p></div>',
        '<div class="cse-plan__immediate" data-immediate hidden></div>',
        '<h2 id="risks">Risks and agreed actions</h2>',
        '<p class="cse-help" id="rows-help">One row for each risk. Agree the action, which agency leads, '
        "when it is due and when it will be reviewed. Rows past their date and not done are marked overdue.</p>",
        '<div class="cse-table-wrap">',
        '<table class="cse-rows" aria-describedby="rows-help"><thead><tr>'
        '<th scope="col">Risk</th><th scope="col">Agreed action</th><th scope="col">Lead agency</th>'
        '<th scope="col">Date due</th><th scope="col">Review date</th><th scope="col">Done, notes</th>'
        "</tr></thead>",
        f'<tbody data-rows data-max-rows="{MAX_ROWS}">\n{blank_rows}\n</tbody></table>',
        "</div>",
        '<p data-js-only hidden>' + _button("add-row", "Add a row") + "</p>",
        '<h2 id="views">Views and strengths</h2>',
        _plan_textarea("child_views", "The child's own views", "In the child's words where you can."),
        _plan_textarea("family_views", "The family's views", "Parents, carers and anyone else the child sees as family."),
        _plan_textarea("protective_factors", "Protective factors",
                       "One on each line: people and things that help keep the child safe."),
        _plan_textarea("missing_contacts", "Who to contact when the child goes missing",
                       "Names, agencies and phone numbers, in the order to call them."),
        '<div class="cse-field"><label for="plan-next-review">Next review meeting</label>'
        '<input type="date" id="plan-next-review" name="next_review_meeting" data-field="next_review_meeting" '
        'autocomplete="off"></div>',
        "</form>",
        notes_html(tool),
        "</div>",
    ]
    return "\n".join(parts)


def _plan_textarea(field: str, label: str, help_text: str, rows: int = 4) -> str:
    ident = f"plan-{field.replace('_', '-')}"
    return (
        '<div class="cse-field">\n'
        f'<label for="{ident}">{_e(label)}</label>\n'
        f'<p class="cse-help" id="{ident}-help">{_e(help_text)}</p>\n'
        f'<textarea id="{ident}" name="{field}" data-field="{field}" rows="{rows}" {FREE_TEXT} '
        f'aria-describedby="{ident}-help"></textarea>\n'
        f'<div class="cse-print-text" data-mirror="{ident}" aria-hidden="true"></div>\n'
        "</div>"
    )


def render_disruption_plan(tool, page_url: str | None) -> str:
    buttons = [
        _file_button("open-plan", "Open a saved plan", "cse-open-plan"),
        _button("save", "Save plan to file"),
        _button("print", "Print"),
        _button("clear", "Clear all"),
    ]
    tactics = []
    for tactic in tool.tactics:
        tid = _e(tactic.id)
        tactics.append(
            f'<fieldset class="cse-tactic" data-tactic="{tid}" aria-describedby="tactic-{tid}-help">\n'
            f'<legend class="cse-tactic__title"><input type="checkbox" id="tactic-{tid}-checked" data-part="checked">'
            f'<label for="tactic-{tid}-checked">{_e(tactic.title)}</label></legend>\n'
            f'<p class="cse-help" id="tactic-{tid}-help">{_e(tactic.help)}</p>\n'
            '<div class="cse-tactic__fields">'
            f'<span class="cse-field"><label for="tactic-{tid}-owner">Owner</label>'
            f'<input type="text" id="tactic-{tid}-owner" data-part="owner" value="{_e(tactic.owner)}" '
            f'data-default="{_e(tactic.owner)}" {FREE_TEXT}></span>'
            f'<span class="cse-field"><label for="tactic-{tid}-date">By when</label>'
            f'<input type="date" id="tactic-{tid}-date" data-part="date" autocomplete="off"></span>'
            f'<span class="cse-field cse-field--check"><input type="checkbox" id="tactic-{tid}-done" data-part="done">'
            f'<label for="tactic-{tid}-done">Done</label></span>'
            "</div>\n"
            f'<div class="cse-field"><label for="tactic-{tid}-notes">Notes</label>'
            f'<textarea id="tactic-{tid}-notes" data-part="notes" rows="2" {FREE_TEXT}></textarea>'
            f'<div class="cse-print-text" data-mirror="tactic-{tid}-notes" aria-hidden="true"></div></div>\n'
            '<p class="cse-overdue" data-overdue hidden></p>\n'
            "</fieldset>"
        )
    parts = [
        '<div class="cse-plan" data-cse-plan="disruption">',
        _toolbar(buttons, "Open, save, print or clear this plan"),
        _message_area(),
        _print_date(),
        '<div class="cse-status" role="status" aria-live="polite" data-status>',
        _progress("Saving and opening plans need JavaScript. Without it, print this page and fill it in by hand."),
        "</div>",
        f'<form class="cse-form" id="cse-plan-form" data-tool="{_e(tool.id)}" '
        f'autocomplete="off" novalidate aria-label="Disruption plan">',
        '<h2 id="tactics">Tactics</h2>',
        '<p class="cse-help">Tick the tactics the meeting agreed, name who owns each one and by when. '
        "The suggested owner is filled in; change it to a named person.</p>",
        *tactics,
        '<h2 id="places-and-people">Places and people</h2>',
        _plan_textarea("locations", "Suspected locations",
                       "Addresses, streets, venues, parks, hotels, online spaces: exactly as you know them.", 5),
        _plan_textarea("people", "Suspected people",
                       "Names, nicknames, descriptions, vehicles and phone numbers: exactly as you know them.", 5),
        '<div class="cse-field"><label for="plan-next-review">Next review meeting</label>'
        '<input type="date" id="plan-next-review" name="next_review_meeting" data-field="next_review_meeting" '
        'autocomplete="off"></div>',
        "</form>",
        "</div>",
    ]
    return "\n".join(parts)


# --- how the tools decide ------------------------------------------------------------------------


def render_rules(table: dict[str, Any]) -> str:
    """A rules table (cse_tools.explain.rules_table) as HTML."""
    out: list[str] = [f'<div class="cse-rules" data-rules="{_e(table["tool"])}">']
    if table["kind"] == "disruption":
        out.append(f"<p>{_e(table['description'])}</p>")
        out.append('<table><thead><tr><th scope="col">Tactic</th><th scope="col">What it is</th>'
                   '<th scope="col">Suggested owner</th></tr></thead><tbody>')
        for t in table["tactics"]:
            out.append(f"<tr><td>{_e(t['title'])}</td><td>{_e(t['help'])}</td><td>{_e(t['owner'])}</td></tr>")
        out.append("</tbody></table></div>")
        return "\n".join(out)
    out.append(f"<p>{_e(table['description'])} Version {_e(table['version'])}.</p>")
    out.append("<p><strong>Answers:</strong> " + "; ".join(
        f"<code>{_e(a['answer'])}</code> means {_e(a['label'])}" for a in table["answers"]) + ".</p>")
    out.append(f"<p><strong>How the score works:</strong> {_e(table['scoring'])}</p>")
    for section in table["sections"]:
        if section["scored"]:
            caption = f"{section['title']}: each counts as {section['kind_label'].lower()} (scored)"
            heads = ("Question", "Weight if yes", "Weight if longer ago", "Time window")
        else:
            caption = f"{section['title']}: shown beside the result, never taken off the score"
            heads = ("Question", "", "", "")
        out.append(f"<table><caption>{_e(caption)}</caption><thead><tr>"
                   f'<th scope="col">{heads[0]}</th>'
                   + ("".join(f'<th scope="col">{h}</th>' for h in heads[1:]) if section["scored"] else "")
                   + "</tr></thead><tbody>")
        for q in section["questions"]:
            text = _e(q["text"])
            if q["age_rules"]:
                ages = "; ".join(f"age {r['from_age']} to {r['to_age']}: {r['counts_as_label']}" for r in q["age_rules"])
                text += f"<br><small>Depends on age: {_e(ages)}.</small>"
                if q["if_age_unknown"]:
                    text += f"<br><small>Age not known: counts as {_e(q['if_age_unknown'].replace('_', ' '))}.</small>"
            row = f"<tr><td>{text}</td>"
            if section["scored"]:
                past = q["past_weight"] if q["past_weight"] is not None else "not asked"
                row += f"<td>{_e(q['weight'])}</td><td>{_e(past)}</td><td>{_e(q['time_window'] or 'none')}</td>"
            out.append(row + "</tr>")
        out.append("</tbody></table>")
    out.append("<table><caption>Score bands</caption><thead><tr><th scope=\"col\">Score</th>"
               "<th scope=\"col\">Level</th><th scope=\"col\">Label</th></tr></thead><tbody>")
    for band in table["bands"]:
        out.append(f"<tr><td>{_e(band['scores'])}</td><td>{_e(band['level'])}</td><td>{_e(band['label'])}</td></tr>")
    out.append("</tbody></table>")
    out.append("<p><strong>Rules applied after the score</strong> (a rule that raises the level always wins "
               "over one that caps it):</p><ol>")
    for rule in table["overrides"]:
        item = f"<li><strong>When</strong> {_e(rule['when'])}, the {_e(rule['effect'])}. {_e(rule['text'])}"
        if rule["immediate_action"]:
            item += f" <br><strong>Immediate action shown:</strong> {_e(rule['immediate_action'])}"
        if rule["prompt"]:
            item += f" <br><strong>When it lowers the level, the result also says:</strong> {_e(rule['prompt'])}"
        out.append(item + "</li>")
    out.append("</ol>")
    # The levels themselves (meaning, criteria, triggers) are shown once, by category_table().
    out.append(f"<p>{_e(table['judgement_note'])}</p><p>{_e(table['emergency_note'])}</p>")
    out.append("</div>")
    return "\n".join(out)


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

    @env.macro
    def tool_form(tool_id: str) -> str:
        return render_tool_form(_tool(catalog(), tool_id), page_url())

    @env.macro
    def tool_notes(tool_id: str) -> str:
        return notes_html(_tool(catalog(), tool_id))

    @env.macro
    def tool_description(tool_id: str) -> str:
        tool = _tool(catalog(), tool_id, kind=None)
        return _e(tool.description)

    @env.macro
    def tool_audience(tool_id: str) -> str:
        return _e(_tool(catalog(), tool_id).audience)

    @env.macro
    def safety_plan_form(tool_id: str = "risk-assessment") -> str:
        return render_safety_plan(_tool(catalog(), tool_id), page_url())

    @env.macro
    def disruption_plan_form(tool_id: str = "disruption-tactics") -> str:
        return render_disruption_plan(_tool(catalog(), tool_id, kind="disruption"), page_url())

    @env.macro
    def tool_rules(tool_id: str) -> str:
        from cse_tools.explain import rules_table

        return render_rules(rules_table(_tool(catalog(), tool_id, kind=None)))
