"""The one Jinja environment every macro renders HTML with.

Templates live under overrides/ (Material's custom_dir): overrides/partials/tools/,
overrides/partials/categories/ and overrides/partials/action-plan.html. The environment
autoescapes everything and is strict: a name a template uses that the macro did not pass fails
the build instead of rendering as nothing. Macros pass plain data; no HTML in Python strings.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2

from .data import ROOT

TEMPLATES = ROOT / "overrides"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_block(name: str, **data: object) -> str:
    """Template `name` (relative to overrides/) rendered with data, as one raw HTML block: blank
    lines are dropped so Markdown keeps the whole output as one block."""
    html = environment().get_template(name).render(**data)
    return "\n".join(line for line in html.splitlines() if line.strip())
