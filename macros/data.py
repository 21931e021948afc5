"""Loading and checking the data files under data/.

Every error names the file and the field, e.g.
    data/amendments.yml: entry 3 ("New chapter"): field 'date': '2025-13-01' is not a date (YYYY-MM-DD)
and is raised as mkdocs' PluginError, so `mkdocs build` stops with that one line.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text, so a bad date is reported with its entry and field
    by `require_date` instead of crashing inside the YAML parser."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class DataError(PluginError):
    """A data file is malformed. The message names the file and the field."""


def load_yaml(path: Path) -> Any:
    """Read one YAML file, failing with its name when it cannot be read or parsed."""
    name = display_name(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{name}: cannot be read ({exc.strerror})") from exc
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise DataError(f"{name}: is not valid YAML ({_first_line(exc)})") from exc


def display_name(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def _first_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def require(entry: Any, field: str, kind: type | tuple[type, ...], where: str) -> Any:
    """Return entry[field], failing with `where: field 'x': ...` when missing, empty or mistyped."""
    if not isinstance(entry, dict):
        raise DataError(f"{where}: must be a mapping of fields, not {type(entry).__name__}")
    if field not in entry or entry[field] is None or entry[field] == "":
        raise DataError(f"{where}: field '{field}' is missing")
    value = entry[field]
    if not isinstance(value, kind):
        wanted = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise DataError(f"{where}: field '{field}' must be {wanted}, not {type(value).__name__}")
    return value


def require_date(entry: dict, field: str, where: str) -> dt.date:
    """A YYYY-MM-DD date. YAML reads unquoted dates as dates; quoted ones are parsed here."""
    value = require(entry, field, (dt.date, str), where)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DataError(f"{where}: field '{field}': {value!r} is not a date (YYYY-MM-DD)") from None


def require_choice(entry: dict, field: str, choices: tuple[str, ...], where: str) -> str:
    value = require(entry, field, str, where)
    if value not in choices:
        raise DataError(f"{where}: field '{field}': {value!r} is not one of {', '.join(choices)}")
    return value


# --- values that reach pages ----------------------------------------------------------------------

# An absolute https: address with a host, and no character that could leave an attribute or a
# Markdown link (quotes, angle brackets, brackets, spaces, backslashes).
_URL_UNSAFE = re.compile(r"[\s\"'<>()\[\]{}`\\^|]")
# A UK or international phone number as people write it: digits in groups, an optional leading +.
PHONE = re.compile(r"^\+?[0-9]+(?: [0-9]+)*$")


def require_https_url(entry: dict, field: str, where: str) -> str:
    """entry[field] as an absolute https: address (e.g. https://www.nspcc.org.uk/)."""
    value = require(entry, field, str, where)
    parts = urlsplit(value)
    if (
        parts.scheme != "https"
        or not parts.netloc
        or "." not in parts.netloc
        or _URL_UNSAFE.search(value)
    ):
        raise DataError(
            f"{where}: field '{field}': {value!r} must be a full https:// address "
            "(like https://www.example.org/page), with no spaces or quotes"
        )
    return value


def require_phone(entry: dict, field: str, where: str) -> str:
    """entry[field] as a phone number: 3 to 15 digits in groups, optionally starting with +."""
    value = require(entry, field, str, where)
    digits = value.replace(" ", "").lstrip("+")
    if not PHONE.match(value) or not 3 <= len(digits) <= 15:
        raise DataError(
            f"{where}: field '{field}': {value!r} does not look like a phone number "
            "(digits in groups, like 0800 1111 or 999)"
        )
    return value


# Characters that would turn a value into markup where Markdown shows it.
_MARKUP = re.compile(r"[<>\[\]{}`]")


def require_plain_text(data: Any, where: str) -> None:
    """Every text value in data (nested) is plain text: no HTML and no Markdown link or attribute
    syntax, because values such as {{ partnership.name }} are written straight into pages.
    Errors read like `data/partnership.yml: contacts entry 4: field 'role': ...`."""

    def walk(value: Any, prefix: str, field: str | None) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, prefix, key if field is None else f"{field}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value, start=1):
                walk(item, f"{prefix}: {field} entry {index}", None)
        elif isinstance(value, str) and (found := _MARKUP.search(value)):
            bad = found.group()
            raise DataError(
                f"{prefix}: field '{field}': {value[:60]!r} contains {bad!r}; "
                "write plain text (no HTML or Markdown links)"
            )

    walk(data, where, None)


# Markdown's own syntax characters (Python-Markdown backslash escapes, the tables' pipe included).
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()#+!|])")


def html_text(value: Any) -> str:
    """A data value as text where the reader of the output treats it as HTML: an RSS item's title
    and description (feed readers show them as HTML, so the XML writer's own escaping is not
    enough) and the search index's tags (Material's search shows them as HTML)."""
    return html.escape(str(value), quote=True)


def md_text(value: Any) -> str:
    """A data value as plain text inside Markdown a macro returns: HTML escaped, and Markdown's
    syntax characters escaped, so a value can never become markup, a link or an attribute."""
    return _MARKDOWN_SYNTAX.sub(r"\\\1", html.escape(str(value), quote=True))


def keyed_entries(path: Path, known_fields: set[str]) -> list[tuple[dict, str]]:
    """A YAML file holding a list of entries, each with a unique `id` and only known fields.

    Returns (entry, where) pairs; `where` names the file, the entry's number and its id, e.g.
    "data/legislation.yml: entry 4 ('ca1989-s31')", for the caller's own field checks."""
    name = display_name(path)
    entries = require({"entries": load_yaml(path)}, "entries", list, name)
    seen: set[str] = set()
    checked = []
    for index, entry in enumerate(entries, start=1):
        ident = require(entry, "id", str, f"{name}: entry {index}")
        where = f"{name}: entry {index} ({ident!r})"
        if ident in seen:
            raise DataError(f"{where}: field 'id' repeats an earlier entry")
        seen.add(ident)
        unknown = set(entry) - known_fields
        if unknown:
            raise DataError(f"{where}: field '{sorted(unknown)[0]}' is not a known field")
        checked.append((entry, where))
    return checked


def find_entry(by_id: dict[str, dict], ident: str, caller: str, path: Path) -> dict:
    """by_id[ident], or a DataError naming the macro call and the data file."""
    if ident not in by_id:
        known = ", ".join(by_id)
        raise DataError(
            f"{caller}('{ident}'): no such entry in {display_name(path)} (known: {known})"
        )
    return by_id[ident]
