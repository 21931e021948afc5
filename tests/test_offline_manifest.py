"""The precache manifest (macros/offline.py): which tier each built file belongs to, and hashes
that the service worker can check."""

from __future__ import annotations

import hashlib

from macros.offline import lunr_files, manifest, tier_of

STEMMERS_EN = lunr_files(["en"])


def test_files_fall_into_the_right_tier():
    assert tier_of("procedure/06-assessing-needs/index.html", STEMMERS_EN) == "handbook"
    assert tier_of("search/search_index.json", STEMMERS_EN) == "handbook"
    assert (
        tier_of("assets/js/tool-page.js", STEMMERS_EN) == "handbook"
    )  # so a tool page can explain itself offline
    assert (
        tier_of("partials/tools/result.js", STEMMERS_EN) == "handbook"
    )  # a component's script, beside its template
    assert tier_of("pyodide/pyodide.asm.wasm", STEMMERS_EN) == "tools"
    assert tier_of("pyodide/some-new-runtime-file.zip", STEMMERS_EN) == "tools"
    assert tier_of("pyodide/python_stdlib.zip", STEMMERS_EN) == "tools"  # the reduced library
    assert tier_of("assets/wheels/cse_tools-9.9.9-py3-none-any.whl", STEMMERS_EN) == "tools"
    assert tier_of("pyodide-lock.json", STEMMERS_EN) == "tools"  # a site lockfile, wherever it is
    assert tier_of("assets/vendor/mermaid.min.js", STEMMERS_EN) == "diagrams"
    for never in (
        "assets/javascripts/bundle.1.min.js.map",
        "assets/javascripts/lunr/min/lunr.fr.min.js",
        "assets/javascripts/lunr/wordcut.js",
        "feeds/all.xml",
        "sw.js",
        "_headers",
        "sitemap.xml",
        "pyodide/full/python_stdlib.zip",  # the full library: the worker's fallback, online only
    ):
        assert tier_of(never, STEMMERS_EN) is None, never


def test_a_site_in_another_language_keeps_its_stemmers():
    stemmers = lunr_files(["en", "fr"])
    assert tier_of("assets/javascripts/lunr/min/lunr.fr.min.js", stemmers) == "handbook"
    assert (
        tier_of("assets/javascripts/lunr/min/lunr.stemmer.support.min.js", stemmers) == "handbook"
    )
    assert tier_of("assets/javascripts/lunr/min/lunr.de.min.js", stemmers) is None


def test_manifest_of_the_built_site(site_dir):
    tiers = manifest(site_dir, ["en"])
    handbook, tools = tiers["handbook"]["files"], tiers["tools"]["files"]
    assert "index.html" in handbook and "pyodide/pyodide.asm.wasm" in tools
    assert not any(path.startswith("pyodide/") for path in handbook)
    # The tools' tier keeps the reduced standard library, never Pyodide's full one.
    assert (
        "pyodide/python_stdlib.zip" in tools
        and (site_dir / "pyodide/full/python_stdlib.zip").exists()
    )
    assert not [
        p for tier in tiers.values() for p in tier["files"] if p.startswith("pyodide/full/")
    ]
    path = "assets/css/site.css"
    assert handbook[path] == hashlib.sha256((site_dir / path).read_bytes()).hexdigest()[:16]
    # What a handbook reader downloads in the background stays small; the tools state their size.
    assert tiers["handbook"]["bytes"] < tiers["tools"]["bytes"]
