"""The site as an app on a phone's home screen: the web app manifest and its icons.

Written after the pages (`on_post_build`), before the service worker hashes every file:
- `site/manifest.webmanifest`, from the partnership file: the name (`site_title`), the short name
  under the icon (`app_short_name`), the description (`site_description`); it starts at the home
  page and covers the whole site (`start_url` and `scope` are the site's root, relative to the
  manifest, so the site can live in a sub-folder), and opens without the browser's bars.
- `site/assets/icons/`: the icons, drawn here (a white shield on the header's indigo), never
  fetched: 192 and 512 pixels for any use, and 512 maskable (the shield inside the safe circle, so
  a phone may cut the icon to any shape).

Every page links the manifest and gives the theme colour (overrides/main.html), which the CSP's
`manifest-src 'self'` allows.
"""

from __future__ import annotations

import json
import math
import struct
import zlib
from pathlib import Path
from typing import Any


MANIFEST = "manifest.webmanifest"
ICON_DIR = "assets/icons"
# Material's indigo (the header) and white. White text on this indigo is 6.9:1 (WCAG AA needs 4.5).
THEME_COLOUR = (0x40, 0x51, 0xB5)
BACKGROUND_COLOUR = (0xFF, 0xFF, 0xFF)
# (file name, size in pixels, purpose, how much of the width the shield takes)
ICONS = (
    ("icon-192.png", 192, "any", 0.62),
    ("icon-512.png", 512, "any", 0.62),
    # Maskable: the shield must sit inside the circle of 80% of the width that every mask keeps.
    ("icon-maskable-512.png", 512, "maskable", 0.46),
)


def hex_colour(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """The WCAG contrast ratio of two colours."""

    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(v) for v in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def manifest(partnership: dict[str, Any]) -> dict[str, Any]:
    """The web app manifest (W3C Web Application Manifest) for this partnership (its fields are
    checked with the rest of the partnership file, in macros/site.py)."""
    return {
        "name": partnership["site_title"],
        "short_name": partnership["app_short_name"],
        "description": partnership["site_description"],
        "lang": "en-GB",
        "id": "./",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": hex_colour(THEME_COLOUR),
        "background_color": hex_colour(BACKGROUND_COLOUR),
        "icons": [
            {
                "src": f"{ICON_DIR}/{name}",
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for name, size, purpose, _scale in ICONS
        ],
    }


def _shield_span(y: float) -> tuple[float, float] | None:
    """The shield's left and right edge at height y, in a unit square centred on (0.5, 0.5).

    The shield's top edge is at 0.0 and its point at 1.0; straight sides down to 0.45, then each
    side curves in to the point."""
    if y < 0.0 or y > 1.0:
        return None
    if y <= 0.45:
        half = 0.5
    else:
        t = (y - 0.45) / 0.55
        half = 0.5 * math.cos(t * math.pi / 2)
    return 0.5 - half, 0.5 + half


def draw_icon(size: int, scale: float) -> bytes:
    """A PNG: the shield in white, `scale` of the width, on the theme colour, edges smoothed."""
    rows = []
    sub = 4  # sub-rows per pixel row, for smooth curved edges
    top = (1 - scale * 1.08) / 2  # the shield is a little taller than wide
    for py in range(size):
        cover = [0.0] * size
        for s in range(sub):
            y = ((py + (s + 0.5) / sub) / size - top) / (scale * 1.08)
            span = _shield_span(y)
            if span is None:
                continue
            left = (0.5 - scale / 2 + span[0] * scale) * size
            right = (0.5 - scale / 2 + span[1] * scale) * size
            first, last = int(left), min(int(right), size - 1)
            for px in range(max(first, 0), last + 1):
                overlap = min(px + 1, right) - max(px, left)
                if overlap > 0:
                    cover[px] += min(overlap, 1.0) / sub
        row = bytearray([0])  # filter type: none
        for c in cover:
            row += bytes(
                round(bg + (fg - bg) * min(c, 1.0))
                for bg, fg in zip(THEME_COLOUR, BACKGROUND_COLOUR)
            )
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width: int, height: int, raw_rows: bytes) -> bytes:
    """An 8-bit RGB PNG from rows that each start with their filter byte."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw_rows, 9))
        + chunk(b"IEND", b"")
    )


_ICON_CACHE: dict[tuple[int, float], bytes] = {}  # `mkdocs serve` rebuilds draw each icon once


def register(env) -> None:
    env.conf["extra"]["app_manifest"] = manifest(env.variables["partnership"])
    env.conf["extra"]["theme_colour"] = hex_colour(THEME_COLOUR)


def on_post_build(env) -> None:
    site = Path(env.conf["site_dir"])
    (site / MANIFEST).write_text(
        json.dumps(env.conf["extra"]["app_manifest"], indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    icons = site / ICON_DIR
    icons.mkdir(parents=True, exist_ok=True)
    for name, size, _purpose, scale in ICONS:
        key = (size, scale)
        if key not in _ICON_CACHE:
            _ICON_CACHE[key] = draw_icon(size, scale)
        (icons / name).write_bytes(_ICON_CACHE[key])
