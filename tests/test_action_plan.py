"""The action plan: data/action-plan.yml is checked at build time and filtered in the browser."""

from __future__ import annotations

from collections import Counter

import pytest

from macros.action_plan import RAG_VALUES, load_action_plan, render_summary, render_table
from macros.data import DataError

GOOD_ENTRY = """\
  - id: PREV-1
    strand: prevent
    action: Teach healthy relationships.
    how: Lessons in every school.
    lead: Education
    timescale: March 2027
    rag: green
"""


def write_plan(tmp_path, second_entry: str, header: str = "reviewed: 2026-10-01\nactions:\n"):
    path = tmp_path / "action-plan.yml"
    path.write_text(header + GOOD_ENTRY + second_entry, encoding="utf-8")
    return path


def entry(**fields) -> str:
    base = {
        "id": "PROT-9",
        "strand": "protect",
        "action": "Screen every referral.",
        "how": "The hub uses the screening tool.",
        "lead": "Children's social care",
        "timescale": "Ongoing",
        "rag": "amber",
    }
    base.update(fields)
    lines = []
    for i, (key, value) in enumerate((k, v) for k, v in base.items() if v is not None):
        prefix = "  - " if i == 0 else "    "
        lines.append(
            f'{prefix}{key}: "{value}"' if isinstance(value, str) else f"{prefix}{key}: {value}"
        )
    return "\n".join(lines) + "\n"


# ---- unit: the file is checked and errors name the file, the entry and the field ----------------


def test_the_real_action_plan_loads():
    plan = load_action_plan()
    actions = plan["actions"]
    assert len(actions) >= 12
    assert {a["strand"] for a in actions} == {"profile", "prevent", "protect", "prosecute"}
    assert {a["rag"] for a in actions} <= set(RAG_VALUES)
    assert len({a["id"] for a in actions}) == len(actions)


@pytest.mark.parametrize(
    ("fields", "field", "detail"),
    [
        ({"rag": "purple"}, "rag", "'purple' is not one of red, amber, green"),
        ({"rag": None}, "rag", "is missing"),
        ({"lead": None}, "lead", "is missing"),
        ({"how": ""}, "how", "is missing"),
        ({"timescale": None}, "timescale", "is missing"),
        ({"strand": "pursue"}, "strand", "is not one of profile, prevent, protect, prosecute"),
        ({"action": 42}, "action", "must be str"),
        ({"id": "PREV-1"}, "id", "repeats an earlier entry"),
        ({"owner": "Police"}, "owner", "is not a known field"),
    ],
)
def test_a_malformed_entry_names_file_entry_and_field(tmp_path, fields, field, detail):
    path = write_plan(tmp_path, entry(**fields))
    with pytest.raises(DataError) as caught:
        load_action_plan(path)
    message = str(caught.value)
    assert str(path) in message or path.name in message, message  # the file
    assert "entry 2" in message, message  # the entry (its position, and its id when it has one)
    if fields.get("id", "PROT-9") == "PROT-9":
        assert "PROT-9" in message, message
    assert f"field '{field}'" in message, message  # the field
    assert detail in message, message


def test_an_entry_without_an_id_is_named_by_position(tmp_path):
    path = write_plan(tmp_path, entry(id=None))
    with pytest.raises(DataError, match=r"entry 2: field 'id' is missing"):
        load_action_plan(path)


def test_a_file_without_actions_is_rejected(tmp_path):
    path = tmp_path / "action-plan.yml"
    path.write_text("reviewed: 2026-10-01\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"action-plan\.yml: field 'actions' is missing"):
        load_action_plan(path)


def test_a_bad_review_date_is_rejected(tmp_path):
    path = write_plan(tmp_path, entry(), header="reviewed: 2026-13-01\nactions:\n")
    with pytest.raises(DataError, match=r"field 'reviewed': .* is not a date"):
        load_action_plan(path)


def test_table_rows_carry_rating_and_lead_and_show_the_rating_as_a_word():
    plan = load_action_plan()
    html = render_table(plan)
    assert html.count("<tr id=") == len(plan["actions"])
    assert "\n\n" not in html  # one raw HTML block: Markdown must not split it
    assert "data-action-plan-filters hidden" in html
    for a in plan["actions"]:
        assert f'data-rag="{a["rag"]}"' in html
    assert 'data-lead="Children&#39;s social care"' in html  # escaped (markupsafe writes &#39;)
    for word in ("Red", "Amber", "Green"):
        assert f"<strong>{word}</strong>" in html
    counts = Counter(a["rag"] for a in plan["actions"])
    assert render_summary(plan).startswith(
        f"{len(plan['actions'])} actions: {counts['red']} red, {counts['amber']} amber, {counts['green']} green."
    )


# ---- browser: the filters ------------------------------------------------------------------------


def _visible_rows(page):
    return page.eval_on_selector_all(
        "[data-action-plan] tbody tr[data-rag]",
        "rows => rows.filter(r => r.offsetParent !== null).map(r => [r.dataset.rag, r.dataset.lead])",
    )


@pytest.mark.browser
def test_choosing_a_rag_rating_hides_the_other_rows(page, base_url):
    page.goto(base_url + "strategy/action-plan/")
    plan = load_action_plan()["actions"]
    filters = page.locator("[data-action-plan-filters]")
    filters.wait_for(state="visible")  # shown by the script
    assert len(_visible_rows(page)) == len(plan)

    page.select_option("#action-plan-rag", "red")
    shown = _visible_rows(page)
    assert shown and {rag for rag, _lead in shown} == {"red"}
    assert len(shown) == sum(1 for a in plan if a["rag"] == "red")
    hidden = page.locator("[data-action-plan] tbody tr[data-rag]:not([data-rag='red'])")
    assert hidden.count() > 0
    for i in range(hidden.count()):
        assert not hidden.nth(i).is_visible()
    assert f"Showing {len(shown)} of {len(plan)} actions." in page.inner_text(
        "[data-action-plan-count]"
    )

    # Both filters together.
    page.select_option("#action-plan-rag", "amber")
    page.select_option("#action-plan-lead", "Police")
    shown = _visible_rows(page)
    assert shown == [["amber", "Police"]] * sum(
        1 for a in plan if a["rag"] == "amber" and a["lead"] == "Police"
    )

    # Back to everything.
    page.select_option("#action-plan-rag", "")
    page.select_option("#action-plan-lead", "")
    assert len(_visible_rows(page)) == len(plan)
    assert page.watch.page_errors == []
