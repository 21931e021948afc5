"""National phone numbers and web addresses (data/national-contacts.yml): the one place for them.

- `national(id)` renders one service as a sentence fragment: name, phone (a tel: link) and web
  address (a link). `contact(id)` in macros/site.py falls back to it for ids not in
  data/partnership.yml, so pages use `contact('childline')` whichever file holds the service.
- `national_number(id)` is the bare number ("999") for use inside a sentence or a flowchart.
- `national_link(id)` is the service's name linked to its web address.
- `national_table()` lists every service for the contacts page.
- An entry's `note` (what could not be confirmed, and when) is shown wherever the service is named.

Formats are checked at build: a phone number must be a UK number written in groups of digits
(3-digit emergency numbers, 116 xxx, or 0 followed by 7 to 10 digits); a web address must be https.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .data import DATA_DIR, DataError, find_entry, keyed_entries, md_text, require, require_date

NATIONAL_FILE = DATA_DIR / "national-contacts.yml"

SHORT_NUMBERS = {"999", "101", "111", "112"}
PHONE_RE = re.compile(r"^\d+( \d+)*$")
WEB_RE = re.compile(r"^https://[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(/[^\s]*)?$")
KNOWN_FIELDS = {"id", "name", "role", "phone", "hours", "web", "web_text", "checked", "who", "note"}


def valid_phone(number: str) -> bool:
    if not PHONE_RE.match(number):
        return False
    digits = number.replace(" ", "")
    return (
        digits in SHORT_NUMBERS
        or bool(re.fullmatch(r"116\d{3}", digits))
        or bool(re.fullmatch(r"0\d{7,10}", digits))
    )


def load_national(path: Path = NATIONAL_FILE) -> list[dict[str, Any]]:
    pairs = keyed_entries(path, KNOWN_FIELDS)
    for entry, where in pairs:
        require(entry, "name", str, where)
        require(entry, "role", str, where)
        require_date(entry, "checked", where)
        if "who" in entry:
            require(entry, "who", str, where)
        if not entry.get("phone") and not entry.get("web"):
            raise DataError(f"{where}: field 'phone' or 'web' is missing (a contact needs one)")
        phone = entry.get("phone")
        if phone is not None and (not isinstance(phone, str) or not valid_phone(phone)):
            raise DataError(
                f"{where}: field 'phone': {phone!r} is not a UK phone number like \"0800 1111\""
            )
        web = entry.get("web")
        if web is not None and (not isinstance(web, str) or not WEB_RE.match(web)):
            raise DataError(f"{where}: field 'web': {web!r} is not an https:// address")
    return [entry for entry, _where in pairs]


def tel(number: str) -> str:
    return f"[{number}](tel:{number.replace(' ', '')})"


def web_link(entry: dict) -> str:
    return f"[{md_text(entry.get('web_text') or entry['web'])}]({entry['web']})"


def markdown(entry: dict) -> str:
    """'**Childline**, [0800 1111](tel:08001111), [childline.org.uk](https://...)'."""
    parts = [f"**{md_text(entry['name'])}**"]
    if entry.get("phone"):
        parts.append(tel(entry["phone"]))
    if entry.get("web"):
        parts.append(web_link(entry))
    text = ", ".join(parts)
    return f"{text} ({md_text(entry['note'])})" if entry.get("note") else text


def register(env) -> None:
    entries = load_national()
    by_id = {e["id"]: e for e in entries}
    env.variables["national_contacts"] = by_id

    def find(cid: str) -> dict:
        return find_entry(by_id, cid, "national", NATIONAL_FILE)

    @env.macro
    def national(cid: str) -> str:
        return markdown(find(cid))

    @env.macro
    def national_number(cid: str) -> str:
        entry = find(cid)
        if not entry.get("phone"):
            raise DataError(
                f"national_number('{cid}'): data/national-contacts.yml: entry {cid!r} has no phone"
            )
        return entry["phone"]

    @env.macro
    def national_link(cid: str) -> str:
        entry = find(cid)
        if not entry.get("web"):
            raise DataError(
                f"national_link('{cid}'): data/national-contacts.yml: entry {cid!r} has no web address"
            )
        return f"[{md_text(entry['name'])}]({entry['web']})"

    @env.macro
    def national_table() -> str:
        rows = ["| Who | When to use it | Phone | Hours | Web |", "|---|---|---|---|---|"]
        for e in entries:
            phone = tel(e["phone"]) if e.get("phone") else ""
            web = web_link(e) if e.get("web") else ""
            role = f"{e['role']} (Note: {e['note']})" if e.get("note") else e["role"]
            rows.append(
                f"| {md_text(e['name'])} | {md_text(role)} | {phone} | {md_text(e.get('hours', ''))} | {web} |"
            )
        return "\n".join(rows)
