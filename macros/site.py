"""Local details of the partnership (data/partnership.yml): one place for names and numbers.

Makes them available to Markdown as `partnership` and to the theme as `config.extra.partnership`,
and gives the macros `contact(id)`, `contact_phone(id)` and `contacts_table()`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .data import DATA_DIR, DataError, display_name, load_yaml, require, require_date

PARTNERSHIP_FILE = DATA_DIR / "partnership.yml"


def load_partnership(path=PARTNERSHIP_FILE) -> dict[str, Any]:
    name = display_name(path)
    data = load_yaml(path)
    for field in ("name", "short_name", "area"):
        require(data, field, str, name)
    require_date(data, "next_review", name)
    emergency = require(data, "emergency", dict, name)
    require(emergency, "number", str, f"{name}: emergency")
    require(emergency, "text", str, f"{name}: emergency")
    contact = require(data, "safeguarding_contact", dict, name)
    for field in ("name", "phone", "hours"):
        require(contact, field, str, f"{name}: safeguarding_contact")
    seen: set[str] = set()
    for index, entry in enumerate(require(data, "contacts", list, name), start=1):
        where = f"{name}: contacts entry {index}"
        cid = require(entry, "id", str, where)
        where = f"{name}: contact '{cid}'"
        if cid in seen:
            raise DataError(f"{where}: field 'id' is used twice")
        seen.add(cid)
        require(entry, "name", str, where)
        require(entry, "role", str, where)
        if not entry.get("phone") and not entry.get("web"):
            raise DataError(f"{where}: field 'phone' or 'web' is missing (a contact needs one)")
    return data


def _find(partnership: dict, cid: str) -> dict:
    for entry in partnership["contacts"]:
        if entry["id"] == cid:
            return entry
    known = ", ".join(e["id"] for e in partnership["contacts"])
    raise DataError(f"contact('{cid}'): no such contact in data/partnership.yml (known: {known})")


def phone_link(number: str) -> str:
    return f'<a href="tel:{number.replace(" ", "")}">{number}</a>'


def register(env) -> None:
    partnership = load_partnership()
    env.variables["partnership"] = partnership
    env.conf["extra"]["partnership"] = partnership

    @env.macro
    def contact(cid: str) -> str:
        """One contact as a sentence fragment: name, number (as a link) and web address."""
        entry = _find(partnership, cid)
        parts = [f"**{entry['name']}**"]
        if entry.get("phone"):
            parts.append(phone_link(entry["phone"]))
        if entry.get("web"):
            parts.append(entry["web"])
        return ", ".join(parts)

    @env.macro
    def contact_phone(cid: str) -> str:
        return _find(partnership, cid).get("phone", "")

    @env.macro
    def contacts_table(ids: list[str] | None = None) -> str:
        """A Markdown table of contacts (all of them, or the ids given, in that order)."""
        entries = [_find(partnership, cid) for cid in ids] if ids else partnership["contacts"]
        rows = ["| Who | When to use it | Phone | Hours | Web |", "|---|---|---|---|---|"]
        for e in entries:
            phone = phone_link(e["phone"]) if e.get("phone") else ""
            rows.append(
                f"| {e['name']} | {e['role']} | {phone} | {e.get('hours', '')} | {e.get('web', '')} |"
            )
        return "\n".join(rows)

    @env.macro
    def next_review() -> str:
        return format_date(partnership["next_review"])


def format_date(value: dt.date | str) -> str:
    """'1 May 2027': how dates read across the site."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"
