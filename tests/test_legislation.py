"""The legislation register (data/legislation.yml) and the citations on every page.

- Every Act and section a page cites, in its Markdown or on the built page, is in the register.
- The check really finds citations: a planted one makes it fail.
- A malformed register stops the build naming the file, the entry and the field.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from helpers import ROOT, changed_yaml, html_pages
from macros.data import DataError
from macros.legislation import cited_sections, load_legislation, unregistered

REGISTER = load_legislation()
MARKDOWN_PAGES = sorted((ROOT / "docs").rglob("*.md"))


def markdown_text(path: Path) -> str:
    """A page's Markdown without macro calls: those render from the register, so are checked there."""
    text = path.read_text(encoding="utf-8")
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", text, flags=re.S)


def page_text(html: str) -> str:
    """The built page's article as plain text, one block a line."""
    start = html.find('<article class="md-content__inner')
    end = html.find("</article>", start)
    article = html[start:end] if start >= 0 else ""
    article = re.sub(r"<(script|style)\b.*?</\1>", " ", article, flags=re.S)
    article = re.sub(r"</(p|li|dt|dd|h\d|td|th|tr|div)>", "\n\n", article)
    return unescape(re.sub(r"<[^>]+>", "", article))


@pytest.mark.parametrize(
    "path", MARKDOWN_PAGES, ids=lambda p: p.relative_to(ROOT / "docs").as_posix()
)
def test_markdown_cites_only_registered_law(path: Path) -> None:
    missing = unregistered(markdown_text(path), REGISTER)
    assert not missing, f"{path.relative_to(ROOT)} cites law not in data/legislation.yml: {missing}"


def test_built_pages_cite_only_registered_law(site_dir: Path) -> None:
    """Catches citations that arrive through data files and macros too (glossary, contacts...)."""
    problems = {}
    for rel in html_pages(site_dir):
        text = page_text((site_dir / rel / "index.html").read_text(encoding="utf-8"))
        missing = unregistered(text, REGISTER)
        if missing:
            problems[rel] = missing
    assert not problems, f"pages cite law not in data/legislation.yml: {problems}"


def test_legislation_chapter_renders_the_register(site_dir: Path) -> None:
    html = (site_dir / "procedure/09-legislation-disruption-prosecution/index.html").read_text(
        "utf-8"
    )
    text = " ".join(page_text(html).split())
    for entry in REGISTER:
        if "guidance" in entry["topics"] and entry["kind"] == "guidance":
            assert entry["name"] in text
    assert "Rape of a child under 13 (s5)" in text
    for entry in REGISTER:  # the chapter shows the whole register, each entry exactly once
        assert text.count(" ".join(entry["does"].split())) == 1, entry["id"]
    assert "In force: not confirmed. Checked 23 November 2026" in text
    html = (site_dir / "guidance/disruption/index.html").read_text("utf-8")
    disruption = " ".join(page_text(html).split())
    assert "Children Act 1989, section 49 (Abduction of children in care etc.)" in disruption


# --- the check finds what it should -------------------------------------------------------------


@pytest.mark.parametrize(
    ("planted", "expected"),
    [
        ("Use section 99 of the Children Act 1989.", ["Children Act 1989 s99"]),
        ("Children Act 1989, section 23.", ["Children Act 1989 s23"]),
        ("The Made Up Act 2020 applies.", ["Made Up Act 2020"]),
        (
            "Under the Sexual Offences Act 2003 (ss60-61) ...",
            ["Sexual Offences Act 2003 s60", "Sexual Offences Act 2003 s61"],
        ),
        ("Modern Slavery Act 2015 s44", ["Modern Slavery Act 2015 s44"]),
    ],
)
def test_planted_citation_is_caught(planted: str, expected: list[str]) -> None:
    assert unregistered(planted, REGISTER) == expected


def test_planted_citation_in_a_real_page_fails() -> None:
    page = markdown_text(ROOT / "docs" / "guidance" / "disruption.md")
    assert unregistered(page, REGISTER) == []
    planted = page + "\nOfficers may also use section 8 of the Child Abduction Act 1984.\n"
    assert unregistered(planted, REGISTER) == ["Child Abduction Act 1984 s8"]


def test_registered_citations_pass_in_every_form() -> None:
    text = (
        "Sexual Offences Act 2003, sections 5 to 8; ss47-50 of the Sexual Offences Act 2003; "
        "s103A of the Sexual Offences Act 2003.\n"
        "Children Act 1989 (sections 17 and 47), then (section 49) on the next line.\n\n"
        "Source: North East Lincolnshire strategy, section 12 (credit lines are not citations).\n\n"
        "Credit. The roles of agencies (section 5): drawn from another area's strategy."
    )
    assert unregistered(text, REGISTER) == []
    assert (("Children Act 1989",), "49") in cited_sections(text)
    assert (("Sexual Offences Act 2003",), "6") in cited_sections(text)


def test_a_section_without_its_act_must_match_an_act_named_earlier() -> None:
    page = "The Children Act 1989 applies.\n\nA care order (section 31) needs both limbs.\n\nSee section 99."
    assert unregistered(page, REGISTER) == ["Children Act 1989 s99"]
    wrapped = "Under the Children's Wellbeing and Schools\nAct 2026, section 77 applies."
    assert unregistered(wrapped, REGISTER) == ["Children's Wellbeing and Schools Act 2026 s77"]


# --- a malformed register fails naming file, entry and field -----------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e[0].pop("source"), r"entry 1 \('ca1989-s17'\): field 'source' is missing"),
        (
            lambda e: e[0].update(checked="23/11/2026"),
            r"entry 1 \('ca1989-s17'\): field 'checked': .* is not a date",
        ),
        (
            lambda e: e[1].update(status="maybe"),
            r"entry 2 \('ca1989-s20'\): field 'status': 'maybe' is not one of",
        ),
        (lambda e: e[1].update(sections="s20"), r"entry 2 \('ca1989-s20'\): field 'sections'"),
        (
            lambda e: e[2].update(source="https://example.com/law"),
            r"field 'source': .* is not a legislation.gov.uk",
        ),
        (lambda e: e[3].update(status="not confirmed"), r"entry 4 .*: field 'note' is missing"),
        (lambda e: e.append(dict(e[0])), r"field 'id' repeats an earlier entry"),
        (
            lambda e: e[0].update(topics=["everything"]),
            r"field 'topics': 'everything' is not one of",
        ),
    ],
)
def test_malformed_register_names_file_entry_and_field(tmp_path, change, message) -> None:
    path = changed_yaml(ROOT / "data" / "legislation.yml", tmp_path, change)
    with pytest.raises(DataError, match=message):
        load_legislation(path)


# --- register text renders literally -------------------------------------------------------------


class _Env:
    """The little of mkdocs-macros' env that register() uses."""

    def __init__(self) -> None:
        self.variables: dict = {}
        self.macros: dict = {}

    def macro(self, function):
        self.macros[function.__name__] = function
        return function


def test_register_text_with_markup_renders_literally(monkeypatch) -> None:
    """A note, summary or heading holding Markdown or HTML shows as typed: no tag, link or emphasis."""
    import markdown

    import macros.legislation as legislation

    plain = "*not bold* <b>x</b> [a link](https://example.com) `code` __under__ {: #id } & #"
    entries = [dict(entry) for entry in REGISTER]
    entries[0].update(note=plain, does=plain, name=plain)
    monkeypatch.setattr(legislation, "load_legislation", lambda: entries)
    env = _Env()
    legislation.register(env)
    for rendered in (
        env.macros["law_note"](entries[0]["id"]),
        env.macros["legislation_list"]("protection"),
    ):
        html = markdown.markdown(rendered, extensions=["def_list", "attr_list", "tables"])
        assert (
            "<b>" not in html
            and "<em>not bold" not in html
            and "<strong>" not in html
            and "<code>" not in html
        )
        assert 'href="https://example.com"' not in html and 'id="id"' not in html
        assert plain in unescape(re.sub(r"<[^>]+>", "", html))


# --- an entry not confirmed in force shows its status wherever it is cited -----------------------

NOT_CONFIRMED = [e for e in REGISTER if e["status"] == "not confirmed"]
STATUS_WORDS = re.compile(
    r"not confirmed|could not be confirmed|confirmed in force|in force from", re.I
)
# A citation's status may follow it within the next two blocks: the legislation list puts the Act
# in a <dt>, what it does in one <p> and its status in the next.
STATUS_REACH = 3


def _cites_entry(block: str, entry: dict) -> bool:
    for acts, section in cited_sections(block):
        if entry["act"] not in acts:
            continue
        if not entry["sections"]:
            return True
        first, _, last = entry["sections"].partition("-")
        if section in _sections_of(first, last or first):
            return True
    return False


def _sections_of(first: str, last: str) -> set[str]:
    if not (first.isdigit() and last.isdigit()):
        return {first, last}
    return {str(n) for n in range(int(first), int(last) + 1)}


def status_missing(text: str, entries: list[dict]) -> list[str]:
    """Blocks of a page that cite a not-confirmed entry with no status in reach, as 'id: block'."""
    blocks = [b for b in (" ".join(part.split()) for part in text.split("\n\n")) if b]
    missing = []
    for index, block in enumerate(blocks):
        reach = " ".join(blocks[index : index + STATUS_REACH])
        for entry in entries:
            if _cites_entry(block, entry) and not STATUS_WORDS.search(reach):
                missing.append(f"{entry['id']}: {block[:90]}")
    return missing


def test_every_citation_of_an_entry_not_confirmed_in_force_shows_its_status(site_dir: Path) -> None:
    """On every built page (the glossary included), wherever an Act or section whose entry is not
    confirmed in force is cited, its status is shown with it."""
    assert NOT_CONFIRMED, (
        "the register has no entry that is not confirmed: this test checks nothing"
    )
    problems = {}
    for rel in html_pages(site_dir):
        text = page_text((site_dir / rel / "index.html").read_text(encoding="utf-8"))
        missing = status_missing(text, NOT_CONFIRMED)
        if missing:
            problems[rel] = missing
    assert not problems, f"not-confirmed law cited without its status: {problems}"
    glossary = " ".join(
        page_text((site_dir / "glossary/index.html").read_text(encoding="utf-8")).split()
    )
    assert "Crime and Policing Act 2026 (in force: not confirmed, checked" in glossary


def test_hover_text_names_no_unconfirmed_law_without_its_status(site_dir: Path) -> None:
    """The abbreviations expanded on hover on every page (glossary terms) carry no law whose
    status would be hidden."""
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    titles = [unescape(t) for t in re.findall(r'<abbr title="([^"]*)"', html)]
    assert titles, "no hover expansions found on the home page"
    assert [t for t in titles if status_missing(t, NOT_CONFIRMED)] == []


@pytest.mark.parametrize(
    "planted",
    [
        "The Crime and Policing Act 2026 makes child criminal exploitation an offence.",
        "Ask whether a guardian is available (Modern Slavery Act 2015, section 48).",
        "Schools are now safeguarding partners (section 2 of the Children's Wellbeing and Schools Act 2026).",
    ],
)
def test_a_citation_without_its_status_is_caught(planted: str) -> None:
    assert status_missing(planted, NOT_CONFIRMED)
    assert not status_missing(
        planted + " In force: not confirmed, checked 2 December 2026.", NOT_CONFIRMED
    )


def test_an_entry_in_force_needs_no_status() -> None:
    assert status_missing("Children Act 1989, section 47, applies.", NOT_CONFIRMED) == []


# --- the 2026 Acts' provisions ------------------------------------------------------------------


def test_the_2026_acts_list_each_provision_that_matters_with_a_status(site_dir: Path) -> None:
    by_id = {e["id"]: e for e in REGISTER}
    wanted = {
        "cpa2026-cce": {
            "cce-offence",
            "cce-orders",
            "cuckooing",
            "duty-to-report",
            "grooming-aggravation",
            "image-offences",
            "respect-orders",
        },
        "cwsa2026": {"child-protection-teams", "information-sharing", "education-in-arrangements"},
    }
    chapter = " ".join(
        page_text(
            (site_dir / "procedure/09-legislation-disruption-prosecution/index.html").read_text(
                "utf-8"
            )
        ).split()
    )
    for lid, provisions in wanted.items():
        items = {p["id"]: p for p in by_id[lid]["provisions"]}
        assert provisions <= set(items), lid
        for item in items.values():
            assert f"{' '.join(item['provision'].split())}: in force" in chapter, item["id"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda p: p.update(status="in force"),
            r"provisions entry 1 \('cce-offence'\): field 'commenced' is missing",
        ),
        (lambda p: p.update(status="maybe"), r"field 'status': 'maybe' is not one of"),
        (lambda p: p.pop("note"), r"provisions entry 1 .*field 'note' is missing"),
        (lambda p: p.update(source="https://example.com/"), r"provisions entry 1 .*field 'source'"),
        (
            lambda p: p.update(commenced="2026-06-29"),
            r"field 'commenced' is only for a provision in force",
        ),
        (lambda p: p.update(checked="soon"), r"field 'checked': 'soon' is not a date"),
    ],
)
def test_a_malformed_provision_names_file_entry_and_field(tmp_path, change, message) -> None:
    def broken(entries: list) -> None:
        entry = next(e for e in entries if e["id"] == "cpa2026-cce")
        change(entry["provisions"][0])

    path = changed_yaml(ROOT / "data" / "legislation.yml", tmp_path, broken)
    with pytest.raises(DataError, match=message):
        load_legislation(path)
