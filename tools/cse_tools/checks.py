"""Input checks: what comes in from a page, a file or the command line, checked against a tool.

Each check returns the clean value or raises InputError with the field, a technical message and a
plain one (the age, a date, the answers, the recorded facts). The scoring (engine) and the saved
files (files) both check through here. No I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Mapping

from .errors import InputError
from .fields import show_input
from .model import MAX_AGE, MIN_AGE, NO, PAST, UNKNOWN, YES, Question, ToolDefinition

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"^[+-]?\d+$")


def allowed_answers(question: Question) -> tuple[str, ...]:
    return (YES, PAST, NO, UNKNOWN) if question.time_window else (YES, NO, UNKNOWN)


def check_age(value: Any, *, required: bool = True, allow_text: bool = False) -> int | None:
    """Return the age as an int (or None when allowed to be missing); raise InputError otherwise."""
    plain_range = f"The child's age must be a whole number from {MIN_AGE} to {MAX_AGE}."
    if allow_text and isinstance(value, str):
        text = value.strip()
        if text == "":
            value = None
        elif _INT.match(text):
            value = int(text)
        else:
            raise InputError("age", f"{value!r} is not a whole number", plain_range)
    if value is None:
        if required:
            raise InputError(
                "age",
                f"missing: give the child's age as a whole number from {MIN_AGE} to {MAX_AGE}",
                "Enter the child's age (a whole number from 0 to 17).",
            )
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError("age", f"{show_input(value)} is not a whole number", plain_range)
    if not MIN_AGE <= value <= MAX_AGE:
        raise InputError(
            "age",
            f"{value} is outside {MIN_AGE}-{MAX_AGE} (these tools are for children under 18)",
            f"The child's age must be from {MIN_AGE} to {MAX_AGE}; these tools are for children under 18.",
        )
    return value


def check_date(value: Any, field: str) -> str | None:
    """A YYYY-MM-DD date string, or None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and _DATE.match(value):
        try:
            dt.date.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise InputError(
        field,
        f"{show_input(value)} is not a date (YYYY-MM-DD)",
        f"The {field.replace('_', ' ')} must be a date written as YYYY-MM-DD.",
    )


def check_answers(tool: ToolDefinition, answers: Any) -> dict[str, str]:
    """Every key must be a question of the tool and every value an answer it allows."""
    if not isinstance(answers, Mapping):
        raise InputError(
            "answers",
            "must be an object mapping question ids to answers",
            "The answers could not be read.",
        )
    clean: dict[str, str] = {}
    for key, value in answers.items():
        question = tool.question(key) if isinstance(key, str) else None
        if question is None:
            raise InputError(
                f"answers.{key}",
                f"not a question of the {tool.id} tool",
                f"The answers name a question ({key}) that the {tool.title} does not ask.",
            )
        allowed = allowed_answers(question)
        if value == PAST and not question.time_window:
            raise InputError(
                f"answers.{key}",
                "'past' is not allowed: this question has no time window (use yes, no or unknown)",
                f'"{question.text}" cannot be answered "longer ago"; answer yes, no or not known.',
            )
        if not isinstance(value, str) or value not in allowed:
            raise InputError(
                f"answers.{key}",
                f"{show_input(value)} is not one of {', '.join(allowed)}",
                f'The answer to "{question.text}" must be one of: {", ".join(allowed)}.',
            )
        clean[key] = value
    return clean


MAX_FACT_CHARS = 200


def check_facts(tool: ToolDefinition, facts: Any) -> dict[str, dict[str, str]]:
    """Recorded facts, {question id: {fact id: text}}: only the facts the tool defines, each short
    text or one of its choices. Empty values are left out. Facts are recorded, never scored."""
    if facts is None:
        return {}
    if not isinstance(facts, Mapping):
        raise InputError(
            "facts",
            "must be an object mapping question ids to facts",
            "The recorded facts could not be read.",
        )
    clean: dict[str, dict[str, str]] = {}
    for qid, values in facts.items():
        question = tool.question(qid) if isinstance(qid, str) else None
        if question is None or not question.facts:
            raise InputError(
                f"facts.{qid}",
                f"no facts are recorded for {show_input(qid)} in the {tool.id} tool",
                f"The recorded facts name a question ({qid}) that has none in the {tool.title}.",
            )
        if values is None:
            continue
        if not isinstance(values, Mapping):
            raise InputError(
                f"facts.{qid}",
                "must be an object mapping fact ids to text",
                "The recorded facts could not be read.",
            )
        known = {fact.id: fact for fact in question.facts}
        for fid, value in values.items():
            fact = known.get(fid) if isinstance(fid, str) else None
            where = f"facts.{qid}.{fid}"
            if fact is None:
                raise InputError(
                    where,
                    "is not a fact of this question",
                    f'"{question.text}" has no recorded fact called {fid}.',
                )
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if not isinstance(value, str) or len(value) > MAX_FACT_CHARS:
                raise InputError(
                    where,
                    f"must be text of at most {MAX_FACT_CHARS} characters",
                    f'"{fact.label}" must be text of at most {MAX_FACT_CHARS} characters.',
                )
            if fact.choices and value not in fact.choices:
                raise InputError(
                    where,
                    f"{show_input(value)} is not one of {', '.join(fact.choices)}",
                    f'The answer to "{fact.label}" must be one of: {", ".join(fact.choices)}.',
                )
            clean.setdefault(qid, {})[fid] = value.strip()
    # In the tool's order, so a saved file reads the same way whatever order the page sent.
    ordered: dict[str, dict[str, str]] = {}
    for _section, question in tool.questions():
        if question.id in clean:
            ordered[question.id] = {
                f.id: clean[question.id][f.id] for f in question.facts if f.id in clean[question.id]
            }
    return ordered
