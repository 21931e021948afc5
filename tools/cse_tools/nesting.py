"""How deeply a file's JSON nests, counted before it is parsed.

A saved file nests a few levels (a plan, its rows, a row's fields). A file nested thousands deep
overflows the parser's stack: under Pyodide that is a fatal error, not an exception. So the depth
is counted first, on the text, and a file deeper than MAX_DEPTH is refused with a plain message.
The page applies the same limit before the text reaches the worker (tool-common.js MAX_DEPTH; a
test checks the two agree).
"""

from __future__ import annotations

import re

MAX_DEPTH = 20

# A JSON string (its brackets do not count), or one bracket.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """True when the brackets outside strings nest more than `limit` deep."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False
