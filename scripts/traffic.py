"""A local server (scripts/serve.py) that also records what it sent: for tests and bench/.

    server, url, traffic = start_recording(site)
    ... drive a browser ...
    traffic.paths(200)   # site paths answered with a body, in order
    traffic.bytes()      # bytes on the wire (headers and gzip bodies), service worker included
    traffic.clear()
Counting at the server sees every request: the page's, its workers' and the service worker's.
"""

from __future__ import annotations

import functools
import threading
from typing import Any, BinaryIO
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import serve


@dataclass
class Traffic:
    entries: list[tuple[str, int, int]] = field(default_factory=list)  # (path, status, bytes)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, status: int, sent: int) -> None:
        with self.lock:
            self.entries.append((path, status, sent))

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()

    def paths(self, status: int | None = None) -> list[str]:
        """Site-relative paths ("procedure/06-assessing-needs/"), optionally of one status."""
        with self.lock:
            return [p for p, s, _n in self.entries if status is None or s == status]

    def bytes(self, prefix: str = "") -> int:
        """Bytes sent, for every path or for paths starting with prefix."""
        with self.lock:
            return sum(n for p, _s, n in self.entries if p.startswith(prefix))


class _CountingWriter:
    def __init__(self, raw: BinaryIO, handler: Any) -> None:
        self._raw = raw
        self._handler = handler

    def write(self, data: bytes) -> int:
        self._handler.sent += len(data)
        return self._raw.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def start_recording(site: Path, host: str = "127.0.0.1", validators: bool = True):
    """(server, base URL, Traffic) for `site`, served in a background thread; validators=False
    serves it as a host that sends no ETag or Last-Modified."""
    server = serve.make_server(site, host, 0, validators=validators)
    traffic = Traffic()
    made = server.RequestHandlerClass  # functools.partial(Handler, directory=...)

    class Recording(made.func):
        status: int | None = None
        sent = 0

        def setup(self) -> None:
            super().setup()
            self.wfile = _CountingWriter(self.wfile, self)

        def send_response(self, code: int, message: str | None = None) -> None:
            self.status = code
            super().send_response(code, message)

        def handle_one_request(self) -> None:
            self.status, self.sent = None, 0
            super().handle_one_request()
            if self.status is not None:
                traffic.add(unquote(urlsplit(self.path).path).lstrip("/"), self.status, self.sent)

    server.RequestHandlerClass = functools.partial(Recording, *made.args, **made.keywords)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}/", traffic
