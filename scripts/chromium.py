"""How this project starts Debian's Chromium with Playwright (tests and bench/ share it).

Playwright cannot download its own browser here, so it drives /usr/bin/chromium through
`executable_path`. The flags: no sandbox (CI runs as root) and no background calls to Google's
hosts, which a machine with no internet refuses many times a second.
"""

from __future__ import annotations

import os

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


def launch(playwright):
    """A headless Chromium browser from a started sync_playwright()."""
    return playwright.chromium.launch(executable_path=EXECUTABLE, args=ARGS, headless=True)
