"""Search tuning from data/search.yml: page boosts and the terms people type for each page.

Material's search plugin reads two things from a page's front matter: `search: boost:` (a
multiplier for the page's score) and `tags` (a field it weights far above titles and text). This
module fills both in from the data file while the page is rendered, so the tuning lives in one
file instead of scattered through the pages:

- every page under a folder listed in `boost` gets that boost, unless its own front matter sets one;
- every page listed in `terms` gets those terms as its search tags, and as `search_terms`, which
  overrides/main.html shows at the foot of the page. Nothing is indexed that a reader cannot see.
"""

from __future__ import annotations

from pathlib import Path

from .data import DATA_DIR, ROOT, DataError, display_name, html_text, load_yaml, require

SEARCH_FILE = DATA_DIR / "search.yml"


def load_search(path: Path = SEARCH_FILE, docs_dir: Path = ROOT / "docs") -> dict:
    """{'boost': {folder-or-page: float}, 'terms': {page: [term, ...]}}, checked."""
    name = display_name(path)
    data = load_yaml(path)
    boosts = require(data, "boost", dict, name)
    for where, value in boosts.items():
        if not (docs_dir / where).exists():
            raise DataError(f"{name}: boost: {where!r}: no such page or folder under docs/")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise DataError(f"{name}: boost: {where!r}: must be a number above 0, not {value!r}")
    common = {str(w).lower() for w in require(data, "too_common", list, name)}
    terms = require(data, "terms", dict, name)
    for page, words in terms.items():
        where = f"{name}: terms: {page!r}"
        if not (docs_dir / page).is_file():
            raise DataError(f"{where}: docs/{page} does not exist")
        if not isinstance(words, list) or not words:
            raise DataError(f"{where}: must be a list of terms")
        for word in words:
            if not isinstance(word, str) or not word.strip():
                raise DataError(f"{where}: {word!r} is not a term (text)")
            clash = common.intersection(word.lower().split())
            if clash:
                raise DataError(
                    f"{where}: {word!r} uses {sorted(clash)[0]!r}, listed in too_common "
                    "(it would rank this page first for almost any search)"
                )
    return {"boost": {k: float(v) for k, v in boosts.items()}, "terms": terms}


def boost_for(src: str, boosts: dict[str, float]) -> float | None:
    """The boost of the longest folder (ending in /) or page path that src falls under."""
    best = None
    for where in boosts:
        if src == where or (where.endswith("/") and src.startswith(where)):
            if best is None or len(where) > len(best):
                best = where
    return boosts[best] if best else None


def register(env) -> None:
    env.variables["search_tuning"] = load_search(docs_dir=Path(env.conf["docs_dir"]))


def on_post_page_macros(env) -> None:
    tuning = env.variables["search_tuning"]
    meta = env.page.meta
    src = env.page.file.src_uri
    search = meta.get("search") or {}
    boost = boost_for(src, tuning["boost"])
    if boost is not None and "boost" not in search:
        meta["search"] = {**search, "boost": boost}
    terms = tuning["terms"].get(src)
    if terms:
        meta["search_terms"] = list(terms)  # shown by overrides/main.html, autoescaped there
        # Material's search shows tags as HTML in its results: escaped here.
        meta["tags"] = [*(meta.get("tags") or []), *(html_text(term) for term in terms)]
