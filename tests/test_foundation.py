"""The foundation: a complete, self-contained site from `mkdocs build`, nothing from elsewhere."""

from __future__ import annotations

import re
import socket
import time
import urllib.error
import urllib.request
import zipfile
from html.parser import HTMLParser

import pytest
import yaml

from helpers import ROOT, html_pages, watch_page

import serve  # scripts/serve.py, on sys.path through helpers

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
    assert "Cross-Origin-Opener-Policy: same-origin" in text
    assert "Cross-Origin-Resource-Policy: same-origin" in text
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


class _ForeignAssets(HTMLParser):
    """Collects every address on another origin that a page would load or connect to: src, srcset,
    poster and data of any element, and the href of any <link> except rel=canonical (a link
    relation the browser never fetches). preconnect, dns-prefetch, preload and stylesheets count."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        urls = [attrs.get(name) for name in ("src", "poster", "data")]
        urls += [
            part.split()[0]
            for name in ("srcset", "imagesrcset")
            for part in (attrs.get(name) or "").split(",")
            if part.strip()
        ]
        if tag == "link" and "canonical" not in (attrs.get("rel") or "").lower().split():
            urls.append(attrs.get("href"))
        self.found += [
            f"<{tag}> {u}" for u in urls if u and re.match(r"\s*(?:[a-z][a-z0-9+.-]*:)?//", u, re.I)
        ]


def foreign_assets(html: str) -> list[str]:
    parser = _ForeignAssets()
    parser.feed(html)
    return parser.found


def test_the_foreign_asset_check_catches_what_it_should():
    assert foreign_assets('<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>')
    assert foreign_assets("<link href=https://cdn.example/x.css rel=stylesheet>")
    assert foreign_assets('<link rel="dns-prefetch" href="//cdn.example">')
    assert foreign_assets('<img srcset="a.png 1x, https://cdn.example/b.png 2x">')
    assert foreign_assets('<script src="HTTPS://cdn.example/a.js"></script>')
    assert not foreign_assets('<link rel="canonical" href="https://handbook.example/">')
    assert not foreign_assets(
        '<link rel="stylesheet" href="../assets/site.css"><a href="https://example.org">x</a>'
    )


def test_no_page_references_assets_on_another_origin(site_dir):
    offenders = []
    for path in site_dir.rglob("*.html"):
        for found in foreign_assets(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(site_dir).as_posix()}: {found}")
    assert offenders == []
    # Stylesheets load nothing from elsewhere either (fonts, @import).
    css = [
        p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*.css")
        if re.search(
            r"url\(\s*['\"]?(?:https?:)?//|@import\s+['\"]?(?:url\()?['\"]?(?:https?:)?//",
            p.read_text(encoding="utf-8"),
            re.I,
        )
    ]
    assert css == []


def test_the_server_sends_the_deploy_headers_lists_no_folder_and_drops_idle_connections(
    site_dir, base_url
):
    """What a reader's browser receives: the same policy as the deployed site, as HTTP headers."""
    with urllib.request.urlopen(base_url + "tools/screening/", timeout=30) as response:
        headers = response.headers
        assert response.status == 200
    assert headers["Content-Security-Policy"] == HEADER_POLICY
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-cache"
    request = urllib.request.Request(
        base_url + "assets/js/tool-common.js", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "gzip"
    # The tool components' scripts beside their templates are modules too: a JavaScript type.
    with urllib.request.urlopen(base_url + "partials/tools/result.js", timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/javascript")
    # A folder without index.html is not listed.
    assert not (site_dir / "assets" / "index.html").exists()
    with pytest.raises(urllib.error.HTTPError) as listing:
        urllib.request.urlopen(base_url + "assets/", timeout=30)
    assert listing.value.code == 404
    # An idle connection is closed by the server (here after 1 s; TIMEOUT when serving).
    server, url = serve.start_in_thread(site_dir, timeout=1)
    try:
        host, port = url.split("//")[1].strip("/").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as idle:
            started = time.monotonic()
            assert idle.recv(1024) == b""  # closed by the server, not by our own 30 s timeout
            assert time.monotonic() - started < 25
    finally:
        server.shutdown()


def _raw_request(base_url: str, request: bytes) -> bytes:
    host, port = base_url.split("//")[1].strip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


@pytest.mark.parametrize(
    "target", ["/%00", "/%00/index.html", "/a%zz", "/%ff", "/%e2%82", "/tools/%0a"]
)
def test_the_server_answers_malformed_paths_with_400(base_url, target):
    """`GET /%00` used to raise inside the server and drop the connection with no answer."""
    for method in ("GET", "HEAD"):
        answer = _raw_request(base_url, f"{method} {target} HTTP/1.0\r\nHost: x\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.0 400"), (method, target, answer[:80])
        # The site's headers come with the error too, as with every other answer.
        assert b"Content-Security-Policy:" in answer
    # The server still answers normally afterwards.
    assert _raw_request(base_url, b"GET / HTTP/1.0\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.0 200")


def test_no_inline_scripts_in_any_page(site_dir):
    """The policy forbids inline scripts, so the pages must not rely on any."""
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>\s*\S", re.I
    )
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
        assert PARTNERSHIP["emergency"]["text"] in re.sub(r"<[^>]+>", "", html), (
            rel
        )  # 999 is a tel: link
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
        page.wait_for_load_state(
            "networkidle", timeout=90_000
        )  # a cold Python start on a busy machine
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
