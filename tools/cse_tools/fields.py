"""Reading fields from plain data, with messages that name the field: the one set of readers.

- `Place` reads a tool definition or the categories (parsed YAML or the bundled JSON); its errors
  are DefinitionErrors naming the file, the place and the field (schema, bank).
- `file_*` read a saved file (files); their errors are FileFormatErrors with a technical and a
  plain message.
- `describe`, `shown`, `show_input` and `show_file_value` say what a value is in a message: a
  definition error describes its kind ("a list", "text ('x')"), an input error echoes the value as
  the command line shows it ('x', null, true), a file error echoes it as JSON, cut short.
No I/O.
"""

from __future__ import annotations

import json
import re
from typing import Any, Mapping

from .errors import DefinitionError, FileFormatError

TOOL_ID = re.compile(r"^[a-z][a-z0-9-]*$")
ITEM_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_MISSING = object()


class Place:
    """Where we are in a definition, to build error messages."""

    def __init__(self, source: str, where: str = "") -> None:
        self.source = source
        self.where = where

    def at(self, where: str) -> "Place":
        return Place(self.source, where)

    def fail(self, field: str | None, problem: str) -> DefinitionError:
        parts = [self.source]
        if self.where:
            parts.append(self.where)
        parts.append(f"field '{field}' {problem}" if field else problem)
        return DefinitionError(": ".join(parts))

    # -- typed getters ---------------------------------------------------------------------

    def mapping(self, data: Any, allowed: tuple[str, ...], what: str = "") -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(
                None, f"{what or 'this entry'} must be a mapping (key: value), not {describe(data)}"
            )
        for key in data:
            if key not in allowed:
                hint = (
                    " (YAML reads yes/no/on/off as true/false: quote it)"
                    if isinstance(key, bool)
                    else ""
                )
                raise self.fail(
                    str(key), f"is not a known field (expected one of {', '.join(allowed)}){hint}"
                )
        return data

    def text(
        self, data: Mapping[str, Any], key: str, *, required: bool = True, default: str = ""
    ) -> str:
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.fail(key, "is missing")
            return default
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be non-empty text, not {describe(value)}")
        return value.strip()

    def whole(
        self,
        data: Mapping[str, Any],
        key: str,
        *,
        minimum: int = 0,
        maximum: int | None = None,
        required: bool = True,
        default: int = 0,
    ) -> int:
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.fail(key, "is missing")
            return default
        bound = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be a whole number {bound}")
        if value < minimum or (maximum is not None and value > maximum):
            raise self.fail(key, f"must be a whole number {bound}")
        return value

    def flag(self, data: Mapping[str, Any], key: str, default: bool = False) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, not {describe(value)}")
        return value

    def items(self, data: Mapping[str, Any], key: str, *, required: bool = True) -> list[Any]:
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.fail(key, "is missing")
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list, not {describe(value)}")
        if required and not value:
            raise self.fail(key, "must not be empty")
        return value

    def texts(self, raw: Mapping[str, Any], key: str) -> tuple[str, ...]:
        """A non-empty list of non-empty texts."""
        items = self.items(raw, key)
        for item in items:
            if not isinstance(item, str) or not item.strip():
                raise self.fail(key, f"must be a list of non-empty texts, not {describe(item)}")
        return tuple(item.strip() for item in items)

    def ident(self, data: Mapping[str, Any], key: str, pattern: re.Pattern[str] = ITEM_ID) -> str:
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            raise self.fail(key, "is missing")
        if not isinstance(value, str) or not pattern.match(value):
            shape = (
                "lower-case letters, digits and '-'"
                if pattern is TOOL_ID
                else "lower-case letters, digits and '_'"
            )
            raise self.fail(key, f"must be an identifier of {shape}, not {shown(value)}")
        return value


def named(place: Place, raw: Any, label: str, fallback: str) -> Place:
    """The place of a list entry: by its id when it has a usable one, else by its position."""
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and ITEM_ID.match(raw["id"]):
        return place.at(f"{label} '{raw['id']}'")
    return place.at(fallback)


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if value is None:
        return "empty"
    if isinstance(value, str):
        return "empty text" if not value.strip() else f"text ({value!r})"
    return type(value).__name__


def shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else describe(value)


def show_input(value: Any) -> str:
    """A value given to a tool (an age, an answer, a date) as a technical message echoes it."""
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


# --- the fields of a saved file ----------------------------------------------------------------


def show_file_value(value: Any) -> str:
    """A short description of a value from a file for a message (never the whole of a big value)."""
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "a list"
    text = (
        json.dumps(value, ensure_ascii=False)
        if isinstance(value, (str, int, float, bool)) or value is None
        else type(value).__name__
    )
    return text if len(text) <= 60 else text[:57] + "..."


def file_missing(field: str) -> FileFormatError:
    return FileFormatError(field, "is missing", f"The file is missing the '{field}' field.")


def file_wrong(field: str, problem: str) -> FileFormatError:
    return FileFormatError(field, problem, f"The file's '{field}' field {problem}.")


def file_require(doc: Mapping[str, Any], fields: tuple[str, ...]) -> None:
    for field in fields:
        if field not in doc:
            raise file_missing(field)


def file_only(doc: Mapping[str, Any], fields: tuple[str, ...], where: str = "") -> None:
    for key in doc:
        if key not in fields:
            name = f"{where}{key}"
            shown_name = show_file_value(name).replace('"', "'")
            raise FileFormatError(
                name,
                "is not a field of this file",
                f"The file has a field this page does not know ({shown_name}).",
            )


MAX_TEXT_CHARS = (
    20_000  # one box of text in a file (a note, the child's words): far more than any real note
)


def file_text(doc: Mapping[str, Any], field: str, name: str | None = None) -> str:
    """Optional text; longer than MAX_TEXT_CHARS is refused before anything is drawn."""
    value = doc.get(field, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise file_wrong(name or field, "must be text")
    if len(value) > MAX_TEXT_CHARS:
        raise FileFormatError(
            name or field,
            f"{len(value)} characters, more than {MAX_TEXT_CHARS}",
            f"A box in this file holds more text than the form takes "
            f"(up to {MAX_TEXT_CHARS:,} characters).",
        )
    return value


def file_whole(doc: Mapping[str, Any], field: str, low: int, high: int) -> int | None:
    """An optional whole number from low to high (null allowed)."""
    value = doc.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise file_wrong(field, f"must be a whole number from {low} to {high}")
    return value


def file_list(doc: Mapping[str, Any], field: str) -> list[Any]:
    value = doc.get(field)
    if not isinstance(value, list):
        raise file_wrong(field, "must be a list")
    return value


def file_flag(doc: Mapping[str, Any], field: str, name: str) -> bool:
    value = doc.get(field, False)
    if not isinstance(value, bool):
        raise file_wrong(name, "must be true or false")
    return value


def file_not_too_many(items: list[Any], field: str, limit: int, what: str) -> list[Any]:
    if len(items) > limit:
        raise FileFormatError(
            field,
            f"has {len(items)} items, more than {limit}",
            f"This plan has {len(items)} {what}; this page opens plans of up to {limit} {what}.",
        )
    return items
