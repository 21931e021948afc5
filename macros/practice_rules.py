"""Practice rules (data/practice-rules.yml): a rule the handbook states in several places, held once.

- `practice_rule(id)` renders the rule's statement; `practice_rule(id, reason=True)` adds why the
  partnership chose it, with the law it rests on.
- `load_rules()` is also read by tests/test_practice_rules.py, which checks that the tools apply the
  rule the guidance states (the `tools:` block).

A malformed file stops the build naming the file, the entry and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .data import (
    DATA_DIR,
    DataError,
    find_entry,
    keyed_entries,
    md_text,
    require,
    require_date,
    require_https_url,
)
from .legislation import citation

RULES_FILE = DATA_DIR / "practice-rules.yml"
FIELDS = {"id", "title", "statement", "reason", "law", "sources", "checked", "tools"}
TOOL_FIELDS = ("question", "on_its_own", "counted_through", "counted_as", "help")


def load_rules(
    path: Path = RULES_FILE, legislation: list[dict] | None = None
) -> list[dict[str, Any]]:
    """Read and check the rules; with `legislation`, every `law` id must be in the register."""
    pairs = keyed_entries(path, FIELDS)
    known = {e["id"] for e in legislation} if legislation is not None else None
    for entry, where in pairs:
        for field in ("title", "statement", "reason"):
            require(entry, field, str, where)
        entry["checked"] = require_date(entry, "checked", where)
        laws = require(entry, "law", list, where)
        for lid in laws:
            if known is not None and lid not in known:
                raise DataError(
                    f"{where}: field 'law': {lid!r} is not an id in data/legislation.yml"
                )
        sources = entry.get("sources", [])
        if not isinstance(sources, list):
            raise DataError(f"{where}: field 'sources' must be a list")
        for index, source in enumerate(sources, start=1):
            at = f"{where}: sources entry {index}"
            require(source, "title", str, at)
            require_https_url(source, "url", at)
            source["checked"] = require_date(source, "checked", at)
        tools = entry.get("tools")
        if tools is not None:
            at = f"{where}: tools"
            for field in TOOL_FIELDS:
                require(tools, field, str, at)
            ages = require(tools, "ages", list, at)
            if len(ages) != 2 or not all(isinstance(a, int) for a in ages) or ages[0] > ages[1]:
                raise DataError(
                    f"{at}: field 'ages' must be [first, last], two whole numbers in order"
                )
    return [entry for entry, _where in pairs]


def register(env) -> None:
    legislation = {e["id"]: e for e in env.variables["legislation"]}
    rules = load_rules(legislation=list(legislation.values()))
    by_id = {r["id"]: r for r in rules}
    env.variables["practice_rules"] = rules

    @env.macro
    def practice_rule(rid: str, reason: bool = False) -> str:
        """The rule's statement as plain text; with reason, why it was chosen and its law."""
        rule = find_entry(by_id, rid, "practice_rule", RULES_FILE)
        text = md_text(" ".join(rule["statement"].split()))
        if reason:
            laws = "; ".join(
                f"[{md_text(citation(legislation[lid]))}]({legislation[lid]['source']})"
                for lid in rule["law"]
                if legislation[lid]["kind"] == "act"
            )
            text += f" *Why:* {md_text(' '.join(rule['reason'].split()))}"
            if laws:
                text += f" Law: {laws}."
        return text
