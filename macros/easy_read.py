"""Easy Read pages: the picture beside each point.

`picture(icon, alt)` draws one of the icons the theme already ships (Material Design Icons, in
Material for MkDocs' `.icons/material/` folder) as an inline SVG with a text alternative, through
`overrides/partials/easy-read/picture.html`. Only the icon's viewBox and path data are taken from
the file; the markup is the template's. An unknown icon or an empty text alternative fails the
build naming the page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import material
from .data import DataError
from .templates import render_block

ICONS = Path(material.__file__).parent / "templates" / ".icons" / "material"
VIEWBOX = re.compile(r'viewBox="([0-9. ]+)"')
PATH_DATA = re.compile(r'<path\b[^>]*\bd="([^"]+)"')


def icon_shape(icon: str, where: str) -> dict[str, Any]:
    """The viewBox and path data of one of the theme's Material icons."""
    if not re.fullmatch(r"[a-z0-9-]+", icon):
        raise DataError(
            f"{where}: picture('{icon}'): an icon name is lower-case letters, digits and '-'"
        )
    path = ICONS / f"{icon}.svg"
    if not path.is_file():
        raise DataError(
            f"{where}: picture('{icon}'): the theme has no icon of that name (see {ICONS})"
        )
    svg = path.read_text(encoding="utf-8")
    box = VIEWBOX.search(svg)
    paths = PATH_DATA.findall(svg)
    if not box or not paths:
        raise DataError(f"{where}: picture('{icon}'): the icon file has no viewBox or path")
    return {"view_box": box.group(1), "paths": paths}


def register(env) -> None:
    @env.macro
    def picture(icon: str, alt: str) -> str:
        """An Easy Read picture: the theme's icon `icon`, described by `alt` for screen readers."""
        where = f"docs/{env.page.file.src_uri}" if env.page else "a page"
        if not alt.strip():
            raise DataError(f"{where}: picture('{icon}'): the text alternative (alt) is empty")
        shape = icon_shape(icon, where)
        return render_block("partials/easy-read/picture.html", alt=alt.strip(), **shape)
