"""Part of the site's reduced standard library (built by macros/stdlib.py): it knows which modules
of Pyodide's full library were left out, and notices when anything tries to import one.

The tool worker calls `install()` once Python has started. The finder sits last on
sys.meta_path, so it is asked only after every real finder has failed: an import of a module the
full library has and this one lacks is recorded in MISSED (the import still fails as it would).
The worker reads `missed()` after each request and, if it is not empty, starts again with the
full library and repeats the request, so the page keeps its answers and gets its reply.
"""

from __future__ import annotations

import sys
from typing import Any

OMITTED_FILE = "_cse_stdlib_omitted.txt"  # beside this module in the zip: one name per line
MISSED: list[str] = []


def _omitted() -> frozenset[str]:
    loader: Any = globals().get("__loader__")
    text = loader.get_data(OMITTED_FILE).decode("utf-8") if loader else ""
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


class LeftOut:
    """A last-resort finder: records an import of a module left out of this library."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name in self.names:
            MISSED.append(name)
        return None


def install() -> None:
    if not any(isinstance(finder, LeftOut) for finder in sys.meta_path):
        sys.meta_path.append(LeftOut(_omitted()))


def missed() -> list[str]:
    """The left-out modules something tried to import since Python started."""
    return sorted(set(MISSED))
