"""National phone numbers and web addresses come from one data file, in a checked format.

- data/national-contacts.yml is the only place a national number or address is written: no
  page's Markdown and no other data file repeats one by hand.
- Every phone link on the built site dials a number from that file or the partnership's own file.
- A malformed number or address stops the build naming the file, the entry and the field.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, changed_yaml, html_pages
from macros.data import DataError
from macros.national import load_national, valid_phone

NATIONAL = load_national()
PARTNERSHIP = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text(encoding="utf-8"))
MARKDOWN_PAGES = sorted((ROOT / "docs").rglob("*.md"))


def markdown_text(path: Path) -> str:
    """A page's Markdown without macro calls (those render from the data files)."""
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", path.read_text(encoding="utf-8"), flags=re.S)


def national_patterns() -> list[tuple[str, re.Pattern]]:
    """(what, pattern) for every national number and web address, however it is spaced."""
    patterns = []
    for entry in NATIONAL:
        if entry.get("phone"):
            digits = entry["phone"].replace(" ", "")
            spaced = r" ?".join(digits)
            patterns.append((entry["phone"], re.compile(rf"(?<![\d/.-]){spaced}(?![\d/-])")))
        if entry.get("web"):
            host = re.sub(r"^https://(www\.)?", "", entry["web"]).split("/")[0]
            patterns.append((host, re.compile(re.escape(host), re.I)))
    return patterns


PATTERNS = national_patterns()


@pytest.mark.parametrize(
    "path", MARKDOWN_PAGES, ids=lambda p: p.relative_to(ROOT / "docs").as_posix()
)
def test_no_page_writes_a_national_number_by_hand(path: Path) -> None:
    text = markdown_text(path)
    found = [what for what, pattern in PATTERNS if pattern.search(text)]
    assert not found, (
        f"{path.relative_to(ROOT)} writes {found} by hand: use contact()/national_number()"
    )


def test_the_check_finds_a_hand_written_number() -> None:
    planted = "Ring Childline on 0800 1111 or see childline.org.uk, or call 999."
    found = [what for what, pattern in PATTERNS if pattern.search(planted)]
    assert "0800 1111" in found and "childline.org.uk" in found and "999" in found
    assert not [what for what, pattern in PATTERNS if pattern.search("Review within 1999 days")]


def test_partnership_file_holds_no_national_service() -> None:
    national_numbers = {e["phone"].replace(" ", "") for e in NATIONAL if e.get("phone")}
    for contact in PARTNERSHIP["contacts"]:
        if contact.get("local"):
            continue  # the partnership's own services may route through 101
        assert contact["id"] not in {e["id"] for e in NATIONAL}, contact["id"]
        assert str(contact.get("phone", "")).replace(" ", "") not in national_numbers, contact["id"]


def test_partnership_emergency_number_matches_the_national_file() -> None:
    """The banner's number lives in partnership.yml (emergency.number); it must not drift."""
    emergency = next(e for e in NATIONAL if e["id"] == "police_emergency")
    assert PARTNERSHIP["emergency"]["number"] == emergency["phone"]


def test_every_phone_link_comes_from_a_data_file(site_dir: Path) -> None:
    known = {e["phone"].replace(" ", "") for e in NATIONAL if e.get("phone")}
    known |= {str(c["phone"]).replace(" ", "") for c in PARTNERSHIP["contacts"] if c.get("phone")}
    known.add(PARTNERSHIP["safeguarding_contact"]["phone"].replace(" ", ""))
    strays = {}
    for rel in html_pages(site_dir):
        html = (site_dir / rel / "index.html").read_text(encoding="utf-8")
        numbers = set(re.findall(r'href="tel:([^"]+)"', html)) - known
        if numbers:
            strays[rel] = sorted(numbers)
    assert not strays, f"phone links not from a data file: {strays}"


def test_report_remove_missing_people_and_stop_it_now_are_links(site_dir: Path) -> None:
    html = (site_dir / "parents" / "support" / "index.html").read_text(encoding="utf-8")
    for cid in ("report_remove", "missing_people", "stop_it_now"):
        entry = next(e for e in NATIONAL if e["id"] == cid)
        assert f'href="{entry["web"]}"' in html, cid
    assert 'href="tel:116000"' in html


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("999", True),
        ("116 000", True),
        ("0800 1111", True),
        ("0808 800 5000", True),
        ("0113 240 3040", True),
        ("0800-1111", False),
        ("+44 800 1111", False),
        ("12345", False),
        ("0800 11", False),
        ("", False),
    ],
)
def test_phone_format(number: str, ok: bool) -> None:
    assert valid_phone(number) is ok


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda e: e[3].update(phone="0800-1111"),
            r"entry 4 \('childline'\): field 'phone': '0800-1111' is not a UK phone number",
        ),
        (
            lambda e: e[3].update(web="http://www.childline.org.uk/"),
            r"entry 4 \('childline'\): field 'web': .* is not an https:// address",
        ),
        (
            lambda e: e[4].pop("web"),
            r"entry 5 \('report_remove'\): field 'phone' or 'web' is missing",
        ),
        (lambda e: e[0].pop("role"), r"entry 1 \('police_emergency'\): field 'role' is missing"),
        (lambda e: e.append(dict(e[0])), r"field 'id' repeats an earlier entry"),
    ],
)
def test_malformed_file_names_file_entry_and_field(tmp_path, change, message) -> None:
    with pytest.raises(DataError, match=message):
        load_national(changed_yaml(ROOT / "data" / "national-contacts.yml", tmp_path, change))


def test_contact_text_with_markup_renders_literally() -> None:
    """A name, role, hours or link text holding Markdown or HTML shows as typed, never as markup."""
    import markdown as md

    from macros.national import markdown as contact_markdown

    hostile = {
        "name": "*Help* <b>line</b>",
        "phone": "0800 1111",
        "web": "https://example.org/",
        "web_text": "[click](https://evil.example/)",
    }
    html = md.markdown(contact_markdown(hostile))
    assert "<b>" not in html and "<em>" not in html
    assert 'href="https://evil.example/"' not in html
    assert "*Help* &lt;b&gt;line&lt;/b&gt;" in html
