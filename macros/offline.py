"""Offline support: writes site/sw.js, the service worker, after everything else is built.

sw.js = `const VERSION = "..."; const TIERS = {...};` + docs/assets/js/service-worker.js.

TIERS is the revisioned precache manifest: every file the reader may need offline, with the
hash of its content, in three tiers (see `tier_of`):
- "handbook": pages, styles, scripts and the search index. Cached from any page.
- "tools": the Python runtime (the site's pyodide/ folder), the tools wheel and any lockfile.
  Cached once a tool page has started Python, or when the reader asks for offline tools.
- "diagrams": what draws the pathway (Mermaid). Cached with the pages that use it.
Source maps, search stemmers for languages the site does not use, feeds and host configuration
are never cached. Each tier also states its size on the wire (gzip, as static hosts send it).

Any changed file gives a new VERSION, so browsers install the new worker, which copies every
file whose hash has not changed from the old cache and fetches only the rest.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from .data import ROOT

WORKER_BODY = ROOT / "docs" / "assets" / "js" / "service-worker.js"
# Never cached: build-time or host files, feeds (for feed readers), source maps, the worker's
# own body (it is inside sw.js).
SKIP = {"sw.js", "sitemap.xml", "sitemap.xml.gz", "_headers", "assets/js/service-worker.js"}
# Pyodide's full standard library (pyodide/full/) is the worker's fallback only, fetched from the
# site if the reduced one ever lacks a module: never precached (macros/stdlib.py).
SKIP_DIRS = ("feeds/", "pyodide/full/")
SKIP_SUFFIXES = (".map",)
LUNR_DIR = "assets/javascripts/lunr/"
# The Python runtime and everything only the tools need. Any file under these folders, and any
# wheel or Pyodide lockfile wherever it is, so a new layout of the runtime needs no change here.
TOOLS_DIRS = ("pyodide/", "assets/wheels/")
TOOLS_NAMES = ("runtime-check.js",)
DIAGRAM_FILES = ("assets/vendor/mermaid.min.js",)
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".wasm"}


def lunr_files(languages: list[str]) -> set[str]:
    """The search stemmer files Material's search worker loads for these languages."""
    others = [lang for lang in languages if lang != "en"]
    needed = {f"min/lunr.{lang}.min.js" for lang in others}
    if others:
        needed.add("min/lunr.stemmer.support.min.js")
    if len(languages) > 1:
        needed.add("min/lunr.multi.min.js")
    if "ja" in languages or "jp" in languages:
        needed.add("tinyseg.js")
    if "th" in languages:
        needed.add("wordcut.js")
    return {LUNR_DIR + name for name in needed}


def tier_of(rel: str, stemmers: set[str]) -> str | None:
    """The tier a site file belongs to, or None when it is never cached."""
    if rel in SKIP or rel.startswith(SKIP_DIRS) or rel.endswith(SKIP_SUFFIXES):
        return None
    if rel.startswith(LUNR_DIR):
        return "handbook" if rel in stemmers else None
    name = rel.rsplit("/", 1)[-1]
    if (
        rel.startswith(TOOLS_DIRS)
        or name in TOOLS_NAMES
        or name.endswith(".whl")
        or "pyodide-lock" in name
    ):
        return "tools"
    if rel in DIAGRAM_FILES:
        return "diagrams"
    return "handbook"


def file_hash(data: bytes) -> str:
    """Same 16 hex digits as the service worker's digest() (SHA-256)."""
    return hashlib.sha256(data).hexdigest()[:16]


_WIRE_SIZES: dict[str, int] = {}  # by content hash: `mkdocs serve` rebuilds do not gzip again


def _wire_size(digest: str, suffix: str, data: bytes) -> int:
    if suffix not in COMPRESSIBLE:
        return len(data)
    if digest not in _WIRE_SIZES:
        _WIRE_SIZES[digest] = len(gzip.compress(data, compresslevel=6, mtime=0))
    return _WIRE_SIZES[digest]


def manifest(site: Path, languages: list[str]) -> dict[str, dict]:
    """{tier: {"files": {path: hash}, "bytes": size on the wire}} for every cached file."""
    stemmers = lunr_files(languages)
    tiers: dict[str, dict] = {
        name: {"files": {}, "bytes": 0} for name in ("handbook", "tools", "diagrams")
    }
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        tier = path.is_file() and tier_of(rel, stemmers)
        if not tier:
            continue
        data = path.read_bytes()
        digest = file_hash(data)
        tiers[tier]["files"][rel] = digest
        tiers[tier]["bytes"] += _wire_size(digest, path.suffix, data)
    return tiers


def search_languages(conf) -> list[str]:
    search = conf["plugins"].get("search") if conf.get("plugins") else None
    langs = search.config.get("lang") if search is not None else None
    if not langs:
        return ["en"]
    return [langs] if isinstance(langs, str) else list(langs)


def worker_source(tiers: dict[str, dict]) -> str:
    text = json.dumps(tiers, sort_keys=True)
    version = hashlib.sha256(text.encode()).hexdigest()[:16]
    return (
        f"const VERSION = {json.dumps(version)};\nconst TIERS = {text};\n\n"
        + WORKER_BODY.read_text(encoding="utf-8")
    )


def register(env) -> None:
    pass


def on_post_build(env) -> None:
    site = Path(env.conf["site_dir"])
    tiers = manifest(site, search_languages(env.conf))
    (site / "sw.js").write_text(worker_source(tiers), encoding="utf-8")
