"""Extra build steps, so that `mkdocs build` alone produces the complete site.

- The Pyodide runtime, copied from the installed npm package into site/pyodide/ (never a CDN);
  its standard library is macros/stdlib.py's (reduced for the tools, and the full one).
- Mermaid, copied from npm into site/assets/vendor/ (Material would otherwise fetch it from a CDN).
- site/assets/js/cse-shared.js: the constants and message names the pages share with Python,
  written from cse_tools.protocol (the pages' scripts import them; nothing is restated in JS).
- The tools wheel (py3-none-any, built by pypa `build`) with the compiled tool definitions, into
  site/assets/wheels/. It is built in a temporary copy of the sources, so the checkout stays clean
  and builds running side by side do not collide, and cached by the hash of its inputs.
- The site's Pyodide lockfile, site/pyodide/pyodide-lock.json: Pyodide's own lockfile with the
  wheel added by pyodide-lock (scripts/pyodide_lockfile.py, run by the Python 3.12+ interpreter of
  .venv-pyodide), so the worker loads the tools by name. Cached like the wheel.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from .data import ROOT, DataError
from .security import META_POLICY

NODE_MODULES = ROOT / "node_modules"
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
)  # the standard library is macros/stdlib.py's: a reduced one for the tools, and the full one
PYODIDE_DIR = "pyodide"
LOCKFILE = f"{PYODIDE_DIR}/pyodide-lock.json"  # the site's lockfile, with the tools in it
WHEELS_DIR = "assets/wheels"
WHEEL_URL = "../assets/wheels/"  # where the wheel is, seen from the lockfile
LOCKFILE_SCRIPT = ROOT / "scripts" / "pyodide_lockfile.py"
LOCKFILE_CACHE = ROOT / ".cache" / "lockfiles"
PYODIDE_VENV = ".venv-pyodide"
MERMAID_FILE = NODE_MODULES / "mermaid" / "dist" / "mermaid.min.js"
TOOLS_SRC = ROOT / "tools" / "cse_tools"
DEFINITIONS_SRC = ROOT / "tools" / "definitions"
WHEEL_CACHE = ROOT / ".cache" / "wheels"


def package_version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def wheel_name() -> str:
    return f"cse_tools-{package_version()}-py3-none-any.whl"


def _inputs_hash() -> str:
    digest = hashlib.sha256()
    files = [ROOT / "pyproject.toml"]
    for folder in (TOOLS_SRC, DEFINITIONS_SRC):
        files += sorted(
            p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        )
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_wheel() -> Path:
    """Build (or reuse) the tools wheel and return its path."""
    cached = WHEEL_CACHE / _inputs_hash() / wheel_name()
    if cached.exists():
        return cached
    from cse_tools.catalog import bundle_json, load_directory  # validated again here, on purpose

    bundle = bundle_json(load_directory(DEFINITIONS_SRC))
    with tempfile.TemporaryDirectory(prefix="cse-wheel-") as tmp:
        src = Path(tmp, "src")
        shutil.copytree(
            TOOLS_SRC, src / "tools" / "cse_tools", ignore=shutil.ignore_patterns("__pycache__")
        )
        shutil.copy2(ROOT / "pyproject.toml", src / "pyproject.toml")
        data_dir = src / "tools" / "cse_tools" / "data"
        data_dir.mkdir(exist_ok=True)
        (data_dir / "definitions.json").write_text(bundle, encoding="utf-8")
        out = Path(tmp, "dist")
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "build",
                "--wheel",
                "--no-isolation",
                "--outdir",
                str(out),
                str(src),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if run.returncode != 0:
            raise DataError(
                f"building the tools wheel failed:\n{run.stdout[-2000:]}{run.stderr[-2000:]}"
            )
        built = out / wheel_name()
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp_target = cached.with_suffix(".part")
        shutil.copy2(built, tmp_target)
        tmp_target.replace(cached)
    return cached


def pyodide_python() -> Path:
    """The Python 3.12+ that has pyodide-build and pyodide-lock: $CSE_PYODIDE_PYTHON, or the
    .venv-pyodide made by `make setup` beside this project (or beside the .venv running this
    build, for tests that build a copy of the project)."""
    chosen = os.environ.get("CSE_PYODIDE_PYTHON")
    if chosen:
        return Path(chosen)
    for folder in (ROOT, Path(sys.prefix).parent):
        python = folder / PYODIDE_VENV / "bin" / "python"
        if python.exists():
            return python
    raise DataError(
        f"{PYODIDE_VENV} is missing (Python 3.12+ with pyodide-build): run `make setup`"
    )


def write_lockfile(wheel: Path, dest: Path, wheel_url: str = WHEEL_URL) -> Path:
    """Write the site's pyodide-lock.json (Pyodide's lockfile plus the tools wheel) to dest."""
    source = NODE_MODULES / "pyodide" / "pyodide-lock.json"
    if not source.exists():
        raise DataError(f"{source} is missing: run `make setup` (npm ci) first")
    digest = hashlib.sha256(wheel_url.encode())
    for path in (source, wheel, LOCKFILE_SCRIPT):
        digest.update(path.read_bytes())
    cached = LOCKFILE_CACHE / digest.hexdigest()[:16] / "pyodide-lock.json"
    if not cached.exists():
        with tempfile.TemporaryDirectory(prefix="cse-lock-") as tmp:
            out = Path(tmp, "pyodide-lock.json")
            run = subprocess.run(
                [
                    str(pyodide_python()),
                    str(LOCKFILE_SCRIPT),
                    str(source),
                    str(out),
                    wheel_url,
                    str(wheel),
                ],
                capture_output=True,
                text=True,
                timeout=300,
            )
            if run.returncode != 0:
                raise DataError(
                    f"writing pyodide-lock.json failed:\n{run.stdout[-2000:]}{run.stderr[-2000:]}"
                )
            cached.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(out, cached.with_suffix(".part"))
            cached.with_suffix(".part").replace(cached)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(cached, dest)
    return dest


def _copy(src: Path, dest: Path, hint: str) -> None:
    if not src.exists():
        raise DataError(f"{src} is missing: {hint}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dest)


def npm_version(name: str) -> str:
    """The installed version of an npm package (`npm ci` installs package-lock.json's): the
    accessibility statement names the axe-core release the tests run."""
    import json

    path = NODE_MODULES / name / "package.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError) as exc:
        raise DataError(f"npm_version('{name}'): {path} cannot be read; run `make setup`") from exc


def write_shared_module(site: Path) -> Path:
    """The constants and message names the pages share with Python (cse_tools.protocol), as an
    ES module the pages' scripts import: written from Python, never restated in JavaScript."""
    from cse_tools.protocol import SHARED_MODULE, es_module

    dest = site / SHARED_MODULE
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(es_module(), encoding="utf-8")
    return dest


def register(env) -> None:
    env.macro(npm_version, "npm_version")
    env.variables["tools_wheel"] = f"{WHEELS_DIR}/{wheel_name()}"
    env.variables["pyodide_dir"] = PYODIDE_DIR
    env.conf["extra"]["tools_wheel"] = env.variables["tools_wheel"]


RUNTIME_CHECK_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Python runtime check</title>
<link rel="icon" href="../assets/images/favicon.png">
</head>
<body>
<main>
<h1>Python runtime check</h1>
<p id="status" role="status">Loading Python from this site&hellip;</p>
</main>
<script type="module" src="../assets/js/runtime-check.js"></script>
</body>
</html>
"""


def on_post_build(env) -> None:
    site = Path(env.conf["site_dir"])
    hint = "run `make setup` (npm ci) first"
    for name in PYODIDE_FILES:
        _copy(NODE_MODULES / "pyodide" / name, site / PYODIDE_DIR / name, hint)
    # A bare page that only starts Python: a check for people, a baseline for tests and bench/.
    (site / PYODIDE_DIR / "check.html").write_text(
        RUNTIME_CHECK_PAGE.format(csp=META_POLICY), encoding="utf-8"
    )
    _copy(MERMAID_FILE, site / "assets" / "vendor" / "mermaid.min.js", hint)
    write_shared_module(site)
    wheel = build_wheel()
    _copy(wheel, site / WHEELS_DIR / wheel_name(), "wheel build failed")
    write_lockfile(wheel, site / LOCKFILE)
