"""The multi-agency meeting page (docs/tools/meeting.md): data in, the template
overrides/partials/meeting/meeting.html out. The merge itself is cse_tools.meeting, run in the
page's worker; this only renders the empty page (categories, notes and contacts from their data)."""

from __future__ import annotations

from typing import Any

from cse_tools.meeting import MAX_FILES

from .templates import render_block
from .tool_pages import _contacts, _partnership, _tool, load_catalog, site_root

OUTCOMES = (
    ("exploitation_meeting", "The exploitation meeting (the case is managed there)"),
    ("escalation", "Escalation through the case concern process"),
)


def render_meeting_page(
    catalog: dict, page_url: str | None, partnership: dict | None = None
) -> str:
    tool = _tool(catalog, "risk-assessment")
    partnership = _partnership(partnership)
    root = site_root(page_url)
    levels = [
        {"level": lv.level, "label": lv.label, "review_days": lv.review_days}
        for lv in tool.categories.levels
    ]
    return render_block(
        "partials/meeting/meeting.html",
        tool=tool,
        levels=levels,
        outcomes=OUTCOMES,
        max_files=MAX_FILES,
        plan_url=root + "tools/safety-plan/",
        case_concern_url=root + "guidance/case-concern-process/",
        contacts=_contacts(partnership),
    )


def register(env) -> None:
    state: dict[str, Any] = {}

    @env.macro
    def meeting_page() -> str:
        if "tools" not in state:
            state["tools"] = load_catalog()
        page = getattr(env, "page", None)
        return render_meeting_page(
            state["tools"], getattr(page, "url", None), env.variables.get("partnership")
        )
