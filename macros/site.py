"""Local details of the partnership (data/partnership.yml): one place for names and numbers.

Makes them available to Markdown as `partnership` and to the theme as `config.extra.partnership`,
sets the site's title and description from them, and gives the macros `contact(id)`,
`contact_phone(id)`, `contacts_table()`, `next_review()`, `local_doc(id)`, `local_documents_table()`
and `credits()`.

- `CSE_PARTNERSHIP=path/to/partnership.yml` builds the site for another partnership's file
  (a path relative to the project, or absolute).
- `CSE_PUBLISH=1` (what `make publish` sets) makes the build fail while any example value is left,
  naming each one (see `example_values`), and lists every review date that has passed (local
  documents and the procedure itself, see `overdue_reviews`): a warning, or an error with
  `CSE_STRICT_REVIEW=1`.
- "Today", for review dates, is the build's date, or `SOURCE_DATE_EPOCH` when it is set (the
  reproducible-builds convention), so a build can be checked as of any day.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path
from typing import Any

from .data import (
    DATA_DIR,
    ROOT,
    DataError,
    display_name,
    load_yaml,
    md_text,
    require,
    require_date,
    require_https_url,
    require_phone,
    require_plain_text,
)
from .national import load_national
from .national import markdown as national_markdown

PARTNERSHIP_FILE = DATA_DIR / "partnership.yml"
PARTNERSHIP_ENV = "CSE_PARTNERSHIP"
PUBLISH_ENV = "CSE_PUBLISH"
STRICT_REVIEW_ENV = "CSE_STRICT_REVIEW"
EMAIL_PATTERN = re.compile(r"^[^@\s<>()\[\],;:\"]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$", re.I)
APP_NAME_LIMIT = 15  # the name under the icon on a phone's home screen: launchers cut longer ones
COMPLIANCE = ("fully compliant", "partially compliant", "not compliant")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")
# Ofcom keeps these UK number ranges for drama: no real person answers them. Digits only.
DRAMA_NUMBERS = ("01632960", "02079460", "01134960", "07700900", "08081570")
EXAMPLE_WORD = re.compile(r"example", re.I)


def partnership_file() -> Path:
    """data/partnership.yml, or the file named by CSE_PARTNERSHIP."""
    chosen = os.environ.get(PARTNERSHIP_ENV, "").strip()
    if not chosen:
        return PARTNERSHIP_FILE
    path = Path(chosen)
    return path if path.is_absolute() else ROOT / path


def load_partnership(path: Path | None = None, docs_dir: Path = ROOT / "docs") -> dict[str, Any]:
    path = path or partnership_file()
    name = display_name(path)
    data = load_yaml(path)
    for field in ("name", "short_name", "area", "site_title", "site_description"):
        require(data, field, str, name)
    app_name = require(data, "app_short_name", str, name)
    if len(app_name) > APP_NAME_LIMIT:
        raise DataError(
            f"{name}: field 'app_short_name': {app_name!r} is longer than {APP_NAME_LIMIT} "
            "characters (phones cut it under the icon)"
        )
    if "is_example" in data:
        require(data, "is_example", bool, name)
    # Whether the area is in the Home Office pilot of devolved NRM decisions for children.
    if not isinstance(data.get("nrm_devolved_pilot"), bool):
        raise DataError(
            f"{name}: field 'nrm_devolved_pilot' must be true or false "
            "(is the area in the Home Office pilot of devolved NRM decisions for children?)"
        )
    # Where the quick-exit button goes: another site, so never empty (it would reload this page).
    require_https_url(data, "quick_exit_url", name)
    require_date(data, "next_review", name)
    require_date(data, "last_review", name)
    emergency = require(data, "emergency", dict, name)
    require_phone(emergency, "number", f"{name}: emergency")
    require(emergency, "text", str, f"{name}: emergency")
    contact = require(data, "safeguarding_contact", dict, name)
    for field in ("name", "hours"):
        require(contact, field, str, f"{name}: safeguarding_contact")
    require_phone(contact, "phone", f"{name}: safeguarding_contact")
    for entry, where in _entries(data, "contacts", name, "contact"):
        require(entry, "role", str, where)
        if "who" in entry:
            require(entry, "who", str, where)
        if not entry.get("phone") and not entry.get("web"):
            raise DataError(f"{where}: field 'phone' or 'web' is missing (a contact needs one)")
        if "phone" in entry:
            require_phone(entry, "phone", where)
        if "web" in entry:
            require_https_url(entry, "web", where)
    procedures = require(data, "procedures_contact", dict, name)
    require(procedures, "name", str, f"{name}: procedures_contact")
    email = require(procedures, "email", str, f"{name}: procedures_contact")
    if not EMAIL_PATTERN.match(email):
        raise DataError(
            f"{name}: procedures_contact: field 'email': {email!r} is not an email address"
        )
    accessibility = require(data, "accessibility", dict, name)
    for field in ("prepared", "last_reviewed"):
        require_date(accessibility, field, f"{name}: accessibility")
    if require(accessibility, "compliance", str, f"{name}: accessibility") not in COMPLIANCE:
        raise DataError(
            f"{name}: accessibility: field 'compliance' must be one of: {', '.join(COMPLIANCE)}"
        )
    for index, issue in enumerate(accessibility.get("known_issues") or [], start=1):
        require(issue, "what", str, f"{name}: accessibility: known_issues entry {index}")
        require(issue, "why", str, f"{name}: accessibility: known_issues entry {index}")
    default_months = _months(data, "review_interval_months", name)
    for entry, where in _entries(data, "local_documents", name, "local document"):
        for field in ("title", "owner"):
            require(entry, field, str, where)
        require_https_url(entry, "link", where)
        entry["last_reviewed"] = require_date(entry, "last_reviewed", where)
        months = (
            _months(entry, "review_every_months", where)
            if "review_every_months" in entry
            else default_months
        )
        entry["review_due"] = add_months(entry["last_reviewed"], months)
    for entry, where in _entries(data, "credits", name, "credit", allow_empty=True):
        require(entry, "by", str, where)
        require(entry, "title", str, where)
        if "date" in entry:
            require(entry, "date", str, where)
        for index, drawn in enumerate(require(entry, "drawn", list, where), start=1):
            at = f"{where}: drawn entry {index}"
            page = require(drawn, "page", str, at)
            if not (docs_dir / page).is_file():
                raise DataError(f"{at}: field 'page': docs/{page} does not exist")
            require(drawn, "what", str, at)
    # Values are written straight into pages ({{ partnership.name }}): plain text only.
    require_plain_text({k: v for k, v in data.items() if k != "quick_exit_url"}, name)
    return data


def _months(entry: dict, field: str, where: str) -> int:
    months = require(entry, field, int, where)
    if isinstance(months, bool) or not 1 <= months <= 60:
        raise DataError(f"{where}: field '{field}' must be a whole number of months from 1 to 60")
    return months


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter: 31 Jan + 1 = 28 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def build_date() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def overdue_reviews(data: dict[str, Any], today: dt.date) -> list[str]:
    """Every review date that has passed, as one line each: local documents and the procedure."""
    late = []
    next_review = dt.date.fromisoformat(str(data["next_review"]))
    if next_review < today:
        late.append(f"the procedure itself: next_review {next_review.isoformat()} has passed")
    for entry in data["local_documents"]:
        if entry["review_due"] < today:
            late.append(
                f"local document '{entry['id']}' ({entry['title']}): last reviewed "
                f"{entry['last_reviewed'].isoformat()}, review was due {entry['review_due'].isoformat()}"
            )
    return late


def report_overdue(data: dict[str, Any], name: str, today: dt.date) -> None:
    """For a publishing build: warn about every passed review date, or fail with CSE_STRICT_REVIEW=1."""
    late = overdue_reviews(data, today)
    if not late:
        return
    lines = "\n".join(f"  - {item}" for item in late)
    if os.environ.get(STRICT_REVIEW_ENV, "").strip().lower() not in ("", "0", "false", "no"):
        raise DataError(
            f"{name}: {len(late)} review dates have passed (CSE_STRICT_REVIEW is set):\n{lines}"
        )
    print(f"WARNING - {name}: {len(late)} review dates have passed:\n{lines}", file=sys.stderr)


def _entries(data: dict, field: str, name: str, kind: str, allow_empty: bool = False):
    """(entry, 'file: kind 'id'') for each entry of a list of mappings with unique `id`s."""
    if allow_empty and data.get(field) == []:
        return
    seen: set[str] = set()
    for index, entry in enumerate(require(data, field, list, name), start=1):
        ident = require(entry, "id", str, f"{name}: {field} entry {index}")
        where = f"{name}: {kind} '{ident}'"
        if not ID_PATTERN.match(ident):
            raise DataError(f"{where}: field 'id' must be lower-case letters, digits, '_' or '-'")
        if ident in seen:
            raise DataError(f"{where}: field 'id' is used twice")
        seen.add(ident)
        if field == "contacts":
            require(entry, "name", str, where)
        yield entry, where


def example_values(data: dict[str, Any]) -> list[str]:
    """Every value that still belongs to the example partnership, as 'field: value' lines.

    Example values are: `is_example: true`, any text containing "example" (names, example.org
    links) and any phone number in Ofcom's drama ranges.
    """
    found = ["is_example: true"] if data.get("is_example") else []

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            for field, item in value.items():
                if field != "is_example":
                    walk(item, f"{where}.{field}" if where else field)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                label = item.get("id") if isinstance(item, dict) and "id" in item else index
                walk(item, f"{where}[{label}]")
        elif isinstance(value, str):
            digits = re.sub(r"\D", "", value)
            if EXAMPLE_WORD.search(value):
                found.append(f"{where}: {value!r}")
            elif where.endswith("phone") and digits.startswith(DRAMA_NUMBERS):
                found.append(f"{where}: {value!r} (a made-up number from Ofcom's drama range)")

    walk(data, "")
    return found


def check_publishable(data: dict[str, Any], name: str) -> None:
    """Fail a publishing build while any example value is left, naming each one."""
    left = example_values(data)
    if left:
        lines = "\n".join(f"  - {item}" for item in left)
        raise DataError(
            f"{name}: this is still the example partnership; replace these {len(left)} example values "
            f"(and set is_example: false) before publishing:\n{lines}"
        )


def publishing() -> bool:
    return os.environ.get(PUBLISH_ENV, "").strip().lower() not in ("", "0", "false", "no")


def _find(partnership: dict, cid: str) -> dict:
    for entry in partnership["contacts"]:
        if entry["id"] == cid:
            return entry
    known = ", ".join(e["id"] for e in partnership["contacts"])
    raise DataError(f"contact('{cid}'): no such contact in the partnership file (known: {known})")


def _find_document(partnership: dict, did: str) -> dict:
    for entry in partnership["local_documents"]:
        if entry["id"] == did:
            return entry
    known = ", ".join(e["id"] for e in partnership["local_documents"])
    raise DataError(
        f"local_doc('{did}'): no such local document in the partnership file (known: {known})"
    )


def phone_link(number: str) -> str:
    """A phone number as a Markdown tel: link (the number is checked at load: digits and spaces)."""
    return f"[{md_text(number)}](tel:{number.replace(' ', '')})"


def web_link(address: str) -> str:
    """An https: address as a Markdown link showing the address without https:// (checked at load)."""
    shown = address.removeprefix("https://").removeprefix("www.").rstrip("/")
    return f"[{md_text(shown)}]({address})"


def credit_lines(partnership: dict, page: str, source: str | None = None) -> list[str]:
    """What this page draws from other areas' published work, one sentence per item."""
    lines = []
    for credit in partnership.get("credits") or []:
        if source and credit["id"] != source:
            continue
        dated = f" ({credit['date']})" if credit.get("date") else ""
        for drawn in credit["drawn"]:
            if drawn["page"] == page:
                lines.append(
                    f"{drawn['what'][0].upper()}{drawn['what'][1:]}: drawn from {credit['by']}, "
                    f"*{credit['title']}*{dated}, another area's published document, not one of "
                    "this partnership's own."
                )
    return lines


def register(env) -> None:
    path = partnership_file()
    partnership = load_partnership(path, Path(env.conf["docs_dir"]))
    today = build_date()
    if publishing():
        check_publishable(partnership, display_name(path))
        report_overdue(partnership, display_name(path), today)
    env.variables["build_date"] = today
    env.variables["partnership"] = partnership
    env.conf["extra"]["partnership"] = partnership
    env.conf["site_name"] = partnership["site_title"]
    env.conf["site_description"] = partnership["site_description"]
    # The danger banner on every page gives the daytime and the out-of-hours number.
    env.conf["extra"]["banner_contacts"] = [
        _find(partnership, "hub"),
        _find(partnership, "out_of_hours"),
    ]

    national = {e["id"]: e for e in load_national()}

    @env.macro
    def contact(cid: str) -> str:
        """One contact as a sentence fragment: name, number (as a link) and web address.
        National services come from data/national-contacts.yml (macros/national.py)."""
        if cid in national and all(e["id"] != cid for e in partnership["contacts"]):
            return national_markdown(national[cid])
        entry = _find(partnership, cid)
        parts = [f"**{md_text(entry['name'])}**"]
        if entry.get("phone"):
            parts.append(phone_link(entry["phone"]))
        if entry.get("web"):
            parts.append(web_link(entry["web"]))
        return ", ".join(parts)

    @env.macro
    def who(cid: str) -> str:
        """One plain line saying who a service is (its `who` field), for families' pages, where
        names like "hub" or "CEOP" mean nothing on their own."""
        local = next((e for e in partnership["contacts"] if e["id"] == cid), None)
        entry = (
            local
            if local and local.get("who")
            else national.get(cid) or local or _find(partnership, cid)
        )
        # Optional: a partnership that writes no `who` for a contact gets no line.
        return md_text(entry.get("who") or "")

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
            web = web_link(e["web"]) if e.get("web") else ""
            rows.append(
                f"| {md_text(e['name'])} | {md_text(e['role'])} | {phone} | {md_text(e.get('hours', ''))} | {web} |"
            )
        return "\n".join(rows)

    env.macro(format_date, "format_date")

    @env.macro
    def nrm_decisions() -> str:
        """Who decides a child's National Referral Mechanism referral in this area (nrm_devolved_pilot)."""
        area = md_text(partnership["area"])
        if partnership["nrm_devolved_pilot"]:
            return (
                f"{area} is in the Home Office pilot of devolved decision-making for child victims of "
                "modern slavery: a local multi-agency panel makes the reasonable grounds and conclusive "
                "grounds decisions on a child's referral."
            )
        return (
            f"{area} is not in the Home Office pilot of devolved decision-making for child victims of "
            "modern slavery: the Home Office's Single Competent Authority makes the decisions on a "
            "child's referral."
        )

    @env.macro
    def next_review() -> str:
        """The procedure's next review date, with "(overdue)" once it has passed."""
        due = dt.date.fromisoformat(str(partnership["next_review"]))
        return format_date(due) + (" (overdue: this review date has passed)" if due < today else "")

    @env.macro
    def local_doc(did: str, text: str | None = None) -> str:
        """A link to one of the partnership's own documents; `text` is the link text (default: its title)."""
        entry = _find_document(partnership, did)
        return f"[{text or md_text(entry['title'])}]({entry['link']})"

    @env.macro
    def local_documents_table() -> str:
        return documents_table(partnership, today)

    @env.macro
    def credits(source: str | None = None) -> str:
        """Credit lines for the current page (only from `source`, a credit id, when given)."""
        lines = credit_lines(partnership, env.page.file.src_uri, source)
        return "\n".join(f"*Credit.* {line}\n" for line in lines)


def documents_table(partnership: dict[str, Any], today: dt.date) -> str:
    """The local documents as a Markdown table; a document past its review date says so."""
    rows = ["| Document | Owner | Last reviewed | Next review |", "|---|---|---|---|"]
    for e in partnership["local_documents"]:
        due = format_date(e["review_due"])
        due = f"**Overdue**: review was due {due}" if e["review_due"] < today else due
        rows.append(
            f"| [{md_text(e['title'])}]({e['link']}){{ #{e['id']} }} | {md_text(e['owner'])} | "
            f"{format_date(e['last_reviewed'])} | {due} |"
        )
    return "\n".join(rows)


def format_date(value: dt.date | str) -> str:
    """'1 May 2027': how dates read across the site."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def on_post_page_macros(env) -> None:
    """Render variables in a page's front-matter description (e.g. the partnership's name), which
    mkdocs-macros leaves as written; the page text itself is rendered already."""
    meta = env.page.meta
    if isinstance(meta.get("description"), str) and "{{" in meta["description"]:
        meta["description"] = env.env.from_string(meta["description"]).render(**env.variables)
