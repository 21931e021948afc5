"""Shared fixtures: the built site, a local server with the deploy headers, and Chromium.

The site is built once per test session into a temporary folder (so tests never touch ./site),
served on a free localhost port by scripts/serve.py, and driven with Python Playwright using
Debian's Chromium at /usr/bin/chromium (Playwright cannot download its own browser here).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import chromium  # noqa: E402  (scripts/chromium.py)
import serve  # noqa: E402  (scripts/serve.py)
from hypothesis import settings  # noqa: E402

# Property tests: "ci" is derandomized (the same examples on every run, so a red build can be
# repeated); "dev" explores new examples each run. CI=true (as .ci/run sets) picks "ci".
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
MKDOCS = [sys.executable, "-m", "mkdocs"]
# Silence Material's end-of-life notice in every build a test runs, as the Makefile does, so a bare
# `pytest` passes like `make test` (see MAINTAINERS.md).
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def build_site(dest: Path, config: Path = ROOT / "mkdocs.yml", cwd: Path = ROOT,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` into dest; return the finished process (check returncode).
    `env` adds environment variables (e.g. CSE_PARTNERSHIP, CSE_PUBLISH) to this build only."""
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "--config-file", str(config), "--site-dir", str(dest)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


@pytest.fixture(scope="session")
def site_build(tmp_path_factory) -> tuple[Path, str]:
    """(folder, build log) of one strict build of the real site for the whole session."""
    dest = tmp_path_factory.mktemp("site")
    run = build_site(dest)
    if run.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{run.stderr[-4000:]}")
    return dest, run.stderr


@pytest.fixture(scope="session")
def site_dir(site_build) -> Path:
    return site_build[0]


@pytest.fixture(scope="session")
def base_url(site_dir) -> str:
    server, url = serve.start_in_thread(site_dir)
    yield url
    server.shutdown()


def html_pages(site: Path) -> list[str]:
    """Site-relative URLs of every built page (directory URLs), 404 page excluded."""
    pages = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        pages.append("" if rel == "." else rel + "/")
    return pages


def changed_yaml(source: Path, folder: Path, change) -> Path:
    """A copy of a YAML data file in folder, with `change(data)` applied: for malformed-file tests."""
    import yaml

    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = folder / source.name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


AUDIENCE_DIRS = ("parents", "young-people")


def audience_pages() -> list[str]:
    """Directory URLs of every page in docs/parents and docs/young-people, found, not listed:
    a new page there is checked for plain English and the quick-exit button automatically."""
    pages = []
    for folder in AUDIENCE_DIRS:
        for md in sorted((ROOT / "docs" / folder).glob("*.md")):
            pages.append(f"{folder}/" if md.stem == "index" else f"{folder}/{md.stem}/")
    return pages


@pytest.fixture(scope="session")
def playwright_driver():
    if not Path(chromium.EXECUTABLE).exists():
        pytest.fail(f"{chromium.EXECUTABLE} not found: run `make chromium` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_driver):
    browser = chromium.launch(playwright_driver)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def real_browser(playwright_driver):
    """Chromium as a reader has it: the back/forward cache on (Playwright turns it off)."""
    browser = chromium.launch(playwright_driver, bfcache=True)
    yield browser
    browser.close()


def real_context(real_browser, **options):
    """A context as a reader has it: service workers allowed, in a browser with the bfcache on."""
    return real_browser.new_context(service_workers="allow", **options)


def wait_until_controlled(page, timeout_ms: int = 120_000) -> None:
    """Wait until the site's service worker controls the page (it registers once the page is
    quiet); fails after timeout_ms instead of hanging."""
    page.wait_for_function("() => Boolean(navigator.serviceWorker.controller)", timeout=timeout_ms)


STORED = """async (markers) => {
  const out = {local: {...localStorage}, session: {...sessionStorage}, caches: [], entries: 0, found: []};
  out.idb = indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [];
  for (const name of await caches.keys()) {
    out.caches.push(name);
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      out.entries += 1;
      const response = await cache.match(request);
      const text = new TextDecoder("latin1").decode(await response.arrayBuffer());
      for (const marker of markers) {
        if (request.url.includes(marker) || text.includes(marker)) out.found.push(`${name}: ${request.url}: ${marker}`);
      }
    }
  }
  return out;
}"""


def stored_everywhere(page, markers: list[str]) -> dict:
    """localStorage, sessionStorage, IndexedDB names, and Cache Storage: every cache, every entry's
    URL and body (the site's precache and the Python snapshot included) searched for `markers`."""
    return page.evaluate(STORED, markers)


@dataclass
class Watch:
    """What a page did: every request URL and body, console errors, uncaught page errors."""

    origin: str
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)
    service_worker_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        out = []
        for _method, url, _body in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if f"{parts.scheme}://{parts.netloc}" != self.origin:
                out.append(url)
        return out


def watch_page(page, base_url: str) -> Watch:
    parts = urlsplit(base_url)
    watch = Watch(origin=f"{parts.scheme}://{parts.netloc}")

    def on_request(request):
        body = request.post_data_buffer or b""
        watch.requests.append((request.method, request.url, body))
        if request.service_worker is not None:
            watch.service_worker_requests.append(request.url)

    def on_console(msg):
        if msg.type == "error":
            watch.console_errors.append(f"{msg.text} @ {msg.location.get('url', '')}")

    # Requests are watched on the context, which also sees the page's workers.
    page.context.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))
    return watch


@pytest.fixture
def context(browser):
    ctx = browser.new_context(service_workers="block")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, base_url):
    """A fresh page; `page.watch` records its requests and errors."""
    pg = context.new_page()
    pg.watch = watch_page(pg, base_url)
    yield pg
    pg.close()


# tests/data holds the worked cases that "How the tools decide" renders.
PROJECT_PARTS = ("docs", "data", "macros", "overrides", "tools", "scripts", "tests/data", "mkdocs.yml", "pyproject.toml")


def copy_project(dest: Path) -> Path:
    """A copy of the project's sources in dest, for builds with changed content or data.

    node_modules and the wheel cache are linked, not copied. Returns dest.
    """
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_PARTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(src, dest / name)
    for name in ("node_modules", ".cache"):
        (ROOT / name).mkdir(exist_ok=True)
        (dest / name).symlink_to(ROOT / name)
    return dest


@pytest.fixture
def project_copy(tmp_path) -> Path:
    return copy_project(tmp_path / "project")
