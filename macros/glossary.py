"""The glossary (data/glossary.yml): one list of abbreviations and terms.

- `glossary()` renders the glossary page.
- An entry may name the law behind it (`law: [ids]` from data/legislation.yml); the glossary then
  links to that Act and section, so the glossary and the legislation register never disagree, and
  shows the register's status beside any law not confirmed in force.
- Every page gets the abbreviations appended as Markdown `abbr` definitions, so each one is
  expanded on hover (Material's abbreviation tooltips) wherever it appears.
"""

from __future__ import annotations

import re

from .data import DATA_DIR, DataError, display_name, load_yaml, md_text, require
from .legislation import citation, entry_status

GLOSSARY_FILE = DATA_DIR / "glossary.yml"


def load_glossary(path=GLOSSARY_FILE) -> list[dict]:
    name = display_name(path)
    data = load_yaml(path)
    entries = require({"terms": data}, "terms", list, name)
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        term = require(entry, "term", str, f"{name}: entry {index}")
        where = f"{name}: entry {index} ({term!r})"
        require(entry, "meaning", str, where)
        law = entry.get("law", [])
        if not isinstance(law, list) or not all(isinstance(x, str) for x in law):
            raise DataError(f"{where}: field 'law' must be a list of ids from data/legislation.yml")
        abbr = entry.get("abbr")
        if abbr is not None and not isinstance(abbr, str):
            raise DataError(f"{where}: field 'abbr' must be text")
        # Abbreviations become Markdown `*[ABBR]: term` lines on every page.
        if abbr is not None and not re.fullmatch(r"[A-Za-z0-9&'./ -]+", abbr):
            raise DataError(
                f"{where}: field 'abbr': {abbr!r} must be letters, digits, spaces and & ' . / - only"
            )
        if "\n" in term or "]" in term:
            raise DataError(f"{where}: field 'term' must be one line of text without ']'")
        key = (abbr or term).lower()
        if key in seen:
            raise DataError(
                f"{where}: field '{'abbr' if abbr else 'term'}' repeats an earlier entry"
            )
        seen.add(key)
    return sorted(entries, key=lambda e: (e.get("abbr") or e["term"]).lower())


def abbreviation_lines(entries: list[dict]) -> str:
    return "\n".join(f"*[{e['abbr']}]: {e['term']}" for e in entries if e.get("abbr"))


def check_law(entries: list[dict], legislation: list[dict], path=GLOSSARY_FILE) -> None:
    """Every `law` id a glossary entry names must be in the legislation register."""
    known = {e["id"] for e in legislation}
    for entry in entries:
        for lid in entry.get("law", []):
            if lid not in known:
                raise DataError(
                    f"{display_name(path)}: entry {entry['term']!r}: field 'law': {lid!r} "
                    "is not an id in data/legislation.yml"
                )


def _law_link(law: dict) -> str:
    """A glossary entry's law, with the register's status when it is not confirmed in force."""
    link = f"[{md_text(citation(law))}]({law['source']})"
    status = entry_status(law)
    return f"{link} ({md_text(status)})" if status else link


def register(env) -> None:
    entries = load_glossary()
    legislation = {e["id"]: e for e in env.variables["legislation"]}
    check_law(entries, list(legislation.values()))
    env.variables["glossary_entries"] = entries
    footer = "\n\n" + abbreviation_lines(entries) + "\n"

    @env.macro
    def glossary() -> str:
        """The glossary, one heading per term (abbreviations first-letter sorted)."""
        out = []
        for e in entries:
            title = f"{e['abbr']} ({e['term']})" if e.get("abbr") else e["term"]
            anchor = re.sub(
                r"[^a-z0-9-]+", "-", (e.get("abbr") or e["term"]).lower().replace(" ", "-")
            ).strip("-")
            meaning = md_text(" ".join(e["meaning"].split()))
            laws = [legislation[lid] for lid in e.get("law", [])]
            if laws:
                links = "; ".join(_law_link(law) for law in laws)
                meaning += f" Law: {links}."
            # A heading per term: search indexes each heading as its own section, so "what is a
            # strategy discussion" finds the definition itself and opens the page at it.
            out.append(f"## {md_text(title)} {{ #{anchor} }}\n\n{meaning}\n")
        return "\n".join(out)

    env.variables["_abbreviation_footer"] = footer


def on_post_page_macros(env) -> None:
    env.markdown += env.variables["_abbreviation_footer"]
