"""How this project starts Debian's Chromium with Playwright (tests and bench/ share it).

Playwright cannot download its own browser here, so it drives /usr/bin/chromium through
`executable_path`. The flags: no sandbox (CI runs as root) and no background calls to Google's
hosts, which a machine with no internet refuses many times a second.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

EXECUTABLE = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# Playwright turns the back/forward cache off by default; a real browser has it on, and it is
# where a page left with answers on it could come back from. Privacy tests turn it back on.
BFCACHE_OFF = "--disable-back-forward-cache"


def launch(playwright: Playwright, bfcache: bool = False) -> Any:
    """A headless Chromium browser from a started sync_playwright() (bfcache=True: as shipped)."""
    return playwright.chromium.launch(
        executable_path=EXECUTABLE,
        args=ARGS,
        headless=True,
        ignore_default_args=[BFCACHE_OFF] if bfcache else None,
    )


def launch_persistent(
    playwright: Playwright,
    user_data_dir: "str | os.PathLike[str]",
    bfcache: bool = False,
    **options: Any,
) -> Any:
    """A headless Chromium context with a profile on disk, as an installed browser has: what
    the reader's browser keeps (History, installability) can be read from `user_data_dir`."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=EXECUTABLE,
        args=ARGS,
        headless=True,
        ignore_default_args=[BFCACHE_OFF] if bfcache else None,
        **options,
    )
