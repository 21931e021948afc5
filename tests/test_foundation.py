"""The foundation: a complete, self-contained site from `mkdocs build`, nothing from elsewhere."""

from __future__ import annotations

import re
import zipfile

import pytest
import yaml

from conftest import ROOT, html_pages, watch_page

from macros.security import HEADER_POLICY, META_POLICY
from macros.build import LOCKFILE, PYODIDE_FILES, wheel_name

PARTNERSHIP = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text())


def test_strict_build_has_no_warnings(site_build):
    _site, log = site_build
    assert "WARNING" not in log, log


def test_pyodide_runtime_is_copied_from_npm(site_dir):
    for name in PYODIDE_FILES:
        built = site_dir / "pyodide" / name
        source = ROOT / "node_modules" / "pyodide" / name
        assert built.is_file(), name
        assert built.stat().st_size == source.stat().st_size, name


def test_tools_wheel_is_pure_python_and_carries_definitions(site_dir):
    wheel = site_dir / "assets" / "wheels" / wheel_name()
    assert wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert "cse_tools/data/definitions.json" in names
    assert "cse_tools/engine.py" in names


def test_site_lockfile_names_the_served_wheel_by_sha256(site_dir):
    """site/pyodide/pyodide-lock.json (written with pyodide-lock) is how the worker finds the tools."""
    import hashlib
    import json

    lock = json.loads((site_dir / LOCKFILE).read_text(encoding="utf-8"))
    assert list(lock["packages"]) == ["cse-tools"]  # only what the site serves
    entry = lock["packages"]["cse-tools"]
    wheel = (site_dir / LOCKFILE).parent / entry["file_name"]
    assert wheel.resolve() == (site_dir / "assets" / "wheels" / wheel_name()).resolve()
    assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert lock["info"]["python"].startswith("3.14")


def test_headers_file_carries_the_same_policy(site_dir):
    text = (site_dir / "_headers").read_text()
    assert f"Content-Security-Policy: {HEADER_POLICY}" in text
    assert "frame-ancestors 'none'" in text
    assert "Referrer-Policy: no-referrer" in text
    assert HEADER_POLICY.startswith(META_POLICY)


def test_policy_has_the_required_directives():
    for directive in (
        "default-src 'self'",
        "connect-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'none'",
    ):
        assert directive in META_POLICY
    assert "unsafe-inline" not in META_POLICY.split("script-src")[1].split(";")[0]


EXTERNAL_ASSET = re.compile(
    r"<(?:script|img|iframe|source|video|audio)[^>]+src=\"(?:https?:)?//|<link[^>]+href=\"(?:https?:)?//[^\"]+\"[^>]*rel=\"(?:stylesheet|preload|icon|modulepreload)",
    re.I,
)


def test_no_page_references_assets_on_another_origin(site_dir):
    offenders = []
    for path in site_dir.rglob("*.html"):
        if EXTERNAL_ASSET.search(path.read_text(encoding="utf-8")):
            offenders.append(path.relative_to(site_dir).as_posix())
    assert offenders == []


def test_no_inline_scripts_in_any_page(site_dir):
    """The policy forbids inline scripts, so the pages must not rely on any."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>\s*\S", re.I)
    offenders = [
        p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*.html")
        if inline.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_page_shows_the_emergency_line_and_local_contact(site_dir):
    pages = html_pages(site_dir)
    assert len(pages) > 10
    for rel in pages:
        html = (site_dir / rel / "index.html").read_text(encoding="utf-8")
        assert PARTNERSHIP["emergency"]["text"] in html, rel
        assert PARTNERSHIP["safeguarding_contact"]["phone"] in html, rel


@pytest.mark.browser
def test_every_page_loads_clean_under_the_policy(site_dir, base_url, context):
    """No console error, no request to another origin, and the CSP meta on every page."""
    problems = []
    page = context.new_page()
    watch = watch_page(page, base_url)
    for rel in html_pages(site_dir):
        watch.console_errors.clear()
        watch.page_errors.clear()
        page.goto(base_url + rel, wait_until="load")
        page.wait_for_load_state("networkidle")
        csp = page.locator('meta[http-equiv="Content-Security-Policy"]')
        if csp.count() != 1 or csp.get_attribute("content") != META_POLICY:
            problems.append(f"{rel}: CSP meta missing or different")
        for error in watch.console_errors + watch.page_errors:
            problems.append(f"{rel}: {error}")
        visible = page.locator("[data-danger-line]")
        if not visible.is_visible():
            problems.append(f"{rel}: emergency line not visible")
    assert watch.foreign_requests() == []
    assert problems == []


@pytest.mark.browser
def test_pyodide_runs_python_from_the_site_itself(base_url, page):
    page.goto(base_url + "pyodide/check.html")
    page.locator("body[data-ready]").wait_for(state="attached", timeout=60_000)
    assert page.locator("body").get_attribute("data-ready") == "yes", page.text_content("#status")
    assert "6 x 7 = 42" in page.text_content("#status")
    assert page.watch.foreign_requests() == []
    assert page.watch.console_errors == []
    loaded = {url.rsplit("/", 1)[-1] for _m, url, _b in page.watch.requests}
    assert {"pyodide.asm.wasm", "python_stdlib.zip"} <= loaded
