"""Extra build steps, so that `mkdocs build` alone produces the complete site.

- The Pyodide runtime, copied from the installed npm package into site/pyodide/ (never a CDN).
- Mermaid, copied from npm into site/assets/vendor/ (Material would otherwise fetch it from a CDN).
- The tools wheel (py3-none-any, built by pypa `build`) with the compiled tool definitions, into
  site/assets/wheels/. It is built in a temporary copy of the sources, so the checkout stays clean
  and builds running side by side do not collide, and cached by the hash of its inputs.
"""

from __future__ import annotations

import hashlib
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
    "python_stdlib.zip",
    "pyodide-lock.json",
)
PYODIDE_DIR = "pyodide"
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
        files += sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
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
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(src)],
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            raise DataError(f"building the tools wheel failed:\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
        built = out / wheel_name()
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp_target = cached.with_suffix(".part")
        shutil.copy2(built, tmp_target)
        tmp_target.replace(cached)
    return cached


def _copy(src: Path, dest: Path, hint: str) -> None:
    if not src.exists():
        raise DataError(f"{src} is missing: {hint}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dest)


def register(env) -> None:
    env.variables["tools_wheel"] = f"assets/wheels/{wheel_name()}"
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
    (site / PYODIDE_DIR / "check.html").write_text(RUNTIME_CHECK_PAGE.format(csp=META_POLICY), encoding="utf-8")
    _copy(MERMAID_FILE, site / "assets" / "vendor" / "mermaid.min.js", hint)
    _copy(build_wheel(), site / "assets" / "wheels" / wheel_name(), "wheel build failed")
