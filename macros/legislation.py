"""The legislation register (data/legislation.yml): one entry per Act, section or national guidance.

- `law(id)` renders one citation, e.g. "Children Act 1989, section 47", linked to its source.
- `legislation_list(topic)` renders the entries of one topic as a definition list: the Act and
  section, its current heading, what it does, its in-force status and the date it was checked.
- `law_note(id)` renders an entry's caveat (what could not be confirmed), if it has one.
- An entry whose status is "not confirmed" carries that status wherever `law(id)` cites it.
- An Act entry may list `provisions:` (what matters for CSE work, each with its own status, the
  date it commenced when in force, its source and the date checked). `legislation_list` shows them
  under the entry, and `law_provision(id, provision)` cites one with its status, e.g.
  "Crime and Policing Act 2026: child criminal exploitation offence (in force: not confirmed,
  checked 2 December 2026)".

Text from the register reaches pages through `md_text`, so a value renders literally and can never
become Markdown or HTML markup.

`cited_sections(text)` finds the Acts and sections a page cites by hand ("section 47 of the
Children Act 1989", "Children Act 1989, section 47", "ss5-8", "s103A"), and `unregistered(...)`
lists those the register does not cover: tests/test_legislation.py runs it over every page.

A malformed entry stops the build naming the file, the entry and the field, e.g.
    data/legislation.yml: entry 4 ('ca1989-s31'): field 'checked' is missing
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from .data import (
    DATA_DIR,
    DataError,
    find_entry,
    keyed_entries,
    md_text,
    require,
    require_choice,
    require_date,
    require_https_url,
)

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
    "information",
    "new-2026",
    "guidance",
)
TEXT_FIELDS = ("act", "name", "does", "source")
KNOWN_FIELDS = {
    "id",
    "kind",
    "sections",
    "checked",
    "status",
    "note",
    "topics",
    "provisions",
    *TEXT_FIELDS,
}
# One provision of an Act: its own commencement status. "in force" needs the date it commenced.
PROVISION_STATUSES = ("in force", "not confirmed", "not in force")
PROVISION_FIELDS = {"id", "provision", "status", "commenced", "source", "checked", "note"}
SOURCE_PREFIXES = (
    "https://www.legislation.gov.uk/",
    "https://www.gov.uk/",
    "https://www.cps.gov.uk/",
)
SECTIONS_RE = re.compile(r"^(\d+[A-Z]{0,3})(?:-(\d+[A-Z]{0,3}))?$")
ACT_RE = re.compile(r"^[A-Z][A-Za-z',’() -]+ Act \d{4}$")  # "Data (Use and Access) Act 2025"


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
            raise DataError(
                f"{where}: field 'act': {entry['act']!r} is not an Act's title and year"
            )
        sections = entry.setdefault("sections", "")
        if not isinstance(sections, str) or (sections and not SECTIONS_RE.match(sections)):
            raise DataError(f'{where}: field \'sections\': {sections!r} is not like "47" or "5-8"')
        _require_source(entry, where)
        entry["checked"] = require_date(entry, "checked", where)
        require_choice(entry, "status", STATUSES, where)
        if entry["status"] == "not confirmed" and not entry.get("note"):
            raise DataError(f"{where}: field 'note' is missing (say what could not be confirmed)")
        topics = require(entry, "topics", list, where)
        for topic in topics:
            if topic not in TOPICS:
                raise DataError(
                    f"{where}: field 'topics': {topic!r} is not one of {', '.join(TOPICS)}"
                )
        entry["provisions"] = _load_provisions(entry, where)
    return [entry for entry, _where in pairs]


def _require_source(entry: dict, where: str) -> None:
    require_https_url(entry, "source", where)  # no spaces, quotes or brackets: it goes into a link
    if not entry["source"].startswith(SOURCE_PREFIXES):
        raise DataError(
            f"{where}: field 'source': {entry['source']!r} is not a legislation.gov.uk, GOV.UK or CPS address"
        )


def _load_provisions(entry: dict, where: str) -> list[dict[str, Any]]:
    """The entry's `provisions:` list, each checked: id, provision, status, source, checked;
    `commenced` (a date) when in force, `note` when not confirmed."""
    raw = entry.get("provisions", [])
    if not isinstance(raw, list):
        raise DataError(f"{where}: field 'provisions' must be a list")
    if raw and entry.get("kind", "act") != "act":
        raise DataError(f"{where}: field 'provisions' is only for an Act")
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        here = f"{where}: provisions entry {index}"
        ident = require(item, "id", str, here)
        here = f"{where}: provisions entry {index} ({ident!r})"
        if ident in seen:
            raise DataError(f"{here}: field 'id' repeats an earlier provision")
        seen.add(ident)
        unknown = set(item) - PROVISION_FIELDS
        if unknown:
            raise DataError(f"{here}: field '{sorted(unknown)[0]}' is not a known field")
        for field in ("provision", "source"):
            require(item, field, str, here)
        _require_source(item, here)
        item["checked"] = require_date(item, "checked", here)
        status = require_choice(item, "status", PROVISION_STATUSES, here)
        if status == "in force":
            item["commenced"] = require_date(item, "commenced", here)
        elif "commenced" in item:
            raise DataError(f"{here}: field 'commenced' is only for a provision in force")
        if status != "in force" and not item.get("note"):
            raise DataError(f"{here}: field 'note' is missing (say what could not be confirmed)")
    return raw


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
                sections = _expand(
                    match.group("first"), match.group("last"), match.group("sep") or "-"
                )
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
    return _day(entry["checked"])


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def provision_status(item: dict) -> str:
    """'in force from 29 June 2026', 'in force: not confirmed, checked 2 December 2026'."""
    if item["status"] == "in force":
        return f"in force from {_day(item['commenced'])}, checked {_day(item['checked'])}"
    if item["status"] == "not in force":
        return f"not in force, checked {_day(item['checked'])}"
    return f"in force: not confirmed, checked {_day(item['checked'])}"


def entry_status(entry: dict) -> str:
    """The short status that travels with a citation of an entry not confirmed in force ('' otherwise)."""
    if entry["status"] != "not confirmed":
        return ""
    return f"in force: not confirmed, checked {_checked(entry)}"


def _provision_lines(entry: dict) -> list[str]:
    lines = []
    for item in entry["provisions"]:
        line = f"- **{md_text(item['provision'])}**: [{md_text(provision_status(item))}]({item['source']})."
        if item.get("note"):
            line += f" {md_text(' '.join(item['note'].split()))}"
        lines.append(line)
    return lines


def _status_line(entry: dict) -> str:
    if entry["status"] == "in force":
        status = "In force"
    elif entry["status"] == "guidance":
        status = "National guidance"
    else:
        status = "In force: not confirmed"
    line = (
        f"*{status}. Checked {_checked(entry)} against [the published source]({entry['source']}).*"
    )
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
        """One citation as a Markdown link to its source, with its status when not confirmed in force."""
        entry = find(lid)
        link = f"[{md_text(citation(entry))}]({entry['source']})"
        status = entry_status(entry)
        return f"{link} ({md_text(status)})" if status else link

    @env.macro
    def law_provision(lid: str, pid: str) -> str:
        """One provision of an Act, e.g. 'Crime and Policing Act 2026: the duty to report ...
        (in force: not confirmed, checked 2 December 2026)', linked to its source."""
        entry = find(lid)
        items = {item["id"]: item for item in entry["provisions"]}
        if pid not in items:
            known = ", ".join(items) or "none"
            raise DataError(
                f"law_provision('{lid}', '{pid}'): no such provision in {LEGISLATION_FILE.name} (known: {known})"
            )
        item = items[pid]
        text = f"{entry['act']}: {item['provision'][:1].lower()}{item['provision'][1:]}"
        return f"[{md_text(text)}]({item['source']}) ({md_text(provision_status(item))})"

    @env.macro
    def law_provisions(lid: str) -> str:
        """An Act's provisions and their commencement status, as a Markdown list."""
        return "\n".join(_provision_lines(find(lid)))

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
            item = f"{md_text(title + heading)}\n:   {does}\n\n    {_status_line(entry)}\n"
            if entry["provisions"]:
                item += "\n    What each part that matters for this procedure does, and whether it is in force:\n\n"
                item += "".join(f"    {line}\n" for line in _provision_lines(entry))
            out.append(item)
        return "\n".join(out)
