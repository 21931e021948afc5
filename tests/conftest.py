"""Fixtures (and nothing else): the built site, a local server with the deploy headers, and Chromium.

The site is built once per test session into a temporary folder (so tests never touch ./site),
served on a free localhost port by scripts/serve.py, and driven with Python Playwright using
Debian's Chromium at /usr/bin/chromium (Playwright cannot download its own browser here).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Plain helpers live in tests/helpers.py (which also puts scripts/ on sys.path); nothing imports
# this file: it holds fixtures and the test-collection hooks only.
from helpers import build_site, copy_project, real_context, watch_page

import chromium  # scripts/chromium.py
import serve  # scripts/serve.py

# Property tests: "ci" is derandomized (the same examples on every run, so a red build can be
# repeated); "dev" explores new examples each run. CI=true (as .ci/run sets) picks "ci".
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


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


@pytest.fixture(scope="session")
def playwright_driver():
    if not Path(chromium.EXECUTABLE).exists():
        pytest.fail(
            f"{chromium.EXECUTABLE} not found: run `make chromium` (installs Debian's chromium)"
        )
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


@pytest.fixture
def project_copy(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


# Fixtures that drive Chromium: a test using any of them is a browser test, marked so whether or
# not its file says so, and `make test-fast` (-m "not browser and not node") leaves it out.
# Likewise a test using the Pyodide-under-Node run is a node test.
BROWSER_FIXTURES = {"playwright_driver", "browser", "real_browser", "context", "page"}
NODE_FIXTURES = {"pyodide_run"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if BROWSER_FIXTURES & used:
            item.add_marker(pytest.mark.browser)
        if NODE_FIXTURES & used:
            item.add_marker(pytest.mark.node)


@pytest.fixture
def plan_context(real_browser):
    """As a reader's browser is: service workers allowed, back/forward cache on; downloads allowed
    (the plan pages' tests save files)."""
    ctx = real_context(real_browser, accept_downloads=True)
    yield ctx
    ctx.close()
