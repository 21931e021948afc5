"""The legislation register (data/legislation.yml): one entry per Act, section or national guidance.

- `law(id)` renders one citation, e.g. "Children Act 1989, section 47", linked to its source.
- `legislation_list(topic)` renders the entries of one topic as a definition list: the Act and
  section, its current heading, what it does, its in-force status and the date it was checked.
- `law_note(id)` renders an entry's caveat (what could not be confirmed), if it has one.

Text from the register reaches pages through `md_text`, so a value renders literally and can never
become Markdown or HTML markup.

`cited_sections(text)` finds the Acts and sections a page cites by hand ("section 47 of the
Children Act 1989", "Children Act 1989, section 47", "ss5-8", "s103A"), and `unregistered(...)`
lists those the register does not cover: tests/test_legislation.py runs it over every page.

A malformed entry stops the build naming the file, the entry and the field, e.g.
    data/legislation.yml: entry 4 ('ca1989-s31'): field 'checked' is missing
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .data import (DATA_DIR, DataError, find_entry, keyed_entries, md_text, require, require_choice, require_date,
                   require_https_url)

LEGISLATION_FILE = DATA_DIR / "legislation.yml"

STATUSES = ("in force", "not confirmed", "guidance")
KINDS = ("act", "guidance")
TOPICS = (
    "offences",
    "protection",
    "orders",
    "disruption",
    "court",
    "trafficking",
    "adults",
    "arrangements",
    "new-2026",
    "guidance",
)
TEXT_FIELDS = ("act", "name", "does", "source")
KNOWN_FIELDS = {"id", "kind", "sections", "checked", "status", "note", "topics", *TEXT_FIELDS}
SECTIONS_RE = re.compile(r"^(\d+[A-Z]{0,3})(?:-(\d+[A-Z]{0,3}))?$")
ACT_RE = re.compile(r"^[A-Z][A-Za-z',’ -]+ Act \d{4}$")


def load_legislation(path: Path = LEGISLATION_FILE) -> list[dict[str, Any]]:
    """Read and check the register; return its entries in file order."""
    pairs = keyed_entries(path, KNOWN_FIELDS)
    for entry, where in pairs:
        for field in TEXT_FIELDS:
            require(entry, field, str, where)
        kind = entry.setdefault("kind", "act")
        if kind not in KINDS:
            raise DataError(f"{where}: field 'kind': {kind!r} is not one of {', '.join(KINDS)}")
        if kind == "act" and not ACT_RE.match(entry["act"]):
            raise DataError(f"{where}: field 'act': {entry['act']!r} is not an Act's title and year")
        sections = entry.setdefault("sections", "")
        if not isinstance(sections, str) or (sections and not SECTIONS_RE.match(sections)):
            raise DataError(f"{where}: field 'sections': {sections!r} is not like \"47\" or \"5-8\"")
        require_https_url(entry, "source", where)  # no spaces, quotes or brackets: it goes into a link
        if not entry["source"].startswith(("https://www.legislation.gov.uk/", "https://www.gov.uk/")):
            raise DataError(
                f"{where}: field 'source': {entry['source']!r} is not a legislation.gov.uk or GOV.UK address"
            )
        entry["checked"] = require_date(entry, "checked", where)
        require_choice(entry, "status", STATUSES, where)
        if entry["status"] == "not confirmed" and not entry.get("note"):
            raise DataError(f"{where}: field 'note' is missing (say what could not be confirmed)")
        topics = require(entry, "topics", list, where)
        for topic in topics:
            if topic not in TOPICS:
                raise DataError(f"{where}: field 'topics': {topic!r} is not one of {', '.join(TOPICS)}")
    return [entry for entry, _where in pairs]


# --- what a page cites ------------------------------------------------------------------------

_SECTION_NUMBER = r"\d+[A-Z]{0,3}"
# "Children Act 1989", "Anti-social Behaviour, Crime and Policing Act 2014"
_ACT = r"(?:[A-Z][A-Za-z'’-]*(?:,? (?:and |of |for |to )?[A-Z][A-Za-z'’-]*)*) Act \d{4}"
_CITATION = re.compile(
    rf"(?P<act>{_ACT})"
    rf"|\b(?:sections?|ss?\.?) ?(?P<first>{_SECTION_NUMBER})"
    rf"(?:(?P<sep> ?(?:-|–|to|and) ?)(?P<last>{_SECTION_NUMBER}))?\b"
)

CREDIT_PREFIXES = ("Source:", "Credit.", "*Credit.*")
# "section 2 of the Child Abduction Act 1984": the Act follows the section.
_OF_ACT = re.compile(rf",? of (?:the )?(?P<act>{_ACT})")
# A capitalised word that starts a sentence is not part of the Act's title.
_LEADING_WORD = re.compile(r"^(?:(?:The|In|Under|See|By|And|Also) )+")


def _number(section: str) -> tuple[int, str]:
    match = re.match(r"(\d+)([A-Z]*)", section)
    assert match  # the patterns above only produce numbers with an optional letter suffix
    return int(match.group(1)), match.group(2)


def _expand(first: str, last: str | None, sep: str = "-") -> list[str]:
    """'5', '8' -> ['5', '6', '7', '8']; '103A' -> ['103A']; '17' and '47' -> ['17', '47']."""
    if not last:
        return [first]
    if sep.strip() == "and":
        return [first, last]
    start, start_suffix = _number(first)
    end, end_suffix = _number(last)
    if start_suffix or end_suffix or end < start:
        return [first, last]
    return [str(n) for n in range(start, end + 1)]


def cited_sections(text: str) -> list[tuple[tuple[str, ...], str]]:
    """Every citation in a text as (candidate Acts, section); section is "" when only an Act is named.

    Paragraphs are separated by blank lines. A section belongs to the Act named right after it
    ("section 2 of the Child Abduction Act 1984"), else to the Act last named before it in the
    same paragraph. With no Act in its paragraph, any Act named earlier on the page is a
    candidate, most recent first. Credit lines ("Source:", or "Credit." from the credits() macro)
    name sections of other areas' documents, not law, so they are skipped.
    """
    found: list[tuple[tuple[str, ...], str]] = []
    named: list[str] = []  # Acts named so far on the page, most recent last
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = " ".join(paragraph.split())
        if paragraph.startswith(CREDIT_PREFIXES):
            continue
        paragraph_act: str | None = None
        for match in _CITATION.finditer(paragraph):
            if match.group("act"):
                paragraph_act = _LEADING_WORD.sub("", match.group("act"))
                named.append(paragraph_act)
                found.append(((paragraph_act,), ""))
                continue
            following = _OF_ACT.match(paragraph, match.end())
            if following:
                acts: tuple[str, ...] = (_LEADING_WORD.sub("", following.group("act")),)
            elif paragraph_act:
                acts = (paragraph_act,)
            else:
                acts = tuple(dict.fromkeys(reversed(named)))
            if acts:
                sections = _expand(match.group("first"), match.group("last"), match.group("sep") or "-")
                found.extend((acts, section) for section in sections)
    return found


def covered(entries: list[dict]) -> dict[str, set[str]]:
    """{Act: {sections...}} from the register; "" stands for the Act itself."""
    acts: dict[str, set[str]] = {}
    for entry in entries:
        sections = acts.setdefault(entry["act"], {""})
        match = SECTIONS_RE.match(entry["sections"]) if entry["sections"] else None
        if match:
            sections.update(_expand(match.group(1), match.group(2)))
    return acts


def unregistered(text: str, entries: list[dict]) -> list[str]:
    """Citations in text that the register does not cover, e.g. ['Children Act 1989 s99']."""
    acts = covered(entries)
    missing = []
    for candidates, section in cited_sections(text):
        if any(act in acts and section in acts[act] for act in candidates):
            continue
        label = f"{candidates[0]} s{section}" if section else candidates[0]
        if label not in missing:
            missing.append(label)
    return missing


# --- rendering ----------------------------------------------------------------------------------


def citation(entry: dict) -> str:
    """'Children Act 1989, section 47', 'Sexual Offences Act 2003, sections 5 to 8'."""
    sections = entry["sections"]
    if not sections:
        return entry["act"]
    if "-" in sections:
        first, last = sections.split("-")
        return f"{entry['act']}, sections {first} to {last}"
    return f"{entry['act']}, section {sections}"


def _checked(entry: dict) -> str:
    day = entry["checked"]
    return f"{day.day} {day:%B %Y}"


def _status_line(entry: dict) -> str:
    if entry["status"] == "in force":
        status = "In force"
    elif entry["status"] == "guidance":
        status = "National guidance"
    else:
        status = "In force: not confirmed"
    line = f"*{status}. Checked {_checked(entry)} against [the published source]({entry['source']}).*"
    if entry.get("note"):
        line += f" {md_text(' '.join(entry['note'].split()))}"
    return line


def register(env) -> None:
    entries = load_legislation()
    by_id = {e["id"]: e for e in entries}
    env.variables["legislation"] = entries

    def find(lid: str) -> dict:
        return find_entry(by_id, lid, "law", LEGISLATION_FILE)

    @env.macro
    def law(lid: str) -> str:
        """One citation as a Markdown link to its source."""
        entry = find(lid)
        return f"[{md_text(citation(entry))}]({entry['source']})"

    @env.macro
    def law_note(lid: str) -> str:
        """The entry's status line: in force or not, checked when, and any caveat."""
        return _status_line(find(lid))

    @env.macro
    def legislation_list(topic: str, main_topic_only: bool = False) -> str:
        """The register's entries for one topic, as a Markdown definition list.

        With main_topic_only, only entries whose first topic is this one: the legislation chapter
        uses it so that every entry appears there exactly once."""
        if topic not in TOPICS:
            raise DataError(f"legislation_list('{topic}'): topic is not one of {', '.join(TOPICS)}")
        out = []
        for entry in entries:
            wanted = entry["topics"][:1] if main_topic_only else entry["topics"]
            if topic not in wanted:
                continue
            title = citation(entry) if entry["kind"] == "act" else entry["name"]
            heading = f" ({entry['name']})" if entry["kind"] == "act" and entry["sections"] else ""
            does = md_text(" ".join(entry["does"].split()))
            out.append(f"{md_text(title + heading)}\n:   {does}\n\n    {_status_line(entry)}\n")
        return "\n".join(out)
