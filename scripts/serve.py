"""Serve the built site locally, as a real static host would: security headers and gzip.

Pyodide needs http(s) (it cannot load from file://). The headers come from `site/_headers`,
which the build writes from macros/security.py, so local runs and tests see the deployed policy.
Text, JSON and WebAssembly are gzip-compressed when the browser accepts it, as static hosts and
CDNs do, so the byte counts in bench/ are the ones a reader would see.
Like a static host it never lists a folder's files (a folder without index.html is 404), and
an idle connection is closed after TIMEOUT seconds.
Used by `make serve`, the tests (tests/conftest.py, tests/helpers.py) and the benchmark (bench/run.py).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import re
import threading
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
    ".json": "application/json",
    ".xml": "application/rss+xml",
    ".whl": "application/zip",
    ".zip": "application/zip",
}


def read_headers(site: Path) -> list[tuple[str, str]]:
    """Parse the `/*` block of a Netlify-style `_headers` file."""
    path = site / "_headers"
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith((" ", "\t")) and ":" in line:
            name, value = line.strip().split(":", 1)
            out.append((name.strip(), value.strip()))
    return out


TIMEOUT = 30  # seconds an idle or stalled connection is kept open

# A percent sign must start a two-digit hex escape; anything else is a malformed path.
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def malformed(target: str) -> bool:
    """True for a request path a static host answers with 400: a bad or non-UTF-8 percent escape,
    or a NUL or other control character once decoded (`GET /%00` used to raise inside the stdlib)."""
    path = target.split("?", 1)[0].split("#", 1)[0]
    if BAD_ESCAPE.search(path):
        return True
    try:
        decoded = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        return True
    return any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in decoded)


COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".wasm", ".map"}


@functools.lru_cache(maxsize=256)
def _gzipped(path: str, mtime: float, size: int) -> bytes:  # mtime and size key the cache
    with open(path, "rb") as fh:
        return gzip.compress(fh.read(), compresslevel=6, mtime=0)


VALIDATORS = ("ETag", "Last-Modified")
CONDITIONS = ("If-None-Match", "If-Modified-Since")


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}
    site_headers: list[tuple[str, str]] = []
    timeout = TIMEOUT  # socket timeout (StreamRequestHandler applies it to each connection)
    # False: a host that sends no ETag or Last-Modified (some object stores and simple servers),
    # so a browser can never revalidate; tests and bench/ check the site costs no more there.
    validators = True

    def parse_request(self) -> bool:
        ok = super().parse_request()
        if ok and not self.validators:
            for name in CONDITIONS:
                del self.headers[name]
        return ok

    def send_header(self, keyword: str, value: str) -> None:
        if self.validators or keyword not in VALIDATORS:
            super().send_header(keyword, value)

    def list_directory(self, path):  # noqa: ANN001 - stdlib signature
        """Never list a folder's files: a folder without index.html does not exist for readers."""
        self.send_error(404, "File not found")
        return None

    def do_HEAD(self) -> None:
        if malformed(self.path):
            self.send_error(400, "Bad request path")
            return
        super().do_HEAD()

    def do_GET(self) -> None:
        """Gzip compressible files when the browser accepts it; everything else as the stdlib does
        (including the redirect from "dir" to "dir/"). A malformed path is answered with 400."""
        if malformed(self.path):
            self.send_error(400, "Bad request path")
            return
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                super().do_GET()
                return
            path = os.path.join(path, "index.html")
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (
            accepts_gzip and os.path.isfile(path) and os.path.splitext(path)[1] in COMPRESSIBLE
        ):
            super().do_GET()
            return
        stat = os.stat(path)
        # Validators, as static hosts send, so a browser revalidates a file it has with a 304
        # (Chromium ignores an ETag on an HTTP/1.0 response, hence Last-Modified too).
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}-gz"'
        modified = self.date_time_string(int(stat.st_mtime))
        if (
            etag in self.headers.get("If-None-Match", "")
            or self.headers.get("If-Modified-Since") == modified
        ):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        body = _gzipped(path, stat.st_mtime, stat.st_size)
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        for name, value in self.site_headers:
            self.send_header(name, value)
        # Always revalidate: a changed procedure must never hide behind a stale HTTP cache.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


def make_server(
    site: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    verbose: bool = False,
    timeout: float = TIMEOUT,
    validators: bool = True,
):
    """A ready server for `site` (port 0 picks a free port); call serve_forever() or start()."""
    handler = type(
        "Handler",
        (SiteHandler,),
        {"site_headers": read_headers(site), "timeout": timeout, "validators": validators},
    )
    server = ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(site)))
    server.verbose = verbose  # type: ignore[attr-defined]
    server.daemon_threads = True
    return server


def start_in_thread(site: Path, host: str = "127.0.0.1", port: int = 0, timeout: float = TIMEOUT):
    server = make_server(site, host, port, timeout=timeout)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://{host}:{server.server_address[1]}/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default=8000, type=int)
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        raise SystemExit(f"{args.site}/index.html not found: build the site first (make build)")
    server = make_server(args.site, args.host, args.port, verbose=True)
    print(f"Serving {args.site} at http://{args.host}:{args.port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
