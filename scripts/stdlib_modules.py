"""Regenerate tools/stdlib/modules.txt, the standard-library modules the tools' reduced library
holds (macros/stdlib.py builds the zip from it):

    .venv/bin/python scripts/stdlib_modules.py          # rewrite the file
    .venv/bin/python scripts/stdlib_modules.py --check  # exit 1 if it is stale

It starts Pyodide under Node with the FULL library the way the site's worker does (the PRELOAD
of docs/assets/js/tool-worker.js, a memory snapshot, the tools loaded by name from a site-style
lockfile), runs every tool flow (tests/tool_flows.py), and takes the union of
  1. what is then in sys.modules from the library (Pyodide's start-up, its package loader, the
     worker's PRELOAD and everything the flows imported), and
  2. the import graph (scripts/stdlib_trace.py): every import in cse_tools, and what importing
     each of those modules imports in turn.
Run it after upgrading Pyodide, or when the tools import something new (tests/test_stdlib.py
says so).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tools"), str(ROOT / "tests")]

from macros import build  # noqa: E402
from macros.stdlib import MODULES_FILE  # noqa: E402

RUNNER = ROOT / "tests" / "node" / "run_cases.mjs"
TRACE = ROOT / "scripts" / "stdlib_trace.py"
WORKER = ROOT / "docs" / "assets" / "js" / "tool-worker.js"
HEADER = """\
# The standard-library modules of the tools' reduced python_stdlib.zip (macros/stdlib.py).
# Written by scripts/stdlib_modules.py: do not edit by hand. It is what Pyodide's start-up and
# package loader, the worker's PRELOAD and every tool flow import (traced under Node), and the
# import graph of cse_tools through the standard library. tests/test_stdlib.py checks it.
# A module's packages come with it. {count} of the {total} modules of Pyodide {version}.
"""


def preload() -> str:
    """The worker's PRELOAD (the modules imported before its memory snapshot)."""
    text = WORKER.read_text(encoding="utf-8")
    found = re.search(r"const PRELOAD = ((?:\s*\+?\s*\"[^\"]*\")+);", text)
    if not found:
        raise SystemExit(f"PRELOAD not found in {WORKER}")
    return "".join(re.findall(r"\"([^\"]*)\"", found.group(1)))


def site_layout(folder: Path) -> Path:
    """The wheel and the lockfile laid out as on the site; returns the lockfile."""
    wheel = build.build_wheel()
    (folder / build.WHEELS_DIR).mkdir(parents=True)
    shutil.copy2(wheel, folder / build.WHEELS_DIR / wheel.name)
    return build.write_lockfile(wheel, folder / build.LOCKFILE)


def run(cases: list[str], stdlib: Path | None = None, trace: bool = False) -> dict:
    """Every case through browser.handle in Pyodide under Node, started as the worker starts it."""
    with tempfile.TemporaryDirectory(prefix="cse-stdlib-") as tmp:
        folder = Path(tmp)
        lockfile = site_layout(folder / "site")
        cases_path, out_path = folder / "cases.json", folder / "out.json"
        cases_path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
        command = ["node", str(RUNNER), str(lockfile), str(cases_path), str(out_path)]
        command += ["--preload", preload()]
        if stdlib:
            command += ["--stdlib", str(stdlib)]
        if trace:
            command += ["--trace", str(TRACE)]
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"node/Pyodide run failed:\n{done.stderr[-4000:]}")
        return json.loads(out_path.read_text(encoding="utf-8"))


def modules_text() -> str:
    from tool_flows import every_flow

    out = run(every_flow(), trace=True)
    library = set(out["trace"]["library"])
    names = sorted((set(out["modules"]) | set(out["trace"]["graph"])) & library)
    version = json.loads((build.NODE_MODULES / "pyodide" / "package.json").read_text())["version"]
    header = HEADER.format(count=len(names), total=len(library), version=version)
    return header + "\n".join(names) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args()
    text = modules_text()
    if args.check:
        if MODULES_FILE.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{MODULES_FILE.relative_to(ROOT)} is stale: run {__file__}")
        return
    MODULES_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {MODULES_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
