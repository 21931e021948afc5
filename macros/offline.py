"""Offline support: writes site/sw.js, the service worker, after everything else is built.

sw.js = `const VERSION = "<hash of every file>"; const FILES = [...];` + docs/assets/js/service-worker.js.
Any change to any file gives a new VERSION, so browsers install the new version and the page
offers a reload ("this procedure has been updated").
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .data import ROOT

WORKER_BODY = ROOT / "docs" / "assets" / "js" / "service-worker.js"
# Not cached: files whose content changes with the build time, and host configuration.
SKIP = {"sw.js", "sitemap.xml", "sitemap.xml.gz", "_headers"}
SKIP_DIRS = ("feeds/",)


def precache_list(site: Path) -> list[str]:
    files = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and rel not in SKIP and not rel.startswith(SKIP_DIRS):
            files.append(rel)
    return files


def version_of(site: Path, files: list[str]) -> str:
    digest = hashlib.sha256()
    for rel in files:
        digest.update(rel.encode())
        digest.update(hashlib.sha256((site / rel).read_bytes()).digest())
    return digest.hexdigest()[:16]


def register(env) -> None:
    pass


def on_post_build(env) -> None:
    site = Path(env.conf["site_dir"])
    files = precache_list(site)
    header = f"const VERSION = {json.dumps(version_of(site, files))};\nconst FILES = {json.dumps(files)};\n\n"
    (site / "sw.js").write_text(header + WORKER_BODY.read_text(encoding="utf-8"), encoding="utf-8")
