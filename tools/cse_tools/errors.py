"""The three kinds of error the package raises. Each message is one line."""

from __future__ import annotations


class DefinitionError(ValueError):
    """A tool definition is malformed. The message names the file, the question and the field."""


class InputError(ValueError):
    """Answers, an age or a date given to a tool are not valid.

    `field` is where the problem is (e.g. ``answers.missing_episodes`` or ``age``), `message`
    the technical one-liner used by the command line (``field: problem``), and `plain` the same
    in words for a practitioner, shown by the browser pages.
    """

    def __init__(self, field: str | None, problem: str, plain: str | None = None) -> None:
        self.field = field
        self.problem = problem
        self.plain = plain or (f"{field}: {problem}" if field else problem)
        super().__init__(f"{field}: {problem}" if field else problem)


class FileFormatError(InputError):
    """A saved file (answers, safety plan, disruption plan) cannot be read."""
