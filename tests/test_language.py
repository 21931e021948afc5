"""Language that never blames a child (The Children's Society, "Appropriate language: child
sexual and/or criminal exploitation"). A phrase on the list may appear only in quotation marks,
where a page tells the reader not to use it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import ROOT

PAGES = sorted((ROOT / "docs").rglob("*.md"))
BLAMING = [
    "child prostitut", "prostitution", "sexually active", "putting themselves at risk",
    "putting herself at risk", "putting himself at risk", "risky behaviour", "risky",
    "consented", "exchanging sex", "promiscuous", "lifestyle choice", "sex worker",
]
# "boyfriend" must be qualified: in quotes, or as what the child calls the abuser.
BOYFRIEND_OK = re.compile(r'"boyfriend|call(?:s)? (?:a |the abuser )?(?:a )?boyfriend|abuser is a boyfriend|seem like a boyfriend|is a boyfriend', re.I)


def unquoted_hits(text: str) -> list[str]:
    """Listed phrases that are not inside double quotes."""
    hits = []
    for line in text.splitlines():
        unquoted = re.sub(r'"[^"]*"', " ", line).lower()
        hits += [phrase for phrase in BLAMING if phrase in unquoted]
        if "boyfriend" in unquoted and not BOYFRIEND_OK.search(line):
            hits.append("boyfriend (unqualified)")
    return hits


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(ROOT / "docs").as_posix())
def test_no_victim_blaming_language(path: Path) -> None:
    hits = unquoted_hits(path.read_text(encoding="utf-8"))
    assert not hits, f"{path.relative_to(ROOT)}: {hits}"


def test_check_catches_a_planted_phrase() -> None:
    assert unquoted_hits("She is putting herself at risk.") == ["putting herself at risk"]
    assert unquoted_hits('Do not say "putting herself at risk".') == []
    assert unquoted_hits("He has a boyfriend of 25.") == ["boyfriend (unqualified)"]
