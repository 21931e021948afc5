"""Language that never blames a child ("Child exploitation and abuse: an appropriate language
guide", CSE Taskforce with The Children's Society and NAPAC, November 2024). A phrase on the list
may appear only in quotation marks, where a page tells the reader not to use it.

Checked: every page's Markdown, and the data files whose text pages render (the glossary,
amendments, practice rules, legislation register, national contacts, action plan and the worked
cases). The tools' question wording (tools/definitions) is checked too, as a known failure until
the wording changes listed for the integrator land (strict: it fails once they have, so the
marker is removed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import ROOT

PAGES = sorted((ROOT / "docs").rglob("*.md"))
BLAMING = [
    "child prostitut",
    "prostitution",
    "sexually active",
    "putting themselves at risk",
    "putting herself at risk",
    "putting himself at risk",
    "risky behaviour",
    "risky",
    "consented",
    "exchanging sex",
    "promiscuous",
    "lifestyle choice",
    "sex worker",
    # The 2024 guide: ask about the adult and the contact, never a "relationship" with an adult.
    "older partner",
    "adult partner",
    "in a relationship with an adult",
    "in a relationship, or in sexual contact, with an adult",
    "in a relationship or sexual contact",
    "relationship with a much older",
    "sexual relationship with",
    "hooked",
    "willing to accept support",
    "not engaging",
]
# Barnardo's named the "boyfriend" model: the phrase appears only as their term.
BOYFRIEND_MODEL = re.compile(r'"boyfriend" model', re.I)
# "boyfriend" must be qualified: in quotes, or as what the child calls the abuser.
BOYFRIEND_OK = re.compile(
    r'"boyfriend|call(?:s)? (?:her |his |their )?(?:a |the abuser )?(?:a )?boyfriend|abuser is a boyfriend|seem like a boyfriend|is a boyfriend',
    re.I,
)


def unquoted_hits(text: str) -> list[str]:
    """Listed phrases that are not inside double quotes."""
    hits = []
    for line in text.splitlines():
        unquoted = re.sub(r'"[^"]*"', " ", line).lower()
        hits += [phrase for phrase in BLAMING if phrase in unquoted]
        if "boyfriend" in unquoted and not BOYFRIEND_OK.search(line):
            hits.append("boyfriend (unqualified)")
        if BOYFRIEND_MODEL.search(line) and "barnardo" not in line.lower():
            hits.append('"boyfriend" model without Barnardo\'s')
    return hits


def data_text(path: Path) -> str:
    """Every text value of a YAML file, one a line (so a long folded value is one line)."""
    import yaml

    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and not value.startswith("https://"):
            found.append(" ".join(value.split()))

    walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return "\n".join(found)


RENDERED_DATA = [
    ROOT / "data" / name
    for name in (
        "glossary.yml",
        "amendments.yml",
        "practice-rules.yml",
        "legislation.yml",
        "national-contacts.yml",
        "action-plan.yml",
    )
] + [ROOT / "tests" / "data" / "vignettes.yaml"]
TOOL_DEFINITIONS = sorted((ROOT / "tools" / "definitions").glob("*.yaml"))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(ROOT / "docs").as_posix())
def test_no_victim_blaming_language(path: Path) -> None:
    hits = unquoted_hits(path.read_text(encoding="utf-8"))
    assert not hits, f"{path.relative_to(ROOT)}: {hits}"


@pytest.mark.parametrize("path", RENDERED_DATA, ids=lambda p: p.name)
def test_no_victim_blaming_language_in_rendered_data(path: Path) -> None:
    hits = unquoted_hits(data_text(path))
    assert not hits, f"{path.relative_to(ROOT)}: {hits}"


def test_no_victim_blaming_language_in_the_tools_questions() -> None:
    hits = {p.name: unquoted_hits(data_text(p)) for p in TOOL_DEFINITIONS}
    assert not any(hits.values()), hits


def test_check_catches_a_planted_phrase() -> None:
    assert unquoted_hits("She is putting herself at risk.") == ["putting herself at risk"]
    assert unquoted_hits('Do not say "putting herself at risk".') == []
    assert unquoted_hits("He has a boyfriend of 25.") == ["boyfriend (unqualified)"]
    assert unquoted_hits("She is in a relationship with an adult.") == [
        "in a relationship with an adult"
    ]
    assert unquoted_hits("A trusted relationship with an adult helps.") == []
    assert unquoted_hits("Once the child is hooked.") == ["hooked"]
    assert unquoted_hits('The "boyfriend" model.') == ['"boyfriend" model without Barnardo\'s']
    assert unquoted_hits('The "boyfriend" model (Barnardo\'s term).') == []
